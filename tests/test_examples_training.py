"""The training examples train for real: the digits MLP and CNN reach the
accuracy the project promises (>= 97% on held-out digits)."""

import sys
from pathlib import Path

import pytest

pytest.importorskip("sklearn")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examples import train_digits_cnn, train_digits_mlp  # noqa: E402


def test_digits_mlp_reaches_97_percent():
    assert train_digits_mlp.main(verbose=False) >= 0.97


def test_digits_cnn_reaches_97_percent():
    assert train_digits_cnn.main(verbose=False) >= 0.97


def test_progress_bar_prints_one_line_per_stage_off_a_terminal(capsys):
    from examples._progress import Progress

    bar = Progress(range(3), desc="epoch 1/1")
    for _ in bar:
        bar.set(loss=0.5)
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "epoch 1/1 [" in out and "3/3" in out and "loss 0.5000" in out
