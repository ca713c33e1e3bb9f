"""Tensor factories against torch: ``tensor`` dtype inference, zeros/ones/full/empty,
arange/linspace/eye, the ``*_like`` and ``new_*`` forms, from_numpy/as_tensor memory
sharing, and their errors."""

from __future__ import annotations

import numpy as np
import pytest
from oracle import oracle, to_lib

import torchless as tl

NP_DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]

DATA = {
    "float": 1.5,
    "int": 3,
    "bool": True,
    "neg_zero": -0.0,
    "big_int": 2**40,
    "list_float": [1.0, 2.5],
    "list_int": [1, 2, 3],
    "list_bool": [True, False],
    "list_mixed_int_float": [1, 2.5],
    "list_mixed_bool_int": [True, 2],
    "list_mixed_bool_float": [False, 0.5],
    "nested": [[1, 2], [3, 4]],
    "nested_float": [[1.0], [2.0]],
    "empty": [],
    "empty_nested": [[], []],
    "tuple": (1.0, 2.0),
    "list_of_tuples": [(1, 2), (3, 4)],
    "deep": [[[1.5]]],
    "inf_nan": [float("inf"), float("nan"), -1.0],
}


@pytest.mark.parametrize("key", list(DATA))
def test_tensor_inference(key):
    data = DATA[key]
    oracle(lambda lib: lib.tensor(data))


@pytest.mark.parametrize("key", list(DATA))
@pytest.mark.parametrize("dtype", ["float64", "int32", "bool", "float16"])
def test_tensor_with_dtype(key, dtype):
    data = DATA[key]
    if key == "inf_nan" and dtype in ("int32",):
        pytest.skip("casting nan to an integer is undefined behaviour")
    oracle(lambda lib: lib.tensor(data, dtype=getattr(lib, dtype)))


@pytest.mark.parametrize("dtype", NP_DTYPES)
def test_tensor_from_numpy_arrays_and_scalars(dtype):
    a = np.arange(6).reshape(2, 3).astype(dtype)

    def body(lib):
        t = lib.tensor(a)
        a2 = a.copy()
        t2 = lib.tensor(a2)
        a2[...] = 0  # a copy: not shared
        return t, t2, lib.tensor(a[0, 1]), lib.tensor(a.T), lib.tensor(a[:, ::2])

    oracle(body)


def test_tensor_numpy_scalar_types():
    def body(lib):
        return [
            lib.tensor(np.float64(1.5)),
            lib.tensor(np.float32(1.5)),
            lib.tensor(np.int32(3)),
            lib.tensor(np.bool_(True)),
            lib.tensor([np.float64(1.0), 2.0]),
            lib.tensor([np.int64(1), np.int64(2)]),
            lib.tensor([np.float32(1.0), np.float32(2.0)]),
        ]

    oracle(body)


def test_tensor_of_tensors():
    def body(lib):
        one = lib.tensor([1.0], dtype=lib.float64)
        return (
            lib.tensor([lib.tensor(1), lib.tensor(2)]),
            lib.tensor([one, 2]),
            lib.tensor([[one]]),
        )

    oracle(body)
    oracle(lambda lib: lib.tensor([lib.ones(2), lib.ones(2)]))


def test_tensor_mixed_leaf_dtypes():
    def body(lib):
        return [
            lib.tensor([np.float16(1), 2]),
            lib.tensor([np.float32(1), 2.0]),
            lib.tensor([np.int32(1), np.int32(2)]),
            lib.tensor([np.int32(1), 2]),
            lib.tensor([lib.tensor(1), 2.5]),
            lib.tensor([[1, 2], [3, 4.5]]),
            lib.tensor([[True], [np.uint8(3)]]),
        ]

    oracle(body)
    oracle(lambda lib: lib.tensor([np.array([1, 2], np.int16)]))  # torch warns (an error here)


def test_tensor_requires_grad_and_errors():
    oracle(lambda lib: lib.tensor([1.0, 2.0], requires_grad=True))
    oracle(lambda lib: lib.tensor([1, 2], requires_grad=True))
    oracle(lambda lib: lib.tensor([[1, 2], [3]]))
    oracle(lambda lib: lib.tensor([[1, 2], 3]))
    oracle(lambda lib: lib.tensor([[[1, 2]], [[3, 4, 5]]]))
    oracle(lambda lib: lib.tensor("abc"))
    oracle(lambda lib: lib.tensor(["a"]))
    oracle(lambda lib: lib.tensor(None))
    oracle(lambda lib: lib.tensor([1, None]))
    oracle(lambda lib: lib.tensor([3.0, [1, 2]]))
    oracle(lambda lib: lib.tensor([True, [1, 2]]))
    oracle(lambda lib: lib.tensor([[1, 2], [3, "a"]]))
    oracle(lambda lib: lib.tensor([[1], [2, 3]]))
    oracle(lambda lib: lib.tensor(2**40, dtype=lib.int32))
    oracle(lambda lib: lib.tensor(lib.ones(2)))  # copy-construct warning (an error here)


