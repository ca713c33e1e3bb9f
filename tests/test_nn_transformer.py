"""MultiheadAttention and the Transformer modules against torch: seeded
initialisation bit for bit, forward values and attention weights for every mask
and option, gradients of inputs and parameters, dropout under a seed, eval mode
(with torch's fused-path quirks), reprs, state_dict keys, errors and warnings."""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pytest
from oracle import is_torch, oracle, to_lib

import torchless as tl

TOL = {"float32": dict(rtol=1e-5, atol=1e-5), "float64": dict(rtol=1e-10, atol=1e-10)}
E, H, L, S, N = 8, 2, 5, 6, 3


def same(body, dtype="float32", **kw):
    """``oracle(body)`` at the dtype's tolerance, for a body that must not raise."""
    r = oracle(body, grads=False, **TOL[dtype], **kw)
    assert not isinstance(r, BaseException), r
    return r


def _data(shape, seed, dtype="float32"):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _dt(lib, dtype):
    return getattr(lib, dtype)


def _loss_and_grads(lib, module, outs, inputs, seed=7):
    """Backpropagate ``sum(out * w)`` over the floating outputs; the detached
    outputs, input gradients and parameter gradients by name."""
    rng = np.random.default_rng(seed)
    loss = None
    for o in outs:
        if o is None or not o.requires_grad:
            continue
        w = lib.tensor(rng.standard_normal(tuple(o.shape)).astype(str(o.dtype)[6:]))
        term = (o * w).sum()
        loss = term if loss is None else loss + term
    res = {"out": [None if o is None else o.detach() for o in outs]}
    res["grad_fn"] = [None if o is None or o.grad_fn is None else o.grad_fn.name() for o in outs]
    if loss is not None:
        loss.backward()
        res["input_grads"] = [x.grad for x in inputs]
        res["param_grads"] = {n: p.grad for n, p in module.named_parameters()}
    return res


def _params(m):
    return {n: p.detach() for n, p in m.named_parameters()}


# ----------------------------------------------------------------------------- init


INIT_CASES = [
    ("mha", lambda nn, dt: nn.MultiheadAttention(E, H, dtype=dt)),
    ("mha_nobias", lambda nn, dt: nn.MultiheadAttention(E, H, bias=False, dtype=dt)),
    ("mha_kv", lambda nn, dt: nn.MultiheadAttention(E, H, add_bias_kv=True, dtype=dt)),
    ("mha_kdim", lambda nn, dt: nn.MultiheadAttention(E, H, kdim=4, vdim=6, dtype=dt)),
    ("enc_layer", lambda nn, dt: nn.TransformerEncoderLayer(E, H, 16, dtype=dt)),
    ("dec_layer", lambda nn, dt: nn.TransformerDecoderLayer(E, H, 16, bias=False, dtype=dt)),
    (
        "encoder",
        lambda nn, dt: nn.TransformerEncoder(
            nn.TransformerEncoderLayer(E, H, 16, batch_first=True, dtype=dt),
            2,
            nn.LayerNorm(E, dtype=dt),
        ),
    ),
    ("decoder", lambda nn, dt: nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, 16), 2)),
    (
        "transformer",
        lambda nn, dt: nn.Transformer(E, H, 2, 1, 16, batch_first=True, dtype=dt),
    ),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,make", INIT_CASES, ids=[c[0] for c in INIT_CASES])
def test_init_bit_identical(name, make, dtype):
    def body(lib):
        lib.manual_seed(3)
        m = make(lib.nn, _dt(lib, dtype))
        return _params(m), [k for k in m.state_dict()], repr(m)

    same(body, exact=True)


