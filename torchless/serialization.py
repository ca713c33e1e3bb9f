"""``save`` and ``load`` in PyTorch's own checkpoint format.

``torchless.save`` writes the zip archive that ``torch.save`` writes, record for record:
``<name>/data.pkl`` (a protocol-2 pickle whose globals name torch's rebuild functions and
storage types, as torch writes them), ``.format_version``, ``.storage_alignment``,
``byteorder``, one ``data/<key>`` record per storage (raw bytes, stored uncompressed and
aligned to 64 bytes), ``version`` and ``.data/serialization_id``. Real ``torch.load``
(``weights_only=True``) reads these files, and ``torchless.load`` reads files that
``torch.save`` wrote, without importing torch.

A storage is the memory a tensor's array views: tensors that view one buffer (a tensor and
its slices, transposes, expands) are written as one storage with offsets and strides, and
share memory again after loading, as in torch.

Loading is safe by default: ``weights_only=True`` unpickles with an allow-list (the globals
torch's weights-only unpickler allows for tensors, parameters, state dicts and plain Python
containers) and refuses anything else (``os.system``, ``builtins.eval``, arbitrary classes)
with an ``UnpicklingError`` before any of it runs.

Saving to a path is atomic: the archive goes to a temporary file in the same folder, is
flushed to disk, then renamed over the target, so an interrupted save leaves the previous
file intact.
"""

from __future__ import annotations

import io
import os
import pickle
import secrets
import stat
import struct
import sys
import threading
import zipfile
import zlib
from collections import Counter, OrderedDict
from typing import IO, Any

import numpy as np

from . import _dtype as D
from . import _weights_only_unpickler as _wo
from ._device import device as _device_cls
from ._tensor import Size, Tensor, _make
from ._weights_only_unpickler import (
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    safe_globals,
)

__all__ = [
    "DEFAULT_PROTOCOL",
    "add_safe_globals",
    "clear_safe_globals",
    "get_safe_globals",
    "load",
    "safe_globals",
    "save",
]

DEFAULT_PROTOCOL = 2

_MAGIC_NUMBER = 0x1950A86A20F9469CFC6C  # the legacy (non-zip) format
_PROTOCOL_VERSION = 1001
_ALIGNMENT = 64
_U32 = 0xFFFFFFFF  # a 32-bit zip field that says "see the zip64 extra field"
_ZIP64_AT = _U32  # sizes and offsets from this on go in zip64 fields (as miniz does)

# torch's legacy storage class for each dtype (what its pickles name, as ``torch.<name>``)
_STORAGE_NAME = {
    "bool": "BoolStorage",
    "uint8": "ByteStorage",
    "int8": "CharStorage",
    "int16": "ShortStorage",
    "int32": "IntStorage",
    "int64": "LongStorage",
    "float16": "HalfStorage",
    "float32": "FloatStorage",
    "float64": "DoubleStorage",
}
# storages torch writes whose dtype torchless does not have
_UNSUPPORTED_STORAGES = (
    "BFloat16Storage",
    "ComplexFloatStorage",
    "ComplexDoubleStorage",
    "QInt8Storage",
    "QInt32Storage",
    "QUInt8Storage",
    "QUInt4x2Storage",
    "QUInt2x4Storage",
)


# ----------------------------------------------------------------------------------------
# saving: a pickler that writes torch's globals without importing torch


class _TorchGlobal:
    """Stands for a global of torch (``torch._utils._rebuild_tensor_v2``) in a pickle being
    written: the pickler writes its module and name as a GLOBAL opcode."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str):
        self.module = module
        self.name = name

    def __call__(self, *args):  # the pickler only accepts callables as reduce functions
        raise TypeError(f"{self.module}.{self.name} is a placeholder for torch's global")

    def __repr__(self) -> str:
        return f"<torch global {self.module}.{self.name}>"


_G_REBUILD_V2 = _TorchGlobal("torch._utils", "_rebuild_tensor_v2")
_G_REBUILD_PARAMETER = _TorchGlobal("torch._utils", "_rebuild_parameter")
_G_REBUILD_PARAMETER_STATE = _TorchGlobal("torch._utils", "_rebuild_parameter_with_state")
_G_REBUILD_FROM_TYPE = _TorchGlobal("torch._tensor", "_rebuild_from_type_v2")
_G_TENSOR = _TorchGlobal("torch", "Tensor")
_G_DEVICE = _TorchGlobal("torch", "device")
_G_SIZE = _TorchGlobal("torch", "Size")
_G_STORAGE = {k: _TorchGlobal("torch", v) for k, v in _STORAGE_NAME.items()}

# the same objects on every record, so the pickle memoizes them as torch's does
_STORAGE_TAG = "storage"
_CPU_TAG = "cpu"


class _StorageRef:
    """One storage being saved: a byte range of an array's memory, typed by the dtype of
    the tensors that view it."""

    __slots__ = ("key", "dtype", "numel", "location", "root", "lo", "nbytes")

    def pid(self) -> tuple:
        return (_STORAGE_TAG, _G_STORAGE[self.dtype.name], self.key, self.location, self.numel)

    def data(self) -> np.ndarray:
        """The storage's bytes as a contiguous uint8 array on the host."""
        n = self.numel * self.dtype.itemsize
        root = self.root
        start = self.lo - _extent(root)[0]
        if not isinstance(root, np.ndarray):
            root = root.get()  # a device array: copy it to the host (same layout) once
        return _bytes_of(root, start, n)


def _ptr(arr) -> int:
    if isinstance(arr, np.ndarray):
        return arr.__array_interface__["data"][0]
    return int(arr.data.ptr)


def _extent(arr) -> tuple[int, int]:
    """The lowest and one-past-highest byte address of ``arr``'s elements."""
    lo = hi = _ptr(arr)
    if arr.size == 0:
        return lo, lo
    for n, s in zip(arr.shape, arr.strides):
        if s < 0:
            lo += (n - 1) * s
        else:
            hi += (n - 1) * s
    return lo, hi + arr.itemsize


class _ByteWindow:
    """An ``__array_interface__`` over ``nbytes`` bytes at an address inside ``owner``."""

    def __init__(self, owner, address: int, nbytes: int):
        self.owner = owner  # keeps the memory alive
        self.__array_interface__ = {
            "data": (address, True),
            "shape": (nbytes,),
            "typestr": "|u1",
            "version": 3,
        }