def test_default_dtype_affects_inference():
    def body(lib):
        old = lib.get_default_dtype()
        lib.set_default_dtype(lib.float64)
        try:
            return lib.tensor(1.5), lib.tensor([1, 2.0]), lib.zeros(2), lib.arange(0.0, 1.0, 0.5)
        finally:
            lib.set_default_dtype(old)

    oracle(body)


# --------------------------------------------------------------------------- filled

SIZES = [(), (0,), (3,), (2, 3), (2, 0, 4)]


@pytest.mark.parametrize("size", SIZES, ids=str)
@pytest.mark.parametrize("op", ["zeros", "ones", "empty"])
def test_zeros_ones_empty(op, size):
    def body(lib):
        f = getattr(lib, op)
        a = f(size)
        b = f(*size)
        c = f(size, dtype=lib.int32)
        d = f(size, dtype=lib.float64, requires_grad=True)
        if op == "empty":  # values are unspecified: compare metadata only
            return [
                (tuple(t.shape), t.dtype, t.requires_grad, t.is_contiguous()) for t in (a, b, c, d)
            ]
        return a, b, c, d

    oracle(body)


def test_factories_errors():
    oracle(lambda lib: lib.zeros(-1))
    oracle(lambda lib: lib.ones(2, -3))
    oracle(lambda lib: lib.zeros(2.5))
    oracle(lambda lib: lib.ones(2, 2.5))
    oracle(lambda lib: lib.full((2, 2.5), 1))
    oracle(lambda lib: lib.empty())
    oracle(lambda lib: lib.zeros(2, dtype=lib.int64, requires_grad=True))
    oracle(lambda lib: lib.full((2,), 1, requires_grad=True))


@pytest.mark.parametrize("fill", [1.5, 2, True, -0.0, float("inf"), 2**40], ids=repr)
def test_full(fill):
    def body(lib):
        return (
            lib.full((2, 3), fill),
            lib.full([2], fill, dtype=lib.float64),
            lib.full((), fill),
            lib.full((2,), lib.tensor(fill)),
        )

    oracle(body)


# --------------------------------------------------------------------------- like / new

LIKE_SRC = {"float32": np.ones((2, 3), np.float32), "int16": np.ones((3,), np.int16)}


@pytest.mark.parametrize("src", list(LIKE_SRC))
@pytest.mark.parametrize("op", ["zeros_like", "ones_like", "empty_like", "full_like"])
def test_like(op, src):
    a = LIKE_SRC[src]

    def body(lib):
        x = to_lib(lib, a)
        f = getattr(lib, op)
        args = (x, 7) if op == "full_like" else (x,)
        outs = [f(*args), f(*args, dtype=lib.float64), f(*args, dtype=lib.bool)]
        if op == "empty_like":
            return [(tuple(t.shape), t.dtype) for t in outs]
        return outs

    oracle(body)


def test_like_requires_grad():
    oracle(lambda lib: lib.zeros_like(lib.ones(2), requires_grad=True))
    oracle(lambda lib: lib.ones_like(lib.ones(2, requires_grad=True)))
    oracle(lambda lib: lib.full_like(lib.ones(2, dtype=lib.int64), 2.7))


@pytest.mark.parametrize("src", list(LIKE_SRC))
def test_new_factories(src):
    a = LIKE_SRC[src]

    def body(lib):
        x = to_lib(lib, a)
        return [
            x.new_zeros(2, 2),
            x.new_zeros((3,)),
            x.new_ones((2,), dtype=lib.float64),
            (lambda t: (tuple(t.shape), t.dtype))(x.new_empty(4)),
            x.new_full((2,), 5),
            x.new_full((2,), 2.5),
            x.new_tensor([1, 2]),
            x.new_tensor([1.5, 2.5]),
            x.new_zeros(2, requires_grad=True) if src == "float32" else x.new_zeros(2),
        ]

    oracle(body)


# --------------------------------------------------------------------------- ranges

ARANGE = [
    (5,),
    (2, 5),
    (0, 10, 3),
    (10, 0, -2),
    (0.0, 1.0, 0.1),
    (0, 1, 0.3),
    (-1.5, 1.5, 0.25),
    (1, 1),
    (0.5,),
    (0, 5, 1.5),
    (1e-3, 2e-3, 1e-4),
    (-3, 3, 0.7),
]


@pytest.mark.parametrize("args", ARANGE, ids=str)
def test_arange(args):
    oracle(lambda lib: lib.arange(*args), exact=True)
    oracle(lambda lib: lib.arange(*args, dtype=lib.float64), exact=True)
    oracle(lambda lib: lib.arange(*args, dtype=lib.int32), exact=True)


