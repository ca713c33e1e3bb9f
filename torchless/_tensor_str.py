"""Tensor printing, character for character as torch 2.13 prints.

``repr(t)`` and ``str(t)`` both give ``tensor_repr(t)``: the values laid out as
nested lists by one formatter shared by every element, then suffixes
(``device=``, ``size=``, ``dtype=``, ``grad_fn=`` or ``requires_grad=True``).

The formatter looks at the values that will be printed (only the edges when the
tensor is summarised) and picks one of three styles for floats:

* integer style (``1.``, ``-3.``) when every finite non-zero value is whole;
* fixed style (``1.2346``) with ``precision`` decimals;
* scientific style (``1.2346e+08``) when the largest magnitude is over ``1e8``,
  the smallest under ``1e-4``, or their ratio over ``1000`` (unless
  ``sci_mode`` forces it either way).

All elements are right-aligned to the widest one, measured on the finite
non-zero values only, as torch does. Values are formatted as Python floats
(float64), which is what torch's ``item()`` gives for every float dtype.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from torchless._dtype import get_default_dtype

__all__ = [
    "PRINT_OPTS",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    "tensor_repr",
    "tensor_format",
]


class _PrinterOptions:
    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self) -> None:
        self.precision: int = 4
        self.threshold: float = 1000
        self.edgeitems: int = 3
        self.linewidth: int = 80
        self.sci_mode: bool | None = None

    def __repr__(self) -> str:
        return f"_PrinterOptions({get_printoptions()})"


PRINT_OPTS = _PrinterOptions()

_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set options for printing tensors (as NumPy's ``set_printoptions``).

    Args:
        precision: digits after the decimal point for floats (default 4).
        threshold: a tensor with more elements than this is summarised with
            ``...`` (default 1000).
        edgeitems: items kept at the start and end of each summarised
            dimension (default 3).
        linewidth: characters per line before a row of values wraps (default 80).
        profile: ``"default"``, ``"short"`` or ``"full"``: resets precision,
            threshold, edgeitems and linewidth first; the other arguments
            override it. An unknown name is ignored.
        sci_mode: ``True`` or ``False`` forces scientific notation on or off;
            ``None`` lets each tensor choose. Like torch, every call sets it,
            so a call without ``sci_mode`` resets it to ``None``.

    Example::

        >>> set_printoptions(precision=2)
        >>> set_printoptions(profile="default")
    """
    if profile is not None and profile in _PROFILES:
        (
            PRINT_OPTS.precision,
            PRINT_OPTS.threshold,
            PRINT_OPTS.edgeitems,
            PRINT_OPTS.linewidth,
        ) = _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """Return the current print options as a dict ``set_printoptions(**d)`` accepts."""
    return {
        "precision": PRINT_OPTS.precision,
        "threshold": PRINT_OPTS.threshold,
        "edgeitems": PRINT_OPTS.edgeitems,
        "linewidth": PRINT_OPTS.linewidth,
        "sci_mode": PRINT_OPTS.sci_mode,
    }


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Context manager that sets print options and restores the old ones on exit.

    Takes the same arguments as :func:`set_printoptions`.
    """
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """Chooses one style and one width for all the elements of a tensor."""

    __slots__ = ("floating", "int_mode", "sci_mode", "max_width", "_spec")

    def __init__(self, values: np.ndarray, floating: bool) -> None:
        # ``values``: the (possibly summarised) elements, flattened.
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        self._spec = ".0f"  # the float style when no element is finite and non-zero
        precision = PRINT_OPTS.precision
        if not floating:
            if values.size:
                if values.dtype == np.bool_:
                    widths = [len(str(v)) for v in np.unique(values).tolist()]
                else:
                    # str(int) is longest at one of the two extremes
                    widths = [len(str(values.min().item())), len(str(values.max().item()))]
                self.max_width = max(self.max_width, *widths)
            return

        values = values.astype(np.float64)
        finite = values[np.isfinite(values) & (values != 0)]
        if finite.size == 0:
            return
        magnitude = np.abs(finite)
        lo = float(magnitude.min())
        hi = float(magnitude.max())
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        else:
            self.sci_mode = PRINT_OPTS.sci_mode

        if self.sci_mode:
            spec, extra = f".{precision}e", 0
        elif self.int_mode:
            spec, extra = ".0f", 1  # room for the trailing "."
        else:
            spec, extra = f".{precision}f", 0
        width = max(len(format(v, spec)) for v in finite.tolist()) + extra
        self.max_width = max(self.max_width, width)
        self._spec = f"{self.max_width}{spec}" if self.sci_mode else spec

    def format(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        else:
            text = format(value, self._spec)
            if self.int_mode and not self.sci_mode and math.isfinite(value):
                text += "."
        return text.rjust(self.max_width)


def _summarized_values(a: np.ndarray, edge: int) -> np.ndarray:
    """The elements a summarised print shows, flattened (torch's get_summarized_data)."""
    if a.ndim == 0:
        return a.reshape(1)
    if a.ndim == 1:
        if a.shape[0] > 2 * edge:
            # a[-0:] is the whole array: torch's edgeitems=0 quirk, kept on purpose
            return np.concatenate((a[:edge], a[-edge:]))
        return a
    if not edge:
        return a.reshape(-1)[:0]
    n = a.shape[0]
    rows = list(range(edge)) + list(range(n - edge, n)) if n > 2 * edge else range(n)
    return np.concatenate([_summarized_values(a[i], edge) for i in rows])


def _to_python(a: np.ndarray, floating: bool) -> list:
    return (a.astype(np.float64) if floating else a).tolist()


def _vector_str(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    edge = PRINT_OPTS.edgeitems
    # each element takes its width plus ", "
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / (fmt.max_width + 2)))
    if summarize and not edge:
        data = ["..."]
    elif summarize and a.shape[0] > 2 * edge:
        data = (
            [fmt.format(v) for v in _to_python(a[:edge], fmt.floating)]
            + [" ..."]
            + [fmt.format(v) for v in _to_python(a[-edge:], fmt.floating)]
        )
    else:
        data = [fmt.format(v) for v in _to_python(a, fmt.floating)]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if a.ndim == 0:
        return fmt.format(_to_python(a, fmt.floating))
    if a.ndim == 1:
        return _vector_str(a, indent, summarize, fmt)
    edge = PRINT_OPTS.edgeitems
    n = a.shape[0]
    if summarize and n > 2 * edge:
        slices = (
            [_nested_str(a[i], indent + 1, summarize, fmt) for i in range(edge)]
            + ["..."]
            + [_nested_str(a[i], indent + 1, summarize, fmt) for i in range(n - edge, n)]
        )
    else:
        slices = [_nested_str(a[i], indent + 1, summarize, fmt) for i in range(n)]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _values_str(a: np.ndarray, floating: bool, indent: int) -> str:
    if a.size == 0:
        return "[]"
    summarize = a.size > PRINT_OPTS.threshold
    shown = _summarized_values(a, PRINT_OPTS.edgeitems) if summarize else a.reshape(-1)
    return _nested_str(a, indent, summarize, _Formatter(shown, floating))


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    parts = [text]
    # torch's count: two more than the last line's length
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _is_parameter(t: Any) -> bool:
    cls = type(t)
    return bool(getattr(cls, "_is_parameter", False)) or cls.__name__ == "Parameter"


