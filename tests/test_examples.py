"""The examples reproduce the seed notebook's transcript.

The expected output is read, at test time, from the notebook itself
(``seeds/000_ecf7e1d4f145254b.txt``, found next to the repository or named by
``$TORCHLESS_SEED``): each cell ``In [N]:`` is its code, then a blank line and the lines it
printed. Cells In [35] to In [39] are deterministic and must match line for line. In [41]
starts from random weights, so its numbers are checked against plain gradient descent started
from the weights the run prints.
"""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
UNCHANGED = EXAMPLES / "notebook_unchanged"
SEED = "000_ecf7e1d4f145254b.txt"
HAVE_TORCH = importlib.util.find_spec("torch") is not None


# -- the notebook ------------------------------------------------------------------------------


def find_seed() -> Path | None:
    candidates = [
        os.environ.get("TORCHLESS_SEED"),
        REPO / "seeds" / SEED,
        REPO / "shared" / "seeds" / SEED,
        REPO.parent / "shared" / "seeds" / SEED,
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


_CELL = re.compile(r"In \[(\d+)\]:\s*$")


def parse_cells(text: str) -> dict[int, tuple[list[str], list[str]]]:
    """``{n: (code lines, output lines)}`` for each ``In [n]:`` cell of the notebook text.

    A cell runs to the next cell or to the next markdown line (``***...``). A cell that prints
    ends with its output: the last paragraph. Trailing spaces are dropped.
    """
    lines = text.splitlines()
    cells = {}
    i = 0
    while i < len(lines):
        match = _CELL.match(lines[i])
        if not match:
            i += 1
            continue
        j = i + 1
        while (
            j < len(lines)
            and not _CELL.match(lines[j])
            and not lines[j].lstrip().startswith("***")
        ):
            j += 1
        block = [line.rstrip() for line in lines[i + 1 : j]]
        while block and not block[-1]:
            block.pop()
        code, output = block, []
        if any("print(" in line for line in block):
            k = max(k for k, line in enumerate(block) if not line)
            code, output = block[:k], block[k + 1 :]
            while code and not code[-1]:
                code.pop()
        cells[int(match.group(1))] = (code, output)
        i = j
    return cells


@pytest.fixture(scope="module")
def cells() -> dict[int, tuple[list[str], list[str]]]:
    seed = find_seed()
    if seed is None:
        pytest.skip(f"the seed notebook {SEED} is not here; name it with $TORCHLESS_SEED")
    return parse_cells(seed.read_text())


# -- checking output against the transcript ---------------------------------------------------

_NUMBER = re.compile(r"(-?\d+\.\d+)")


def _same_but_last_digit(line: str, expected: str) -> bool:
    """Equal text, and each decimal number within one unit of its last printed digit."""
    got, want = _NUMBER.split(line), _NUMBER.split(expected)
    if len(got) != len(want) or got[::2] != want[::2]:
        return False
    for a, b in zip(got[1::2], want[1::2]):
        decimals = len(b.split(".")[1])
        if len(a.split(".")[1]) != decimals or abs(float(a) - float(b)) > 1.01 * 10**-decimals:
            return False
    return True


_PREDICTION = re.compile(r"Prediction before training : f\(5\) = (-?\d+\.\d{3})$")
_EPOCH = re.compile(r"epoch (\d+): w=(-?\d+\.\d{3}),loss = (\d+\.\d{8})$")


def descend(p0: float, w1: float, n_iters: int = 100, lr: float = 0.01) -> list[float]:
    """Gradient descent of In [41] in float64, from the weights a run printed.

    The run prints f(5) = 5 w0 + b0 before training and w1, the weight after the first step;
    with x = 1..4 and y = 2x the first step is w1 = w0 - lr (15 (w0 - 2) + 5 b0), so those two
    numbers give w0 and b0. Returns the numbers the run prints after that: w and the loss at
    epochs 1, 11, ..., 91, then f(5).
    """
    xs, ys = [1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0]
    w = (w1 - lr * 30 + lr * 5 * p0) / (1 - lr * 15 + lr * 25)
    b = p0 - 5 * w
    printed = []
    for epoch in range(n_iters):
        r = [w * x + b - y for x, y in zip(xs, ys)]
        loss = sum(ri * ri for ri in r) / 4
        w, b = (
            w - lr * sum(2 * ri * x for ri, x in zip(r, xs)) / 4,
            b - lr * sum(2 * ri for ri in r) / 4,
        )
        if epoch % 10 == 0:
            printed += [w, loss]
    return printed + [5 * w + b]


def check_model_step(lines: list[str], expected: list[str]) -> None:
    """In [41]: the same lines as the notebook, with numbers that gradient descent gives."""
    assert len(lines) == len(expected), "\n".join(lines)
    assert lines[0] == expected[0]  # n_samples, n_features
    shape = [_NUMBER.sub("#", line) for line in lines]
    assert shape == [_NUMBER.sub("#", line) for line in expected]
    epochs = [_EPOCH.match(line) for line in lines[2:-1]]
    assert [int(m.group(1)) for m in epochs] == list(range(1, 100, 10))
    texts = [t for m in epochs for t in m.group(2, 3)] + [_PREDICTION.match(lines[-1]).group(1)]
    p0, w1 = float(_PREDICTION.match(lines[1]).group(1)), float(texts[0])
    # p0 and w1 are printed to 3 decimals, so the start is known to 0.0005 in each: allow what
    # that moves each number by, its own rounding, and float32 arithmetic.
    want = descend(p0, w1)
    corners = [descend(p0 + dp, w1 + dw) for dp in (-5e-4, 5e-4) for dw in (-5e-4, 5e-4)]
    moved = [max(abs(c[i] - want[i]) for c in corners) for i in range(len(want))]
    for text, value, spread in zip(texts, want, moved):
        rounding = 0.5 * 10.0 ** -len(text.split(".")[1])
        tolerance = 2 * spread + rounding + 1e-5 * abs(value) + 1e-7
        assert abs(float(text) - value) <= tolerance, (text, value, tolerance, lines)
    # It learns f = 2x: f(5) moves to 10. (How close 100 steps get depends on the random start:
    # from weights in [-1, 1], f(5) ends between 9.06 and 10.31.)
    final = float(texts[-1])
    assert abs(final - 10) < 1 < abs(p0 - 10)


def check_cells(lines: list[str], cells, numbers: list[int]) -> None:
    """The output of the cells ``numbers``, one after the other, is ``lines``."""
    lines = list(lines)
    for n in numbers:
        expected = cells[n][1]
        got, lines = lines[: len(expected)], lines[len(expected) :]
        if n == 41:
            check_model_step(got, expected)
        elif n == 37:
            # Plain NumPy. The notebook ran NumPy 1, where `w -= learning_rate * dw` made w a
            # float64; NumPy 2 (NEP 50) keeps it float32, which can move the 8th decimal.
            assert len(got) == len(expected), "\n".join(got)
            for line, want in zip(got, expected):
                assert _same_but_last_digit(line, want), (line, want)
        else:
            assert got == expected, f"In [{n}]"
    assert lines == [], "more output than the notebook printed"


def run(*args: str, cwd: Path = EXAMPLES) -> list[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-W", "error", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


STEPS = {
    "step1_manual_numpy.py": [37],
    "step2_autograd.py": [35, 36, 38],
    "step3_loss_optimizer.py": [39],
    "step4_model.py": [41],
}


# -- the checks themselves ------------------------------------------------------------------


def test_notebook_cells_are_found(cells):
    assert sorted(cells) == [33, 34, 35, 36, 37, 38, 39, 41]
    assert cells[33] == (["import torch", "import numpy as np", "import torch.nn as nn"], [])
    assert cells[35][1] == ["tensor(1., grad_fn=<PowBackward0>)"]
    assert [len(cells[n][1]) for n in (36, 37, 38, 39, 41)] == [1, 12, 12, 12, 13]


def test_model_step_check_accepts_the_notebook_itself(cells):
    check_model_step(cells[41][1], cells[41][1])


# -- the examples, on torchless ---------------------------------------------------------------


@pytest.mark.parametrize("example", sorted(STEPS))
def test_step_reproduces_the_notebook(cells, example):
    check_cells(run(example), cells, STEPS[example])


def test_seed_notebook_runs_every_step_in_order(cells):
    lines = run("seed_notebook.py")
    sections: list[list[str]] = []
    for line in lines:
        if line.startswith("# Step "):
            sections.append([])
        else:
            assert sections, f"output before the first step: {line!r}"
            if line:  # blank lines separate the steps
                sections[-1].append(line)
    assert len(sections) == len(STEPS)
    for section, example in zip(sections, sorted(STEPS)):
        check_cells(section, cells, STEPS[example])


# -- the notebook unchanged, through `python -m torchless run` ----------------------------------

UNCHANGED_CELLS = {
    "step1_manual_numpy.py": [33, 37],
    "step2_autograd.py": [33, 34, 35, 36, 38],
    "step3_loss_optimizer.py": [33, 39],
    "step4_model.py": [33, 41],
    "notebook.py": [33, 34, 35, 36, 37, 38, 39, 41],
}


def _cells_in_file(path: Path) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    current = None
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"# In \[(\d+)\]:", line)
        if match:
            current = found.setdefault(int(match.group(1)), [])
        elif current is not None:
            current.append(line)
    for code in found.values():
        while code and not code[-1]:
            code.pop()
    return found


def test_unchanged_files_hold_the_notebook_cells_verbatim(cells):
    assert sorted(p.name for p in UNCHANGED.glob("*.py")) == sorted(UNCHANGED_CELLS)
    for name, numbers in UNCHANGED_CELLS.items():
        found = _cells_in_file(UNCHANGED / name)
        assert list(found) == numbers, name
        for n in numbers:
            assert found[n] == cells[n][0], f"{name}: In [{n}]"


@pytest.mark.parametrize("name", sorted(UNCHANGED_CELLS))
def test_unchanged_notebook_runs_on_torchless(cells, name):
    lines = run("-m", "torchless", "run", str(UNCHANGED / name), cwd=REPO)
    check_cells(lines, cells, UNCHANGED_CELLS[name])


@pytest.mark.skipif(not HAVE_TORCH, reason="needs the real torch installed")
def test_unchanged_notebook_on_torch_matches_the_transcript(cells):
    # The oracle: torch itself prints the transcript, so a difference under torchless is
    # torchless's to fix.
    lines = run(str(UNCHANGED / "notebook.py"), cwd=REPO)
    check_cells(lines, cells, UNCHANGED_CELLS["notebook.py"])
