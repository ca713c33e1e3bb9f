"""A small text progress bar for the examples (no dependency on tqdm).

On a terminal the bar redraws in place; elsewhere (CI logs, pipes) it prints
one line when each stage finishes.
"""

from __future__ import annotations

import sys
import time


class Progress:
    """``for batch in Progress(loader, desc="epoch 1/5"): ...; bar.set(loss=...)``."""

    def __init__(self, iterable, desc: str = "", width: int = 24, stream=None):
        self.iterable = iterable
        self.desc = desc
        self.width = width
        self.stream = stream or sys.stdout
        self.total = len(iterable) if hasattr(iterable, "__len__") else None
        self.info = ""
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def set(self, **values) -> None:
        """Show these values (e.g. the running loss) after the bar."""
        self.info = " ".join(
            f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in values.items()
        )

    def _line(self, done: int, elapsed: float) -> str:
        if self.total:
            filled = self.width * done // self.total
            bar = "#" * filled + " " * (self.width - filled)
            count = f"{done}/{self.total}"
        else:
            bar, count = "", str(done)
        return f"{self.desc} [{bar}] {count} {elapsed:5.1f}s {self.info}".rstrip()

    def __iter__(self):
        start = time.perf_counter()
        done = 0
        for item in self.iterable:
            yield item
            done += 1
            if self.tty:
                self.stream.write("\r" + self._line(done, time.perf_counter() - start))
                self.stream.flush()
        prefix = "\r" if self.tty else ""
        self.stream.write(prefix + self._line(done, time.perf_counter() - start) + "\n")
        self.stream.flush()
