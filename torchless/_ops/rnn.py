"""Recurrent ops: the LSTM, GRU and Elman (tanh/relu) layers and cells, and the
packing of variable-length sequences.

A layer (one direction of one layer of ``nn.LSTM``, say) is one fused op: the
input projection of every time step is one matrix product, then each step
costs one matrix product for the hidden projection plus the gate arithmetic,
all on arrays. Its node (one per layer and direction, as torch's
``MkldnnRnnLayerBackward0``) runs backpropagation through time on arrays as
well: one matrix product per step, then the weight gradients of all steps as
one product each. Under ``create_graph`` the node instead recomputes the layer
with Tensor ops and differentiates that, so gradients of gradients work.

The node is named as the node torch's graph shows for the same output: on the
CPU torch runs a float32 LSTM without projections through oneDNN
(``MkldnnRnnLayerBackward0``); every other layer is composed of per-step ops
whose outputs are stacked (``StackBackward0``), or concatenated for packed
sequences (``CatBackward0``). The cells record torch's nodes too:
``TanhBackward0``/``ReluBackward0`` for ``rnn_*_cell``, ``AddBackward0`` for
``gru_cell``, and for ``lstm_cell`` a ``MulBackward0`` (``h = o * tanh(c)``)
above an ``AddBackward0`` (``c``).

A padded input of T steps of B rows and a packed sequence share one code
path: step ``t`` reads rows ``[off_t, off_t + b_t)`` of the input viewed as
``(N, input_size)``; a packed step's rows are the first ``b_t`` sequences of
the (decreasingly sorted) batch, so a running hidden state of B rows is
updated in its first ``b_t`` rows and each sequence keeps its last state.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype as D
from .._device import get_array_module
from .._tensor import Tensor, _make, _record, _state, _view_of
from ..autograd.graph import Node
from ._common import cast_error, not_implemented
from .shape import TransposeBackward0, cat, stack

__all__ = [
    "lstm",
    "gru",
    "rnn_tanh",
    "rnn_relu",
    "lstm_cell",
    "gru_cell",
    "rnn_tanh_cell",
    "rnn_relu_cell",
]

_LSTM, _GRU, _TANH, _RELU = "LSTM", "GRU", "RNN_TANH", "RNN_RELU"


def _sigmoid_(a) -> None:
    """``a = 1 / (1 + exp(-a))`` in place (torch's formula)."""
    np.negative(a, out=a)
    np.exp(a, out=a)
    a += 1
    np.reciprocal(a, out=a)


def _dsigmoid(s):
    """``s * (1 - s)``: the sigmoid's derivative from its output."""
    r = 1 - s
    r *= s
    return r


def _dtanh(y):
    """``1 - y * y``: tanh's derivative from its output."""
    r = y * y
    np.subtract(1, r, out=r)
    return r


# ----------------------------------------------------------------------------
# layer kernels on arrays


def _order(n: int, reverse: bool):
    return range(n - 1, -1, -1) if reverse else range(n)


def _prev_state(out, init, prev, bs):
    """The state a step starts from: the first ``bs`` rows of the previous
    step's (a view), completed from the initial state when the batch grows
    (a reversed packed sequence)."""
    if prev is None:
        return init[:bs]
    poff, pbs = prev
    if bs <= pbs:
        return out[poff : poff + bs]
    return np.concatenate((out[poff : poff + pbs], init[pbs:bs]))


def _final_state(out, init, steps, order):
    """Each row's state after its last step: sequences that end early (a
    packed batch, forward in time) keep the state of their last step."""
    res = init.copy()
    prev = None
    for t in order:
        off, bs = steps[t]
        if prev is not None and bs < prev[1]:
            poff, pbs = prev
            res[bs:pbs] = out[poff + bs : poff + pbs]
        prev = (off, bs)
    if prev is not None:
        off, bs = prev
        res[:bs] = out[off : off + bs]
    return res


def _lstm_perm(hs: int):
    """Rows of torch's LSTM weights (gates i, f, g, o) in the order the kernels
    use (i, f, o, g): the three sigmoid gates side by side."""
    r = np.arange(hs)
    return np.concatenate((r, r + hs, r + 3 * hs, r + 2 * hs))


def _step_blocks(flat, steps, hs):
    """Views ``(4, rows, hs)`` of each step's gates in a step-major array."""
    return [flat[4 * off * hs : 4 * (off + bs) * hs].reshape(4, bs, hs) for off, bs in steps]


def _lstm_forward(x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, steps, reverse, keep):
    """``_layer_forward`` for an LSTM. The gates of a step are kept as one
    contiguous ``(4, rows, H)`` block in the order i, f, o, g (``gates`` holds
    the blocks of all steps in row order), so that the elementwise work runs
    on contiguous memory."""
    xp = get_array_module(x)
    dt = x.dtype
    n = x.shape[0]
    hs = w_hh.shape[0] // 4
    hp_size = w_hh.shape[1]
    p = _lstm_perm(hs)
    # sigmoid(a) = (tanh(a / 2) + 1) / 2: with the sigmoid gates' rows halved
    # (exactly) one tanh serves all four gates
    half = xp.ones((4 * hs, 1), dt)
    half[: 3 * hs] = 0.5
    wt_ih = (w_ih[p] * half).T
    xw = x @ xp.ascontiguousarray(wt_ih)  # the input projection of every step at once
    bias = b_ih if b_hh is None else b_hh if b_ih is None else b_ih + b_hh
    if bias is not None:
        xw += bias[p] * half[:, 0]
    bmax = h0.shape[0]
    gates = xp.empty(n * 4 * hs, dt)
    blocks = _step_blocks(gates, steps, hs)
    if all(bs == bmax for _, bs in steps):  # padded: one transposing copy
        gates.reshape(-1, 4, bmax, hs)[...] = xw.reshape(-1, bmax, 4, hs).transpose(0, 2, 1, 3)
    else:
        for (off, bs), g in zip(steps, blocks):
            g[...] = xw[off : off + bs].reshape(bs, 4, hs).transpose(1, 0, 2)
    del xw
    wt = xp.ascontiguousarray((w_hh[p] * half).T)
    whr_t = None if w_hr is None else xp.ascontiguousarray(w_hr.T)
    tmp = xp.empty((bmax, 4 * hs), dt)
    tmph = xp.empty((bmax, hs), dt)
    out = xp.empty((n, hp_size), dt)
    cs = xp.empty((n, hs), dt)
    tcs = xp.empty((n, hs), dt)
    ms = xp.empty((n, hs), dt) if w_hr is not None else None
    order = list(_order(len(steps), reverse))
    hps = [None] * len(steps)
    cps = [None] * len(steps)
    prev = None
    for t in order:
        off, bs = steps[t]
        e = off + bs
        hp = hps[t] = _prev_state(out, h0, prev, bs)
        cp = cps[t] = _prev_state(cs, c0, prev, bs)
        np.matmul(hp, wt, out=tmp[:bs])
        g = blocks[t]
        g += tmp[:bs].reshape(bs, 4, hs).transpose(1, 0, 2)
        np.tanh(g, out=g)
        sg = g[:3]
        sg *= 0.5
        sg += 0.5
        c = cs[off:e]
        np.multiply(g[1], cp, out=c)
        np.multiply(g[0], g[3], out=tmph[:bs])
        c += tmph[:bs]
        tc = tcs[off:e]
        np.tanh(c, out=tc)
        if whr_t is None:
            np.multiply(g[2], tc, out=out[off:e])
        else:
            m = ms[off:e]
            np.multiply(g[2], tc, out=m)
            np.matmul(m, whr_t, out=out[off:e])
        prev = (off, bs)
    hn = _final_state(out, h0, steps, order)
    cn = _final_state(cs, c0, steps, order)
    if not keep:
        return out, hn, cn, None
    # copies of the states: the user may change the output in place
    return out, hn, cn, (gates, np.concatenate(hps), np.concatenate(cps), tcs, ms)


def _lstm_backward(saved, x, w_ih, w_hh, w_hr, steps, reverse, gout, dh, dc, want):
    """``_layer_backward`` for an LSTM (step-major gates, see ``_lstm_forward``)."""
    xp = get_array_module(x)
    gates, hprev, cprev, tcs, ms = saved
    dt = x.dtype
    n = x.shape[0]
    hs = w_hh.shape[0] // 4
    hp_size = w_hh.shape[1]
    b = dh.shape[0]
    p = _lstm_perm(hs)
    w_hh_p = w_hh[p]
    # The factors that do not depend on the recurrence, for all steps at once:
    # q holds d(pre-activation) / d(c) for gates i, f, g (times the cell
    # gradient) and d(pre-activation) / d(h) for gate o, i.e. g * i(1 - i),
    # c_prev * f(1 - f), tanh(c) * o(1 - o) and i * (1 - g^2); otc is
    # d c / d h = o * (1 - tanh(c)^2).
    q = 1 - gates
    q *= gates
    otc = tcs * tcs
    np.subtract(1, otc, out=otc)
    gb, qb = _step_blocks(gates, steps, hs), _step_blocks(q, steps, hs)
    if all(bs == b for _, bs in steps):  # a padded batch: each factor in one op

        def r(a):
            return a.reshape(-1, b, hs)

        views = [(gates.reshape(-1, 4, b, hs), q.reshape(-1, 4, b, hs), r(cprev), r(tcs), r(otc))]
    else:  # a packed batch: step by step
        views = [
            (g[None], d[None], cprev[off : off + bs][None], tcs[off : off + bs][None],
             otc[off : off + bs][None])
            for (off, bs), g, d in zip(steps, gb, qb)
        ]  # fmt: skip
    for g, d, cp, tc, oc in views:
        np.multiply(g[:, 3], g[:, 3], out=d[:, 3])
        np.subtract(1, d[:, 3], out=d[:, 3])
        d[:, 3] *= g[:, 0]
        d[:, 0] *= g[:, 3]
        d[:, 1] *= cp
        d[:, 2] *= tc
        oc *= g[:, 2]
    dgx = xp.empty((n, 4 * hs), dt)  # row-major, for the weight products
    tmph = xp.empty((b, hs), dt)
    dhs = xp.empty((n, hp_size), dt) if w_hr is not None else None
    for t in _order(len(steps), not reverse):
        off, bs = steps[t]
        e = off + bs
        dht = dh[:bs]
        if gout is not None:
            dht += gout[off:e]
        if w_hr is not None:
            dhs[off:e] = dht
            dm = np.matmul(dht, w_hr)
        else:
            dm = dht
        dct = dc[:bs]
        np.multiply(dm, otc[off:e], out=tmph[:bs])
        dct += tmph[:bs]
        dg = dgx[off:e]
        dg_t = dg.reshape(bs, 4, hs).transpose(1, 0, 2)
        qt = qb[t]
        np.multiply(qt, dct, out=dg_t)
        np.multiply(qt[2], dm, out=dg_t[2])  # the output gate sees h's gradient
        dct *= gb[t][1]
        np.matmul(dg, w_hh_p, out=dht)

    def unperm(a):
        r = np.empty_like(a)
        r[p] = a
        return r

    gx = dgx @ w_ih[p] if want[0] else None
    gw_ih = unperm(dgx.T @ x) if want[3] else None
    gw_hh = unperm(dgx.T @ hprev) if want[4] else None
    gbias = unperm(dgx.sum(0)) if want[5] or want[6] else None
    gb_hh = None if not want[6] else gbias if not want[5] else gbias.copy()
    gw_hr = dhs.T @ ms if want[7] and w_hr is not None else None
    return gx, dh, dc, gw_ih, gw_hh, gbias if want[5] else None, gb_hh, gw_hr


def _layer_forward(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, steps, reverse, keep):
    """One direction of one layer on arrays.

    ``x`` is ``(N, input_size)``; ``steps`` lists ``(offset, rows)`` per time
    step. Returns the outputs ``(N, out_size)``, the final hidden (and cell)
    state and, with ``keep``, what the backward needs.
    """
    xp = get_array_module(x)
    dt = x.dtype
    n = x.shape[0]
    h0 = xp.asarray(h0, dt)
    if mode == _LSTM:  # its own layout
        return _lstm_forward(
            x, h0, xp.asarray(c0, dt), w_ih, w_hh, b_ih, b_hh, w_hr, steps, reverse, keep
        )
    xw = x @ xp.ascontiguousarray(w_ih.T)  # the input projection of every step at once
    if mode != _GRU and b_ih is not None and b_hh is not None:
        xw += b_ih + b_hh  # both biases enter the pre-activation the same way
    elif b_ih is not None:
        xw += b_ih
    elif b_hh is not None and mode != _GRU:
        xw += b_hh
    wt = xp.ascontiguousarray(w_hh.T)  # BLAS multiplies a contiguous operand faster
    hp_size = w_hh.shape[1]
    gsize = w_hh.shape[0]
    bmax = h0.shape[0]
    tmp = xp.empty((bmax, gsize), dt)
    order = list(_order(len(steps), reverse))
    hps = [None] * len(steps)
    prev = None
    if mode == _GRU:
        hs = gsize // 3
        out = xp.empty((n, hp_size), dt)
        hws = xp.empty((n, gsize), dt)
        tmph = xp.empty((bmax, hs), dt)
        for t in order:
            off, bs = steps[t]
            e = off + bs
            hp = hps[t] = _prev_state(out, h0, prev, bs)
            hw = hws[off:e]
            np.matmul(hp, wt, out=hw)
            if b_hh is not None:
                hw += b_hh
            g = xw[off:e]
            rz = g[:, : 2 * hs]
            rz += hw[:, : 2 * hs]
            _sigmoid_(rz)
            nn_ = g[:, 2 * hs :]
            np.multiply(g[:, :hs], hw[:, 2 * hs :], out=tmph[:bs])
            nn_ += tmph[:bs]
            np.tanh(nn_, out=nn_)
            o = out[off:e]
            np.subtract(hp, nn_, out=o)  # h' = (h - n) * z + n, as torch computes it
            o *= g[:, hs : 2 * hs]
            o += nn_
            prev = (off, bs)
        hn = _final_state(out, h0, steps, order)
        if not keep:
            return out, hn, None, None
        return out, hn, None, (xw, np.concatenate(hps), hws[:, 2 * hs :])
    relu = mode == _RELU
    for t in order:
        off, bs = steps[t]
        e = off + bs
        hp = hps[t] = _prev_state(xw, h0, prev, bs)
        a = xw[off:e]
        np.matmul(hp, wt, out=tmp[:bs])
        a += tmp[:bs]
        if relu:
            np.maximum(a, 0, out=a)
        else:
            np.tanh(a, out=a)
        prev = (off, bs)
    hn = _final_state(xw, h0, steps, order)
    if not keep:
        return xw, hn, None, None
    return xw.copy(), hn, None, (xw, np.concatenate(hps))


def _layer_backward(mode, saved, x, w_ih, w_hh, w_hr, steps, reverse, gout, ghn, gcn, want):
    """Backpropagation through time for ``_layer_forward``: the gradients of
    (x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr) as arrays (None where not
    ``want``-ed). The factors that do not depend on the recurrence are
    computed for all steps at once before the loop over steps."""
    xp = get_array_module(x)
    dt = x.dtype
    n = x.shape[0]
    b = max((bs for _, bs in steps), default=0)
    hp_size = w_hh.shape[1]
    dh = xp.zeros((b, hp_size), dt) if ghn is None else xp.array(ghn, dt)
    if mode == _LSTM:
        dc = xp.zeros((b, w_hh.shape[0] // 4), dt) if gcn is None else xp.array(gcn, dt)
        return _lstm_backward(saved, x, w_ih, w_hh, w_hr, steps, reverse, gout, dh, dc, want)
    order = _order(len(steps), not reverse)
    gsize = w_hh.shape[0]
    if mode == _GRU:
        gates, hprev, hwn = saved
        hs = gsize // 3
        r, z, nn_ = gates[:, :hs], gates[:, hs : 2 * hs], gates[:, 2 * hs :]
        fa = nn_ * nn_  # d n_pre / d h' = (1 - z) * (1 - n^2)
        np.subtract(1, fa, out=fa)
        fa *= 1 - z
        fz = hprev - nn_  # d z_pre / d h' = (h - n) * z * (1 - z)
        fz *= z
        fz *= 1 - z
        fr = 1 - r  # d r_pre / d n_pre = h_n * r * (1 - r)
        fr *= r
        fr *= hwn
        dgx = xp.empty((n, gsize), dt)
        dgh = xp.empty((n, gsize), dt)
        tmph = xp.empty((b, hp_size), dt)
        for t in order:
            off, bs = steps[t]
            e = off + bs
            dht = dh[:bs]
            if gout is not None:
                dht += gout[off:e]
            dx_ = dgx[off:e]
            dh_ = dgh[off:e]
            dan = dx_[:, 2 * hs :]
            np.multiply(dht, fa[off:e], out=dan)
            np.multiply(dan, fr[off:e], out=dx_[:, :hs])
            np.multiply(dht, fz[off:e], out=dx_[:, hs : 2 * hs])
            dh_[:, : 2 * hs] = dx_[:, : 2 * hs]
            np.multiply(dan, r[off:e], out=dh_[:, 2 * hs :])
            dht *= z[off:e]
            np.matmul(dh_, w_hh, out=tmph[:bs])
            dht += tmph[:bs]
    else:
        gates, hprev = saved  # the post-activations: the outputs
        if mode == _RELU:
            deriv = (gates > 0).astype(dt)
        else:
            deriv = _dtanh(gates)
        dgx = np.empty_like(gates)
        for t in order:
            off, bs = steps[t]
            e = off + bs
            dht = dh[:bs]
            if gout is not None:
                dht += gout[off:e]
            da = dgx[off:e]
            np.multiply(dht, deriv[off:e], out=da)
            np.matmul(da, w_hh, out=dht)
        dgh = dgx
    gx = dgx @ w_ih if want[0] else None
    gw_ih = dgx.T @ x if want[3] else None
    gw_hh = dgh.T @ hprev if want[4] else None
    gb_ih = dgx.sum(0) if want[5] else None
    if want[6]:
        gb_hh = gb_ih.copy() if dgh is dgx and gb_ih is not None else dgh.sum(0)
    else:
        gb_hh = None
    return gx, dh, None, gw_ih, gw_hh, gb_ih, gb_hh, None


# ----------------------------------------------------------------------------
# the same layer composed of Tensor ops (for gradients of gradients)


def _cell_composed(mode, xw, h, c, w_hh, b_hh, w_hr):
    """One step from the projected input ``xw`` (which holds ``b_ih``)."""
    hw = h.matmul(w_hh.t())
    if b_hh is not None:
        hw = hw + b_hh
    if mode == _LSTM:
        hs = w_hh.shape[0] // 4
        g = hw + xw
        i = g.narrow(1, 0, hs).sigmoid()
        f = g.narrow(1, hs, hs).sigmoid()
        gg = g.narrow(1, 2 * hs, hs).tanh()
        o = g.narrow(1, 3 * hs, hs).sigmoid()
        c2 = f * c + i * gg
        h2 = o * c2.tanh()
        if w_hr is not None:
            h2 = h2.matmul(w_hr.t())
        return h2, c2
    if mode == _GRU:
        hs = w_hh.shape[0] // 3
        r = (xw.narrow(1, 0, hs) + hw.narrow(1, 0, hs)).sigmoid()
        z = (xw.narrow(1, hs, hs) + hw.narrow(1, hs, hs)).sigmoid()
        nn_ = (xw.narrow(1, 2 * hs, hs) + r * hw.narrow(1, 2 * hs, hs)).tanh()
        return (h - nn_) * z + nn_, None
    a = hw + xw
    return (a.relu() if mode == _RELU else a.tanh()), None


def _layer_composed(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, steps, reverse):
    """``_layer_forward`` with Tensor ops: (outputs, final hidden, final cell)."""
    lead = tuple(x.shape[:-1])
    x2 = x.reshape(-1, x.shape[-1])
    xw = x2.matmul(w_ih.t())
    if b_ih is not None:
        xw = xw + b_ih
    outs = [None] * len(steps)
    done_h, done_c = [], []  # rows whose sequence ended, last first
    order = list(_order(len(steps), reverse))
    first = steps[order[0]][1]
    h = h0.narrow(0, 0, first)
    c = None if c0 is None else c0.narrow(0, 0, first)
    for t in order:
        off, bs = steps[t]
        cur = h.shape[0]
        if bs < cur:
            done_h.append(h.narrow(0, bs, cur - bs))
            h = h.narrow(0, 0, bs)
            if c is not None:
                done_c.append(c.narrow(0, bs, cur - bs))
                c = c.narrow(0, 0, bs)
        elif bs > cur:  # reverse direction: sequences join with their initial state
            h = cat([h, h0.narrow(0, cur, bs - cur)])
            if c is not None:
                c = cat([c, c0.narrow(0, cur, bs - cur)])
        h, c = _cell_composed(mode, xw.narrow(0, off, bs), h, c, w_hh, b_hh, w_hr)
        outs[t] = h
    hn = cat([h] + done_h[::-1]) if done_h else h
    cn = None if c is None else (cat([c] + done_c[::-1]) if done_c else c)
    out = cat(outs).reshape(lead + (outs[0].shape[-1],))
    return out, hn, cn


def _composed_grads(node, fn, grads):
    """Gradients of ``fn``'s outputs (recomputed from the node's saved inputs
    with Tensor ops) against ``grads``, building a graph (create_graph)."""
    from ..autograd import grad as autograd_grad

    inputs = node.saved()
    outs = fn(*inputs)
    pairs = [(o, g) for o, g in zip(outs, grads) if o is not None and g is not None]
    diff = [t for t in inputs if t is not None and t._requires_grad]
    if not pairs or not diff:
        return (None,) * len(inputs)
    got = iter(
        autograd_grad(
            [o for o, _ in pairs], diff, [g for _, g in pairs], create_graph=True,
            allow_unused=True,
        )
    )  # fmt: skip
    return tuple(next(got) if t is not None and t._requires_grad else None for t in inputs)


# ----------------------------------------------------------------------------
# the layer op


class RnnLayerBackward(Node):
    """Backward of one direction of one recurrent layer; outputs (output,
    h_n) and, for an LSTM, c_n."""

    __slots__ = ("_nout", "mode", "steps", "reverse", "arrays", "x2")

    def release(self):
        super().release()
        self.arrays = self.x2 = None

    def apply(self, grads):
        saved = self.saved()
        if _state.enabled:  # create_graph: differentiate the composed layer
            mode, steps, reverse = self.mode, self.steps, self.reverse

            def fn(x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr):
                return _layer_composed(
                    mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, steps, reverse
                )

            return _composed_grads(self, fn, grads)
        x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr = saved
        want = [e[0] is not None for e in self.next_functions]
        gout = grads[0]
        gout = None if gout is None else gout._data.reshape(-1, gout._data.shape[-1])
        ghn = None if grads[1] is None else grads[1]._data
        gcn = None if self._nout < 3 or grads[2] is None else grads[2]._data
        r = _layer_backward(
            self.mode, self.arrays, self.x2, w_ih._data, w_hh._data,
            None if w_hr is None else w_hr._data, self.steps, self.reverse, gout, ghn, gcn, want,
        )  # fmt: skip
        gx = None if r[0] is None else r[0].reshape(x._data.shape)
        res = [gx, r[1], r[2] if c0 is not None else None] + list(r[3:])
        return tuple(None if a is None or not w else _make(a) for a, w in zip(res, want))


def _steps_padded(t: int, b: int):
    return [(i * b, b) for i in range(t)]


def _steps_packed(batch_sizes):
    steps, off = [], 0
    for bs in batch_sizes:
        steps.append((off, bs))
        off += bs
    return steps


def rnn_layer(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, steps, reverse, name):
    """One direction of one recurrent layer as one op.

    Args:
        mode: ``'LSTM'``, ``'GRU'``, ``'RNN_TANH'`` or ``'RNN_RELU'``.
        x: ``(T, B, input_size)`` (with ``steps`` from ``_steps_padded``) or
            packed data ``(N, input_size)``.
        h0, c0: the initial state, ``(B, out_size)`` and ``(B, hidden_size)``
            (``c0`` only for an LSTM).
        w_ih, w_hh, b_ih, b_hh, w_hr: the weights (biases and ``w_hr`` may be None).
        steps: ``(offset, rows)`` of each time step in ``x`` viewed as 2-D.
        reverse: run the steps last to first.
        name: the name of the node the outputs record.

    Returns:
        ``(output, h_n, c_n)``; ``c_n`` is None except for an LSTM.
    """
    xa = x._data
    x2 = xa.reshape(-1, xa.shape[-1])
    if not (x.dtype.is_floating_point and w_ih.dtype.is_floating_point):
        r = _integral_layer(mode, x, h0, w_ih, w_hh, b_ih, b_hh, steps)
        if r is not None:
            return r
    inputs = (x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr)
    keep = _state.enabled and any(t is not None and t._requires_grad for t in inputs)

    def arr(t):
        return None if t is None else t._data

    out, hn, cn, saved = _layer_forward(
        mode, x2, h0._data, arr(c0), w_ih._data, w_hh._data, arr(b_ih), arr(b_hh), arr(w_hr),
        steps, reverse, keep,
    )  # fmt: skip
    res = _make(out.reshape(xa.shape[:-1] + (out.shape[-1],)))
    hn_t = _make(hn)
    cn_t = None if cn is None else _make(cn)
    if keep:
        node = RnnLayerBackward()
        node._name = name
        node._nout = 3 if mode == _LSTM else 2
        node.mode, node.steps, node.reverse = mode, steps, reverse
        node.arrays, node.x2 = saved, x2
        node.save(*inputs)
        _record(node, res, *inputs)
        for k, t in enumerate((hn_t, cn_t), 1):
            if t is not None:
                t.grad_fn, t._requires_grad, t._out_nr = node, True, k
    return res, hn_t, cn_t


def _check_integral(mode, dt) -> None:
    """torch's errors for a recurrent op on bool or integer arrays: no bool matmul; the gated
    cells apply sigmoid in place to integer gates."""
    if dt is D.bool:
        raise not_implemented("addmm_impl_cpu_", dt)
    if mode == _LSTM or mode == _GRU:
        raise cast_error(D._default.dtype, dt)


def _integral_layer(mode, x, h0, w_ih, w_hh, b_ih, b_hh, steps):
    """A layer on integer (or bool) operands, with torch's errors: an Elman RNN with relu
    stays integral (None: the general path runs it); one with tanh gives floats, so only
    one time step can run before a float hidden state meets the integer ``w_hh``."""
    if x.dtype is not w_ih.dtype:
        raise RuntimeError(
            "mat1 and mat2 must have the same dtype, but got "
            f"{x.dtype._legacy[:-6]} and {w_ih.dtype._legacy[:-6]}"
        )
    _check_integral(mode, x.dtype)
    if mode == _RELU:
        return None
    if len(steps) > 1:
        raise RuntimeError(
            "mat1 and mat2 must have the same dtype, but got "
            f"{D._default.dtype._legacy[:-6]} and {w_hh.dtype._legacy[:-6]}"
        )
    xa = x._data
    pre = xa.reshape(-1, xa.shape[-1]) @ w_ih._data.T
    if b_ih is not None:
        pre = pre + b_ih._data
    pre = pre + h0._data @ w_hh._data.T
    if b_hh is not None:
        pre = pre + b_hh._data
    h = np.tanh(pre.astype(D._default.dtype.np))
    return _make(h.reshape(xa.shape[:-1] + (h.shape[-1],))), _make(h.copy()), None


# ----------------------------------------------------------------------------
# the multi-layer functions (torch.lstm, torch.gru, torch.rnn_tanh, torch.rnn_relu)

_PROJ_WARNED = [False]


def _stack_layers(
    mode, input, batch_sizes, hx, cx, params, has_biases, num_layers, dropout_p, train,
    bidirectional, batch_first,
):  # fmt: skip
    from .dropout import dropout
    from .shape import transpose

    nd = 2 if bidirectional else 1
    per = len(params) // (num_layers * nd)
    proj = per != (4 if has_biases else 2)
    packed = batch_sizes is not None
    if packed:
        x = input
        steps = _steps_packed(batch_sizes)
    else:
        if input.dim() != 3:
            raise RuntimeError(f"input must have 3 dimensions, got {input.dim()}")
        x = transpose(input, 0, 1) if batch_first else input
        steps = _steps_padded(x.shape[0], x.shape[1])
        if not steps:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
    mkldnn = (
        mode == _LSTM and not packed and x.dtype is D.float32 and x._data.size != 0
    )  # torch's CPU oneDNN path: float32 LSTMs without projections
    if mkldnn and proj:
        mkldnn = False
        if not _PROJ_WARNED[0]:
            _PROJ_WARNED[0] = True
            warnings.warn(
                "LSTM with projections is not supported with oneDNN. Using default "
                "implementation. (Triggered internally at "
                "/__w/pytorch/pytorch/aten/src/ATen/native/RNN.cpp:1512.)",
                UserWarning,
                stacklevel=4,
            )
    for state in (hx, cx):
        if state is not None and state.dtype is not x.dtype:
            if mkldnn:
                raise RuntimeError("get_mkldnn_dtype: unsupported data type")
            # torch's first product is the hidden state's with w_hh
            w = params[1]
            raise RuntimeError(
                "mat1 and mat2 must have the same dtype, but got "
                f"{state.dtype._legacy[:-6]} and {w.dtype._legacy[:-6]}"
            )
    name = "CatBackward0" if packed else "MkldnnRnnLayerBackward0" if mkldnn else "StackBackward0"
    hs = hx.unbind(0)
    cs = cx.unbind(0) if cx is not None else None
    layer_input = x
    h_out, c_out = [], []
    for layer in range(num_layers):
        outs = []
        for d in range(nd):
            k = layer * nd + d
            w = params[k * per : (k + 1) * per]
            b_ih, b_hh = (w[2], w[3]) if has_biases else (None, None)
            o, h, c = rnn_layer(
                mode, layer_input, hs[k], None if cs is None else cs[k], w[0], w[1], b_ih, b_hh,
                w[-1] if proj else None, steps, d == 1, name,
            )  # fmt: skip
            outs.append(o)
            h_out.append(h)
            c_out.append(c)
        layer_input = outs[0] if nd == 1 else cat(outs, -1)
        if dropout_p != 0 and train and layer < num_layers - 1:
            layer_input = dropout(layer_input, dropout_p, True)
    output = layer_input
    if batch_first and not packed:
        # torch's LSTM transposes its result; the others transpose it in place
        output = transpose(output, 0, 1) if mode == _LSTM else _transpose_(output)
    hy = stack(h_out, 0)
    if mode == _LSTM:
        return output, hy, stack(c_out, 0)
    return output, hy


class TransposeBackward1(TransposeBackward0):
    """``transpose_``'s node (the same backward as ``transpose``)."""

    __slots__ = ()


def _transpose_(t: Tensor) -> Tensor:
    """Dims 0 and 1 swapped, recorded as torch's in-place ``transpose_``."""
    res = _view_of(np.swapaxes(t._data, 0, 1), t)
    if _state.enabled and t._requires_grad:
        node = TransposeBackward1()
        node.d0, node.d1 = 0, 1
        _record(node, res, t)
    return res


def _batch_sizes(t: Tensor) -> list:
    return [int(v) for v in t._data]


def lstm(input, *args):
    """``torch.lstm``: ``(input, hx, params, has_biases, num_layers, dropout, train,
    bidirectional, batch_first)`` or, for packed data, ``(data, batch_sizes, hx,
    params, has_biases, num_layers, dropout, train, bidirectional)``. ``hx`` is
    ``(h_0, c_0)``; returns ``(output, h_n, c_n)``."""
    if isinstance(args[0], Tensor):
        bs, hx, params, bias, nl, p, train, bidir = args
        return _stack_layers(
            _LSTM, input, _batch_sizes(bs), hx[0], hx[1], params, bias, nl, p, train, bidir, False
        )
    hx, params, bias, nl, p, train, bidir, bf = args
    return _stack_layers(_LSTM, input, None, hx[0], hx[1], params, bias, nl, p, train, bidir, bf)


def _one_hidden(mode):
    def fn(input, *args):
        if isinstance(args[1], Tensor):  # (data, batch_sizes, hx, params, ...)
            bs, hx, params, bias, nl, p, train, bidir = args
            return _stack_layers(
                mode, input, _batch_sizes(bs), hx, None, params, bias, nl, p, train, bidir, False
            )
        hx, params, bias, nl, p, train, bidir, bf = args
        return _stack_layers(mode, input, None, hx, None, params, bias, nl, p, train, bidir, bf)

    return fn


gru = _one_hidden(_GRU)
gru.__name__ = "gru"
gru.__doc__ = """``torch.gru``: as :func:`lstm` with a single hidden state tensor."""
rnn_tanh = _one_hidden(_TANH)
rnn_tanh.__name__ = "rnn_tanh"
rnn_tanh.__doc__ = """``torch.rnn_tanh``: an Elman RNN with tanh, arguments as :func:`gru`."""
rnn_relu = _one_hidden(_RELU)
rnn_relu.__name__ = "rnn_relu"
rnn_relu.__doc__ = """``torch.rnn_relu``: an Elman RNN with relu, arguments as :func:`gru`."""


# ----------------------------------------------------------------------------
# cells


def _check_cell(input, hxs, w_ih, w_hh) -> None:
    """ATen's checks of a cell's arguments (torch's messages)."""
    if input.shape[1] != w_ih.shape[1]:
        raise RuntimeError(
            f"input has inconsistent input_size: got {input.shape[1]} expected {w_ih.shape[1]}"
        )
    hidden = w_hh.shape[1]
    for k, hx in enumerate(hxs):
        if input.shape[0] != hx.shape[0]:
            raise RuntimeError(
                f"Input batch size {input.shape[0]} doesn't match hidden{k} batch size "
                f"{hx.shape[0]}"
            )
        if hx.shape[1] != hidden:
            raise RuntimeError(
                f"hidden{k} has inconsistent hidden_size: got {hx.shape[1]}, expected {hidden}"
            )
    for a, w in ((hxs[0], w_hh), (input, w_ih)):  # torch multiplies h first
        if a.dtype is not w.dtype:
            raise RuntimeError(
                "mat1 and mat2 must have the same dtype, but got "
                f"{a.dtype._legacy[:-6]} and {w.dtype._legacy[:-6]}"
            )


def _cell(mode, input, hx, w_ih, w_hh, b_ih, b_hh, name):
    _check_cell(input, (hx,), w_ih, w_hh)
    b = input.shape[0]
    out, _, _ = rnn_layer(
        mode, input, hx, None, w_ih, w_hh, b_ih, b_hh, None, [(0, b)], False, name
    )
    return out


def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of an Elman RNN: ``tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)``."""
    return _cell(_TANH, input, hx, w_ih, w_hh, b_ih, b_hh, "TanhBackward0")


def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of an Elman RNN with relu."""
    return _cell(_RELU, input, hx, w_ih, w_hh, b_ih, b_hh, "ReluBackward0")


def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One GRU step: ``r, z = sigmoid(...)``, ``n = tanh(x_n + r * h_n)``,
    ``h' = (h - n) * z + n``."""
    return _cell(_GRU, input, hx, w_ih, w_hh, b_ih, b_hh, "AddBackward0")


class _LstmCellStateBackward(Node):
    """The ``c' = f * c + i * g`` node of an LSTM cell (torch's ``AddBackward0``);
    its second output is the output gate ``o``, which ``h' = o * tanh(c')`` uses."""

    __slots__ = ("gates",)
    _nout = 2

    def name(self):
        return "AddBackward0"

    def release(self):
        super().release()
        self.gates = None

    def apply(self, grads):
        saved = self.saved()
        if _state.enabled:
            return _composed_grads(self, _lstm_cell_state_composed, grads)
        x, h, c, w_ih, w_hh, b_ih, b_hh = saved
        want = [e[0] is not None for e in self.next_functions]
        gates = self.gates
        hs = gates.shape[1] // 4
        i, f, gg, o = (
            gates[:, :hs],
            gates[:, hs : 2 * hs],
            gates[:, 2 * hs : 3 * hs],
            gates[:, 3 * hs :],
        )
        d = np.zeros_like(gates)
        gc, go = grads
        if go is not None:
            np.multiply(go._data, _dsigmoid(o), out=d[:, 3 * hs :])
        dc = None
        if gc is not None:
            gc = gc._data
            np.multiply(gc, gg, out=d[:, :hs])
            d[:, :hs] *= _dsigmoid(i)
            np.multiply(gc, c._data, out=d[:, hs : 2 * hs])
            d[:, hs : 2 * hs] *= _dsigmoid(f)
            np.multiply(gc, i, out=d[:, 2 * hs : 3 * hs])
            d[:, 2 * hs : 3 * hs] *= _dtanh(gg)
            dc = gc * f
        gb = d.sum(0) if want[5] or want[6] else None
        res = (
            d @ w_ih._data if want[0] else None,
            d @ w_hh._data if want[1] else None,
            dc if want[2] else None,
            d.T @ x._data if want[3] else None,
            d.T @ h._data if want[4] else None,
            gb if want[5] else None,
            gb if want[6] else None,
        )
        return tuple(None if a is None else _make(a) for a in res)


def _lstm_cell_state_composed(x, h, c, w_ih, w_hh, b_ih, b_hh):
    xw = x.matmul(w_ih.t())
    if b_ih is not None:
        xw = xw + b_ih
    hw = h.matmul(w_hh.t())
    if b_hh is not None:
        hw = hw + b_hh
    g = hw + xw
    hs = w_hh.shape[0] // 4
    i = g.narrow(1, 0, hs).sigmoid()
    f = g.narrow(1, hs, hs).sigmoid()
    gg = g.narrow(1, 2 * hs, hs).tanh()
    o = g.narrow(1, 3 * hs, hs).sigmoid()
    return f * c + i * gg, o


class _LstmCellOutputBackward(Node):
    """``h' = o * tanh(c')`` of an LSTM cell (torch's ``MulBackward0``)."""

    __slots__ = ("o", "tc")

    def name(self):
        return "MulBackward0"

    def release(self):
        super().release()
        self.o = self.tc = None

    def apply(self, g):
        o, c = self.saved()
        if _state.enabled:
            tc = c.tanh()
            return g * tc, g * o * (1 - tc * tc)
        ga = g._data
        return _make(ga * self.tc), _make(ga * self.o * _dtanh(self.tc))


def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One LSTM step: gates ``i, f, g, o`` from ``x W_ih^T + b_ih + h W_hh^T + b_hh``,
    ``c' = f * c + i * g``, ``h' = o * tanh(c')``. Returns ``(h', c')``."""
    h, c = hx
    _check_cell(input, (h, c), w_ih, w_hh)
    if not input.dtype.is_floating_point:
        _check_integral(_LSTM, input.dtype)
    xa = input._data
    dt = xa.dtype
    gates = xa @ w_ih._data.T
    if b_ih is not None:
        gates += b_ih._data
    if b_hh is not None:
        gates += b_hh._data
    gates += h._data @ w_hh._data.T
    hs = gates.shape[1] // 4
    _sigmoid_(gates[:, : 2 * hs])
    np.tanh(gates[:, 2 * hs : 3 * hs], out=gates[:, 2 * hs : 3 * hs])
    _sigmoid_(gates[:, 3 * hs :])
    cn = gates[:, hs : 2 * hs] * c._data
    cn += gates[:, :hs] * gates[:, 2 * hs : 3 * hs]
    tc = np.tanh(cn)
    o = gates[:, 3 * hs :]
    hn = (o * tc).astype(dt, copy=False)
    c_t, h_t = _make(cn), _make(hn)
    inputs = (input, h, c, w_ih, w_hh, b_ih, b_hh)
    if _state.enabled and any(t is not None and t._requires_grad for t in inputs):
        cnode = _LstmCellStateBackward()
        cnode.gates = gates
        cnode.save(*inputs)
        _record(cnode, c_t, *inputs)
        o_t = _make(o.copy())
        o_t.grad_fn, o_t._requires_grad, o_t._out_nr = cnode, True, 1
        hnode = _LstmCellOutputBackward()
        hnode.o, hnode.tc = o_t._data, tc
        hnode.save(o_t, c_t)
        _record(hnode, h_t, o_t, c_t)
    return h_t, c_t


# ----------------------------------------------------------------------------
# packing: rows of the (time, batch) grid gathered into packed order and back


class PackPaddedSequenceBackward0(Node):
    __slots__ = ("idx", "shape")

    def apply(self, g):
        return (_rows_put(g, self.idx, self.shape, 0, "PackPaddedSequenceBackward0Backward"),)


class _RowsPutBackward(Node):
    """``_rows_put``'s node; torch's padding ops end in ``CopySlices``."""

    __slots__ = ("idx",)

    def apply(self, g):
        return (_rows_take(g, self.idx),)


def _rows_take(t: Tensor, idx) -> Tensor:
    """Rows ``idx`` of ``t`` with its first two dims flattened."""
    a = t._data
    res = _make(a.reshape((-1,) + a.shape[2:])[idx])
    if _state.enabled and t._requires_grad:
        node = PackPaddedSequenceBackward0()
        node.idx, node.shape = idx, a.shape
        _record(node, res, t)
    return res


def _rows_put(t: Tensor, idx, shape, fill, name: str) -> Tensor:
    """An array of ``shape`` filled with ``fill`` whose rows ``idx`` (first two
    dims flattened) are ``t``."""
    xp = get_array_module(t._data)
    z = xp.full((shape[0] * shape[1],) + tuple(shape[2:]), fill, t._data.dtype)
    z[idx] = t._data
    res = _make(z.reshape(shape))
    if _state.enabled and t._requires_grad:
        node = _RowsPutBackward()
        node.idx, node._name = idx, name
        _record(node, res, t)
    return res


def pack_padded(input: Tensor, lengths: Tensor, batch_first: bool):
    """``torch._pack_padded_sequence``: the rows of a padded ``(T, B, *)`` (or
    ``(B, T, *)``) input in packed order, and the batch size of each step."""
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    if lengths.dim() != 1 or lengths.dtype is not D.int64:
        raise RuntimeError(
            "'lengths' argument should be a 1D CPU int64 tensor, but got "
            f"{lengths.dim()}D cpu {lengths.dtype._legacy[:-6]} tensor"
        )
    shape = input.shape
    t_len, b = (shape[1], shape[0]) if batch_first else (shape[0], shape[1])
    lens = [int(v) for v in lengths._data]
    if len(lens) != b:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {len(lens)} "
            f"(batch_size={b})"
        )
    if lens[-1] <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' "
            "that is <= 0"
        )
    for i in range(b - 1):
        if lens[b - 1 - i] > lens[b - 2 - i]:
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement if you do not need ONNX "
                "exportability."
            )
    lens_a = np.asarray(lens)
    batch_sizes = [int(np.count_nonzero(lens_a > t)) for t in range(lens[0])]
    rows = []
    for t, bs in enumerate(batch_sizes[:t_len]):  # torch clamps lengths past the input
        bi = np.arange(bs)
        rows.append(bi * t_len + t if batch_first else t * b + bi)
    idx = np.concatenate(rows)
    return _rows_take(input, idx), _make(np.asarray(batch_sizes, np.int64))


