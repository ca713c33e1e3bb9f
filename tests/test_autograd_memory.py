"""Memory: backward releases the graph's saved arrays, and a training loop
does not grow the number of live objects."""

import gc
import sys
import weakref

import numpy as np

import torchless as torch


def _step(w, x, y):
    loss = ((w * x - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w.sub_(0.01 * w.grad)
    w.grad.zero_()


def test_training_loop_keeps_live_objects_flat():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    y = torch.tensor([2.0, 4.0, 6.0, 8.0])
    w = torch.tensor(0.0, requires_grad=True)
    for _ in range(200):
        _step(w, x, y)
    gc.collect()
    before = (len(gc.get_objects()), sys.getallocatedblocks())
    for _ in range(10_000):
        _step(w, x, y)
    gc.collect()
    after = (len(gc.get_objects()), sys.getallocatedblocks())
    assert after[0] - before[0] < 50
    assert after[1] - before[1] < 500
    assert abs(w.item() - 2.0) < 1e-3


def test_saved_arrays_are_freed_without_the_garbage_collector():
    gc.disable()
    try:
        x = torch.tensor(np.linspace(-1, 1, 10_000), requires_grad=True)
        hidden = x.exp()  # ExpBackward0 saves its output
        y = (hidden * x).tanh().sum()
        ref = weakref.ref(hidden.grad_fn.saved()[0]._data)
        del hidden
        y.backward()
        del y
        assert ref() is None  # freed by reference counting alone: no cycles
    finally:
        gc.enable()


def test_graph_kept_alive_only_while_referenced():
    gc.disable()
    try:
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (x * 3).exp().sum()
        node = weakref.ref(y.grad_fn)
        del y
        assert node() is None
    finally:
        gc.enable()
