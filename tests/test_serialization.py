"""torchless.save / torchless.load against torch 2.13's checkpoint format, both ways.

Round trips: torchless.save -> torch.load(weights_only=True) and torch.save ->
torchless.load for every dtype, views sharing storage, parameters, state dicts, optimizer
state, containers and scalars. Safety: crafted pickles are refused before anything runs.
Robustness: truncated or corrupted files raise clear errors; a save killed mid-write
leaves the previous file loadable.
"""

from __future__ import annotations

import collections
import io
import os
import pickle
import random
import signal
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import torchless as tl
from torchless import serialization as S
from torchless.serialization import load, save

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
LOAD_ERRORS = (RuntimeError, pickle.UnpicklingError, EOFError)


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def _array(name: str, shape, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if name == "bool":
        return np.asarray(rng.random(shape) > 0.5)
    if name.startswith("float"):
        return np.asarray(rng.standard_normal(shape) * 10, dtype=name)
    info = np.iinfo(name)
    return np.asarray(rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=name))


def _views(lib, name: str) -> dict:
    """Tensors of one dtype: contiguous, empty, 0-d, and views that share storage."""
    base = lib.from_numpy(_array(name, (4, 6)))
    return {
        "base": base,
        "t": base.t(),
        "rows": base[1:3],
        "step": base[:, ::2],
        "col": base[:, 3],
        "expand": lib.from_numpy(_array(name, (1, 5), 1)).expand(3, 5),
        "scalar": lib.from_numpy(_array(name, (), 2)),
        "empty": lib.from_numpy(_array(name, (2, 0, 3), 3)),
        "cube": lib.from_numpy(_array(name, (2, 3, 4), 4)).permute(2, 0, 1),
    }


def _nbytes(t) -> bytes:
    return t.detach().contiguous().numpy().tobytes()


def _storage_records(data: bytes) -> list:
    z = zipfile.ZipFile(io.BytesIO(data))
    return [n for n in z.namelist() if "/data/" in n]


def _torch_bytes(torch, obj) -> bytes:
    b = io.BytesIO()
    torch.save(obj, b)
    return b.getvalue()


def _tl_bytes(obj, **kw) -> bytes:
    b = io.BytesIO()
    save(obj, b, **kw)
    return b.getvalue()


# ----------------------------------------------------------------------------------------
# the format itself


def _mixed(lib):
    a = lib.arange(12, dtype=lib.float32).reshape(3, 4)
    sd = collections.OrderedDict(w=lib.nn.Parameter(lib.ones(2, 3)), b=lib.zeros(3))
    return {
        "a": a,
        "t": a.t(),
        "v": a[1:, 2:],
        "sd": sd,
        "i": lib.tensor([1, 2], dtype=lib.int64),
        "h": lib.zeros(2, dtype=lib.float16),
        "rg": lib.ones(2, requires_grad=True),
        "e": lib.empty(0, 3),
        "dtype": lib.float64,
        "dev": lib.device("cpu"),
        "size": lib.Size([2, 3]),
        "misc": [1, 2.5, -(2**70), "s", b"by", None, True, (1, "x"), {3}, 1 + 2j],
    }


def test_archive_matches_torch_save_byte_for_byte(torch):
    ours, theirs = _tl_bytes(_mixed(tl)), _torch_bytes(torch, _mixed(torch))
    zo, zt = zipfile.ZipFile(io.BytesIO(ours)), zipfile.ZipFile(io.BytesIO(theirs))
    assert [(i.filename, i.header_offset) for i in zo.infolist()] == [
        (i.filename, i.header_offset) for i in zt.infolist()
    ]
    for name in zt.namelist()[:-1]:
        assert zo.read(name) == zt.read(name), name
    # the serialization id: a hash of the record names (libstdc++'s, not reproduced),
    # then c10::hash_combine over the records' CRC-32s, which is
    sid = "archive/.data/serialization_id"
    assert zo.read(sid)[20:] == zt.read(sid)[20:]
    differ = [i for i in range(len(theirs)) if ours[i] != theirs[i]]
    assert len(ours) == len(theirs) and len(differ) <= 40


