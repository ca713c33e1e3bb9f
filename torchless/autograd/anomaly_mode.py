"""Anomaly detection: remember where each graph node was created, and in
backward report the forward traceback of a node that failed or produced NaN."""

from __future__ import annotations

import os
import traceback
import warnings

__all__ = [
    "detect_anomaly",
    "set_detect_anomaly",
    "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled",
]


class _Anomaly:
    enabled = False
    check_nan = True


_state = _Anomaly()
_PKG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def is_anomaly_enabled() -> bool:
    return _state.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return _state.check_nan


def forward_stack() -> str:
    """The user's part of the current stack (torchless's own frames dropped)."""
    frames = [f for f in traceback.extract_stack()[:-1] if not f.filename.startswith(_PKG_DIR)]
    return "".join(traceback.format_list(frames))


def report(node) -> None:
    """Warn with the forward traceback of ``node`` (as torch does)."""
    stack = node.metadata.get("traceback_", "")
    warnings.warn(
        f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n"
        f"{stack}",
        UserWarning,
        stacklevel=2,
    )


class detect_anomaly:
    """Context manager and decorator that enables anomaly detection."""

    def __init__(self, check_nan: bool = True):
        self.check_nan = check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging.",
            UserWarning,
            stacklevel=2,
        )

    def __enter__(self):
        self._prev = (_state.enabled, _state.check_nan)
        _state.enabled, _state.check_nan = True, self.check_nan

    def __exit__(self, *exc):
        _state.enabled, _state.check_nan = self._prev
        return False

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly:
    """Turn anomaly detection on or off (immediately; restores on exit when
    used as a context manager)."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self._prev = (_state.enabled, _state.check_nan)
        _state.enabled, _state.check_nan = bool(mode), check_nan

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.enabled, _state.check_nan = self._prev
        return False
