"""Anomaly detection against torch: the failing node's name, the NaN error,
and the forward traceback pointing at the user's line."""

import warnings

import pytest

import torchless

torch = pytest.importorskip("torch")


def _body(lib):
    x = lib.tensor([0.0, 1.0], requires_grad=True)
    out = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with lib.autograd.detect_anomaly():
            out.append(lib.is_anomaly_enabled())
            y = x.sqrt() * 0  # the forward line the report must point at
            z = (y / y.detach()).sum()
            try:
                z.backward()
            except RuntimeError as e:
                out.append(str(e))
    out.append(lib.is_anomaly_enabled())
    out += [str(m.message).split("Traceback")[0] for m in caught]
    out.append([ln.strip() for ln in str(caught[-1].message).splitlines() if __file__ in ln])
    return out


def test_detect_anomaly_reports_like_torch():
    a, b = _body(torch), _body(torchless)
    assert a == b
    assert "returned nan values" in b[1]
    assert any("_body" in ln for ln in b[-1])


def test_set_detect_anomaly_toggles_and_restores():
    assert not torchless.is_anomaly_enabled()
    with torchless.autograd.set_detect_anomaly(True):
        assert torchless.is_anomaly_enabled()
        x = torchless.tensor([1.0], requires_grad=True)
        (x * 2).sum().backward()  # no NaN: nothing raised
    assert not torchless.is_anomaly_enabled()