def test_records_are_aligned_and_stored():
    data = _tl_bytes({"x": tl.ones(5), "y": tl.zeros(3, dtype=tl.int8)})
    z = zipfile.ZipFile(io.BytesIO(data))
    for info in z.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        name_len, extra_len = np.frombuffer(data, "<u2", 2, info.header_offset + 26)
        assert (info.header_offset + 30 + int(name_len) + int(extra_len)) % 64 == 0
    assert z.read("archive/version") == b"3\n"
    assert z.read("archive/byteorder") == sys.byteorder.encode()


def test_archive_name_follows_file_name(tmp_path, torch):
    for name in ("model.pt", "model.v2.pt", "noext"):
        save({"x": tl.ones(1)}, tmp_path / name)
        torch.save({"x": torch.ones(1)}, tmp_path / ("t_" + name))
        ours = zipfile.ZipFile(tmp_path / name).namelist()[0]
        theirs = zipfile.ZipFile(tmp_path / ("t_" + name)).namelist()[0]
        assert ours.split("/")[0] == theirs.split("/")[0][2:]


def test_zip64_records_read_by_torch_and_zipfile(monkeypatch, torch, tmp_path):
    # records past 4 GiB get zip64 fields: exercise that layout with a lowered threshold
    monkeypatch.setattr(S, "_ZIP64_AT", 100)
    obj = {"a": tl.arange(50.0), "b": tl.ones(3), "c": tl.zeros(0)}
    path = tmp_path / "z64.pt"
    save(obj, path)
    assert zipfile.ZipFile(path).testzip() is None
    for r in (torch.load(path, weights_only=True), torch.load(path, mmap=True)):
        assert r["a"].tolist() == list(range(50)) and r["c"].shape == (0,)
    monkeypatch.setattr(S, "_ZIP64_AT", S._U32)
    assert load(path)["a"].tolist() == list(range(50))


def test_torch_calculated_storage_offsets_match(torch, tmp_path):
    # torch can compute record offsets from miniz's layout instead of reading headers
    from torch.utils.serialization import config

    path = tmp_path / "m.pt"
    save({k: v for k, v in _views(tl, "float32").items()}, path)
    old = config.load.calculate_storage_offsets
    config.load.calculate_storage_offsets = True
    try:
        r = torch.load(path, mmap=True, weights_only=True)
    finally:
        config.load.calculate_storage_offsets = old
    assert _nbytes(r["step"]) == _nbytes(_views(tl, "float32")["step"])


# ----------------------------------------------------------------------------------------
# round trips with torch


@pytest.mark.parametrize("name", DTYPES)
def test_torchless_to_torch_every_dtype(name, torch):
    ours = _views(tl, name)
    data = _tl_bytes(ours)
    assert len(_storage_records(data)) == 5  # base and its views share one storage
    r = torch.load(io.BytesIO(data), weights_only=True)
    for k, t in ours.items():
        assert str(r[k].dtype) == str(t.dtype), k
        assert tuple(r[k].shape) == tuple(t.shape), k
        if t.numel():
            assert r[k].stride() == t.stride(), k
            assert r[k].storage_offset() == t.storage_offset(), k
        assert _nbytes(r[k]) == _nbytes(t), k
    ptr = r["base"].untyped_storage().data_ptr()
    for k in ("t", "rows", "step", "col"):
        assert r[k].untyped_storage().data_ptr() == ptr


@pytest.mark.parametrize("name", DTYPES)
def test_torch_to_torchless_every_dtype(name, torch):
    theirs = _views(torch, name)
    r = load(io.BytesIO(_torch_bytes(torch, theirs)))
    for k, t in theirs.items():
        assert str(r[k].dtype) == str(t.dtype), k
        assert tuple(r[k].shape) == tuple(t.shape), k
        if t.numel():
            assert r[k].stride() == t.stride(), k
            assert r[k].storage_offset() == t.storage_offset(), k
        assert _nbytes(r[k]) == _nbytes(t), k
    for k in ("t", "rows", "step", "col"):
        assert np.shares_memory(r[k].numpy(), r["base"].numpy())


def test_views_still_share_after_load(torch):
    a = tl.arange(12.0).reshape(3, 4)
    r = torch.load(io.BytesIO(_tl_bytes({"a": a, "t": a.t(), "r": a[1]})), weights_only=True)
    r["a"][1, 2] = 100.0
    assert r["t"][2, 1].item() == 100.0 and r["r"][2].item() == 100.0

    ta = torch.arange(12.0).reshape(3, 4)
    r = load(io.BytesIO(_torch_bytes(torch, {"a": ta, "t": ta.t(), "r": ta[1]})))
    r["a"][1, 2] = 100.0
    assert r["t"][2, 1].item() == 100.0 and r["r"][2].item() == 100.0
    # and they are stored once again when saved back
    assert len(_storage_records(_tl_bytes(r))) == 1


