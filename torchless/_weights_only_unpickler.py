"""The unpickler behind ``torchless.load(weights_only=True)``.

It reads a checkpoint's pickle one opcode at a time, as ``pickle`` does, but builds only
what an allow-list names: globals come only from that table (torch's rebuild functions,
dtypes, storage types, ``OrderedDict``, ``set``...), calls (REDUCE, NEWOBJ) go only to
callables from it, and BUILD only adds new attributes to ordered dicts or instances of
classes the user allowed. Anything else raises ``pickle.UnpicklingError`` naming it,
before it runs: ``os.system``, ``builtins.eval``, ``getattr`` chains, arbitrary classes.
The opcodes are those of pickle protocols 2 to 5 that plain data needs; there is no
recursion, and no read asks for more bytes than the stream holds.

Mirrors ``torch/_weights_only_unpickler.py``; ``add_safe_globals`` and ``safe_globals``
extend the allow-list as torch's do.
"""

from __future__ import annotations

import _compat_pickle
import pickle
import struct
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "Unpickler",
    "add_safe_globals",
    "clear_safe_globals",
    "get_safe_globals",
    "safe_globals",
    "weights_only_message",
]

# modules never allowed, even if a user allowlists something from them
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
_user_globals: dict[str, Any] = {}


def add_safe_globals(safe_globals: list) -> None:
    """Allow these globals (classes or functions, or ``(obj, "module.name")`` pairs) in
    checkpoints loaded with ``weights_only=True``. Only for globals you trust."""
    for g in safe_globals:
        if isinstance(g, tuple):
            if len(g) != 2:
                raise ValueError(
                    "Expected tuple of length 2 (global, str of callable full path), but got "
                    f"tuple of length: {len(g)}"
                )
            if type(g[1]) is not str:
                raise TypeError(
                    "Expected second item in tuple to be str of callable full path, but got: "
                    f"{type(g[1])}"
                )
            _user_globals[g[1]] = g[0]
        else:
            _user_globals[f"{g.__module__}.{g.__qualname__}"] = g


def get_safe_globals() -> list:
    """The globals allowed by :func:`add_safe_globals`."""
    return list(_user_globals.values())


def clear_safe_globals() -> None:
    """Forget every global allowed by :func:`add_safe_globals`."""
    _user_globals.clear()


class safe_globals:
    """Context manager that allows ``safe_globals`` for the loads inside it."""

    def __init__(self, safe_globals: list):
        self.safe_globals = safe_globals

    def __enter__(self):
        self._saved = dict(_user_globals)
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc):
        _user_globals.clear()
        _user_globals.update(self._saved)


def _fix_name(module: str, name: str) -> tuple[str, str]:
    # Python 2 names, as pickle's fix_imports maps them (protocol 2 writes '__builtin__')
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


class _Truncated(EOFError):
    pass