def _bytes_of(root: np.ndarray, start: int, nbytes: int) -> np.ndarray:
    """``nbytes`` bytes of ``root``'s memory from byte ``start`` of its extent."""
    if root.flags.c_contiguous or root.flags.f_contiguous:
        flat = root.ravel(order="K").view(np.uint8)
        return flat[start : start + nbytes]
    return np.asarray(_ByteWindow(root, _extent(root)[0] + start, nbytes))


def _root(arr):
    """The array that owns the memory ``arr`` views (the end of its chain of bases)."""
    base = arr.base
    cls = np.ndarray if isinstance(arr, np.ndarray) else type(arr)
    while isinstance(base, cls):
        arr = base
        base = arr.base
    return arr


def _location(arr) -> str:
    if isinstance(arr, np.ndarray):
        return _CPU_TAG
    return f"cuda:{int(arr.device.id)}"


class _StorageTable:
    """Assigns storages to the tensors of one save, keyed by the memory they view."""

    def __init__(self):
        self.by_root: dict[int, _StorageRef] = {}
        self.roots: list = []  # keeps roots alive, so their ids stay unique
        self.storages: list[_StorageRef] = []

    def _new(self, dtype, root, lo: int, nbytes: int) -> _StorageRef:
        ref = _StorageRef()
        ref.key = str(len(self.storages))
        ref.dtype = dtype
        ref.numel = nbytes // dtype.itemsize
        ref.location = _location(root)
        ref.root = root
        ref.lo = lo
        ref.nbytes = nbytes
        self.storages.append(ref)
        return ref

    def tensor_args(self, t: Tensor) -> tuple:
        """(storage, storage_offset, size, stride) for ``t``, as torch records them."""
        arr = t._data
        dtype = t.dtype
        isz = dtype.itemsize
        root = _root(arr)
        ref = self.by_root.get(id(root))
        if ref is None:
            lo, hi = _extent(root)
            fits = all(s >= 0 for s in root.strides)
        else:
            lo, hi, fits = ref.lo, ref.lo + ref.nbytes, True
            if ref.dtype is not dtype:
                raise RuntimeError(
                    "Cannot save multiple tensors or storages that view the same data as "
                    "different types"
                )
        size = tuple(arr.shape)
        if arr.size == 0:
            stride = _contiguous_strides(size)
            offset = 0
            if ref is None:
                return self._new(dtype, root, _ptr(arr), 0), 0, size, stride
            return ref, offset, size, stride
        ptr = _ptr(arr)
        a_lo, a_hi = _extent(arr)
        ok = fits and lo <= a_lo and a_hi <= hi and (ptr - lo) % isz == 0
        ok = ok and all(s >= 0 and s % isz == 0 for s in arr.strides)
        if not ok:
            # memory torch's (offset, stride) cannot describe: save a contiguous copy
            own = np.ascontiguousarray(t._host())
            lo, hi = _extent(own)
            return self._new(dtype, own, lo, hi - lo), 0, size, _contiguous_strides(size)
        if ref is None:
            ref = self._new(dtype, root, lo, (hi - lo) // isz * isz)
            self.by_root[id(root)] = ref
            self.roots.append(root)
        stride = tuple(s // isz for s in arr.strides)
        return ref, (ptr - lo) // isz, size, stride


def _contiguous_strides(size) -> tuple:
    out = [1] * len(size)
    acc = 1
    for i in range(len(size) - 1, -1, -1):
        out[i] = acc
        acc *= max(size[i], 1)
    return tuple(out)


def _tensor_state(t: Tensor):
    d = getattr(t, "__dict__", None)
    return dict(d) if d else None


def _pickler_class(pickle_module):
    """A pure-Python pickler (so that torch's globals can be written by name) that writes
    tensors as torch's ``__reduce_ex__`` does."""
    base = getattr(pickle_module, "_Pickler", None) or pickle_module.Pickler
    if not hasattr(base, "dispatch"):
        raise TypeError(
            "torchless.save needs a pure-Python Pickler (pickle._Pickler or a subclass); "
            f"{pickle_module.__name__}.Pickler cannot write torch's globals"
        )

    class TorchPickler(base):
        dispatch = dict(base.dispatch)

        def __init__(self, file, protocol, table: _StorageTable):
            super().__init__(file, protocol)
            self._table = table

        def persistent_id(self, obj):
            if type(obj) is _StorageRef:
                return obj.pid()
            return None

        def reducer_override(self, obj):
            if isinstance(obj, Tensor):
                return self._reduce_tensor(obj)
            t = type(obj)
            if t is _device_cls:
                # a fresh string, as torch's device.type (the pickle memoizes by identity)
                kind = obj.type.encode().decode()
                return (_G_DEVICE, (kind,) if obj.index is None else (kind, obj.index))
            if t is Size:
                return (_G_SIZE, (tuple(obj),))
            return NotImplemented

        def _reduce_tensor(self, t: Tensor):
            if t._is_parameter:
                data = _make(t._data)
                state = _tensor_state(t)
                if state:
                    return (
                        _G_REBUILD_PARAMETER_STATE,
                        (data, t._requires_grad, OrderedDict(), state),
                    )
                return (_G_REBUILD_PARAMETER, (data, t._requires_grad, OrderedDict()))
            storage, offset, size, stride = self._table.tensor_args(t)
            args = (storage, offset, size, stride, t._requires_grad, OrderedDict())
            state = _tensor_state(t)
            if state:
                return (_G_REBUILD_FROM_TYPE, (_G_REBUILD_V2, _G_TENSOR, args, state))
            return (_G_REBUILD_V2, args)

        def _save_torch_global(self, obj):
            self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
            self.memoize(obj)

        def _save_dtype(self, obj):
            self.write(pickle.GLOBAL + f"torch\n{obj.name}\n".encode())
            self.memoize(obj)

        dispatch[_TorchGlobal] = _save_torch_global
        dispatch[D.dtype] = _save_dtype

    return TorchPickler


def _pickle_obj(obj, pickle_module, protocol) -> tuple[bytes, list[_StorageRef]]:
    table = _StorageTable()
    buf = io.BytesIO()
    _pickler_class(pickle_module)(buf, protocol, table).dump(obj)
    return buf.getvalue(), table.storages


# ----------------------------------------------------------------------------------------
# saving: the zip container, as PyTorch's miniz-based writer lays it out


def _hash_combine(seed: int, value: int) -> int:
    # c10::hash_combine on 64-bit size_t
    m = 0xFFFFFFFFFFFFFFFF
    return (seed ^ ((value + 0x9E3779B9 + ((seed << 6) & m) + (seed >> 2)) & m)) & m


def _write_all(f, data) -> None:
    """Write every byte of ``data`` (raw files may write part of a buffer)."""
    view = memoryview(data).cast("B")
    while view.nbytes:
        n = f.write(view)
        if n is None:  # a stream that writes everything and returns nothing
            return
        view = view[n:]


class _ZipWriter:
    """Writes records one after the other, each 64-byte aligned, stored uncompressed,
    with local headers, data descriptors, a central directory and zip64 end records as
    PyTorch's writer does."""

    def __init__(self, f, archive_name: str):
        self.f = f
        self.prefix = archive_name + "/"
        self.pos = 0
        self.central: list[bytes] = []
        self.name_hash = 0
        self.crc_hash = 0

    def _write(self, data) -> None:
        _write_all(self.f, data)
        self.pos += memoryview(data).nbytes

    def record(self, name: str, data) -> None:
        full = (self.prefix + name).encode("utf-8")
        n = memoryview(data).nbytes
        ofs = self.pos
        big_size, big_ofs = n >= _ZIP64_AT, ofs >= _ZIP64_AT
        z64 = b""
        if big_size or big_ofs:
            fields = (struct.pack("<QQ", n, n) if big_size else b"") + (
                struct.pack("<Q", ofs) if big_ofs else b""
            )
            z64 = struct.pack("<HH", 1, len(fields)) + fields
        pad = -(ofs + 30 + len(full) + len(z64) + 4) % _ALIGNMENT
        extra = z64 + b"FB" + struct.pack("<H", pad) + b"Z" * pad
        flags = 0x0808 if n else 0x0800  # UTF-8 names; sizes in a data descriptor
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 0, flags, 0, 0, 0, 0, 0, 0, len(full), len(extra)
        )
        self._write(header + full + extra)
        crc = 0
        if n:
            crc = zlib.crc32(data)
            self._write(data)
            if z64:
                self._write(struct.pack("<IIQQ", 0x08074B50, crc, n, n))
            else:
                self._write(struct.pack("<IIII", 0x08074B50, crc, n, n))
            self.crc_hash = _hash_combine(self.crc_hash, crc)
        self.name_hash = _hash_combine(self.name_hash, zlib.crc32(name.encode("utf-8")))
        cd_extra = b""
        if big_size or big_ofs:
            fields = (struct.pack("<QQ", n, n) if big_size else b"") + (
                struct.pack("<Q", ofs) if big_ofs else b""
            )
            cd_extra = struct.pack("<HH", 1, len(fields)) + fields
        self.central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                0,
                0,
                flags,
                0,
                0,
                0,
                crc,
                _U32 if big_size else n,
                _U32 if big_size else n,
                len(full),
                len(cd_extra),
                0,
                0,
                0,
                0,
                _U32 if big_ofs else ofs,
            )
            + full
            + cd_extra
        )

    def finish(self) -> None:
        # torch's id: a hash of the record names, then a hash of their CRC-32s
        self.record(
            ".data/serialization_id", f"{self.name_hash:020d}{self.crc_hash:020d}".encode()
        )
        cd_start = self.pos
        for entry in self.central:
            self._write(entry)
        cd_size = self.pos - cd_start
        count = len(self.central)
        eocd64 = self.pos
        self._write(
            struct.pack(
                "<IQHHIIQQQQ", 0x06064B50, 44, 0x031E, 45, 0, 0, count, count, cd_size, cd_start
            )
        )
        self._write(struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1))
        self._write(
            struct.pack(
                "<IHHHHIIH",
                0x06054B50,
                0,
                0,
                min(count, 0xFFFF),
                min(count, 0xFFFF),
                min(cd_size, _U32),
                min(cd_start, _U32),
                0,
            )
        )


