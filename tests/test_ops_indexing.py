"""Indexing against torch: ``x[idx]`` (basic views and advanced copies), ``x[idx] = v``,
nonzero; values, views, gradients, grad_fn names, errors; float64 gradchecks."""

from __future__ import annotations

import numpy as np
import pytest
from oracle import gradcheck, gradgradcheck, make, next_fns, oracle, rand_array, to_lib

import torchless as tl

A = rand_array((4, 3, 5), "float64", seed=1)

BASIC = {
    "int": lambda lib: 1,
    "neg_int": lambda lib: -1,
    "slice": lambda lib: slice(1, 3),
    "slice_step": lambda lib: slice(None, None, 2),
    "slice_neg": lambda lib: slice(-3, -1),
    "slice_empty": lambda lib: slice(3, 1),
    "slice_past_end": lambda lib: slice(2, 100),
    "full": lambda lib: slice(None),
    "ellipsis": lambda lib: Ellipsis,
    "none": lambda lib: None,
    "tuple_int_int": lambda lib: (1, 2),
    "tuple_all_ints": lambda lib: (1, 2, 3),
    "tuple_slice_int": lambda lib: (slice(None), 0),
    "tuple_ellipsis_int": lambda lib: (Ellipsis, 1),
    "tuple_none_mid": lambda lib: (0, None, slice(1, 3)),
    "tuple_ellipsis_none": lambda lib: (Ellipsis, None),
    "tuple_mixed": lambda lib: (slice(1, None, 2), None, -1, slice(None, 4)),
    "empty_tuple": lambda lib: (),
    "none_ellipsis_none": lambda lib: (None, Ellipsis, None),
    "ellipsis_none_int": lambda lib: (Ellipsis, None, 1),
    "two_ellipses": lambda lib: (Ellipsis, Ellipsis),
    "full_slices_by_value": lambda lib: (slice(0, 4), slice(0, 100, 1), 2),
}

ADVANCED = {
    "long_tensor": lambda lib: lib.tensor([0, 2, 2, -1]),
    "list": lambda lib: [3, 0],
    "nested_list": lambda lib: [[0, 1], [2, 3]],
    "bool_mask": lambda lib: lib.tensor([True, False, True, False]),
    "bool_mask_2d": lambda lib: to_lib(lib, rand_array((4, 3), "bool", 2)),
    "bool_mask_3d": lambda lib: to_lib(lib, A > 0),
    "int_and_tensor": lambda lib: (1, lib.tensor([0, 2])),
    "two_tensors": lambda lib: (lib.tensor([0, 3]), lib.tensor([1, 2])),
    "broadcast_tensors": lambda lib: (lib.tensor([[0], [3]]), lib.tensor([1, 2, 0])),
    "slice_and_tensor": lambda lib: (slice(None), lib.tensor([2, 0])),
    "tensor_slice_tensor": lambda lib: (lib.tensor([0, 1]), slice(None), lib.tensor([4, 0])),
    "ellipsis_tensor": lambda lib: (Ellipsis, lib.tensor([1, 1])),
    "int32_tensor": lambda lib: lib.tensor([1, 0], dtype=lib.int32),
    "uint8_mask": lambda lib: lib.tensor([1, 0, 1, 1], dtype=lib.uint8),
    "zero_d_tensor": lambda lib: lib.tensor(2),
    "empty_long": lambda lib: lib.tensor([], dtype=lib.int64),
    "empty_list": lambda lib: [],
    "list_of_bools": lambda lib: [True, False, True, True],
    "int_slice_tensor": lambda lib: (1, slice(None), lib.tensor([0, 2])),
    "tensor_slice_int": lambda lib: (lib.tensor([0, 2]), slice(None), 1),
    "zero_d_bool": lambda lib: lib.tensor(True),
    "mask_after_int": lambda lib: (0, to_lib(lib, A[0] > 0)),
    "true": lambda lib: True,
    "false": lambda lib: False,
}


@pytest.mark.parametrize("layout", ["contig", "T", "step"])
@pytest.mark.parametrize("key", list(BASIC))
def test_getitem_basic(key, layout):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x[BASIC[key](lib)]
        return y, y._base is not None, next_fns(y)

    oracle(body)