def test_same_object_twice_is_one_object():
    p = tl.nn.Parameter(tl.ones(2))
    t = tl.zeros(3)
    r = load(io.BytesIO(_tl_bytes({"p": p, "q": p, "t": [t, t]})))
    assert r["p"] is r["q"] and r["t"][0] is r["t"][1]


def test_different_dtypes_over_one_buffer_are_refused():
    a = tl.ones(4)
    b = tl.from_numpy(a.numpy().view(np.int32))
    with pytest.raises(RuntimeError, match="view the same data as different types"):
        save({"a": a, "b": b}, io.BytesIO())


def test_memory_torch_cannot_describe_is_saved_as_a_copy(torch):
    arr = np.arange(10.0)[::-1]  # a negative stride
    t = tl.from_numpy(arr)
    odd = tl.from_numpy(np.frombuffer(bytes(range(13)), np.uint8)[1:9].view(np.int16))
    r = torch.load(io.BytesIO(_tl_bytes({"t": t, "odd": odd})), weights_only=True)
    assert r["t"].tolist() == arr.tolist() and _nbytes(r["odd"]) == _nbytes(odd)


def test_everything_else_round_trips_both_ways(torch):
    def compare(a, b):
        if hasattr(a, "shape") and hasattr(a, "dtype") and not isinstance(a, np.ndarray):
            assert type(a).__name__ == type(b).__name__
            assert str(a.dtype) == str(b.dtype) and a.requires_grad == b.requires_grad
            assert _nbytes(a) == _nbytes(b)
        elif isinstance(a, dict):
            assert type(a) is type(b) and list(a) == list(b)
            for k in a:
                compare(a[k], b[k])
        elif isinstance(a, (list, tuple)):
            assert type(a).__name__ == type(b).__name__ and len(a) == len(b)
            for x, y in zip(a, b):
                compare(x, y)
        else:
            assert str(a) == str(b) and type(a).__name__ == type(b).__name__

    compare(torch.load(io.BytesIO(_tl_bytes(_mixed(tl))), weights_only=True), _mixed(tl))
    compare(load(io.BytesIO(_torch_bytes(torch, _mixed(torch)))), _mixed(torch))
    # a tensor's and a parameter's Python attributes travel too
    t, p = tl.ones(1), tl.nn.Parameter(tl.ones(1))
    t.note, p.note = "t", "p"
    r = torch.load(io.BytesIO(_tl_bytes([t, p])), weights_only=True)
    assert (r[0].note, r[1].note) == ("t", "p")
    tt, tp = torch.ones(1), torch.nn.Parameter(torch.ones(1))
    tt.note, tp.note = "t", "p"
    r = load(io.BytesIO(_torch_bytes(torch, [tt, tp])))
    assert (r[0].note, r[1].note) == ("t", "p") and isinstance(r[1], tl.nn.Parameter)


def test_state_dict_keeps_metadata(torch):
    m = tl.nn.Sequential(tl.nn.Linear(2, 3), tl.nn.BatchNorm1d(3))
    r = torch.load(io.BytesIO(_tl_bytes(m.state_dict())), weights_only=True)
    assert list(r) == list(m.state_dict()) and r._metadata == m.state_dict()._metadata
    tm = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    r = load(io.BytesIO(_torch_bytes(torch, tm.state_dict())))
    assert type(r) is collections.OrderedDict and r._metadata == tm.state_dict()._metadata
    assert str(r["1.num_batches_tracked"].dtype) == "torch.int64"
    m.load_state_dict(r)  # a torch state_dict, buffers included, loads into torchless
    assert m[1].running_var.tolist() == tm[1].running_var.tolist()


def _train_torch(torch, steps=5):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    x, y = torch.randn(16, 5), torch.randn(16, 3)
    for _ in range(steps):
        opt.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        opt.step()
    return model, opt, x, y


def _tl_model():
    return tl.nn.Sequential(tl.nn.Linear(5, 8), tl.nn.Tanh(), tl.nn.Linear(8, 3))


