// Topology loading: parse, validate and expand a generated topology (sim/io/generate.hpp) of 10,
// 1,000, 10,000 and 100,000 circuits, and 10,000 circuits with 1,000,000 customer prefixes. The
// YAML text is generated once per size, outside the timed loop; each iteration is one load.
//
//   build/release/bench/topology_bench --benchmark_filter='Load/circuits:10000/'
//   build/release/bench/topology_bench --peak-rss FILE   # one load of a file: time, peak RSS
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "bench/bench_common.hpp"
#include "sim/io/generate.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::bench {
namespace {

// Generated once per size and kept: generating 100,000 circuits takes a while, and Google
// Benchmark calls the function several times.
const std::string& yaml(std::int64_t circuits, std::int64_t prefixes_per_site) {
  static std::map<std::pair<std::int64_t, std::int64_t>, std::string> cache;
  auto [it, inserted] = cache.try_emplace({circuits, prefixes_per_site});
  if (inserted) {
    it->second = io::generate_topology_yaml(generated_design(circuits, prefixes_per_site));
  }
  return it->second;
}

topo::Topology load(const std::string& name, const std::string& text) {
  return topo::expand(io::read_design(io::load_yaml_string(name, text)));
}

void load_topology(benchmark::State& state) {
  const std::string& text = yaml(state.range(0), state.range(1));
  std::size_t routers = 0;
  std::size_t links = 0;
  // NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): Google Benchmark's loop idiom
  for (auto _ : state) {
    const topo::Topology t = load("generated.yaml", text);
    routers = t.routers().size();
    links = t.links().size();
    benchmark::DoNotOptimize(routers);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  state.counters["routers"] = static_cast<double>(routers);
  state.counters["links"] = static_cast<double>(links);
  state.counters["yaml_MiB"] = static_cast<double>(text.size()) / (1024.0 * 1024.0);
}

// NOLINTBEGIN(cppcoreguidelines-avoid-non-const-global-variables)
BENCHMARK(load_topology)
    ->Name("Load")
    ->ArgNames({"circuits", "prefixes_per_site"})
    ->Args({10, 4})
    ->Args({1'000, 4})
    ->Args({10'000, 4})
    ->Args({100'000, 4})
    ->Args({10'000, 200})  // 1,000,000 customer prefixes
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// NOLINTEND(cppcoreguidelines-avoid-non-const-global-variables)

double seconds_since(std::chrono::steady_clock::time_point& start) {
  const auto now = std::chrono::steady_clock::now();
  const std::chrono::duration<double> elapsed = now - start;
  start = now;
  return elapsed.count();
}

// One load of a file, as io::load_topology does it (read, parse, validate, expand) and timed
// by phase, in a fresh process so that the peak resident set size is this load's (plus the
// program's own, printed as the baseline).
int peak_rss(const std::string& path) {
  const long before = status_kib("VmHWM:");
  auto start = std::chrono::steady_clock::now();
  const io::YamlFile file = io::load_yaml_file(path);
  const double parse = seconds_since(start);
  const long parse_rss = status_kib("VmHWM:");
  const topo::Design design = io::read_design(file);
  const double validate = seconds_since(start);
  const long validate_rss = status_kib("VmHWM:");
  const topo::Topology t = topo::expand(design);
  const double expand = seconds_since(start);
  fmt::print(
      "{{\"circuits\": {}, \"routers\": {}, \"links\": {}, \"sessions\": {}, "
      "\"parse_s\": {:.3f}, \"validate_s\": {:.3f}, \"expand_s\": {:.3f}, "
      "\"wall_s\": {:.3f}, \"baseline_rss_kib\": {}, \"parsed_rss_kib\": {}, "
      "\"validated_rss_kib\": {}, \"peak_rss_kib\": {}}}\n",
      t.circuits().size(), t.routers().size(), t.links().size(), t.sessions().size(), parse,
      validate, expand, parse + validate + expand, before, parse_rss, validate_rss,
      status_kib("VmHWM:"));
  return 0;
}

}  // namespace
}  // namespace ersim::bench

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--peak-rss") {
    try {
      return ersim::bench::peak_rss(argv[2]);
    } catch (const std::exception& e) {
      (void)std::fprintf(stderr, "%s\n", e.what());
      return 2;
    }
  }
  return ersim::bench::run_benchmarks(argc, argv);
}
