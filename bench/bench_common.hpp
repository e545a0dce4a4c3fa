// What the benchmark programs share: the generated designs they measure, the process's memory
// as Linux reports it, and Google Benchmark's run.
//   const std::string yaml = io::generate_topology_yaml(bench::generated_design(10'000, 4));
//   const long peak = bench::status_kib("VmHWM:");
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "sim/io/generate.hpp"

namespace ersim::bench {

/// The design of one size: only the circuits and the prefixes per site vary.
/// bench/topology_report.py passes the same options to `ersim generate`; keep them in step.
/// Half as many customers as circuits, each with one site, two circuits at two of eight peering
/// locations (every fourth a Metro circuit), sharing 32 MSEE pairs, a quarter over the layer 3
/// provider, and a VNet whose gateway connects to both circuits.
inline io::GeneratorParams generated_design(std::int64_t circuits, std::int64_t prefixes_per_site) {
  io::GeneratorParams p;
  p.customers = static_cast<std::uint32_t>(circuits / 2);
  p.circuits_per_customer = 2;
  p.sites_per_customer = 1;
  p.peering_locations = 8;
  p.metros = 2;
  p.msee_pairs_per_location = 4;
  p.providers_layer2 = 3;
  p.providers_layer3 = 1;
  p.prefixes_per_site = static_cast<std::uint32_t>(prefixes_per_site);
  p.vnets_per_customer = 1;
  p.seed = 1;
  return p;
}

/// A field of /proc/self/status in KiB ("VmHWM:" the peak resident set, "VmRSS:" the current
/// one), or -1. Not getrusage's ru_maxrss: Linux carries that across exec, so a small program
/// started from a big one would report its parent's.
inline long status_kib(std::string_view field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field)) {
      return std::stol(line.substr(line.find_first_of("0123456789")));
    }
  }
  return -1;
}

/// Google Benchmark's own main: runs the benchmarks the command line selects.
inline int run_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace ersim::bench
