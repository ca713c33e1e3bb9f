"""Interop: NumPy memory sharing, DLPack with NumPy and torch, safetensors files."""

from __future__ import annotations

import numpy as np
import pytest

import torchless as tl
from torchless.utils import dlpack


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


@pytest.fixture
def st():
    return pytest.importorskip("safetensors")


# ----------------------------------------------------------------------------------------
# NumPy


def test_numpy_and_from_numpy_share_memory():
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    t = tl.from_numpy(a)
    a[0, 0] = 10.0
    assert t[0, 0].item() == 10.0
    t[1, 2] = -1.0
    assert a[1, 2] == -1.0
    n = t.numpy()
    assert np.shares_memory(n, a)
    assert np.shares_memory(np.asarray(t), a)
    with pytest.raises(RuntimeError, match="requires grad"):
        tl.ones(2, requires_grad=True).numpy()


def test_np_array_copies():
    t = tl.zeros(3)
    np.array(t)[0] = 1.0  # np.array copies, as for torch
    assert t[0].item() == 0.0


@pytest.mark.parametrize(
    "value",
    [
        np.float32(1.5),
        np.float64(1.5),
        np.float16(1.5),
        np.int32(3),
        np.int16(3),
        np.uint8(3),
        np.int8(-3),
        np.int64(3),
        np.bool_(True),
        np.array(2.5),
        np.array(7, dtype=np.int32),
    ],
)
def test_tensor_of_numpy_scalars_has_torch_dtype(value, torch):
    assert str(tl.tensor(value).dtype) == str(torch.tensor(value).dtype)
    if isinstance(value, np.generic):  # (torch warns for lists of 0-d arrays)
        assert str(tl.tensor([value, value]).dtype) == str(torch.tensor([value, value]).dtype)


def test_numpy_functions_accept_tensors():
    t = tl.arange(4.0)
    assert np.concatenate([t, t]).tolist() == [0.0, 1.0, 2.0, 3.0] * 2
    assert float(np.dot(t, t)) == 14.0
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    # __array_priority__: mixed operators give tensors, as torch's
    for r in (np.float32(2) * t, np.ones(4) == t, t + np.ones(4)):
        assert isinstance(r, tl.Tensor)
    assert (t + np.ones(4)).dtype == tl.float64


# ----------------------------------------------------------------------------------------
# DLPack


def test_dlpack_with_numpy_is_zero_copy():
    a = np.arange(5.0)
    t = tl.from_dlpack(a)
    a[0] = 42.0
    assert t[0].item() == 42.0 and t.dtype == tl.float64
    x = tl.ones(3, dtype=tl.int32)
    n = np.from_dlpack(x)
    n[1] = 7
    assert x.tolist() == [1, 7, 1]
    assert x.__dlpack_device__() == (1, 0)
    y = dlpack.from_dlpack(dlpack.to_dlpack(x))  # through a bare capsule
    y[2] = 9
    assert x.tolist() == [1, 7, 9]
    assert tl.utils.dlpack.from_dlpack is dlpack.from_dlpack


def test_dlpack_with_torch_is_zero_copy(torch):
    tt = torch.arange(6.0).reshape(2, 3)
    t = tl.from_dlpack(tt)
    tt[0, 1] = -5.0
    assert t[0, 1].item() == -5.0 and t.shape == (2, 3)
    t2 = dlpack.from_dlpack(torch.utils.dlpack.to_dlpack(tt.t()))
    assert t2.stride() == (1, 3) and t2[1, 0].item() == -5.0
    x = tl.arange(4.0)
    back = torch.from_dlpack(x)
    back[0] = 3.0
    assert x[0].item() == 3.0
    cap = torch.utils.dlpack.from_dlpack(dlpack.to_dlpack(x))
    cap[1] = 8.0
    assert x[1].item() == 8.0


def test_dlpack_errors(torch):
    with pytest.raises(BufferError, match="require gradient"):
        tl.ones(2, requires_grad=True).__dlpack__()
    with pytest.raises(BufferError, match="require gradient"):
        dlpack.to_dlpack(tl.ones(2, requires_grad=True))
    cap = dlpack.to_dlpack(tl.ones(2))
    dlpack.from_dlpack(cap)
    with pytest.raises(BufferError, match="consumed only once"):
        dlpack.from_dlpack(cap)
    with pytest.raises((TypeError, BufferError, RuntimeError)):
        tl.from_dlpack(torch.ones(2, dtype=torch.complex64))


# ----------------------------------------------------------------------------------------
# safetensors


def test_safetensors_interchange_with_safetensors_torch(tmp_path, torch, st):
    from safetensors.torch import load_file as t_load
    from safetensors.torch import save_file as t_save

    from torchless import safetensors as S

    ours = {
        "w": tl.randn(3, 4),
        "i": tl.arange(5),
        "m": tl.tensor([True, False]),
        "h": tl.ones(2, dtype=tl.float16),
    }
    S.save_file(ours, tmp_path / "a.safetensors", metadata={"format": "pt"})
    theirs = t_load(tmp_path / "a.safetensors")
    assert list(theirs) == sorted(ours) or set(theirs) == set(ours)
    for k in ours:
        assert str(theirs[k].dtype) == str(ours[k].dtype)
        assert theirs[k].numpy().tobytes() == ours[k].numpy().tobytes()
    t_save({k: torch.from_numpy(v.numpy()) for k, v in ours.items()}, tmp_path / "b.safetensors")
    back = S.load_file(tmp_path / "b.safetensors")
    for k in ours:
        assert back[k].dtype == ours[k].dtype and back[k].tolist() == ours[k].tolist()
    back["w"][0, 0] = 1.0  # loaded tensors are writable
    assert S.load(S.save(ours))["i"].tolist() == [0, 1, 2, 3, 4]
    # torch.load dispatches .safetensors paths, and so does torchless.load
    assert tl.serialization.load(tmp_path / "b.safetensors")["i"].tolist() == [0, 1, 2, 3, 4]


def test_safetensors_refuses_what_safetensors_torch_refuses(tmp_path, st):
    from torchless import safetensors as S

    x = tl.arange(6.0)
    with pytest.raises(RuntimeError, match="Some tensors share memory"):
        S.save_file({"a": x, "b": x[2:]}, tmp_path / "x.safetensors")
    S.save_file({"a": x[:3], "b": x[3:]}, tmp_path / "x.safetensors")  # disjoint is fine
    with pytest.raises(ValueError, match="non contiguous tensor"):
        S.save_file({"a": tl.ones(2, 3).t()}, tmp_path / "x.safetensors")
    with pytest.raises(ValueError, match="expected torch.Tensor"):
        S.save_file({"a": [1.0]}, tmp_path / "x.safetensors")


def test_safetensors_missing_names_the_extra(monkeypatch):
    import builtins

    from torchless import safetensors as S

    real_import = builtins.__import__

    def no_safetensors(name, *args, **kwargs):
        if name.startswith("safetensors"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_safetensors)
    with pytest.raises(ImportError, match="pip install safetensors"):
        S.save({"a": tl.ones(1)})