def _write_zip(f, archive_name: str, data_pkl: bytes, storages, byteorder: bool) -> None:
    w = _ZipWriter(f, archive_name)
    w.record("data.pkl", data_pkl)
    w.record(".format_version", b"1")
    w.record(".storage_alignment", str(_ALIGNMENT).encode())
    if byteorder:
        w.record("byteorder", sys.byteorder.encode())
    for s in storages:
        w.record(f"data/{s.key}", s.data())
    w.record("version", b"3\n")
    w.finish()


def _write_legacy(f, data_pkl: bytes, storages, protocol: int) -> None:
    """The pre-1.6 format (``_use_new_zipfile_serialization=False``): three small pickles,
    the object's pickle, the sorted storage keys, then each storage as its element count
    (int64) followed by its bytes."""
    sys_info = {
        "protocol_version": _PROTOCOL_VERSION,
        "little_endian": sys.byteorder == "little",
        "type_sizes": {"short": 2, "int": 4, "long": 4},
    }
    for head in (_MAGIC_NUMBER, _PROTOCOL_VERSION, sys_info):
        _write_all(f, pickle.dumps(head, protocol=protocol))
    _write_all(f, data_pkl)
    keys = sorted(s.key for s in storages)
    _write_all(f, pickle.dumps(keys, protocol=protocol))
    by_key = {s.key: s for s in storages}
    for k in keys:
        s = by_key[k]
        _write_all(f, struct.pack("<q", s.numel))
        _write_all(f, s.data())


def _pickle_legacy(obj, pickle_module, protocol):
    cls = _pickler_class(pickle_module)

    class LegacyPickler(cls):
        def persistent_id(self, obj):
            if type(obj) is _StorageRef:
                return obj.pid() + (None,)  # no view metadata
            return None

    table = _StorageTable()
    buf = io.BytesIO()
    LegacyPickler(buf, protocol, table).dump(obj)
    return buf.getvalue(), table.storages


def _archive_name(path: str) -> str:
    # torch's writer: the file's base name, without what follows its last dot
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    if "." in base:
        base = base[: base.rindex(".")]
    if not base:
        raise RuntimeError(f"invalid file name: {path}")
    return base