def test_clones_share_values_not_storage():
    layer = tl.nn.TransformerEncoderLayer(E, H, 16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        enc = tl.nn.TransformerEncoder(layer, 2)
    a, b = enc.layers[0].linear1.weight, enc.layers[1].linear1.weight
    assert a is not b and np.array_equal(a.detach().numpy(), b.detach().numpy())


# ----------------------------------------------------------------------------- MHA

MASKS = {
    "none": {},
    "attn_bool": {"attn_mask": "bool2"},
    "attn_float": {"attn_mask": "float2"},
    "attn_bool3d": {"attn_mask": "bool3"},
    "attn_float3d": {"attn_mask": "float3"},
    "kpm_bool": {"key_padding_mask": "kbool"},
    "kpm_float": {"key_padding_mask": "kfloat"},
    "both_bool": {"attn_mask": "bool2", "key_padding_mask": "kbool"},
    "both_float": {"attn_mask": "float3", "key_padding_mask": "kfloat"},
}


def _mask(lib, kind, tgt, src, n, heads, dtype, batched=True):
    rng = np.random.default_rng(11)
    if kind == "bool2":
        m = rng.random((tgt, src)) < 0.3
        m[:, 0] = False  # every query keeps a key
        return to_lib(lib, m)
    if kind == "float2":
        return to_lib(lib, rng.standard_normal((tgt, src)).astype(dtype))
    if kind == "bool3":
        m = rng.random((n * heads, tgt, src)) < 0.3
        m[..., 1] = False
        return to_lib(lib, m)
    if kind == "float3":
        return to_lib(lib, rng.standard_normal((n * heads, tgt, src)).astype(dtype))
    if kind == "kbool":
        m = np.zeros((n, src), bool)
        m[1 % n, src - 2 :] = True
        m[0, 1] = True
        return to_lib(lib, m if batched else m[0])
    if kind == "kfloat":
        m = rng.standard_normal((n, src)).astype(dtype)
        return to_lib(lib, m if batched else m[0])
    raise ValueError(kind)


def _mha_case(
    lib,
    dtype="float32",
    ctor=None,
    masks="none",
    batch_first=False,
    unbatched=False,
    cross="self",
    train=False,
    **call,
):
    """Build a seeded MHA, run it on fixed inputs and return values and gradients."""
    ctor = dict(ctor or {})
    lib.manual_seed(0)
    m = lib.nn.MultiheadAttention(E, H, batch_first=batch_first, dtype=_dt(lib, dtype), **ctor)
    m.train(train)
    kd, vd = ctor.get("kdim", E), ctor.get("vdim", E)
    tgt = L
    src = L if cross == "self" else S
    n = 1 if unbatched else N

    def shape(seq, feat):
        if unbatched:
            return (seq, feat)
        return (n, seq, feat) if batch_first else (seq, n, feat)

    q = to_lib(lib, _data(shape(tgt, E), 1, dtype), requires_grad=True)
    if cross == "self":
        k = v = q
    elif cross == "kv":  # key is value
        k = v = to_lib(lib, _data(shape(src, kd), 2, dtype), requires_grad=True)
    else:
        k = to_lib(lib, _data(shape(src, kd), 2, dtype), requires_grad=True)
        v = to_lib(lib, _data(shape(src, vd), 3, dtype), requires_grad=True)
    kw = dict(call)
    if kw.pop("attn_mask_f32", False):  # a float32 mask for a float64 query
        kw["attn_mask"] = _mask(lib, "float2", tgt, src, n, H, "float32")
    heads = H
    for arg, kind in MASKS[masks].items():
        kw[arg] = _mask(lib, kind, tgt, src, n, heads, dtype, batched=not unbatched)
        if unbatched and kind in ("bool3", "float3"):
            kw[arg] = kw[arg][:heads]
    out, w = m(q, k, v, **kw)
    inputs = [q] if cross == "self" else ([q, k] if cross == "kv" else [q, k, v])
    return _loss_and_grads(lib, m, [out, w], inputs)


@pytest.mark.parametrize("masks", list(MASKS))
@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("batch_first", [False, True])
def test_mha_masks(masks, need_weights, batch_first):
    same(
        lambda lib: _mha_case(
            lib, masks=masks, batch_first=batch_first, need_weights=need_weights, cross="kv"
        )
    )


@pytest.mark.parametrize(
    "case",
    [
        dict(),
        dict(average_attn_weights=False),
        dict(average_attn_weights=False, masks="both_bool"),
        dict(cross="kv"),
        dict(cross="kqv", masks="kpm_bool"),
        dict(cross="kqv", ctor=dict(kdim=4, vdim=6), masks="attn_float"),
        dict(cross="kqv", ctor=dict(kdim=4, vdim=6), need_weights=False),
        dict(ctor=dict(bias=False), masks="kpm_bool"),
        dict(ctor=dict(add_bias_kv=True), masks="both_bool"),
        dict(ctor=dict(add_bias_kv=True), need_weights=False, masks="attn_float3d"),
        dict(ctor=dict(add_zero_attn=True), masks="both_float"),
        dict(ctor=dict(add_zero_attn=True, add_bias_kv=True), need_weights=False, cross="kv"),
        dict(ctor=dict(add_zero_attn=True, add_bias_kv=True), masks="kpm_bool", cross="kqv"),
        dict(unbatched=True),
        dict(unbatched=True, masks="kpm_bool", need_weights=False),
        dict(unbatched=True, masks="attn_bool3d", average_attn_weights=False),
        dict(unbatched=True, batch_first=True, cross="kv", masks="kpm_float"),
        dict(batch_first=True, cross="kqv", masks="both_bool", average_attn_weights=False),
        dict(dtype="float64", masks="both_float"),
        dict(dtype="float64", masks="kpm_bool", need_weights=False, cross="kv"),
        dict(dtype="float64", ctor=dict(kdim=4, vdim=6, add_bias_kv=True), cross="kqv"),
        dict(dtype="float64", need_weights=False, attn_mask_f32=True),
    ],
    ids=str,
)
def test_mha_options(case):
    dtype = case.get("dtype", "float32")
    same(lambda lib: _mha_case(lib, **case), dtype=dtype)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("kpm", [False, True])
def test_mha_is_causal(need_weights, kpm):
    def body(lib):
        # a bool causal mask, to match the bool padding mask's type
        mask = lib.nn.Transformer.generate_square_subsequent_mask(L, dtype=lib.bool)
        return _mha_case(
            lib,
            masks="kpm_bool" if kpm else "none",
            attn_mask=mask,
            is_causal=True,
            need_weights=need_weights,
        )

    same(body)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mha_dropout_train(need_weights, dtype):
    def body(lib):
        return _mha_case(
            lib,
            dtype=dtype,
            ctor=dict(dropout=0.3),
            train=True,
            masks="kpm_bool",
            need_weights=need_weights,
        )

    same(body, dtype=dtype)


def test_mha_dropout_eval_is_deterministic():
    same(lambda lib: _mha_case(lib, ctor=dict(dropout=0.5), train=False, masks="attn_bool"))


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("grad", [False, True])
def test_mha_fully_masked_rows(need_weights, grad):
    """A query with every key masked: NaN with need_weights (softmax of -inf), zeros
    through scaled_dot_product_attention, NaN again on torch's fused inference path
    (eval, batch_first, self-attention, no gradient)."""

    def body(lib):
        lib.manual_seed(0)
        m = lib.nn.MultiheadAttention(E, H, batch_first=True).eval()
        x = to_lib(lib, _data((N, L, E), 1))
        kpm = np.zeros((N, L), bool)
        kpm[1] = True
        if grad:
            x.requires_grad_(True)
            out, w = m(x, x, x, key_padding_mask=to_lib(lib, kpm), need_weights=need_weights)
            if not need_weights:  # the masked rows' gradients are zeros, not NaN
                return _loss_and_grads(lib, m, [out], [x])
        else:
            with lib.no_grad():
                out, w = m(x, x, x, key_padding_mask=to_lib(lib, kpm), need_weights=need_weights)
        return out.detach(), None if w is None else w.detach()

    same(body)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_float_mask_gradient(need_weights):
    def body(lib):
        lib.manual_seed(0)
        m = lib.nn.MultiheadAttention(E, H, batch_first=True)
        x = to_lib(lib, _data((N, L, E), 1), requires_grad=True)
        am = to_lib(lib, _data((L, L), 2), requires_grad=True)
        kpm = to_lib(lib, _data((N, L), 3), requires_grad=True)
        out, _ = m(x, x, x, attn_mask=am, key_padding_mask=kpm, need_weights=need_weights)
        return _loss_and_grads(lib, m, [out], [x, am, kpm])

    same(body)


def test_mha_double_backward():
    from oracle import gradgradcheck

    tl.manual_seed(0)
    m = tl.nn.MultiheadAttention(4, 2, dtype=tl.float64)
    mask = tl.tensor(_data((3, 3), 2, "float64"))

    def f(x):
        return m(x, x, x, attn_mask=mask)

    x = tl.tensor(_data((3, 1, 4), 1, "float64"), requires_grad=True)
    assert gradgradcheck(f, [x])


def test_mha_mask_type_mismatch_warns():
    def body(lib):
        lib.manual_seed(0)
        m = lib.nn.MultiheadAttention(E, H)
        x = to_lib(lib, _data((L, N, E), 1))
        kpm = to_lib(lib, np.zeros((N, L), bool))
        am = to_lib(lib, np.zeros((L, L), "float32"))
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            out, _ = m(x, x, x, key_padding_mask=kpm, attn_mask=am)
        return [str(r.message) for r in rec], out.detach()

    msgs, _ = same(body)
    assert msgs == [
        "Support for mismatched key_padding_mask and attn_mask is deprecated. "
        "Use same type for both instead."
    ]


MHA_ERRORS = {
    "zero_heads": lambda nn, x: nn.MultiheadAttention(E, 0),
    "not_divisible": lambda nn, x: nn.MultiheadAttention(E, 3),
    "query_1d": lambda nn, x: nn.MultiheadAttention(E, H)(x[0, 0], x[0, 0], x[0, 0]),
    "key_2d": lambda nn, x: nn.MultiheadAttention(E, H)(x, x[0], x[0]),
    "unbatched_key_3d": lambda nn, x: nn.MultiheadAttention(E, H)(x[0], x, x),
    "embed_mismatch": lambda nn, x: nn.MultiheadAttention(4, H)(x, x, x),
    "int_mask": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, attn_mask=x.new_zeros((L, L), dtype=x.new_zeros(1).long().dtype)
    ),
    "mask_2d_shape": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, attn_mask=x.new_zeros((L, L + 1))
    ),
    "mask_3d_shape": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, attn_mask=x.new_zeros((N, L, L))
    ),
    "mask_4d": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, attn_mask=x.new_zeros((1, N, L, L))
    ),
    "kpm_1d": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, key_padding_mask=x.new_zeros((L,))
    ),
    "kpm_shape": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, key_padding_mask=x.new_zeros((N, L + 1))
    ),
    "kpm_batch": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, key_padding_mask=x.new_zeros((N + 1, L))
    ),
    "unbatched_mask_3d": lambda nn, x: nn.MultiheadAttention(E, H)(
        x[:, 0], x[:, 0], x[:, 0], attn_mask=x.new_zeros((N, L, L))
    ),
    "mask_dtype": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, attn_mask=x.new_zeros((L, L)).double()
    ),
    "mask_dtype_sdpa": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, attn_mask=x.new_zeros((L, L)).half(), need_weights=False
    ),
    "kpm_dtype": lambda nn, x: nn.MultiheadAttention(E, H)(
        x, x, x, key_padding_mask=x.new_zeros((N, L)).double(), need_weights=False
    ),
    "query_dtype": lambda nn, x: nn.MultiheadAttention(E, H)(x.double(), x.double(), x.double()),
    "causal_without_mask": lambda nn, x: nn.MultiheadAttention(E, H)(x, x, x, is_causal=True),
    "kv_shape": lambda nn, x: nn.MultiheadAttention(E, H)(x, x, x[:, :2]),
    "kdim_key_mismatch": lambda nn, x: nn.MultiheadAttention(E, H, kdim=4)(x, x, x),
}