def test_model_trained_in_torch_runs_in_torchless(torch, tmp_path):
    model, opt, x, y = _train_torch(torch)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict()}, tmp_path / "ck.pt")
    ck = load(tmp_path / "ck.pt")
    ours = _tl_model()
    ours.load_state_dict(ck["model"])
    xl = tl.from_numpy(x.numpy())
    np.testing.assert_allclose(ours(xl).detach().numpy(), model(x).detach().numpy(), 1e-5, 1e-6)
    # the optimizer state carries on where torch stopped
    opt_l = tl.optim.Adam(ours.parameters(), lr=0.01)
    opt_l.load_state_dict(ck["optim"])
    for m, o, xx, yy in ((model, opt, x, y), (ours, opt_l, xl, tl.from_numpy(y.numpy()))):
        o.zero_grad()
        ((m(xx) - yy) ** 2).mean().backward()
        o.step()
    for a, b in zip(ours.parameters(), model.parameters()):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), 1e-5, 1e-6)


def test_model_trained_in_torchless_runs_in_torch(torch, tmp_path):
    tl.manual_seed(0)
    ours = _tl_model()
    opt = tl.optim.Adam(ours.parameters(), lr=0.01)
    x, y = tl.randn(16, 5), tl.randn(16, 3)
    for _ in range(5):
        opt.zero_grad()
        ((ours(x) - y) ** 2).mean().backward()
        opt.step()
    save({"model": ours.state_dict(), "optim": opt.state_dict()}, tmp_path / "ck.pt")
    ck = torch.load(tmp_path / "ck.pt", weights_only=True)
    model = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    model.load_state_dict(ck["model"])
    xt = torch.from_numpy(x.numpy())
    np.testing.assert_allclose(model(xt).detach().numpy(), ours(x).detach().numpy(), 1e-5, 1e-6)
    opt_t = torch.optim.Adam(model.parameters(), lr=0.01)
    opt_t.load_state_dict(ck["optim"])
    assert opt_t.state_dict()["param_groups"] == opt.state_dict()["param_groups"]


# ----------------------------------------------------------------------------------------
# files, streams, atomic writes


def test_paths_file_objects_and_streams(tmp_path):
    obj = {"x": tl.arange(4.0)}
    save(obj, str(tmp_path / "a.pt"))
    save(obj, tmp_path / "b.pt")
    with open(tmp_path / "c.pt", "wb") as f:
        save(obj, f)

    class WriteOnly:  # no seek, no tell
        def __init__(self):
            self.parts = []

        def write(self, b):
            self.parts.append(bytes(b))
            return len(b)

    w = WriteOnly()
    save(obj, w)

    class ReadOnly:
        def __init__(self, data):
            self.buf = io.BytesIO(data)

        def read(self, n=-1):
            return self.buf.read(n)

    for src in (str(tmp_path / "a.pt"), tmp_path / "b.pt", ReadOnly(b"".join(w.parts))):
        assert load(src)["x"].tolist() == [0.0, 1.0, 2.0, 3.0]
    with open(tmp_path / "c.pt", "rb") as f:
        assert load(f)["x"].tolist() == [0.0, 1.0, 2.0, 3.0]


def test_failed_save_leaves_the_old_file(tmp_path):
    path = tmp_path / "ck.pt"
    save({"v": 1}, path)
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        save({"v": 2, "bad": lambda: None}, path)
    assert load(path) == {"v": 1}
    assert os.listdir(tmp_path) == ["ck.pt"]  # no temporary file left behind


