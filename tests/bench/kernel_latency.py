#!/usr/bin/env python3
"""Kernel latency of mlxgo beside ipykernel, measured in the same run.

For each kernel: time from launch to the first kernel_info_reply (median of
--starts launches), and the round trip of an execute_request for `1+1`
(request sent to execute_reply received, after the idle of the previous one),
p50 and p95 over --n requests. Prints the ratios mlxgo / ipykernel (below 1:
mlxgo is faster).

Usage: .venv/bin/python tests/bench/kernel_latency.py [--n 300] [--starts 5]
"""
import argparse
import logging
import os
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

os.environ.setdefault("JUPYTER_PATH", os.path.join(sys.prefix, "share", "jupyter"))


def start_time(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.kernel_info()
    while True:
        msg = kc.get_shell_msg(timeout=60)
        if msg["msg_type"] == "kernel_info_reply":
            break
    dt = time.perf_counter() - t0
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return dt


def round_trips(name, n):
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    code = "1+1"
    for _ in range(20):  # warm up
        kc.execute_interactive(code, timeout=30, output_hook=lambda m: None)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        msg_id = kc.execute(code)
        while True:
            reply = kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        times.append(time.perf_counter() - t0)
        # drain iopub up to idle so the next request starts clean
        while True:
            m = kc.get_iopub_msg(timeout=30)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" \
                    and m["parent_header"].get("msg_id") == msg_id:
                break
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main():
    logging.disable(logging.WARNING)  # ipykernel's "running over TCP" notice
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--starts", type=int, default=5)
    args = ap.parse_args()
    kernels = ["mlxgo", "python3"]
    starts = {k: [] for k in kernels}
    for _ in range(args.starts):  # interleave launches
        for k in kernels:
            starts[k].append(start_time(k))
    rt = {k: round_trips(k, args.n) for k in kernels}
    print(f"{'kernel':<10}{'start (median)':>16}{'1+1 p50':>12}{'1+1 p95':>12}")
    for k in kernels:
        print(f"{k:<10}{statistics.median(starts[k]) * 1e3:>13.1f} ms{rt[k][0] * 1e3:>9.2f} ms{rt[k][1] * 1e3:>9.2f} ms")
    s = statistics.median(starts["mlxgo"]) / statistics.median(starts["python3"])
    print(f"ratios mlxgo/ipykernel: start {s:.2f}, p50 {rt['mlxgo'][0] / rt['python3'][0]:.2f}, "
          f"p95 {rt['mlxgo'][1] / rt['python3'][1]:.2f}")


if __name__ == "__main__":
    main()