def test_arange_tensors_and_errors():
    oracle(lambda lib: lib.arange(lib.tensor(3)), exact=True)
    oracle(lambda lib: lib.arange(lib.tensor(0.5), 3), exact=True)
    oracle(lambda lib: lib.arange(0, 5, 0))
    oracle(lambda lib: lib.arange(5, 0, 1))
    oracle(lambda lib: lib.arange(0, 5, -1))
    oracle(lambda lib: lib.arange(0, float("inf")))
    oracle(lambda lib: lib.arange(5, requires_grad=True))
    oracle(lambda lib: lib.arange(5.0, requires_grad=True))


LINSPACE = [
    (0, 1, 5),
    (-1.0, 1.0, 11),
    (0, 10, 1),
    (0, 10, 0),
    (3, -3, 7),
    (0.1, 0.7, 6),
    (0, 1, 100),
    (1e-3, 1e3, 13),
    (5, 5, 3),
]


@pytest.mark.parametrize("args", LINSPACE, ids=str)
def test_linspace(args):
    oracle(lambda lib: lib.linspace(*args), exact=True)
    oracle(lambda lib: lib.linspace(*args, dtype=lib.float64), exact=True)
    oracle(lambda lib: lib.linspace(*args, dtype=lib.int64), exact=True)


def test_linspace_errors():
    oracle(lambda lib: lib.linspace(0, 1, -1))
    oracle(lambda lib: lib.linspace(-1.0, 2, 3, dtype=lib.uint8))
    oracle(lambda lib: lib.linspace(-1, 2, 3, dtype=lib.uint8))
    oracle(lambda lib: lib.linspace(0, 1000, 3, dtype=lib.int8))


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2), (0,), (1, 0)], ids=str)
def test_eye(args):
    oracle(lambda lib: lib.eye(*args))
    oracle(lambda lib: lib.eye(*args, dtype=lib.int64))
    oracle(lambda lib: lib.eye(*args, dtype=lib.bool))


def test_eye_errors():
    oracle(lambda lib: lib.eye(-1))
    oracle(lambda lib: lib.eye(2, -1))


# --------------------------------------------------------------------------- memory sharing


@pytest.mark.parametrize("dtype", NP_DTYPES)
def test_from_numpy_shares_memory(dtype):
    def body(lib):
        a = np.arange(6).reshape(2, 3).astype(dtype)
        t = lib.from_numpy(a)
        a[0, 0] = 5
        t[1, 1] = 1
        return t, a.tolist(), t.dtype, t.is_contiguous()

    oracle(body)


def test_from_numpy_views_and_errors():
    def body(lib):
        a = np.arange(12.0).reshape(3, 4)
        t = lib.from_numpy(a.T)
        s = lib.from_numpy(a[:, 1:3])
        a[0, 1] = -1.0
        return t, s, t.stride(), s.stride()

    oracle(body)
    oracle(lambda lib: lib.from_numpy([1, 2]))
    oracle(lambda lib: lib.from_numpy(np.array([True])))


def test_from_numpy_unsupported_dtype_message():
    oracle(lambda lib: lib.from_numpy(np.array(["a"])))
    oracle(lambda lib: lib.from_numpy(np.array([object()])))


def test_as_tensor_sharing():
    def body(lib):
        a = np.arange(4.0)
        t = lib.as_tensor(a)  # shares
        c = lib.as_tensor(a, dtype=lib.float32)  # converts: a copy
        a[0] = 9.0
        x = lib.ones(3)
        y = lib.as_tensor(x)
        z = lib.as_tensor(x, dtype=lib.float64)
        return t, c, y is x, z, lib.as_tensor([1, 2]), lib.as_tensor(3.5)

    oracle(body)


def test_numpy_round_trip_shares_memory():
    def body(lib):
        t = lib.zeros(3)
        a = t.numpy()
        a[1] = 4.0
        return t, np.shares_memory(a, t.numpy())

    oracle(body)


def test_torchless_tensor_is_not_numpy_subclass():
    t = tl.tensor([1.0])
    assert not isinstance(t, np.ndarray)
    assert isinstance(np.asarray(t), np.ndarray)


def test_scalar_tensor_and_asarray():
    def body(lib):
        a = np.arange(3.0)
        t = lib.asarray(a)
        c = lib.asarray(a, copy=True)
        a[0] = 7.0
        return [
            lib.scalar_tensor(2),
            lib.scalar_tensor(1.5, dtype=lib.float64),
            lib.scalar_tensor(True),
            t,
            c,
            lib.asarray([1, 2], dtype=lib.float32),
            lib.asarray(a, requires_grad=True),
        ]

    oracle(body)
