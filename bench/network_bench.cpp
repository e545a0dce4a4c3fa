// The control plane (sim/router/network) on generated topologies (sim/io/generate.hpp) of 10,
// 1,000 and 10,000 circuits, and 10,000 circuits with 1,000,000 customer prefixes, with the
// parameters of bench/topology_bench.cpp. Each topology is loaded once, outside the timed loops.
//
// - Cold: build the Network, start() it and run until quiet (every session Established, checked).
// - LinkFailure: on a converged network, a silent failure of one circuit's primary link, run for
//   10 s of simulated time (the failed session retries its connection for ever, so the run never
//   goes quiet); a different circuit each iteration, the link restored between iterations.
// - MseeFailure: the same with the device failure of the MSEE that holds the most sessions.
//
//   build/release/bench/network_bench --benchmark_filter='Cold/circuits:10000/'
//   build/release/bench/network_bench --peak-rss 10000 4   # one cold start: time, peak RSS
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <malloc.h>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "bench/bench_common.hpp"
#include "core/engine.hpp"
#include "core/random.hpp"
#include "sim/io/generate.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/router/network.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::bench {
namespace {

using namespace std::chrono_literals;
using router::Network;

topo::Topology load(std::int64_t circuits, std::int64_t prefixes_per_site) {
  const std::string text =
      io::generate_topology_yaml(generated_design(circuits, prefixes_per_site));
  return topo::expand(io::read_design(io::load_yaml_string("generated.yaml", text)));
}

// Loaded once per size and kept: the Network refers to its topology.
const topo::Topology& topology(std::int64_t circuits, std::int64_t prefixes_per_site) {
  static std::map<std::pair<std::int64_t, std::int64_t>, std::unique_ptr<topo::Topology>> cache;
  auto& slot = cache[{circuits, prefixes_per_site}];
  if (!slot) {
    slot = std::make_unique<topo::Topology>(load(circuits, prefixes_per_site));
  }
  return *slot;
}

std::size_t established_sessions(const Network& net) {
  std::size_t count = 0;
  for (std::uint32_t s = 0; s < net.topology().sessions().size(); ++s) {
    const topo::SessionId id{s};
    if (net.session_state(id, bgp::Side::A) == bgp::SessionState::Established &&
        net.session_state(id, bgp::Side::B) == bgp::SessionState::Established) {
      ++count;
    }
  }
  return count;
}

// The correctness guard: a converged network has every session Established.
void require_all_established(const Network& net, std::string_view when) {
  const std::size_t up = established_sessions(net);
  if (up != net.topology().sessions().size()) {
    (void)std::fprintf(stderr, "%s: %zu of %zu sessions Established\n", std::string(when).c_str(),
                       up, net.topology().sessions().size());
    std::abort();
  }
}

// The figures are the control plane's work in the 10 s after a failure: the VNet gateway's
// reconvergence delay (15 s typical) would move the gateway's part of it past that window.
router::NetworkOptions options() {
  router::NetworkOptions o;
  o.gateway_reconvergence = DelayDistribution::fixed(0s);
  return o;
}

// An engine, its streams and a network over them, converged from cold.
struct Lab {
  explicit Lab(const topo::Topology& t)
      : streams(1), net(std::make_unique<Network>(engine, streams, t, options())) {}
  void converge() {
    net->start();
    engine.run_until_quiet();
    require_all_established(*net, "after convergence");
  }
  Engine engine;
  RandomStreams streams;
  std::unique_ptr<Network> net;
};

void set_counters(benchmark::State& state, const topo::Topology& t, std::uint64_t events,
                  std::uint64_t updates, std::uint64_t route_changes) {
  const auto per_iteration = [&](std::uint64_t total) {
    return static_cast<double>(total) / static_cast<double>(state.iterations());
  };
  state.counters["circuits"] = static_cast<double>(t.circuits().size());
  state.counters["sessions"] = static_cast<double>(t.sessions().size());
  state.counters["events"] = per_iteration(events);
  state.counters["updates"] = per_iteration(updates);
  state.counters["route_changes"] = per_iteration(route_changes);
  state.counters["updates/s"] =
      benchmark::Counter(static_cast<double>(updates), benchmark::Counter::kIsRate);
}

void cold_convergence(benchmark::State& state) {
  const topo::Topology& t = topology(state.range(0), state.range(1));
  std::uint64_t events = 0;
  std::uint64_t updates = 0;
  std::uint64_t route_changes = 0;
  // NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): Google Benchmark's loop idiom
  for (auto _ : state) {
    auto lab = std::make_unique<Lab>(t);
    lab->converge();
    events += lab->engine.executed_count();
    updates += lab->net->stats().updates_sent;
    route_changes += lab->net->stats().route_changes;
    state.PauseTiming();  // freeing is not convergence
    lab.reset();
    state.ResumeTiming();
  }
  set_counters(state, t, events, updates, route_changes);
}

// Runs `fail` on a converged network, then 10 s of simulated time; between iterations `repair`
// and a run until quiet, untimed. Reports the simulated time from the failure to the last route
// change.
template <class Fail, class Repair>
void failure(benchmark::State& state, const topo::Topology& t, Fail fail, Repair repair) {
  Lab lab(t);
  lab.converge();
  SimTime last_change{};
  lab.net->on_route_change([&](const router::RouteEvent& e) { last_change = e.at; });
  std::uint64_t events = 0;
  std::uint64_t updates = 0;
  std::uint64_t route_changes = 0;
  Duration routes_settled{};
  std::int64_t iteration = 0;
  // NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): Google Benchmark's loop idiom
  for (auto _ : state) {
    const std::uint64_t events_before = lab.engine.executed_count();
    const router::NetworkStats before = lab.net->stats();
    const SimTime failed_at = lab.engine.now();
    last_change = failed_at;
    fail(*lab.net, iteration);
    lab.engine.run_until(failed_at + 10s);
    state.PauseTiming();
    events += lab.engine.executed_count() - events_before;
    updates += lab.net->stats().updates_sent - before.updates_sent;
    route_changes += lab.net->stats().route_changes - before.route_changes;
    routes_settled += last_change - failed_at;
    repair(*lab.net, iteration);
    lab.engine.run_until_quiet();
    require_all_established(*lab.net, "after repair");
    ++iteration;
    state.ResumeTiming();
  }
  set_counters(state, t, events, updates, route_changes);
  state.counters["sim_ms_to_last_route_change"] =
      std::chrono::duration<double, std::milli>(routes_settled).count() /
      static_cast<double>(state.iterations());
}

void link_failure(benchmark::State& state) {
  const topo::Topology& t = topology(state.range(0), state.range(1));
  const auto primary_link = [&t](std::int64_t iteration) {
    const auto& circuit = t.circuits()[static_cast<std::size_t>(iteration) % t.circuits().size()];
    return t.session(circuit.peerings.front().primary).link;
  };
  failure(
      state, t,
      [&](Network& net, std::int64_t i) {
        net.fail_link(primary_link(i), topo::FailureMode::Silent);
      },
      [&](Network& net, std::int64_t i) { net.restore_link(primary_link(i)); });
}

void msee_failure(benchmark::State& state) {
  const topo::Topology& t = topology(state.range(0), state.range(1));
  topo::RouterId msee{};
  std::size_t most = 0;
  for (std::uint32_t r = 0; r < t.routers().size(); ++r) {
    const topo::RouterId id{r};
    if (t.router(id).role == topo::RouterRole::Msee && t.sessions_of(id).size() > most) {
      msee = id;
      most = t.sessions_of(id).size();
    }
  }
  state.counters["msee_sessions"] = static_cast<double>(most);
  failure(
      state, t,
      [&](Network& net, std::int64_t /*iteration*/) {
        net.fail_router(msee, router::RouterFailure::Device);
      },
      [&](Network& net, std::int64_t /*iteration*/) { net.restore_router(msee); });
}

void sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"circuits", "prefixes_per_site"})
      ->Args({10, 4})
      ->Args({1'000, 4})
      ->Args({10'000, 4})
      ->Args({10'000, 200})  // 1,000,000 customer prefixes
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

// NOLINTBEGIN(cppcoreguidelines-avoid-non-const-global-variables)
BENCHMARK(cold_convergence)->Name("Cold")->Apply(sizes);
// A fixed count: the repair between iterations is untimed and can cost far more than the failure.
BENCHMARK(link_failure)->Name("LinkFailure")->Apply(sizes)->Iterations(20);
BENCHMARK(msee_failure)->Name("MseeFailure")->Apply(sizes)->Iterations(20);
// NOLINTEND(cppcoreguidelines-avoid-non-const-global-variables)

// Resets VmHWM to the current resident set (Linux 4.0 and later).
void reset_peak_rss() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
}

double cpu_seconds() {
  timespec ts{};
  (void)clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// One cold start in a fresh process: the topology is loaded and the memory its loading freed is
// returned to the system, the peak is reset, then the network is built and converged. Prints
// the resident set of the loaded topology and the peak during convergence.
int peak_rss(std::int64_t circuits, std::int64_t prefixes_per_site) {
  const topo::Topology t = load(circuits, prefixes_per_site);
  (void)malloc_trim(0);
  const long topology_rss = status_kib("VmRSS:");
  reset_peak_rss();
  const double cpu_start = cpu_seconds();
  const auto wall_start = std::chrono::steady_clock::now();
  Lab lab(t);
  const double cpu_built = cpu_seconds();
  lab.converge();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall_start;
  const double cpu = cpu_seconds() - cpu_start;
  const long peak = status_kib("VmHWM:");
  // Router-prefix pairs: the prefixes of every routing instance's Loc-RIB.
  std::uint64_t pairs = 0;
  for (std::uint32_t i = 0; i < lab.net->instance_count(); ++i) {
    pairs += lab.net->rib(router::InstanceId{i}).size();
  }
  fmt::print(
      "{{\"circuits\": {}, \"prefixes_per_site\": {}, \"sessions\": {}, \"wall_s\": {:.3f}, "
      "\"cpu_s\": {:.3f}, \"build_cpu_s\": {:.3f}, \"events\": {}, \"updates\": {}, "
      "\"prefixes_sent\": {}, \"route_changes\": {}, \"topology_rss_kib\": {}, "
      "\"peak_rss_kib\": {}, \"network_peak_kib\": {}, \"router_prefix_pairs\": {}, "
      "\"bytes_per_pair\": {:.0f}}}\n",
      t.circuits().size(), prefixes_per_site, t.sessions().size(), wall.count(), cpu,
      cpu_built - cpu_start, lab.engine.executed_count(), lab.net->stats().updates_sent,
      lab.net->stats().prefixes_sent, lab.net->stats().route_changes, topology_rss, peak,
      peak - topology_rss, pairs,
      static_cast<double>(peak - topology_rss) * 1024.0 / static_cast<double>(pairs));
  return 0;
}

}  // namespace
}  // namespace ersim::bench

int main(int argc, char** argv) {
  if (argc == 4 && std::string_view(argv[1]) == "--peak-rss") {
    try {
      return ersim::bench::peak_rss(std::stoll(argv[2]), std::stoll(argv[3]));
    } catch (const std::exception& e) {
      (void)std::fprintf(stderr, "%s\n", e.what());
      return 2;
    }
  }
  return ersim::bench::run_benchmarks(argc, argv);
}