def save(
    obj: object,
    f,
    pickle_module: Any = pickle,
    pickle_protocol: int = DEFAULT_PROTOCOL,
    _use_new_zipfile_serialization: bool = True,
    _disable_byteorder_record: bool = False,
) -> None:
    """Save an object (tensors, parameters, state dicts, containers of them) to a file in
    PyTorch's checkpoint format, which ``torch.load`` reads.

    Args:
        obj: what to save.
        f: a path (``str`` or ``os.PathLike``), or a binary file object with ``write``.
            A path is written atomically: to a temporary file beside it, synced to disk,
            then renamed over it, so an interrupted save leaves the previous file intact.
        pickle_module: the module whose pure-Python ``_Pickler`` writes the object
            (default ``pickle``).
        pickle_protocol: the pickle protocol (default 2, as torch; ``torch.load`` with
            ``weights_only=True`` reads only protocol 2).
        _use_new_zipfile_serialization: ``False`` writes the legacy (pre-1.6) format.

    Example::

        >>> torch.save(model.state_dict(), "model.pt")
    """
    # pickle first: an object that cannot be saved leaves every file untouched
    if _use_new_zipfile_serialization:
        data_pkl, storages = _pickle_obj(obj, pickle_module, pickle_protocol)
    else:
        data_pkl, storages = _pickle_legacy(obj, pickle_module, pickle_protocol)

    def write(fh, archive: str) -> None:
        if _use_new_zipfile_serialization:
            _write_zip(fh, archive, data_pkl, storages, not _disable_byteorder_record)
        else:
            _write_legacy(fh, data_pkl, storages, pickle_protocol)

    if isinstance(f, (str, bytes, os.PathLike)):
        path = os.fsdecode(f)
        archive = _archive_name(path)
        _atomic_write(path, lambda fh: write(fh, archive))
        return
    if not hasattr(f, "write"):
        raise AttributeError(f"'{type(f).__name__}' object has no attribute 'write'")
    write(f, "archive")
    flush = getattr(f, "flush", None)
    if flush is not None:
        flush()


