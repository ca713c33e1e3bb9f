"""Grad mode: whether ops record a graph. Thread-local, as in torch.

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``inference_mode``
work both as context managers and as decorators.
"""

from __future__ import annotations

import functools
import inspect
import threading

__all__ = [
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
]


class _State(threading.local):
    def __init__(self):
        self.enabled = True
        self.inference = False


_state = _State()


def is_grad_enabled() -> bool:
    """True when operations record a graph for autograd."""
    return _state.enabled


def is_inference_mode_enabled() -> bool:
    return _state.inference


class _DecoratorContextManager:
    """A context manager that also decorates functions (and generators)."""

    def __call__(self, func):
        if inspect.isclass(func):
            raise RuntimeError(f"{type(self).__name__} cannot decorate a class")
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def gen_wrapper(*args, **kwargs):
                gen = func(*args, **kwargs)
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self.clone():
                            gen.close()
                        raise
                    except BaseException as e:
                        with self.clone():
                            response = gen.throw(e)
                    else:
                        with self.clone():
                            response = gen.send(request)

            return gen_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        return type(self)()


class no_grad(_DecoratorContextManager):
    """Disable graph recording inside the block or decorated function."""

    def __new__(cls, orig_func=None):
        if orig_func is not None:  # bare @no_grad, as torch allows
            return cls()(orig_func)
        return super().__new__(cls)

    def __init__(self, orig_func=None):
        self._prev = []

    def __enter__(self):
        self._prev.append(_state.enabled)
        _state.enabled = False

    def __exit__(self, *exc):
        _state.enabled = self._prev.pop()
        return False


class enable_grad(_DecoratorContextManager):
    """Enable graph recording inside the block, even under no_grad."""

    def __init__(self):
        self._prev = []

    def __enter__(self):
        self._prev.append(_state.enabled)
        _state.enabled = True

    def __exit__(self, *exc):
        _state.enabled = self._prev.pop()
        return False


class set_grad_enabled(_DecoratorContextManager):
    """Set grad mode on or off. Takes effect at once, and as a context
    manager restores the previous mode on exit."""

    def __init__(self, mode: bool):
        self._prev = _state.enabled
        self.mode = bool(mode)
        _state.enabled = self.mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False

    def clone(self):
        return type(self)(self.mode)

    def __call__(self, func):
        # as a decorator, the constructor must not have changed the mode
        _state.enabled = self._prev
        return super().__call__(func)


class inference_mode(_DecoratorContextManager):
    """Like no_grad (torch additionally marks tensors as inference tensors)."""

    def __init__(self, mode: bool = True):
        self.mode = mode
        self._prev = []

    def __new__(cls, mode=True):
        if callable(mode):  # bare @inference_mode
            return cls()(mode)
        return super().__new__(cls)

    def __enter__(self):
        self._prev.append((_state.enabled, _state.inference))
        if self.mode:
            _state.enabled = False
            _state.inference = True

    def __exit__(self, *exc):
        _state.enabled, _state.inference = self._prev.pop()
        return False

    def clone(self):
        return type(self)(self.mode)