class Unpickler:
    """Unpickle ``file`` building only what ``allowed`` names.

    Args:
        file: a binary stream positioned at the pickle.
        allowed: ``"module.name"`` -> the object that global stands for.
        persistent_load: called with each persistent id (a tuple tagged ``"storage"``).
        encoding: how to decode Python 2 ``str`` (``"bytes"`` keeps bytes).
        limit: the stream's size, when known: no read may ask for more.
        unsupported: called with a global's full name that ``allowed`` lacks; may return
            an exception to raise instead of the ``UnpicklingError`` (for names that are
            safe but not implemented).
    """

    def __init__(
        self,
        file,
        *,
        allowed: Mapping[str, Any],
        persistent_load: Callable,
        encoding: str = "utf-8",
        limit: int | None = None,
        unsupported: Callable[[str], Exception | None] | None = None,
    ):
        self.file = file
        self.allowed = allowed
        self.persistent_load = persistent_load
        self.encoding = encoding
        self.limit = limit
        self.unsupported = unsupported
        user = list(_user_globals.values())
        self._callables = {id(v) for v in (*allowed.values(), *user) if callable(v)}
        self._classes = tuple(v for v in (*allowed.values(), *user) if isinstance(v, type))
        self._user_types = tuple(v for v in user if isinstance(v, type))

    def _read(self, n: int) -> bytes:
        if self.limit is not None and n > self.limit - self.file.tell():
            raise _Truncated
        data = self.file.read(n)
        if len(data) != n:
            raise _Truncated
        return data

    def _readline(self) -> str:
        line = self.file.readline()
        if not line.endswith(b"\n"):
            raise _Truncated
        return line[:-1].decode("utf-8")

    def _find(self, module: str, name: str):
        module, name = _fix_name(module, name)
        full = f"{module}.{name}"
        if module in _BLOCKED_MODULES:
            raise pickle.UnpicklingError(
                f"Trying to load unsupported GLOBAL {full} whose module {module} is blocked."
            )
        g = self.allowed.get(full)
        if g is None:
            g = _user_globals.get(full)
        if g is not None:
            return g
        if self.unsupported is not None:
            err = self.unsupported(full)
            if err is not None:
                raise err
        shown = full[len("builtins.") :] if full.startswith("builtins.") else full
        raise pickle.UnpicklingError(
            f"Unsupported global: GLOBAL {shown} was not an allowed global by default. Please "
            f"use `torch.serialization.add_safe_globals([{shown}])` or the "
            f"`torch.serialization.safe_globals([{shown}])` context manager to allowlist this "
            "global if you trust this class/function."
        )

    def load(self):
        """The unpickled object."""
        try:
            return self._load()
        except _Truncated:
            raise pickle.UnpicklingError("pickle data was truncated") from None
        except pickle.UnpicklingError:
            raise
        except (IndexError, KeyError, TypeError, ValueError, struct.error, OverflowError) as e:
            raise pickle.UnpicklingError(
                f"the checkpoint's pickle is invalid or corrupted ({type(e).__name__}: {e})"
            ) from None

    def _load(self):  # noqa: C901  (one branch per opcode, as pickle's own loop)
        read = self._read
        stack: list = []
        metastack: list = []
        memo: dict = {}
        append = stack.append
        unpack = struct.unpack
        U = pickle.UnpicklingError

        def pop_mark():
            nonlocal stack, append
            items = stack
            stack = metastack.pop()
            append = stack.append
            return items

        while True:
            op = self.file.read(1)
            if not op:
                raise _Truncated
            c = op[0]
            if c == 0x80:  # PROTO
                proto = read(1)[0]
                if proto > pickle.HIGHEST_PROTOCOL:
                    raise U(f"unsupported pickle protocol: {proto}")
            elif c == 0x95:  # FRAME
                read(8)
            elif c == 0x2E:  # STOP
                return stack.pop()
            elif c == 0x28:  # MARK
                metastack.append(stack)
                stack = []
                append = stack.append
            elif c == 0x58:  # BINUNICODE
                append(str(read(unpack("<I", read(4))[0]), "utf-8", "surrogatepass"))
            elif c == 0x8C:  # SHORT_BINUNICODE
                append(str(read(read(1)[0]), "utf-8", "surrogatepass"))
            elif c == 0x8D:  # BINUNICODE8
                append(str(read(unpack("<Q", read(8))[0]), "utf-8", "surrogatepass"))
            elif c == 0x71:  # BINPUT
                memo[read(1)[0]] = stack[-1]
            elif c == 0x72:  # LONG_BINPUT
                memo[unpack("<I", read(4))[0]] = stack[-1]
            elif c == 0x94:  # MEMOIZE
                memo[len(memo)] = stack[-1]
            elif c == 0x68:  # BINGET
                append(memo[read(1)[0]])
            elif c == 0x6A:  # LONG_BINGET
                append(memo[unpack("<I", read(4))[0]])
            elif c == 0x4B:  # BININT1
                append(read(1)[0])
            elif c == 0x4D:  # BININT2
                append(unpack("<H", read(2))[0])
            elif c == 0x4A:  # BININT
                append(unpack("<i", read(4))[0])
            elif c == 0x8A:  # LONG1
                append(int.from_bytes(read(read(1)[0]), "little", signed=True))
            elif c == 0x8B:  # LONG4
                n = unpack("<i", read(4))[0]
                if n < 0:
                    raise U("LONG pickle has negative byte count")
                append(int.from_bytes(read(n), "little", signed=True))
            elif c == 0x47:  # BINFLOAT
                append(unpack(">d", read(8))[0])
            elif c == 0x4E:  # NONE
                append(None)
            elif c == 0x88:  # NEWTRUE
                append(True)
            elif c == 0x89:  # NEWFALSE
                append(False)
            elif c == 0x29:  # EMPTY_TUPLE
                append(())
            elif c == 0x85:  # TUPLE1
                stack[-1] = (stack[-1],)
            elif c == 0x86:  # TUPLE2
                stack[-2:] = [(stack[-2], stack[-1])]
            elif c == 0x87:  # TUPLE3
                stack[-3:] = [(stack[-3], stack[-2], stack[-1])]
            elif c == 0x74:  # TUPLE
                items = tuple(pop_mark())
                append(items)
            elif c == 0x5D:  # EMPTY_LIST
                append([])
            elif c == 0x6C:  # LIST
                items = pop_mark()
                append(items)
            elif c == 0x7D:  # EMPTY_DICT
                append({})
            elif c == 0x64:  # DICT
                items = pop_mark()
                append({items[i]: items[i + 1] for i in range(0, len(items), 2)})
            elif c == 0x8F:  # EMPTY_SET
                append(set())
            elif c == 0x91:  # FROZENSET
                items = pop_mark()
                append(frozenset(items))
            elif c == 0x61:  # APPEND
                item = stack.pop()
                if type(stack[-1]) is not list:
                    raise U(f"Can only append to lists, but got {type(stack[-1])}")
                stack[-1].append(item)
            elif c == 0x65:  # APPENDS
                items = pop_mark()
                if type(stack[-1]) is not list:
                    raise U(f"Can only extend lists, but got {type(stack[-1])}")
                stack[-1].extend(items)
            elif c == 0x73:  # SETITEM
                v = stack.pop()
                k = stack.pop()
                self._check_dict(stack[-1], "SETITEM")
                stack[-1][k] = v
            elif c == 0x75:  # SETITEMS
                items = pop_mark()
                target = stack[-1]
                self._check_dict(target, "SETITEMS")
                for i in range(0, len(items), 2):
                    target[items[i]] = items[i + 1]
            elif c == 0x90:  # ADDITEMS
                items = pop_mark()
                if type(stack[-1]) is not set:
                    raise U(f"Can only add items to sets, but got {type(stack[-1])}")
                stack[-1].update(items)
            elif c == 0x63:  # GLOBAL
                module = self._readline()
                name = self._readline()
                append(self._find(module, name))
            elif c == 0x93:  # STACK_GLOBAL
                name = stack.pop()
                module = stack.pop()
                if type(name) is not str or type(module) is not str:
                    raise U("STACK_GLOBAL requires str")
                append(self._find(module, name))
            elif c == 0x52:  # REDUCE
                args = stack.pop()
                func = stack[-1]
                if id(func) not in self._callables or not isinstance(args, tuple):
                    raise U(f"Trying to call reduce for unrecognized function {func!r}")
                stack[-1] = func(*args)
            elif c == 0x81:  # NEWOBJ
                args = stack.pop()
                cls = stack.pop()
                append(self._newobj(cls, args))
            elif c == 0x62:  # BUILD
                state = stack.pop()
                self._build(stack[-1], state)
            elif c == 0x51:  # BINPERSID
                pid = stack.pop()
                if type(pid) is not tuple or not pid:
                    raise U(f"persistent_load id must be a tuple, but got {type(pid)}")
                tag = pid[0].decode("ascii") if isinstance(pid[0], bytes) else pid[0]
                if tag != "storage":
                    raise U(f"Only persistent_load of storage is allowed, but got {tag!r}")
                append(self.persistent_load(pid))
            elif c == 0x42:  # BINBYTES
                append(read(unpack("<I", read(4))[0]))
            elif c == 0x43:  # SHORT_BINBYTES
                append(read(read(1)[0]))
            elif c == 0x8E:  # BINBYTES8
                append(read(unpack("<Q", read(8))[0]))
            elif c == 0x96:  # BYTEARRAY8
                append(bytearray(read(unpack("<Q", read(8))[0])))
            elif c == 0x55:  # SHORT_BINSTRING (a Python 2 str)
                append(self._decode_str(read(read(1)[0])))
            elif c == 0x54:  # BINSTRING
                n = unpack("<i", read(4))[0]
                if n < 0:
                    raise U("BINSTRING pickle has negative byte count")
                append(self._decode_str(read(n)))
            elif c == 0x30:  # POP
                if stack:
                    stack.pop()
                else:
                    pop_mark()
            elif c == 0x31:  # POP_MARK
                pop_mark()
            elif c == 0x32:  # DUP
                append(stack[-1])
            else:
                raise U(f"Unsupported operand {c}")

    def _decode_str(self, data: bytes):
        if self.encoding == "bytes":
            return data
        return data.decode(self.encoding, "strict")

    @staticmethod
    def _check_dict(target, opcode: str) -> None:
        if type(target) not in (dict, OrderedDict, Counter):
            raise pickle.UnpicklingError(
                f"Can only {opcode} for dict, collections.OrderedDict, collections.Counter, "
                f"but got {type(target)}"
            )

    def _newobj(self, cls, args):
        if not isinstance(args, tuple):
            raise pickle.UnpicklingError("NEWOBJ arguments must be a tuple")
        if not any(cls is c for c in self._classes):
            raise pickle.UnpicklingError(
                "Can only create new object for nn.Parameter or classes allowlisted via "
                f"`add_safe_globals` but got {cls}"
            )
        return cls.__new__(cls, *args)

    def _build(self, inst, state) -> None:
        t = type(inst)
        if t in (OrderedDict, Counter):
            if state is None:
                return
            if isinstance(state, tuple) and len(state) == 2 and state[1] is None:
                state = state[0]
            if not isinstance(state, dict):
                raise pickle.UnpicklingError(f"invalid state for {t.__name__} in checkpoint")
            for k, v in state.items():
                # new attributes only (``_metadata``), never one that shadows a method
                if type(k) is not str or k.startswith("__") or hasattr(t, k):
                    raise pickle.UnpicklingError(
                        f"refusing to set attribute {k!r} of {t.__name__} from checkpoint"
                    )
                inst.__dict__[k] = v
            return
        if any(t is c for c in self._user_types):
            setstate = getattr(inst, "__setstate__", None)
            if setstate is not None:
                setstate(state)
                return
            slotstate = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slotstate = state
            if state:
                inst.__dict__.update(state)
            if slotstate:
                for k, v in slotstate.items():
                    setattr(inst, k, v)
            return
        if not state and hasattr(inst, "_is_parameter"):  # a tensor with no state
            return
        raise pickle.UnpicklingError(
            "Can only build Tensor, Parameter, OrderedDict or types allowlisted via "
            f"`add_safe_globals`, but got {t}"
        )


_UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in "
    "`torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` set to "
    "`False` will likely succeed, but it can result in arbitrary code execution. Do it only if "
    "you got the file from a trusted source."
)
_DOCS_MESSAGE = (
    "\n\nCheck the documentation of torch.load to learn more about types accepted by default "
    "with weights_only https://pytorch.org/docs/stable/generated/torch.load.html."
)


def weights_only_message(message: str) -> str:
    """The wording ``torch.load`` wraps around its weights-only unpickler's errors."""
    if "was not an allowed global by default." in message:
        return (
            "Weights only load failed. This file can still be loaded, to do so you have two "
            "options, \033[1mdo those steps only if you trust the source of the "
            f"checkpoint\033[0m. \n\t(1) {_UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with "
            "`weights_only=True` please check the recommended steps in the following error "
            "message.\n\tWeightsUnpickler error: " + message + _DOCS_MESSAGE
        )
    out = f"Weights only load failed. {_UNSAFE_MESSAGE}\n"
    if "is blocked" not in message:
        out += (
            "Please file an issue with the following so that we can make `weights_only=True` "
            "compatible with your use case: WeightsUnpickler error: "
        )
    return out + "\n\n" + message + _DOCS_MESSAGE