@pytest.mark.parametrize("layout", ["contig", "T"])
@pytest.mark.parametrize("key", list(ADVANCED))
def test_getitem_advanced(key, layout):
    def body(lib):
        x = make(lib, A, layout, requires_grad=True)
        y = x[ADVANCED[key](lib)]
        return y, y._base is not None, next_fns(y)

    oracle(body)


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "uint8"])
def test_getitem_dtypes(dtype):
    a = rand_array((3, 4), dtype, seed=3)

    def body(lib):
        x = to_lib(lib, a)
        return x[1], x[:, 2], x[x > 0] if dtype != "bool" else x[x], x[[0, 2]], x[1, 2]

    oracle(body)


def test_getitem_zero_d():
    s = np.array(2.5)

    def body(lib):
        x = to_lib(lib, s, True)
        return x[...], x[None], x[()], x[None, ...], x[True], x[False]

    oracle(body)
    oracle(lambda lib: to_lib(lib, s)[0])
    oracle(lambda lib: to_lib(lib, s)[:])


def test_basic_index_is_a_view():
    def body(lib):
        x = to_lib(lib, A)
        v = x[1:3, ::2]
        w = x[lib.tensor([0, 1])]
        v.fill_(7.0)
        return x, v, w, x._version, v._version, w._version

    oracle(body)


def test_getitem_errors():
    oracle(lambda lib: to_lib(lib, A)[4])
    oracle(lambda lib: to_lib(lib, A)[-5])
    oracle(lambda lib: to_lib(lib, A)[0, 3])
    oracle(lambda lib: to_lib(lib, A)[0, 0, 0, 0])
    oracle(lambda lib: to_lib(lib, A)[lib.tensor([0, 4])])
    oracle(lambda lib: to_lib(lib, A)[lib.tensor([-5])])
    oracle(lambda lib: to_lib(lib, A)[1, :, lib.tensor([5])])
    oracle(lambda lib: to_lib(lib, A)[lib.tensor([0]), :, lib.tensor([9])])
    oracle(lambda lib: to_lib(lib, A)[lib.tensor([0.0])])
    oracle(lambda lib: to_lib(lib, A)[::-1])
    oracle(lambda lib: to_lib(lib, A)[::0])
    oracle(lambda lib: to_lib(lib, A)[lib.tensor([True, False])])
    oracle(lambda lib: to_lib(lib, A)["a"])
    oracle(lambda lib: to_lib(lib, A)[0, to_lib(lib, np.ones((3, 4), bool))])
    oracle(lambda lib: to_lib(lib, A)[:, lib.tensor([0, 1]), lib.tensor([0, 1, 2])])
    oracle(lambda lib: to_lib(lib, np.array(1.0))[0:1])
    oracle(lambda lib: to_lib(lib, np.array(1.0))[(0,)])
    oracle(lambda lib: to_lib(lib, np.array(1.0))[lib.tensor([0])])


def test_getitem_repeated_indices_accumulate_grad():
    def body(lib):
        x = to_lib(lib, A, True)
        idx = lib.tensor([0, 0, 3, 0])
        return x[idx], x[:, [1, 1]], x[idx, 1, idx]

    oracle(body)


# --------------------------------------------------------------------------- setitem

SET_KEYS = {
    "int": lambda lib: 1,
    "slice": lambda lib: slice(1, 3),
    "step": lambda lib: (slice(None), slice(None, None, 2)),
    "ellipsis_int": lambda lib: (Ellipsis, 0),
    "long_tensor": lambda lib: lib.tensor([0, 2]),
    "mask": lambda lib: to_lib(lib, A > 0.5),
    "two_tensors": lambda lib: (lib.tensor([0, 3]), lib.tensor([1, 2])),
    "repeated": lambda lib: lib.tensor([1, 1]),
}


@pytest.mark.parametrize("value", ["scalar", "int", "tensor", "row"])
@pytest.mark.parametrize("key", list(SET_KEYS))
def test_setitem(key, value):
    def body(lib):
        x = to_lib(lib, A)
        k = SET_KEYS[key](lib)
        shape = tuple(x[k].shape)
        if value == "scalar":
            v = -2.5
        elif value == "int":
            v = 7
        elif value == "tensor":
            v = to_lib(lib, rand_array(shape, "float64", 4))
        else:
            v = to_lib(lib, rand_array(shape[-1:], "float32", 5))
        if key == "repeated" and value in ("tensor",):
            v = to_lib(lib, np.ones(shape))  # which write wins is unspecified otherwise
        x[k] = v
        return x, x._version

    oracle(body)


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8", "bool"])
def test_setitem_casts(dtype):
    a = rand_array((3, 4), dtype, seed=6)

    def body(lib):
        x = to_lib(lib, a)
        x[0] = 2.7
        x[1, 1] = True
        x[2, :2] = to_lib(lib, np.array([1.9, -0.5]))
        x[:, 3] = 300 if dtype != "bool" else 0
        return x

    oracle(body)