def test_save_is_synced_then_renamed(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(
        os, "replace", lambda a, b: (events.append(("replace", a, b)), real_replace(a, b))[1]
    )
    path = tmp_path / "ck.pt"
    save({"v": 1}, path)
    assert events[0] == "fsync" and events[1][0] == "replace"
    assert os.path.dirname(events[1][1]) == str(tmp_path) and events[1][2] == str(path)


def test_save_keeps_mode_and_follows_symlinks(tmp_path):
    real = tmp_path / "real.pt"
    save({"v": 1}, real)
    os.chmod(real, 0o600)
    link = tmp_path / "link.pt"
    os.symlink(real, link)
    save({"v": 2}, link)
    assert os.path.islink(link) and load(real) == {"v": 2}
    assert os.stat(real).st_mode & 0o777 == 0o600


def test_save_to_missing_folder(tmp_path):
    with pytest.raises(RuntimeError, match="Parent directory .* does not exist"):
        save({}, tmp_path / "nope" / "x.pt")


_CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {repo!r})
    import torchless as tl
    from torchless import serialization as S
    path, mode = sys.argv[1], sys.argv[2]
    big = {{"w": tl.arange(2_000_000, dtype=tl.float32)}}
    if mode == "pause":
        write_all = S._write_all

        def halfway(f, data):
            mv = memoryview(data).cast("B")
            if mv.nbytes > 1_000_000:  # the big storage: write half of it, then stall
                write_all(f, mv[: mv.nbytes // 2])
                f.flush()
                print("MID", flush=True)
                time.sleep(60)
            write_all(f, data)

        S._write_all = halfway
        S.save(big, path)
    else:
        print("GO", flush=True)
        while True:
            S.save(big, path)
    """
)


@pytest.mark.parametrize("mode", ["pause", "loop"])
def test_save_killed_mid_write_leaves_previous_file(tmp_path, mode):
    path = tmp_path / "ck.pt"
    save({"w": tl.ones(3)}, path)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD.format(repo=REPO), str(path), mode],
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout.readline().strip() in (b"MID", b"GO")
        if mode == "pause":
            temps = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
            assert len(temps) == 1  # the half-written archive, beside the target
            with pytest.raises(RuntimeError):
                load(tmp_path / temps[0])
        else:
            import time

            time.sleep(0.4)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    w = load(path)["w"]
    if mode == "pause":
        assert w.tolist() == [1.0, 1.0, 1.0]
    else:
        assert w.shape in ((3,), (2_000_000,))


# ----------------------------------------------------------------------------------------
# mmap and map_location


def test_mmap_maps_the_file_copy_on_write(tmp_path, torch):
    path = tmp_path / "m.pt"
    t = torch.arange(10.0)
    torch.save({"w": t, "v": t[2:5]}, path)
    r = load(path, mmap=True)
    import mmap

    base = r["w"].numpy()
    while not isinstance(base, mmap.mmap):
        base = base.base
    r["w"][3] = 100.0
    assert r["v"][1].item() == 100.0  # still one storage
    assert load(path)["w"][3].item() == 3.0  # the file is untouched
    with pytest.raises(ValueError, match="must be a file path"):
        load(io.BytesIO(path.read_bytes()), mmap=True)
    torch.save({"w": t}, tmp_path / "legacy.pt", _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="mmap can only be used"):
        load(tmp_path / "legacy.pt", mmap=True)


def test_map_location(monkeypatch, torch):
    # a checkpoint whose storages were saved on cuda:0
    monkeypatch.setattr(S, "_location", lambda arr: "cuda:0")
    data = _tl_bytes({"w": tl.arange(3.0)})
    monkeypatch.undo()
    assert torch.load(io.BytesIO(data), map_location="cpu")["w"].tolist() == [0.0, 1.0, 2.0]
    seen = []

    def keep(storage, location):
        seen.append(location)
        return storage

    for m in ("cpu", tl.device("cpu"), {"cuda:0": "cpu"}, keep):
        assert load(io.BytesIO(data), map_location=m)["w"].tolist() == [0.0, 1.0, 2.0]
    assert seen == ["cuda:0"]
    try:
        import cupy  # noqa: F401
    except ImportError:
        for m in (None, lambda storage, location: None):
            with pytest.raises(RuntimeError, match=r"torch.cuda.is_available\(\) is False"):
                load(io.BytesIO(data), map_location=m)


# ----------------------------------------------------------------------------------------
# the legacy (pre-1.6) format


def test_legacy_format_both_ways(torch, tmp_path):
    obj_t = {"w": torch.arange(6.0).reshape(2, 3).t(), "p": torch.nn.Parameter(torch.ones(2))}
    torch.save(obj_t, tmp_path / "t.pt", _use_new_zipfile_serialization=False)
    r = load(tmp_path / "t.pt")
    assert r["w"].tolist() == obj_t["w"].tolist() and isinstance(r["p"], tl.nn.Parameter)
    obj = {"w": tl.arange(6.0).reshape(2, 3).t(), "i": tl.tensor([1, 2], dtype=tl.int16)}
    save(obj, tmp_path / "l.pt", _use_new_zipfile_serialization=False)
    r = torch.load(tmp_path / "l.pt", weights_only=True)
    assert r["w"].tolist() == obj["w"].tolist() and r["i"].dtype == torch.int16
    assert load(tmp_path / "l.pt")["w"].tolist() == obj["w"].tolist()


# ----------------------------------------------------------------------------------------
# security: nothing in a checkpoint runs unless weights_only=False


def _checkpoint(payload: bytes) -> io.BytesIO:
    """A zip checkpoint (written by the zipfile module) whose data.pkl is ``payload``."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("archive/data.pkl", payload)
        z.writestr("archive/byteorder", "little")
        z.writestr("archive/version", "3\n")
    b.seek(0)
    return b


class _Call:
    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


class Planted:
    """An arbitrary class whose unpickling would create a file."""

    def __init__(self, path):
        self.path = path

    def __setstate__(self, state):
        open(state["path"], "w").close()


def _payloads(marker: str) -> dict:
    touch = f"open({marker!r}, 'w').close()"
    getattr_chain = (
        b"\x80\x02cbuiltins\ngetattr\n(cbuiltins\n__import__\nX\x02\x00\x00\x00os"
        b"\x85RX\x06\x00\x00\x00system\x86R."
    )
    return {
        "posix.system": pickle.dumps(_Call(os.system, f"touch {marker}"), protocol=2),
        "eval": pickle.dumps(_Call(eval, touch), protocol=2),
        "exec": pickle.dumps({"x": [_Call(exec, touch)]}, protocol=4),
        "getattr": getattr_chain,
        "_rebuild_tensor_v2.__globals__": (
            b"\x80\x02ctorch._utils\n_rebuild_tensor_v2.__globals__\n."
        ),
        "OrderedDict.fromkeys": b"\x80\x02ccollections\nOrderedDict.fromkeys\n)R.",
        "Planted": pickle.dumps(Planted(marker), protocol=2),
        "subprocess.Popen": pickle.dumps(_Call(subprocess.Popen, ["touch", marker]), protocol=2),
    }


@pytest.mark.parametrize(
    "name",
    [
        "posix.system",
        "eval",
        "exec",
        "getattr",
        "_rebuild_tensor_v2.__globals__",
        "OrderedDict.fromkeys",
        "Planted",
        "subprocess.Popen",
    ],
)
def test_malicious_globals_are_refused_before_running(name, tmp_path):
    marker = tmp_path / "pwned"
    payload = _payloads(str(marker))[name]
    with pytest.raises(pickle.UnpicklingError, match=name.replace(".", r"\.")) as info:
        load(_checkpoint(payload))
    assert "Weights only load failed" in str(info.value)
    assert not marker.exists()
    # the same file inside a legacy-format checkpoint
    legacy = b"".join(pickle.dumps(h, protocol=2) for h in (S._MAGIC_NUMBER, 1001, {}))
    with pytest.raises(pickle.UnpicklingError, match=name.replace(".", r"\.")):
        load(io.BytesIO(legacy + payload))
    assert not marker.exists()


def test_the_payloads_are_live(tmp_path):
    # proof that the refused files do run code when the caller opts out of safety
    for name in ("eval", "Planted"):
        marker = tmp_path / f"ran-{name}"
        load(_checkpoint(_payloads(str(marker))[name]), weights_only=False)
        assert marker.exists()


def test_build_and_calls_are_restricted():
    bad = {
        # BUILD that would shadow a method of an OrderedDict
        "keys": b"\x80\x02ccollections\nOrderedDict\n)R}X\x04\x00\x00\x00keysK\x01sb.",
        # BUILD on a shared dtype object
        "dtype": b"\x80\x02ctorch\nfloat32\n}X\x02\x00\x00\x00npK\x01sb.",
        # calling something that is not a callable global
        "call": b"\x80\x02ctorch\nfloat32\n)R.",
        # a persistent id that is not a storage
        "pid": b"\x80\x02X\x06\x00\x00\x00moduleK\x01\x86Q.",
        # protocol-0 instance creation
        "inst": b"(icollections\nOrderedDict\n.",
    }
    for name, payload in bad.items():
        with pytest.raises(pickle.UnpicklingError):
            load(_checkpoint(payload))
            pytest.fail(f"{name} was not refused")
    assert tl.float32.np == np.float32 and tl.float32.name == "float32"


def test_safe_globals_allow_a_trusted_class():
    payload = pickle.dumps(collections.OrderedDict(a=Planted.__name__), protocol=2)
    assert load(_checkpoint(payload)) == {"a": "Planted"}
    frac = pickle.dumps(__import__("fractions").Fraction(1, 3), protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="fractions.Fraction"):
        load(_checkpoint(frac))
    from fractions import Fraction

    with S.safe_globals([Fraction]):
        assert load(_checkpoint(frac)) == Fraction(1, 3)
    with pytest.raises(pickle.UnpicklingError):
        load(_checkpoint(frac))


def test_weights_only_false_maps_torch_names(torch):
    from fractions import Fraction

    class_payload = _torch_bytes(torch, {"w": torch.ones(2), "o": Fraction(1, 2)})
    r = load(io.BytesIO(class_payload), weights_only=False)
    assert r["w"].tolist() == [1.0, 1.0] and str(r["o"]) == "1/2"
    with pytest.raises(RuntimeError, match="explicit pickle_module"):
        load(io.BytesIO(class_payload), pickle_module=pickle, weights_only=True)


def test_unsupported_torch_dtype_is_a_clear_error(torch):
    data = _torch_bytes(torch, {"w": torch.ones(2, dtype=torch.bfloat16)})
    with pytest.raises(RuntimeError, match="torch.BFloat16Storage"):
        load(io.BytesIO(data))


# ----------------------------------------------------------------------------------------
# corrupted and truncated files


def _sample_bytes() -> bytes:
    m = tl.nn.Sequential(tl.nn.Linear(4, 3), tl.nn.ReLU(), tl.nn.Linear(3, 2))
    return _tl_bytes({"sd": m.state_dict(), "x": [1, 2.5, "s", None], "v": tl.arange(10.0)})


def test_truncated_files_raise_clear_errors():
    data = _sample_bytes()
    with pytest.raises(EOFError):
        load(io.BytesIO(b""))
    for cut in range(1, len(data), 5):
        with pytest.raises(LOAD_ERRORS):
            load(io.BytesIO(data[:cut]))
    with pytest.raises(RuntimeError, match="failed finding central directory"):
        load(io.BytesIO(data[: len(data) - 10]))


def test_corrupted_files_raise_clear_errors():
    data = _sample_bytes()
    rng = random.Random(0)
    outcomes = collections.Counter()
    for _ in range(600):
        d = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            d[rng.randrange(len(d))] = rng.randrange(256)
        try:
            load(io.BytesIO(bytes(d)))
            outcomes["loaded"] += 1  # a byte the reader does not use (padding, times)
        except LOAD_ERRORS as e:
            outcomes[type(e).__name__] += 1
    assert outcomes["RuntimeError"] > 300
    # a flipped byte in tensor data is caught by the record's CRC-32
    i = data.index(np.arange(10.0, dtype=np.float32).tobytes())
    d = bytearray(data)
    d[i + 5] ^= 1
    with pytest.raises(RuntimeError, match="CRC-32 check failed"):
        load(io.BytesIO(bytes(d)))
    # garbage that is not a checkpoint at all
    with pytest.raises(pickle.UnpicklingError):
        load(io.BytesIO(b"garbage" * 10))


def test_lying_strides_are_refused(torch):
    # a tensor header that points past its storage
    data = _torch_bytes(torch, {"w": torch.ones(4)})
    z = zipfile.ZipFile(io.BytesIO(data))
    pkl = z.read("archive/data.pkl").replace(b"K\x04\x85", b"K\x40\x85", 1)
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as out:
        for name in z.namelist():
            out.writestr(name, pkl if name.endswith("data.pkl") else z.read(name))
    with pytest.raises(pickle.UnpicklingError, match="does not fit in its storage"):
        load(io.BytesIO(b.getvalue()))


def test_big_endian_checkpoints_are_swapped():
    data_pkl, storages = S._pickle_obj({"w": tl.arange(4, dtype=tl.int32)}, pickle, 2)
    b = io.BytesIO()
    w = S._ZipWriter(b, "archive")
    w.record("data.pkl", data_pkl)
    w.record("byteorder", b"big" if sys.byteorder == "little" else b"little")
    w.record("data/0", storages[0].data().view(np.int32).byteswap().view(np.uint8))
    w.record("version", b"3\n")
    w.finish()
    assert load(io.BytesIO(b.getvalue()))["w"].tolist() == [0, 1, 2, 3]


# ----------------------------------------------------------------------------------------
# the public names


def test_top_level_names():
    assert tl.save is save and tl.load is load
    assert tl.serialization.DEFAULT_PROTOCOL == 2
