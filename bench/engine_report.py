#!/usr/bin/env python3
"""Runs engine_bench and prints the Markdown table of docs/benchmarks.md: the median over nine
repetitions of executed events per second of each queue, and ersim's ratio to the
priority_queue baseline measured in the same run. Repetitions of all benchmarks are interleaved
at random, so a slow spell of the machine does not fall on one queue only.

    python3 bench/engine_report.py build/release/bench/engine_bench
"""
import json
import subprocess
import sys


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = subprocess.run(
        [sys.argv[1], "--benchmark_repetitions=9", "--benchmark_min_time=0.3",
         "--benchmark_enable_random_interleaving=true",
         "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    rates = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            rates[b["run_name"]] = b["items_per_second"]

    print("| workload | pending | priority_queue (events/s) | ersim (events/s) | ratio |")
    print("|---|---:|---:|---:|---:|")
    order = {"Hold": 0, "Churn": 1}
    rows = sorted((name.split("/") for name in rates),
                  key=lambda r: (order.get(r[0], 9), r[1], int(r[2])))
    for workload, queue, pending in rows:
        rate = rates[f"{workload}/{queue}/{pending}"]
        if queue == "priority_queue":
            continue
        baseline = rates[f"{workload}/priority_queue/{pending}"]
        label = workload if queue == "ersim" else f"{workload} ({queue.removeprefix('ersim-')})"
        print(f"| {label} | {int(pending):,} | {baseline / 1e6:.2f} M | {rate / 1e6:.2f} M "
              f"| {rate / baseline:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
