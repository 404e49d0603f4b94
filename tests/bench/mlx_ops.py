#!/usr/bin/env python3
"""Per-op benchmarks of mlxgo's Go API beside MLX's own Python binding.

Runs the Go benchmarks in mlx/bench_test.go and the same work in Python
(mlx==0.32.4, same libmlx.so) in one script, alternating rounds so both see
the same machine load, and prints each pair with its ratio (Go / Python time;
below 1 means Go is faster). Matmul is also given in GFLOP/s.

Usage: .venv/bin/python tests/bench/mlx_ops.py [--rounds N]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import mlx.core as mx

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bench(fn, min_time=1.0):
    """Returns seconds per call of fn, timed over at least min_time."""
    fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time:
            return dt / n
        n = max(n * 2, int(n * min_time / max(dt, 1e-9) * 1.2))


def py_cases():
    x, y = mx.array([1.0]), mx.array([2.0])
    mx.eval(x, y)

    def add_lazy():
        mx.add(x, y)

    def add_eval():
        mx.eval(mx.add(x, y))

    mx.random.seed(0)
    bx, by = mx.random.normal((64, 128)), mx.random.normal((64, 1))
    w1, b1 = mx.random.normal((128, 128)) * 0.1, mx.zeros((128,))
    w2, b2 = mx.random.normal((128, 1)) * 0.1, mx.zeros((1,))
    mx.eval(bx, by, w1, b1, w2, b2)

    def loss(w1, b1, w2, b2, x, y):
        h = mx.maximum(x @ w1 + b1, 0)
        r = h @ w2 + b2 - y
        return (r * r).mean()

    vg = mx.value_and_grad(loss, argnums=(0, 1, 2, 3))

    def mlp():
        v, g = vg(w1, b1, w2, b2, bx, by)
        mx.eval(v, g)

    a, b = mx.random.normal((1024, 1024)), mx.random.normal((1024, 1024))
    mx.eval(a, b)

    def matmul():
        mx.eval(a @ b)

    return {"AddLazy": add_lazy, "AddEval": add_eval, "MLPValueGrad": mlp, "Matmul1024": matmul}


def go_round(benchtime):
    out = subprocess.run(
        ["go", "test", "-run", "^$", "-bench", ".", "-benchtime", benchtime, "-count", "1", "./mlx/"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    res = {}
    for m in re.finditer(r"^Benchmark(\w+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", out, re.M):
        res[m.group(1)] = float(m.group(2)) * 1e-9
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--benchtime", default="1s")
    args = ap.parse_args()
    subprocess.run(["go", "test", "-c", "-o", os.devnull, "./mlx/"], cwd=ROOT, check=True)
    cases = py_cases()
    go_t = {k: [] for k in cases}
    py_t = {k: [] for k in cases}
    for _ in range(args.rounds):
        g = go_round(args.benchtime)
        for k, fn in cases.items():
            py_t[k].append(bench(fn, min_time=float(args.benchtime.rstrip("s"))))
            go_t[k].append(g[k])
    print(f"mlxgo vs MLX Python {mx.__version__} ({args.rounds} rounds, median)")
    print(f"{'benchmark':<16}{'Go':>14}{'Python':>14}{'Go/Python':>11}")
    for k in cases:
        gm, pm = statistics.median(go_t[k]), statistics.median(py_t[k])
        print(f"{k:<16}{gm * 1e6:>11.2f} us{pm * 1e6:>11.2f} us{gm / pm:>10.2f}x")
    flops = 2 * 1024 ** 3
    gm, pm = statistics.median(go_t["Matmul1024"]), statistics.median(py_t["Matmul1024"])
    print(f"Matmul1024 GFLOP/s: Go {flops / gm / 1e9:.2f}, Python {flops / pm / 1e9:.2f}, "
          f"Go/Python throughput {pm / gm:.3f}")


if __name__ == "__main__":
    sys.exit(main())
