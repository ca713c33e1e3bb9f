"""The benchmark code runs (tiny sizes) so it cannot rot; nothing about time
is asserted here — speed lives in benchmarks/."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runner_quick(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "W1 seed autograd loop" in proc.stdout
    data = json.loads(out.read_text())
    assert set(data["workloads"]) >= {"W1 seed autograd loop", "W8 100k-op scalar chain"}
    # torchless ran the workloads it supports; every other one names what is missing
    for name, row in data["workloads"].items():
        assert "torchless" in row or "torchless_error" in row, name
    assert data["workloads"]["W1 seed autograd loop"]["torchless"] > 0