def _is_torchless_class(t: Any) -> bool:
    # torch prints "tensor(" for Tensor and Parameter, and the class name for
    # subclasses users define.
    return type(t).__module__.split(".", 1)[0] == "torchless"


def _device_str(device: Any) -> str:
    if device.index is None:
        return device.type
    return f"{device.type}:{device.index}"


def _grad_fn_name(grad_fn: Any) -> str:
    name = getattr(grad_fn, "name", None)
    # torch prints the class name: 'CopySlices', not 'torch::autograd::CopySlices'
    return (name() if callable(name) else type(grad_fn).__name__).rsplit("::", 1)[-1]


def _body_repr(t: Any, tensor_contents: str | None) -> str:
    plain = _is_torchless_class(t)
    prefix = "tensor(" if plain else f"{type(t).__name__}("
    indent = len(prefix)
    dtype = t.dtype
    default = get_default_dtype()
    shape = tuple(int(s) for s in t.shape)
    suffixes = []

    device = t.device
    if device.type != "cpu":
        suffixes.append(f"device='{_device_str(device)}'")

    numel = math.prod(shape)
    if numel == 0:
        # torch prints the size unless it is (0,), and the dtype unless it is
        # the default float dtype: no element tells the reader it is int64
        if len(shape) != 1:
            suffixes.append(f"size={shape}")
        if dtype is not default:
            suffixes.append(f"dtype={dtype!r}")
        body = "[]" if tensor_contents is None else tensor_contents
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={shape}")
        if not (dtype is default or dtype.name in ("int64", "bool")):
            suffixes.append(f"dtype={dtype!r}")
        if tensor_contents is None:
            values = np.asarray(t._host()).reshape(shape)
            body = _values_str(values, bool(dtype.is_floating_point), indent)
        else:
            body = tensor_contents

    grad_fn = t.grad_fn
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{_grad_fn_name(grad_fn)}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")

    text = _add_suffixes(prefix + body, suffixes, indent)
    if _is_parameter(t) and not plain:
        text = f"Parameter({text})"
    return text


def tensor_repr(t: Any, tensor_contents: str | None = None) -> str:
    """What ``repr(t)`` and ``str(t)`` give, e.g. ``tensor([1., 2.], requires_grad=True)``.

    Parameters are preceded by a ``Parameter containing:`` line, as in torch.
    ``tensor_contents``, as in ``torch.Tensor.__repr__``, replaces the printed
    values; the suffixes stay.
    """
    text = _body_repr(t, tensor_contents)
    if _is_parameter(t):
        return "Parameter containing:\n" + text
    return text


def tensor_format(t: Any, spec: str) -> str:
    """``Tensor.__format__``: as torch, a 0-d plain tensor formats its Python value.

    Anything else goes to ``object.__format__``: ``str(t)`` for an empty spec,
    ``TypeError`` otherwise (so ``f"{t:.3f}"`` needs a 0-d tensor, not a
    one-element one).
    """
    if len(t.shape) == 0 and _is_torchless_class(t) and not _is_parameter(t):
        return format(np.asarray(t._host()).item(), spec)
    return object.__format__(t, spec)