def pad_packed(data: Tensor, batch_sizes: Tensor, batch_first: bool, padding_value, total_length):
    """``torch._pad_packed_sequence``: packed rows back on a ``(T, B, *)`` grid
    filled with ``padding_value`` (``(B, T, *)`` as a transposed view with
    ``batch_first``), and the length of each sequence."""
    from .shape import transpose

    bsz = [int(v) for v in batch_sizes._data]
    b = bsz[0]
    t_len = len(bsz)
    if total_length > 0:
        if total_length < t_len:
            raise RuntimeError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being {t_len}"
            )
        t_len = total_length
    idx = np.concatenate([t * b + np.arange(bs) for t, bs in enumerate(bsz)])
    shape = (t_len, b) + tuple(data.shape[1:])
    out = _rows_put(data, idx, shape, padding_value, "torch::autograd::CopySlices")
    bs_a = np.asarray(bsz)
    lengths = np.array([np.count_nonzero(bs_a > i) for i in range(b)], np.int64)
    if batch_first:
        out = transpose(out, 0, 1)
    return out, _make(lengths)


class _PadSequenceBackward(Node):
    __slots__ = ("spots",)
    _full_name = "torch::autograd::CopySlices"

    def apply(self, g):
        nf = self.next_functions
        out = []
        for (fn, _), (i, start, n, batch_first) in zip(nf, self.spots):
            if fn is None:
                out.append(None)
            elif batch_first:
                out.append(g.select(0, i).narrow(0, start, n))
            else:
                out.append(g.narrow(0, start, n).select(1, i))
        return tuple(out)


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """``torch._C._nn.pad_sequence``: sequences of ``(L_i, *)`` stacked along a new
    batch dim and padded to the longest with ``padding_value``."""
    from ._common import broadcast_error

    seqs = list(sequences)
    if not seqs:
        raise RuntimeError("received an empty list of sequences")
    xp = get_array_module(seqs[0]._data)
    trailing = tuple(seqs[0].shape[1:])
    max_len = max(s.shape[0] for s in seqs)
    n = len(seqs)
    dims = ((n, max_len) if batch_first else (max_len, n)) + trailing
    dt = seqs[0]._data.dtype
    out = xp.full(dims, padding_value, dt)
    if padding_side not in ("left", "right"):
        raise RuntimeError(
            f"Expected padding_side to be one of left or right, but got {padding_side}."
        )
    spots = []
    for i, s in enumerate(seqs):
        ln = s.shape[0]
        start = max_len - ln if padding_side == "left" else 0
        dst = out[i, start : start + ln] if batch_first else out[start : start + ln, i]
        try:
            dst[...] = np.broadcast_to(s._data, dst.shape)
        except ValueError:
            raise broadcast_error(dst.shape, s._data.shape) from None
        spots.append((i, start, ln, batch_first))
    res = _make(out)
    if _state.enabled and any(s._requires_grad for s in seqs):
        node = _PadSequenceBackward()
        node.spots = spots
        _record(node, res, *seqs)
    return res


def transpose01_(t: Tensor) -> Tensor:
    """``t.transpose_(0, 1)``: swap dims 0 and 1 of ``t`` itself."""
    from .inplace import _LEAF_MSG

    tracked = _state.enabled and t._requires_grad
    if tracked and t.grad_fn is None:
        raise RuntimeError(_LEAF_MSG)
    old = _make(t._data)
    old.grad_fn, old._requires_grad, old._out_nr = t.grad_fn, t._requires_grad, t._out_nr
    t._data = np.swapaxes(t._data, 0, 1)
    if tracked:
        node = TransposeBackward1()
        node.d0, node.d1 = 0, 1
        _record(node, t, old)
        t._out_nr = 0
    return t
