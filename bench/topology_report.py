#!/usr/bin/env python3
"""Measures topology loading and prints the Markdown table of docs/benchmarks.md.

For each size, `ersim generate` writes the topology file (the parameters of
bench/topology_bench.cpp), `topology_bench --peak-rss FILE` loads it in a fresh process
(read, parse, validate, expand: as `ersim check` does before its checklist) and reports the
time of each phase and the peak resident set size, and `topology_bench` times the load of the
same text in memory: the table gives the median of its repetitions.

    python3 bench/topology_report.py build/release/ersim build/release/bench/topology_bench
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

# (circuits, prefixes per site); customers = circuits / 2, one site each.
SIZES = [(10, 4), (1_000, 4), (10_000, 4), (100_000, 4), (10_000, 200)]
COMMON = ["--circuits-per-customer", "2", "--sites-per-customer", "1",
          "--peering-locations", "8", "--metros", "2", "--msee-pairs-per-location", "4",
          "--providers-layer2", "3", "--providers-layer3", "1", "--vnets-per-customer", "1",
          "--seed", "1"]
REPETITIONS = 5
RSS_RUNS = 3


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ersim, bench = sys.argv[1], sys.argv[2]

    bench_out = subprocess.run(
        [bench, f"--benchmark_repetitions={REPETITIONS}", "--benchmark_min_time=0.2",
         "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    median_ms = {}
    for b in json.loads(bench_out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            median_ms[b["run_name"]] = b["real_time"]  # the benchmark's unit is ms

    print("| circuits | customer prefixes | YAML | routers | links | sessions | load (median) "
          "| parse / validate / expand | peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for circuits, prefixes in SIZES:
            path = os.path.join(tmp, f"generated-{circuits}-{prefixes}.yaml")
            subprocess.run([ersim, "generate", "--customers", str(circuits // 2),
                            "--prefixes-per-site", str(prefixes), *COMMON, "-o", path],
                           check=True)
            runs = [json.loads(subprocess.run([bench, "--peak-rss", path], check=True,
                                              capture_output=True, text=True).stdout)
                    for _ in range(RSS_RUNS)]
            r = runs[0]
            phases = [statistics.median(x[k] for x in runs)
                      for k in ("parse_s", "validate_s", "expand_s")]
            rss = statistics.median(x["peak_rss_kib"] for x in runs) / 1024
            load = median_ms[f"Load/circuits:{circuits}/prefixes_per_site:{prefixes}/real_time"]
            size = os.path.getsize(path) / 1024
            size_text = f"{size:.0f} KiB" if size < 1024 else f"{size / 1024:.1f} MiB"
            load_text = f"{load:.1f} ms" if load < 1000 else f"{load / 1000:.2f} s"
            print(f"| {circuits:,} | {circuits // 2 * prefixes:,} | {size_text} "
                  f"| {r['routers']:,} | {r['links']:,} | {r['sessions']:,} | {load_text} "
                  f"| {phases[0]:.2f} / {phases[1]:.2f} / {phases[2]:.2f} s | {rss:.0f} MiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
