"""Run each workload under torchless and torch in one process, interleaved
A B A B after a warm-up, and print medians and the ratio torchless/torch.

    python -m benchmarks [--quick] [--repeats N] [--only W1,W3] [--json FILE]

Threads are pinned equal: torch.set_num_threads(n) and NumPy's BLAS pool
through threadpoolctl (when installed). A workload that needs something
torchless lacks is reported as n/a with the missing name.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

import torchless

from .workloads import WORKLOADS, w5_flops


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _pin_threads(n: int):
    try:
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=n)
    except ImportError:
        return None


def _numpy_gemm_gflops(quick: bool) -> float:
    """NumPy's own float32 GEMM rate on W5's shapes: the practical ceiling."""
    from .workloads import W5_SIZES

    b, d, h = W5_SIZES["quick" if quick else "full"]
    a = np.random.default_rng(0).standard_normal((b, d)).astype(np.float32)
    w = np.random.default_rng(1).standard_normal((d, h)).astype(np.float32)
    a @ w
    best = min(_time(lambda: a @ w) for _ in range(5))
    return 2 * b * d * h / best / 1e9


def _subprocess_seconds(code: str, repeats: int) -> float:
    # a cold import as users see it: bytecode caches allowed (and warmed once)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _import_time(module: str, repeats: int) -> float:
    base = _subprocess_seconds("pass", repeats)
    return max(_subprocess_seconds(f"import {module}", repeats) - base, 0.0)


def _peak_rss_w3(module: str, quick: bool) -> float:
    """Peak RSS in MB of a process that imports the library and runs W3."""
    code = (
        f"import {module} as lib\n"
        "from benchmarks.workloads import make_w3\n"
        f"make_w3(lib, {quick})()\n"
        # VmHWM, not ru_maxrss: ru_maxrss carries over the parent's peak through fork/exec
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(hwm.split()[1])\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=root
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="tiny sizes, one repeat (for CI)")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", default="", help="comma-separated prefixes, e.g. W1,W3")
    ap.add_argument("--json", default="benchmarks/results.json")
    args = ap.parse_args(argv)
    repeats = 1 if args.quick else args.repeats

    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(args.threads)
    _pin_threads(args.threads)
    libs = [("torchless", torchless)] + ([("torch", torch)] if torch is not None else [])

    results = {
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "torch": getattr(torch, "__version__", None),
            "threads": args.threads,
        },
        "workloads": {},
    }
    only = [p.strip() for p in args.only.split(",") if p.strip()]
    print(f"{'workload':28} {'torchless':>12} {'torch':>12} {'ratio':>8}")
    for name, make in WORKLOADS.items():
        if only and not any(name.startswith(p) for p in only):
            continue
        row = {}
        runs = {}
        for lname, lib in libs:
            try:
                torchless.manual_seed(0) if lib is torchless else lib.manual_seed(0)
                runs[lname] = make(lib, args.quick)
                runs[lname]()  # warm-up
            except (AttributeError, NotImplementedError, TypeError) as e:
                row[lname + "_error"] = f"{type(e).__name__}: {e}"
                runs.pop(lname, None)
        times = {k: [] for k in runs}
        for _ in range(repeats):  # interleaved A B A B
            for k, fn in runs.items():
                times[k].append(_time(fn))
        for k, ts in times.items():
            row[k] = statistics.median(ts)
        if "torchless" in row and "torch" in row:
            row["ratio"] = row["torchless"] / row["torch"]
        if name.startswith("W5") and "torchless" in row:
            row["gflops_torchless"] = w5_flops(args.quick) / row["torchless"] / 1e9
            row["gflops_numpy_gemm"] = _numpy_gemm_gflops(args.quick)
        results["workloads"][name] = row
        tl = f"{row['torchless'] * 1e3:10.2f}ms" if "torchless" in row else "n/a".rjust(12)
        tt = f"{row['torch'] * 1e3:10.2f}ms" if "torch" in row else "n/a".rjust(12)
        ra = f"{row['ratio']:8.2f}" if "ratio" in row else "".rjust(8)
        extra = ""
        if "gflops_torchless" in row:
            extra = (
                f"  {row['gflops_torchless']:.1f} GFLOP/s "
                f"(NumPy GEMM {row['gflops_numpy_gemm']:.1f})"
            )
        if "torchless_error" in row:
            extra = "  torchless: " + row["torchless_error"][:70]
        print(f"{name:28} {tl} {tt} {ra}{extra}")

    if not only or any(p.startswith("import") for p in only):
        reps = 1 if args.quick else 5
        imp = {"torchless": _import_time("torchless", reps)}
        if torch is not None:
            imp["torch"] = _import_time("torch", reps)
        results["import_seconds"] = imp
        line = f"{'cold import':28} {imp['torchless'] * 1e3:10.0f}ms"
        if "torch" in imp:
            line += f" {imp['torch'] * 1e3:10.0f}ms {imp['torchless'] / imp['torch']:8.2f}"
        print(line)
        rss = {}
        for lname in [n for n, _ in libs]:
            try:
                rss[lname] = _peak_rss_w3(lname, args.quick)
            except subprocess.CalledProcessError as e:
                rss[lname + "_error"] = (e.stderr or "").strip().splitlines()[-1:]
        results["peak_rss_w3_mb"] = rss
        if "torchless" in rss:
            line = f"{'peak RSS of W3':28} {rss['torchless']:10.0f}MB"
            if "torch" in rss:
                line += f" {rss['torch']:10.0f}MB {rss['torchless'] / rss['torch']:8.2f}"
            print(line)
        else:
            print(f"{'peak RSS of W3':28} n/a  {rss.get('torchless_error')}")

    if args.json:
        os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0