@pytest.mark.parametrize("key", list(SET_KEYS))
def test_setitem_autograd(key):
    def body(lib):
        x = to_lib(lib, A, True)
        h = x * 1.0
        k = SET_KEYS[key](lib)
        v = to_lib(lib, rand_array(tuple(h[k].shape)[-1:], "float64", 7), True)
        if key == "repeated":
            v = to_lib(lib, np.full(tuple(h[k].shape)[-1:], 3.0), True)
        h[k] = v
        return h, next_fns(h), h.grad_fn.__class__.__name__

    oracle(body)


def test_setitem_scalar_autograd():
    def body(lib):
        x = to_lib(lib, A, True)
        h = x.exp()
        h[0, 1] = 0.0
        h[lib.tensor([2, 3])] = 1.0
        return h, next_fns(h)

    oracle(body)


def test_setitem_errors():
    oracle(lambda lib: to_lib(lib, A, True).__setitem__(0, 1.0))
    oracle(lambda lib: to_lib(lib, A).__setitem__(5, 1.0))
    oracle(lambda lib: to_lib(lib, A).__setitem__(0, lib.ones(4)))
    oracle(lambda lib: to_lib(lib, A).__setitem__(lib.tensor([0, 1]), lib.ones(4)))
    oracle(
        lambda lib: to_lib(lib, A).__setitem__(
            (slice(None), lib.tensor([0, 1])), lib.ones(4, 2, 5, dtype=lib.float32)
        )
    )
    oracle(lambda lib: lib.zeros(3, dtype=lib.uint8).__setitem__(0, 256))
    oracle(lambda lib: lib.zeros(3, dtype=lib.int32).__setitem__(0, 2**40))
    oracle(lambda lib: lib.zeros(3, dtype=lib.int8).__setitem__(0, 1e10))

    def wraps(lib):
        x = lib.zeros(3, dtype=lib.uint8)
        x[0] = -1
        x[1] = 2.9
        x[2] = -200
        return x

    oracle(wraps)


def test_setitem_saved_tensor_modified():
    def body(lib):
        x = to_lib(lib, A, True)
        h = x * 1.0
        y = h.sin()
        h[0] = 0.0
        y.sum().backward()

    oracle(body)


# --------------------------------------------------------------------------- nonzero / where


@pytest.mark.parametrize("shape", [(), (0,), (5,), (3, 4), (2, 3, 2)], ids=str)
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_nonzero(dtype, shape):
    a = rand_array(shape, dtype, seed=8, low=-1, high=2)

    def body(lib):
        x = make(lib, a, "T")
        return lib.nonzero(x), lib.nonzero(x, as_tuple=True), lib.where(x != 0)

    oracle(body)


def test_repr_of_copyslices():
    def body(lib):
        h = to_lib(lib, A, True) * 1.0
        h[0] = 1.0
        return repr(h[1:2, 0]), repr(h)

    oracle(body)


def test_nonzero_method():
    oracle(lambda lib: to_lib(lib, np.array([0, 1, 2])).nonzero())


# --------------------------------------------------------------------------- gradcheck

INDEX_GC = {
    "int": lambda x: x[1],
    "slice": lambda x: x[1:3, ::2],
    "none": lambda x: x[:, None, 0],
    "neg_step": lambda x: x[..., -2],
    "long": lambda x: x[tl.tensor([0, 2, 2])],
    "mask": lambda x: x[x > 0.3],
    "two_tensors": lambda x: x[tl.tensor([0, 3, 0]), :, tl.tensor([1, 2, 1])],
    "setitem_value": lambda x: _set(x * 1.0, (1, slice(None)), x[0, 0, :].sin()),
    "setitem_adv": lambda x: _set(x.sin(), tl.tensor([0, 2]), x[1] * 2),
}


def _set(h, k, v):
    h[k] = v
    return h


@pytest.mark.parametrize("op", list(INDEX_GC))
def test_gradcheck_indexing(op):
    x = tl.tensor(A, dtype=tl.float64, requires_grad=True)
    f = INDEX_GC[op]
    gradcheck(f, [x])
    gradgradcheck(lambda t: f(t * t), [x])