def _atomic_write(path: str, write) -> None:
    target = os.path.realpath(path) if os.path.islink(path) else path
    parent = os.path.dirname(target)
    if parent and not os.path.isdir(parent):
        raise RuntimeError(f"Parent directory {parent} does not exist.")
    tmp = os.path.join(parent, f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        try:  # keep the permissions of the file being replaced
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        except OSError:
            pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable
        try:
            dfd = os.open(parent or ".", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(dfd)
        except OSError:
            pass
        finally:
            os.close(dfd)


# ----------------------------------------------------------------------------------------
# loading: storages, rebuild functions and the globals a checkpoint may name


class _StorageType:
    """What ``torch.FloatStorage`` (or ``torch.UntypedStorage``) means in a checkpoint."""

    __slots__ = ("dtype", "name")

    def __init__(self, name: str, dtype):
        self.name = name
        self.dtype = dtype

    def __repr__(self) -> str:
        return f"torch.{self.name}"


class _LoadedStorage:
    """A storage read from a checkpoint: a 1-D array of its dtype that the tensors built
    from it view. ``map_location`` callables receive one and may return it moved."""

    __slots__ = ("array", "dtype", "__weakref__")

    def __init__(self, array, dtype):
        self.array = array
        self.dtype = dtype

    @property
    def device(self):
        from ._device import device_of_array

        return device_of_array(self.array)

    def size(self) -> int:
        return int(self.array.shape[0])

    __len__ = size

    def nbytes(self) -> int:
        return int(self.array.nbytes)

    def element_size(self) -> int:
        return self.dtype.itemsize

    def to(self, device) -> _LoadedStorage:
        from ._device import as_device

        dev = as_device(device)
        if dev == self.device:
            return self
        if dev.type == "cpu":
            return _LoadedStorage(self.array.get(), self.dtype)
        xp = _backend(dev)
        with xp.cuda.Device(dev.index or 0):
            return _LoadedStorage(xp.asarray(self.array), self.dtype)

    def cpu(self) -> _LoadedStorage:
        return self.to("cpu")

    def cuda(self, device=None) -> _LoadedStorage:
        if device is None:
            return self.to("cuda")
        return self.to(device if isinstance(device, (str, _device_cls)) else f"cuda:{device}")

    def tolist(self) -> list:
        return self.array.tolist()

    def __repr__(self) -> str:
        return f"torchless storage of {self.size()} {self.dtype} on {self.device}"


def _backend(dev):
    from ._device import backend_for

    try:
        return backend_for(dev)
    except RuntimeError:
        if dev.type == "cuda":
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but "
                "torch.cuda.is_available() is False. If you are running on a CPU-only "
                "machine, please use torch.load with map_location=torch.device('cpu') to "
                "map your storages to the CPU."
            ) from None
        raise


def _check_ints(name: str, values) -> tuple:
    if not isinstance(values, tuple) or not all(type(v) is int and v >= 0 for v in values):
        raise pickle.UnpicklingError(f"invalid tensor {name} in checkpoint: {values!r}")
    return values


def _view(storage: _LoadedStorage, offset, size, stride, dtype=None):
    """An array over ``storage`` with torch's (offset, size, stride), bounds-checked."""
    if not isinstance(storage, _LoadedStorage):
        raise pickle.UnpicklingError(f"expected a storage to rebuild a tensor, got {storage!r}")
    size = _check_ints("size", tuple(size) if isinstance(size, Size) else size)
    stride = _check_ints("stride", tuple(stride) if isinstance(stride, Size) else stride)
    if type(offset) is not int or offset < 0 or len(size) != len(stride):
        raise pickle.UnpicklingError("invalid tensor offset or strides in checkpoint")
    arr = storage.array
    if dtype is not None and dtype is not storage.dtype:
        if not isinstance(dtype, D.dtype):
            raise pickle.UnpicklingError(f"invalid dtype in checkpoint: {dtype!r}")
        usable = arr.nbytes // dtype.itemsize * dtype.itemsize
        arr = arr.view(np.uint8)[:usable].view(dtype.np)
    isz = arr.itemsize
    numel = 1
    last = offset
    for n, s in zip(size, stride):
        numel *= n
        last += (n - 1) * s
    if numel and last >= arr.shape[0]:
        raise pickle.UnpicklingError(
            f"tensor of size {list(size)} with stride {list(stride)} at offset {offset} does "
            f"not fit in its storage of {arr.shape[0]} elements: the checkpoint is corrupted"
        )
    if not numel:
        offset = min(offset, arr.shape[0])
    strides = tuple(s * isz for s in stride)
    if isinstance(arr, np.ndarray):
        return np.ndarray(size, arr.dtype, buffer=arr, offset=offset * isz, strides=strides)
    xp = _backend(storage.device)
    return xp.lib.stride_tricks.as_strided(arr[offset:], size, strides)


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _make(_view(storage, storage_offset, size, stride))


def _rebuild_tensor_v2(
    storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None
):
    _check_metadata(metadata)
    t = _make(_view(storage, storage_offset, size, stride))
    if requires_grad:
        t.requires_grad_(bool(requires_grad))
    return t


def _rebuild_tensor_v3(
    storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None
):
    _check_metadata(metadata)
    t = _make(_view(storage, storage_offset, size, stride, dtype))
    if requires_grad:
        t.requires_grad_(bool(requires_grad))
    return t


def _check_metadata(metadata) -> None:
    if metadata and any(metadata.values()):
        raise RuntimeError(
            f"torchless cannot load tensors with conjugate or negative bits ({metadata})"
        )


def _param(data, requires_grad):
    from .nn.parameter import Parameter

    if not isinstance(data, Tensor):
        raise pickle.UnpicklingError(f"Parameter data must be a tensor, got {type(data)}")
    return Parameter(data, bool(requires_grad))


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return _param(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _set_state(_param(data, requires_grad), state)


def _set_state(obj, state):
    """Python attributes saved with a tensor (``t.foo = 1``), as torch's _set_obj_state;
    only new attribute names, never one that the class defines."""
    if state is None:
        return obj
    slots = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
    for part in (state, slots):
        if not part:
            continue
        if not isinstance(part, dict):
            raise pickle.UnpicklingError(f"invalid tensor state in checkpoint: {part!r}")
        for k, v in part.items():
            if type(k) is not str or k.startswith("__") or hasattr(type(obj), k):
                raise pickle.UnpicklingError(f"refusing to set attribute {k!r} from checkpoint")
            obj.__dict__[k] = v
    return obj


class _TensorType:
    """``torch.Tensor`` as a checkpoint names it (the type argument of
    ``_rebuild_from_type_v2``)."""

    def __repr__(self) -> str:
        return "torch.Tensor"


_TENSOR_TYPE = _TensorType()


def _rebuild_from_type_v2(func, new_type, args, state):
    if func not in _REBUILDERS:
        raise pickle.UnpicklingError(f"_rebuild_from_type_v2 got an unknown function {func!r}")
    if not isinstance(args, tuple):
        raise pickle.UnpicklingError("invalid arguments to _rebuild_from_type_v2")
    ret = func(*args)
    from .nn.parameter import Parameter

    if new_type is Parameter and not isinstance(ret, Parameter):
        ret = Parameter(ret, ret.requires_grad)
    elif new_type is not _TENSOR_TYPE and new_type is not Parameter:
        raise pickle.UnpicklingError(f"cannot rebuild a tensor of type {new_type!r}")
    return _set_state(ret, state)


def _rebuild_device_tensor_from_cpu_tensor(data, dtype, device, requires_grad):
    if not isinstance(data, Tensor) or not isinstance(dtype, D.dtype):
        raise pickle.UnpicklingError("invalid arguments to _rebuild_device_tensor_from_cpu_tensor")
    t = data.to(dtype)
    restore = getattr(_loading, "restore", None)
    dev = restore.target(str(device)) if restore is not None else str(device)
    if dev != "cpu":
        t = t.to(dev)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _make_size(*args):
    if len(args) != 1 or not isinstance(args[0], (tuple, list)):
        raise pickle.UnpicklingError("invalid torch.Size in checkpoint")
    return Size(_check_ints("size", tuple(args[0])))


def _make_device(*args):
    if not 1 <= len(args) <= 2 or type(args[0]) not in (str, int):
        raise pickle.UnpicklingError("invalid torch.device in checkpoint")
    if len(args) == 2 and args[1] is not None and type(args[1]) is not int:
        raise pickle.UnpicklingError("invalid torch.device in checkpoint")
    return _device_cls(*args)


def _get_layout(name):
    import torchless

    if name != "torch.strided":
        raise RuntimeError(f"torchless has no layout {name}")
    return torchless.strided


def _safe_encode(obj, encoding="utf-8", errors="strict"):
    # pickle protocol 2 writes bytes as _codecs.encode(str, 'latin1')
    if type(obj) is not str or encoding not in ("latin1", "latin-1", "utf-8", "utf8", "ascii"):
        raise pickle.UnpicklingError("_codecs.encode is allowed only to rebuild bytes")
    return obj.encode(encoding, "strict")


def _safe_bytearray(*args):
    if len(args) > 1 or (args and type(args[0]) not in (bytes, str, list)):
        raise pickle.UnpicklingError("bytearray is allowed only from bytes")
    if args and type(args[0]) is str:
        return bytearray(args[0], "latin1")
    if args and type(args[0]) is list and not all(type(v) is int for v in args[0]):
        raise pickle.UnpicklingError("bytearray is allowed only from bytes")
    return bytearray(*args)


_REBUILDERS = (
    _rebuild_tensor,
    _rebuild_tensor_v2,
    _rebuild_tensor_v3,
    _rebuild_parameter,
    _rebuild_parameter_with_state,
)


def _allowed_globals() -> dict[str, Any]:
    """What each global a checkpoint may name (as torch's weights-only unpickler allows
    them) means in torchless."""
    from .nn.parameter import Parameter

    g: dict[str, Any] = {
        "collections.OrderedDict": OrderedDict,
        "collections.Counter": Counter,
        "builtins.set": set,
        "builtins.complex": complex,
        "builtins.bytearray": _safe_bytearray,
        "_codecs.encode": _safe_encode,
        "torch.Size": _make_size,
        "torch.device": _make_device,
        "torch.Tensor": _TENSOR_TYPE,
        "torch.nn.parameter.Parameter": Parameter,
        "torch.serialization._get_layout": _get_layout,
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
        "torch._utils._rebuild_device_tensor_from_cpu_tensor": (
            _rebuild_device_tensor_from_cpu_tensor
        ),
        "torch.storage.UntypedStorage": _StorageType("UntypedStorage", D.uint8),
    }
    for f in _REBUILDERS:
        g["torch._utils." + f.__name__] = f
    for d in D.ALL_DTYPES:
        g["torch." + d.name] = d
        st = _StorageType(_STORAGE_NAME[d.name], d)
        g["torch." + st.name] = st
        g["torch.cuda." + st.name] = st
    return g


# torch allows these in weights-only checkpoints; torchless has nothing to build them
_UNSUPPORTED_GLOBALS = frozenset(
    [f"torch.{n}" for n in _UNSUPPORTED_STORAGES]
    + [f"torch.cuda.{n}" for n in _UNSUPPORTED_STORAGES]
    + [
        f"torch.{n}"
        for n in (
            "bfloat16 complex32 complex64 complex128 uint16 uint32 uint64 float8_e4m3fn "
            "float8_e4m3fnuz float8_e5m2 float8_e5m2fnuz float8_e8m0fnu float4_e2m1fn_x2 "
            "qint8 qint32 quint8 quint4x2 quint2x4 bits1x8 bits2x4 bits4x2 bits8 bits16 "
            "per_tensor_affine per_tensor_symmetric per_channel_affine "
            "per_channel_symmetric per_channel_affine_float_qparams"
        ).split()
    ]
    + [f"torch.int{i}" for i in range(1, 8)]
    + [f"torch.uint{i}" for i in range(1, 8)]
    + [
        "torch._utils." + n
        for n in (
            "_rebuild_qtensor _rebuild_sparse_tensor _rebuild_nested_tensor "
            "_rebuild_meta_tensor_no_storage _rebuild_wrapper_subclass "
            "_rebuild_device_tensor_from_numpy"
        ).split()
    ]
    + ["torch.storage.TypedStorage"]
)

# ----------------------------------------------------------------------------------------
# loading: the weights-only unpickler's table


_GLOBALS: dict[str, Any] | None = None


def _globals() -> dict[str, Any]:
    global _GLOBALS
    if _GLOBALS is None:
        _GLOBALS = _allowed_globals()
    return _GLOBALS


def _unsupported_global(full: str) -> RuntimeError | None:
    if full not in _UNSUPPORTED_GLOBALS:
        return None
    return RuntimeError(
        f"torchless cannot load {full}: the checkpoint holds a type or dtype that torchless "
        "does not implement (its dtypes: bool, uint8, int8, int16, int32, int64, float16, "
        "float32, float64). Convert it in PyTorch before saving, e.g. tensor.float()."
    )


# ----------------------------------------------------------------------------------------
# loading: the full unpickler (weights_only=False), for trusted files only


def _torch_to_torchless(module: str, name: str):
    """torch's global ``module.name`` as torchless names it."""
    full = f"{module}.{name}"
    g = _globals().get(full)
    if g is not None:
        return g
    err = _unsupported_global(full)
    if err is not None:
        raise err
    import importlib

    mod = "torchless" + module[len("torch") :]
    try:
        obj = importlib.import_module(mod)
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj
    except (ImportError, AttributeError):
        raise AttributeError(
            f"torchless has no equivalent of {full}, which the checkpoint names"
        ) from None


def _full_unpickler(pickle_module, file, persistent_load, **kwargs):
    class Unpickler(pickle_module.Unpickler):
        def find_class(self, module, name):
            if module == "torch" or module.startswith("torch."):
                return _torch_to_torchless(module, name)
            return super().find_class(module, name)

        def persistent_load(self, pid):
            return persistent_load(pid)

    return Unpickler(file, **kwargs)


# ----------------------------------------------------------------------------------------
# loading: map_location


_loading = threading.local()  # the map_location of the load running in this thread


class _Restore:
    """Where each storage goes: ``map_location`` applied to its saved location."""

    def __init__(self, map_location):
        ok = (str, bytes, dict, _device_cls)
        if not (map_location is None or isinstance(map_location, ok) or callable(map_location)):
            raise TypeError(
                "map_location must be a str, device, dict or callable, got "
                f"{type(map_location).__name__}"
            )
        self.map_location = map_location

    def target(self, location: str) -> str:
        m = self.map_location
        if isinstance(m, dict):
            return str(m.get(location, location))
        if isinstance(m, bytes):
            return m.decode()
        if isinstance(m, (str, _device_cls)):
            return str(m)
        return location

    def __call__(self, storage: _LoadedStorage, location: str) -> _LoadedStorage:
        m = self.map_location
        if callable(m):
            result = m(storage, location)
            if result is not None:
                if not isinstance(result, _LoadedStorage):
                    raise TypeError(
                        "map_location callable must return the storage it was given "
                        f"(moved or not) or None, got {type(result).__name__}"
                    )
                return result
        where = self.target(location)
        from ._device import as_device

        try:
            dev = as_device(where)
        except RuntimeError:
            raise RuntimeError(
                f"don't know how to restore data location of torch.storage.UntypedStorage "
                f"(tagged with {where})"
            ) from None
        if dev.type == "cpu":
            return storage
        if dev.type != "cuda":
            raise RuntimeError(f"torchless cannot load storages onto device '{where}'")
        return storage.to(dev)


# ----------------------------------------------------------------------------------------
# loading: the zip reader


def _zip_error(what: str) -> RuntimeError:
    return RuntimeError(
        f"PytorchStreamReader failed {what}. This is an internal miniz error. If you are "
        "seeing this error, there is a high likelihood that your checkpoint file is "
        "corrupted. This can happen if the file was not fully written (e.g. the process "
        "was interrupted while saving) or the file was damaged afterwards."
    )


class _ZipReader:
    """The records of a checkpoint archive, read straight from the file at their offsets."""

    def __init__(self, f, size: int):
        self.f = f
        self.size = size
        try:
            self.zf = zipfile.ZipFile(f)
            infos = self.zf.infolist()
        except zipfile.BadZipFile as e:
            msg = str(e)
            if "not a zip file" in msg.lower():
                raise _zip_error("reading zip archive: failed finding central directory") from None
            raise _zip_error(f"reading zip archive: {msg}") from None
        except (ValueError, struct.error, OverflowError, EOFError, NotImplementedError) as e:
            raise _zip_error(f"reading zip archive: {e}") from None
        if not infos:
            raise RuntimeError("archive does not contain any files")
        first = infos[0].filename
        if "/" not in first:
            raise RuntimeError(f"file in archive is not in a subdirectory: {first}")
        self.prefix = first[: first.index("/") + 1]
        self.infos = {i.filename: i for i in infos}

    def has(self, name: str) -> bool:
        return self.prefix + name in self.infos

    def info(self, name: str) -> zipfile.ZipInfo:
        info = self.infos.get(self.prefix + name)
        if info is None:
            raise _zip_error(f"locating file {name}: file not found")
        return info

    def offset(self, name: str) -> int:
        """Where the record's bytes start in the file (checked to lie inside it)."""
        info = self.info(name)
        if not 0 <= info.header_offset <= self.size - 30:
            raise _zip_error(f"reading file {name}: invalid header or archive is corrupted")
        self.f.seek(info.header_offset)
        header = self.f.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise _zip_error(f"reading file {name}: invalid header or archive is corrupted")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = info.header_offset + 30 + name_len + extra_len
        if start + info.compress_size > self.size:
            raise _zip_error(f"reading file {name}: file read failed (the file is truncated)")
        return start

    def read(self, name: str) -> bytes:
        info = self.info(name)
        if info.compress_type != zipfile.ZIP_STORED:
            self.offset(name)  # the same checks of its header
            try:
                return self.zf.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as e:
                raise _zip_error(f"reading file {name}: {e}") from None
        start = self.offset(name)
        self.f.seek(start)
        data = self.f.read(info.file_size)
        if len(data) != info.file_size:
            raise _zip_error(f"reading file {name}: file read failed")
        self._check_crc(name, info, data)
        return data

    def read_into(self, name: str, out: np.ndarray) -> None:
        """Read a record into ``out`` (a C-contiguous array of exactly its size)."""
        info = self.info(name)
        view = out.reshape(-1).view(np.uint8)
        if info.file_size != view.nbytes:
            raise RuntimeError(
                f"record size {info.file_size} mismatch with dst size {view.nbytes}"
            )
        if info.compress_type != zipfile.ZIP_STORED:
            view[:] = np.frombuffer(self.read(name), np.uint8)
            return
        self.f.seek(self.offset(name))
        if not _readinto_all(self.f, view):
            raise _zip_error(f"reading file {name}: file read failed")
        self._check_crc(name, info, view)

    @staticmethod
    def _check_crc(name, info, data) -> None:
        # torch writes a CRC-32 for every record (0 when told not to compute it)
        if info.CRC and zlib.crc32(data) != info.CRC:
            raise _zip_error(f"reading file {name}: CRC-32 check failed")


def _readinto_all(f, out: np.ndarray) -> bool:
    """Fill the uint8 array ``out`` from ``f``; False if the stream ends first."""
    mv = memoryview(out)
    got = 0
    while got < out.nbytes:
        n = f.readinto(mv[got:])
        if not n:
            return False
        got += n
    return True


def _storage_dtype(storage_type):
    if not isinstance(storage_type, _StorageType):
        raise pickle.UnpicklingError(f"invalid storage type in checkpoint: {storage_type!r}")
    return storage_type.dtype


def _load_zip(reader: _ZipReader, restore: _Restore, unpickle, mmap_path: str | None):
    swap = False
    if reader.has("byteorder"):
        order = reader.read("byteorder")
        if order not in (b"little", b"big"):
            raise ValueError("Unknown endianness type: " + order.decode(errors="replace"))
        swap = order.decode() != sys.byteorder
    mapped = None
    if mmap_path is not None:
        import mmap as _mmap

        with open(mmap_path, "rb") as fh:
            mapped = _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_COPY)
    loaded: dict[str, _LoadedStorage] = {}

    def persistent_load(pid):
        if len(pid) != 5:
            raise pickle.UnpicklingError(f"invalid storage id in checkpoint: {pid!r}")
        _, storage_type, key, location, numel = pid
        if isinstance(key, bytes):
            key = key.decode("ascii")
        if isinstance(location, bytes):
            location = location.decode("ascii")
        if type(key) is not str or type(location) is not str or type(numel) is not int:
            raise pickle.UnpicklingError(f"invalid storage id in checkpoint: {pid!r}")
        dtype = _storage_dtype(storage_type)
        s = loaded.get(key)
        if s is not None:
            if s.dtype is not dtype and s.array.nbytes % dtype.itemsize == 0:
                s = _LoadedStorage(s.array.view(dtype.np), dtype)
            return s
        name = f"data/{key}"
        nbytes = numel * dtype.itemsize
        info = reader.info(name)
        if numel < 0 or info.file_size != nbytes:
            raise RuntimeError(f"record size {info.file_size} mismatch with dst size {nbytes}")
        if mapped is not None and info.compress_type == zipfile.ZIP_STORED:
            arr = np.ndarray((numel,), dtype.np, buffer=mapped, offset=reader.offset(name))
        else:
            arr = np.empty(numel, dtype.np)
            reader.read_into(name, arr)
        if swap and dtype.itemsize > 1:
            arr.byteswap(inplace=True)
        s = restore(_LoadedStorage(arr, dtype), location)
        loaded[key] = s
        return s

    pkl = io.BytesIO(reader.read("data.pkl"))
    return unpickle(pkl, persistent_load)


def _load_legacy(f, size: int, restore: _Restore, unpickle):
    """The pre-1.6 format: the storages' bytes follow the pickles, so tensors are built
    first over empty storages, which are then filled."""

    def small_pickle():
        return unpickle(f, lambda pid: _refuse_pid(pid))

    magic = small_pickle()
    if magic != _MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file?")
    version = small_pickle()
    if version != _PROTOCOL_VERSION:
        raise RuntimeError(f"Invalid protocol version: {version}")
    sys_info = small_pickle()
    little = sys_info.get("little_endian", True) if isinstance(sys_info, dict) else True
    storages: dict[str, _LoadedStorage] = {}
    views: dict[str, _LoadedStorage] = {}

    def persistent_load(pid):
        if len(pid) == 2 and pid[0] == "module":
            raise pickle.UnpicklingError("torchless cannot load pickled torch modules")
        if len(pid) != 6:
            raise pickle.UnpicklingError(f"invalid storage id in checkpoint: {pid!r}")
        _, storage_type, key, location, numel, view_metadata = pid
        dtype = _storage_dtype(storage_type)
        if type(numel) is not int or numel < 0 or numel * dtype.itemsize > size:
            raise pickle.UnpicklingError(f"invalid storage size in checkpoint: {numel!r}")
        s = storages.get(key)
        if s is None:
            s = storages[key] = _LoadedStorage(np.zeros(numel, dtype.np), dtype)
        if view_metadata is None:
            return s
        view_key, offset, view_size = view_metadata
        v = views.get(view_key)
        if v is None:
            if offset < 0 or view_size < 0 or offset + view_size > s.size():
                raise pickle.UnpicklingError("invalid storage view in checkpoint")
            v = views[view_key] = _LoadedStorage(s.array[offset : offset + view_size], dtype)
        return v

    result = unpickle(f, persistent_load)
    keys = small_pickle()
    if not isinstance(keys, list):
        raise pickle.UnpicklingError("invalid storage list in checkpoint")
    for key in keys:
        s = storages.get(key)
        if s is None:
            raise RuntimeError(f"storage {key!r} is listed but not used in the checkpoint")
        head = f.read(8)
        if len(head) != 8:
            raise RuntimeError("the checkpoint is truncated: storage data is missing")
        numel = struct.unpack("<q", head)[0]
        if numel != s.size():
            raise RuntimeError(
                f"storage has wrong size: expected {s.size()} got {numel} (corrupted checkpoint)"
            )
        if not _readinto_all(f, s.array.view(np.uint8)):
            raise RuntimeError("the checkpoint is truncated: storage data is missing")
        if little != (sys.byteorder == "little") and s.dtype.itemsize > 1:
            s.array.byteswap(inplace=True)
    return result


def _refuse_pid(pid):
    raise pickle.UnpicklingError("unexpected persistent id in a checkpoint header")


def _is_path(f) -> bool:
    return isinstance(f, (str, bytes, os.PathLike))


def load(
    f,
    map_location=None,
    pickle_module: Any = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
    **pickle_load_args: Any,
) -> Any:
    """Load an object saved with ``torch.save`` or ``torchless.save``.

    Args:
        f: a path, or a binary file object with ``read`` (and ``seek``).
        map_location: where to put the storages: ``None`` (where they were saved), a
            device or device string (``'cpu'``), a dict mapping saved locations to new ones
            (``{'cuda:0': 'cpu'}``), or a callable ``(storage, location)`` returning the
            storage (moved) or ``None``.
        pickle_module: with ``weights_only=False``, the module whose ``Unpickler`` is used.
        weights_only: ``True`` (the default) loads only tensors, parameters, ordered dicts,
            and Python numbers, strings, bytes, containers; any other global raises
            ``pickle.UnpicklingError`` before it runs. ``False`` unpickles anything
            (torch's names mapped to torchless's): only for files you trust.
        mmap: map the file's tensor data into memory (copy-on-write) instead of reading it;
            ``f`` must be a path.

    Returns:
        the saved object, with torchless tensors where it held tensors.

    Example::

        >>> state = torch.load("model.pt", map_location="cpu")
        >>> model.load_state_dict(state)
    """
    if weights_only is None:
        weights_only = pickle_module is None
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_load_args and weights_only:
        import warnings

        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    encoding = pickle_load_args.pop("encoding", "utf-8")
    if pickle_module is None:
        pickle_module = pickle
    if _is_path(f) and os.fsdecode(f).endswith(".safetensors"):
        from . import safetensors as _st

        if isinstance(map_location, dict) or (
            callable(map_location) and not isinstance(map_location, _device_cls)
        ):
            raise RuntimeError(
                "Loading safetensors file with dict or callable map_location is not "
                "supported. Use a device string or torch.device instead."
            )
        return _st.load_file(os.fsdecode(f), device=str(map_location or "cpu"))
    restore = _Restore(map_location)

    def unpickle(stream, persistent_load):
        if weights_only:
            limit = _stream_size(stream)
            return _wo.Unpickler(
                stream,
                allowed=_globals(),
                persistent_load=persistent_load,
                encoding=encoding,
                limit=limit,
                unsupported=_unsupported_global,
            ).load()
        kwargs = dict(pickle_load_args, encoding=encoding)
        return _full_unpickler(pickle_module, stream, persistent_load, **kwargs).load()

    opened = None
    if _is_path(f):
        opened = fh = open(os.fsdecode(f), "rb")  # noqa: SIM115
    else:
        fh = f
        if not hasattr(fh, "read"):
            raise AttributeError(f"'{type(f).__name__}' object has no attribute 'read'")
        if not _seekable(fh):
            fh = io.BytesIO(fh.read())
    previous = getattr(_loading, "restore", None)
    _loading.restore = restore
    try:
        start = fh.tell()
        magic = fh.read(4)
        fh.seek(start)
        size = _stream_size(fh)
        if magic == b"PK\x03\x04":
            if start:  # an archive that starts inside a larger stream
                fh = io.BytesIO(fh.read())
                size = _stream_size(fh)
            reader = _ZipReader(fh, size)
            if reader.has("constants.pkl") or reader.has("code/__torch__.py"):
                raise RuntimeError(
                    "torchless cannot load TorchScript archives (torch.jit.save); save a "
                    "state_dict with torch.save instead"
                )
            if mmap:
                if opened is None:
                    raise ValueError("f must be a file path in order to use the mmap argument")
                mmap_path = os.fsdecode(f)
            else:
                mmap_path = None
            return _guard(weights_only, lambda: _load_zip(reader, restore, unpickle, mmap_path))
        if mmap:
            name = "" if not isinstance(f, str) else f"{f}, "
            raise RuntimeError(
                "mmap can only be used with files saved with "
                f"`torch.save({name}_use_new_zipfile_serialization=True), please torch.save "
                "your checkpoint with this option in order to use mmap."
            )
        if size == 0:
            raise EOFError("Ran out of input")
        if restore.target(_CPU_TAG) != _CPU_TAG:
            raise RuntimeError("torchless loads legacy-format checkpoints on the CPU only")
        return _guard(weights_only, lambda: _load_legacy(fh, size, restore, unpickle))
    finally:
        _loading.restore = previous
        if opened is not None:
            opened.close()


def _guard(weights_only: bool, fn):
    if not weights_only:
        return fn()
    try:
        return fn()
    except pickle.UnpicklingError as e:
        raise pickle.UnpicklingError(_wo.weights_only_message(str(e))) from None


def _seekable(f) -> bool:
    try:
        return bool(f.seekable()) if hasattr(f, "seekable") else (f.seek(0, 1) is not None)
    except (OSError, AttributeError, ValueError):
        return False


def _stream_size(f: IO[bytes]) -> int | None:
    try:
        here = f.tell()
        end = f.seek(0, 2)
        f.seek(here)
        return end
    except (OSError, AttributeError, ValueError):
        return None