@pytest.mark.parametrize("name", list(MHA_ERRORS))
def test_mha_errors(name):
    def body(lib):
        lib.manual_seed(0)
        x = to_lib(lib, _data((L, N, E), 1))
        return MHA_ERRORS[name](lib.nn, x)

    r = oracle(body, grads=False)
    assert isinstance(r, BaseException), r


def test_functional_multi_head_attention_forward():
    from torchless._ops.mha import multi_head_attention_forward as tl_mhaf

    def body(lib):
        f = tl_mhaf if not is_torch(lib) else lib.nn.functional.multi_head_attention_forward
        rng = np.random.default_rng(5)
        x = to_lib(lib, _data((L, N, E), 1), requires_grad=True)
        sk = to_lib(lib, _data((N * H, S, E // H), 2), requires_grad=True)
        sv = to_lib(lib, _data((N * H, S, E // H), 3), requires_grad=True)
        w = to_lib(lib, rng.standard_normal((3 * E, E)).astype("float32"), requires_grad=True)
        b = to_lib(lib, rng.standard_normal(3 * E).astype("float32"), requires_grad=True)
        ow = to_lib(lib, rng.standard_normal((E, E)).astype("float32"), requires_grad=True)
        out, wts = f(
            x, x, x, E, H, w, b, None, None, False, 0.0, ow, None,
            static_k=sk, static_v=sv, average_attn_weights=False,
        )  # fmt: skip
        return out, wts

    r = oracle(body, **TOL["float32"])
    assert not isinstance(r, BaseException), r


# ----------------------------------------------------------------------------- layers

ACTS = {
    "relu": lambda lib: "relu",
    "gelu": lambda lib: "gelu",
    "F.gelu": lambda lib: lib.nn.functional.gelu,
    "module": lambda lib: lib.nn.GELU(approximate="tanh"),
    "callable": lambda lib: lib.tanh,
}


def _seq(lib, seq, dtype, batch_first, seed, n=N):
    shape = (n, seq, E) if batch_first else (seq, n, E)
    return to_lib(lib, _data(shape, seed, dtype), requires_grad=True)


def _enc_layer_case(
    lib, dtype="float32", act="relu", norm_first=False, batch_first=False, train=False,
    dropout=0.0, masks=(), is_causal=False, bias=True,
):  # fmt: skip
    lib.manual_seed(0)
    m = lib.nn.TransformerEncoderLayer(
        E, H, 16, dropout, ACTS[act](lib), 1e-5, batch_first, norm_first, bias,
        dtype=_dt(lib, dtype),
    )  # fmt: skip
    m.train(train)
    x = _seq(lib, L, dtype, batch_first, 1)
    kw = {}
    if "attn" in masks:
        kw["src_mask"] = _mask(lib, "bool2", L, L, N, H, dtype)
    if "attn3d" in masks:
        kw["src_mask"] = _mask(lib, "float3", L, L, N, H, dtype)
    if "causal" in masks:
        kw["src_mask"] = lib.nn.Transformer.generate_square_subsequent_mask(
            L, dtype=_dt(lib, dtype)
        )
        kw["is_causal"] = is_causal
    if "kpm" in masks:
        kw["src_key_padding_mask"] = _mask(lib, "kbool", L, L, N, H, dtype)
    if "kpmf" in masks:
        kw["src_key_padding_mask"] = _mask(lib, "kfloat", L, L, N, H, dtype)
    out = m(x, **kw)
    return _loss_and_grads(lib, m, [out], [x])


@pytest.mark.parametrize("act", list(ACTS))
@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_activation(act, norm_first):
    same(lambda lib: _enc_layer_case(lib, act=act, norm_first=norm_first, masks=("kpm",)))


@pytest.mark.parametrize(
    "case",
    [
        dict(masks=("attn",)),
        dict(masks=("attn3d", "kpmf"), batch_first=True),
        dict(masks=("causal",), is_causal=True),
        dict(masks=("causal", "kpmf"), is_causal=True, batch_first=True),
        dict(bias=False, norm_first=True),
        dict(train=True, dropout=0.2, masks=("kpm",)),
        dict(train=True, dropout=0.2, batch_first=True, norm_first=True, act="gelu"),
        dict(dtype="float64", masks=("attn", "kpm"), norm_first=True),
        dict(dtype="float64", train=True, dropout=0.3, batch_first=True),
    ],
    ids=str,
)
def test_encoder_layer_options(case):
    same(lambda lib: _enc_layer_case(lib, **case), dtype=case.get("dtype", "float32"))


@pytest.mark.parametrize("masks", ["bool", "float"])
@pytest.mark.parametrize("act", ["relu", "module"])
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("grad", [False, True])
def test_encoder_layer_eval_fast_path(norm_first, grad, act, masks):
    """Evaluation without gradients takes torch's fused kernel: same values, except NaN
    for a fully padded sequence, exact gelu for any nn.GELU, and float masks taken as
    bool ones (nonzero masks)."""

    def body(lib):
        lib.manual_seed(0)
        m = lib.nn.TransformerEncoderLayer(
            E, H, 16, activation=ACTS[act](lib), batch_first=True, norm_first=norm_first
        )
        m.eval()
        x = to_lib(lib, _data((N, L, E), 1))
        kpm = np.zeros((N, L), bool)
        kpm[0, 3:] = True
        kpm[2] = True
        am = np.random.default_rng(4).standard_normal((L, L)).astype("float32")
        am[np.abs(am) < 0.8] = 0.0
        am[:, 0] = 0.0
        if masks == "float":
            kpm = np.where(kpm, -2.5, 0.0).astype("float32")
            am = to_lib(lib, am)
        else:
            am = to_lib(lib, am != 0)
        ctx = contextlib.nullcontext() if grad else lib.no_grad()
        with ctx:
            return m(x, src_mask=am, src_key_padding_mask=to_lib(lib, kpm)).detach()

    same(body)


def _dec_layer_case(
    lib, dtype="float32", norm_first=False, batch_first=False, train=False, dropout=0.0,
    masks=(), act="relu", bias=True, tgt_is_causal=False,
):  # fmt: skip
    lib.manual_seed(0)
    m = lib.nn.TransformerDecoderLayer(
        E, H, 16, dropout, ACTS[act](lib), 1e-5, batch_first, norm_first, bias,
        dtype=_dt(lib, dtype),
    )  # fmt: skip
    m.train(train)
    tgt = _seq(lib, L, dtype, batch_first, 1)
    mem = _seq(lib, S, dtype, batch_first, 2)
    kw = {}
    if "tgt" in masks:
        kw["tgt_mask"] = lib.nn.Transformer.generate_square_subsequent_mask(L, dtype=tgt.dtype)
        kw["tgt_is_causal"] = tgt_is_causal
    if "mem" in masks:
        kw["memory_mask"] = _mask(lib, "bool2", L, S, N, H, dtype)
    if "mem3d" in masks:
        kw["memory_mask"] = _mask(lib, "float3", L, S, N, H, dtype)
    if "tkpm" in masks:
        kw["tgt_key_padding_mask"] = _mask(lib, "kfloat", L, L, N, H, dtype)
    if "mkpm" in masks:
        kw["memory_key_padding_mask"] = _mask(lib, "kbool", L, S, N, H, dtype)
    out = m(tgt, mem, **kw)
    return _loss_and_grads(lib, m, [out], [tgt, mem])


@pytest.mark.parametrize(
    "case",
    [
        dict(),
        dict(masks=("tgt", "mem", "mkpm")),
        dict(masks=("tgt", "mem3d", "tkpm"), batch_first=True, norm_first=True),
        dict(masks=("tgt",), tgt_is_causal=True, act="gelu"),
        dict(masks=("mkpm",), act="callable", bias=False),
        dict(train=True, dropout=0.25, masks=("tgt", "mkpm")),
        dict(dtype="float64", masks=("tgt", "mem", "tkpm"), norm_first=True),
    ],
    ids=str,
)
def test_decoder_layer(case):
    same(lambda lib: _dec_layer_case(lib, **case), dtype=case.get("dtype", "float32"))


# ----------------------------------------------------------------------------- stacks


@pytest.mark.parametrize(
    "case",
    [
        dict(),
        dict(batch_first=True, mask="causal"),
        dict(batch_first=True, mask="causal_explicit"),
        dict(kpm=True, norm=True),
        dict(kpm=True, norm=True, batch_first=True, train=True),
        dict(mask="bool", kpm=True, norm_first=True),
        dict(dtype="float64", kpm=True, norm=True, batch_first=True),
    ],
    ids=str,
)
def test_encoder_stack(case):
    dtype = case.get("dtype", "float32")
    bf = case.get("batch_first", False)

    def body(lib):
        lib.manual_seed(0)
        dt = _dt(lib, dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = lib.nn.TransformerEncoderLayer(
                E, H, 16, 0.1, batch_first=bf, norm_first=case.get("norm_first", False), dtype=dt
            )
            norm = lib.nn.LayerNorm(E, dtype=dt) if case.get("norm") else None
            m = lib.nn.TransformerEncoder(layer, 2, norm)
        m.train(case.get("train", False))
        x = _seq(lib, L, dtype, bf, 1)
        kw = {}
        if case.get("mask") == "causal":
            kw["mask"] = lib.nn.Transformer.generate_square_subsequent_mask(L, dtype=dt)
        elif case.get("mask") == "causal_explicit":
            kw["mask"] = lib.nn.Transformer.generate_square_subsequent_mask(L, dtype=dt)
            kw["is_causal"] = True
        elif case.get("mask") == "bool":
            kw["mask"] = _mask(lib, "bool2", L, L, N, H, dtype)
        if case.get("kpm"):
            kw["src_key_padding_mask"] = _mask(lib, "kbool", L, L, N, H, dtype)
        return _loss_and_grads(lib, m, [m(x, **kw)], [x])

    same(body, dtype=dtype)


@pytest.mark.parametrize("kind", ["bool", "float"])
@pytest.mark.parametrize("left_aligned", [True, False])
@pytest.mark.parametrize("mask_check", [True, False])
def test_encoder_nested_tensor_path(left_aligned, mask_check, kind):
    """In evaluation without gradients, batch_first with a padding mask: torch packs
    the first (number of unpadded) positions of each sequence as a nested tensor, and
    the other outputs come back as zeros."""

    def body(lib):
        lib.manual_seed(0)
        layer = lib.nn.TransformerEncoderLayer(E, H, 16, batch_first=True)
        m = lib.nn.TransformerEncoder(layer, 2, lib.nn.LayerNorm(E), mask_check=mask_check)
        m.eval()
        x = to_lib(lib, _data((N, L, E), 1))
        kpm = np.zeros((N, L), bool)
        kpm[0, 3:] = True
        kpm[1, 4:] = True
        if not left_aligned:
            kpm[2, 1] = True
        if kind == "float":
            kpm = np.where(kpm, -2.5, 0.0).astype("float32")
        with lib.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch: nested tensors are a prototype
            return m(x, src_key_padding_mask=to_lib(lib, kpm))

    same(body)


def test_decoder_stack():
    def body(lib):
        lib.manual_seed(0)
        layer = lib.nn.TransformerDecoderLayer(E, H, 16, 0.0, norm_first=True)
        m = lib.nn.TransformerDecoder(layer, 2, lib.nn.LayerNorm(E))
        tgt = _seq(lib, L, "float32", False, 1)
        mem = _seq(lib, S, "float32", False, 2)
        mask = lib.nn.Transformer.generate_square_subsequent_mask(L)
        kpm = _mask(lib, "kbool", L, S, N, H, "float32")
        out = m(tgt, mem, tgt_mask=mask, memory_key_padding_mask=kpm)
        return _loss_and_grads(lib, m, [out], [tgt, mem])

    same(body)


@pytest.mark.parametrize(
    "case",
    [
        dict(),
        dict(batch_first=True, norm_first=True, activation="gelu"),
        dict(train=True, masks=True),
        dict(dtype="float64", masks=True, batch_first=True),
    ],
    ids=str,
)
def test_transformer(case):
    dtype = case.get("dtype", "float32")
    bf = case.get("batch_first", False)

    def body(lib):
        lib.manual_seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = lib.nn.Transformer(
                E, H, 2, 2, 16, 0.1, case.get("activation", "relu"),
                batch_first=bf, norm_first=case.get("norm_first", False), dtype=_dt(lib, dtype),
            )  # fmt: skip
        m.train(case.get("train", False))
        src = _seq(lib, S, dtype, bf, 1)
        tgt = _seq(lib, L, dtype, bf, 2)
        kw = {}
        if case.get("masks"):
            kw["tgt_mask"] = m.generate_square_subsequent_mask(L, dtype=_dt(lib, dtype))
            kw["src_key_padding_mask"] = _mask(lib, "kbool", L, S, N, H, dtype)
            kw["memory_key_padding_mask"] = _mask(lib, "kbool", L, S, N, H, dtype)
            kw["memory_mask"] = _mask(lib, "bool2", L, S, N, H, dtype)
        return _loss_and_grads(lib, m, [m(src, tgt, **kw)], [src, tgt])

    same(body, dtype=dtype)


def test_transformer_unbatched():
    def body(lib):
        lib.manual_seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = lib.nn.Transformer(E, H, 1, 1, 16, 0.0)
        src = to_lib(lib, _data((S, E), 1), requires_grad=True)
        tgt = to_lib(lib, _data((L, E), 2), requires_grad=True)
        return _loss_and_grads(lib, m, [m(src, tgt)], [src, tgt])

    same(body)


# ----------------------------------------------------------------------------- misc


@pytest.mark.parametrize("dtype", [None, "float64", "bool"])
def test_generate_square_subsequent_mask(dtype):
    def body(lib):
        dt = None if dtype is None else _dt(lib, dtype)
        return lib.nn.Transformer.generate_square_subsequent_mask(4, dtype=dt, device="cpu")

    same(body, exact=True)


def test_reprs_and_state_dict_keys():
    def body(lib):
        lib.manual_seed(0)
        nn = lib.nn
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            models = [
                nn.MultiheadAttention(E, H, add_bias_kv=True, kdim=4, vdim=6),
                nn.TransformerEncoderLayer(E, H, 16, activation=nn.GELU()),
                nn.TransformerDecoderLayer(E, H, 16, bias=False),
                nn.Transformer(E, H, 1, 1, 16),
            ]
        return [(repr(m), list(m.state_dict())) for m in models]

    same(body)


def test_load_state_dict_from_torch():
    torch = pytest.importorskip("torch")
    torch.manual_seed(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = torch.nn.Transformer(E, H, 1, 1, 16, 0.0)
        lm = tl.nn.Transformer(E, H, 1, 1, 16, 0.0)
    lm.load_state_dict({k: tl.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    src, tgt = _data((S, N, E), 1), _data((L, N, E), 2)
    a = tm(torch.tensor(src), torch.tensor(tgt)).detach().numpy()
    b = lm(tl.tensor(src), tl.tensor(tgt)).detach().numpy()
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_nested_tensor_warning():
    def body(lib):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(E, H, 16), 1)
            lib.nn.TransformerEncoder(
                lib.nn.TransformerEncoderLayer(E, H, 16, batch_first=True, activation=lib.tanh), 1
            )
            lib.nn.TransformerEncoder(
                lib.nn.TransformerEncoderLayer(E, H, 16, batch_first=True, norm_first=True), 1
            )
            lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(E, H, 16), 1, None, False)
            lib.nn.TransformerEncoder(
                lib.nn.TransformerEncoderLayer(E, H, 16, batch_first=True), 1
            )
        return [(r.category.__name__, str(r.message)) for r in rec]

    assert len(same(body)) == 3


LAYER_ERRORS = {
    "activation": lambda nn, lib: nn.TransformerEncoderLayer(E, H, activation="tanh"),
    "dec_activation": lambda nn, lib: nn.TransformerDecoderLayer(E, H, activation="silu"),
    "batch_mismatch": lambda nn, lib: nn.Transformer(E, H, 1, 1, 16)(
        lib.zeros(S, N, E), lib.zeros(L, N + 1, E)
    ),
    "batch_mismatch_bf": lambda nn, lib: nn.Transformer(E, H, 1, 1, 16, batch_first=True)(
        lib.zeros(N, S, E), lib.zeros(N + 1, L, E)
    ),
    "feature_mismatch": lambda nn, lib: nn.Transformer(E, H, 1, 1, 16)(
        lib.zeros(S, N, E), lib.zeros(L, N, E + 1)
    ),
    "mask_dtype": lambda nn, lib: nn.TransformerEncoderLayer(E, H, 16)(
        lib.zeros(S, N, E), src_mask=lib.zeros(S, S, dtype=lib.int64)
    ),
}


@pytest.mark.parametrize("name", list(LAYER_ERRORS))
def test_layer_errors(name):
    def body(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return LAYER_ERRORS[name](lib.nn, lib)

    r = oracle(body, grads=False)
    assert isinstance(r, BaseException), r


# ----------------------------------------------------------------------------- example


def test_example_trains():
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).parent.parent / "examples" / "train_transformer_classifier.py"
    spec = importlib.util.spec_from_file_location("train_transformer_classifier", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    try:  # one BLAS thread: small matrices on a shared machine train faster so
        from threadpoolctl import threadpool_limits

        limits = threadpool_limits(limits=1)
    except ImportError:  # pragma: no cover
        limits = contextlib.nullcontext()
    with limits:
        acc = mod.main(epochs=3, seed=0, verbose=False)
    assert acc > 0.8, acc
