"""Shared test setup."""

try:  # one BLAS thread: on a 2-core machine shared with torch, more threads only thrash
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
except ImportError:  # pragma: no cover
    pass
