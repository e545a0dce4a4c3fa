// The control plane (sim/router/network) on generated topologies (sim/io/generate.hpp) of 10,
// 1,000 and 10,000 circuits, and 10,000 circuits with 1,000,000 customer prefixes, with the
// parameters of bench/topology_bench.cpp. Each topology is loaded once, outside the timed loops.
//
// - Cold: build the Network, start() it and run until quiet (every session Established, checked).
// - LinkFailure: on a converged network, a silent failure of one circuit's primary link, run for
//   10 s of simulated time (a fixed window, as each failure's work ends at a different time);
//   a different circuit each iteration, the link restored between iterations.
// - MseeFailure: the same with the device failure of the MSEE that holds the most sessions.
// - LocationFailure: the same with the failure of a whole peering location (every MSEE and link
//   in it, as `ersim sweep` fails a location element), a different location each iteration.
//
// The modes with a FILE (a topology, as `ersim generate` writes it) measure once in a fresh
// process and print one JSON line each, for bench/run:
//
//   build/release/bench/network_bench --benchmark_filter='Cold/circuits:10000/'
//   build/release/bench/network_bench --peak-rss 10000 4   # one cold start: time, peak RSS
//   build/release/bench/network_bench --peak-rss FILE      # the same on a file
//   build/release/bench/network_bench --failure link|msee|location FILE [ITERATIONS]
//   build/release/bench/network_bench --hour packet|quiet FILE [SPAN_S [SETTLE_S]]
//
// --hour converges the network (quiet: until nothing is pending; packet, where every keepalive
// and BFD packet is an event and the run never goes quiet: for SETTLE_S simulated seconds,
// default 300) and then times SPAN_S simulated seconds (default 3600) of the steady state.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <functional>
#include <malloc.h>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/bench_common.hpp"
#include "core/engine.hpp"
#include "core/random.hpp"
#include "sim/io/generate.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/router/network.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/sweep/failure_sets.hpp"
#include "sim/sweep/sweep_runner.hpp"
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
  explicit Lab(const topo::Topology& t, router::NetworkOptions o = options())
      : streams(1), net(std::make_unique<Network>(engine, streams, t, o)) {}
  void converge() {
    net->start();
    engine.run_until_quiet();
    require_all_established(*net, "after convergence");
  }
  Engine engine;
  RandomStreams streams;
  std::unique_ptr<Network> net;
};

// A failure to inject into a converged network (iteration i picks which element) and its
// repair. `elements` describes what fails, for the reports: "1200 sessions", "8 locations".
struct FailureCase {
  std::function<void(Network&, std::int64_t)> fail;
  std::function<void(Network&, std::int64_t)> repair;
  std::string elements;
};

// One circuit's primary link, silently, a different circuit each iteration.
FailureCase link_case(const topo::Topology& t) {
  const auto primary_link = [&t](std::int64_t iteration) {
    const auto& circuit = t.circuits()[static_cast<std::size_t>(iteration) % t.circuits().size()];
    return t.session(circuit.peerings.front().primary).link;
  };
  return {[primary_link](Network& net, std::int64_t i) {
            net.fail_link(primary_link(i), topo::FailureMode::Silent);
          },
          [primary_link](Network& net, std::int64_t i) { net.restore_link(primary_link(i)); },
          "1 link"};
}

// The device failure of the MSEE that holds the most sessions.
FailureCase msee_case(const topo::Topology& t) {
  topo::RouterId msee{};
  std::size_t most = 0;
  for (std::uint32_t r = 0; r < t.routers().size(); ++r) {
    const topo::RouterId id{r};
    if (t.router(id).role == topo::RouterRole::Msee && t.sessions_of(id).size() > most) {
      msee = id;
      most = t.sessions_of(id).size();
    }
  }
  return {[msee](Network& net, std::int64_t /*iteration*/) {
            net.fail_router(msee, router::RouterFailure::Device);
          },
          [msee](Network& net, std::int64_t /*iteration*/) { net.restore_router(msee); },
          fmt::format("{} sessions", most)};
}

// A whole peering location, a different one each iteration: the sweep's location element and
// its failure event (sweep::failure_event), applied as the scenario runner applies a failure.
FailureCase location_case(const topo::Topology& t) {
  sweep::SweepOptions only_locations;
  only_locations.only = {sweep::ElementKind::Location};
  auto elements =
      std::make_shared<const std::vector<sweep::Element>>(sweep::sweep_elements(t, only_locations));
  if (elements->empty()) {
    throw std::runtime_error("the design has no peering location");
  }
  const auto event = [elements, only_locations](std::int64_t iteration) {
    const auto index =
        static_cast<std::uint32_t>(static_cast<std::size_t>(iteration) % elements->size());
    return sweep::failure_event(*elements, sweep::FailureSet{{index}}, only_locations);
  };
  return {[event, &t](Network& net, std::int64_t i) {
            const scenario::Event e = event(i);
            for (const topo::RouterId r : e.routers) {
              if (net.router_up(r)) {
                net.fail_router(r, e.router_failure);
              }
            }
            for (const topo::LinkId l : e.links) {
              if (net.link_up(l)) {
                net.fail_link(l, e.mode.value_or(t.link(l).failure));
              }
            }
          },
          [event](Network& net, std::int64_t i) {
            const scenario::Event e = event(i);
            for (const topo::LinkId l : e.links) {
              if (!net.link_up(l)) {
                net.restore_link(l);
              }
            }
            for (const topo::RouterId r : e.routers) {
              if (!net.router_up(r)) {
                net.restore_router(r);
              }
            }
          },
          fmt::format("1 of {} locations: {} routers, {} links", elements->size(),
                      event(0).routers.size(), event(0).links.size())};
}

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

// Runs `c.fail` on a converged network, then 10 s of simulated time; between iterations
// `c.repair` and a run until quiet, untimed. Reports the simulated time from the failure to the
// last route change.
void failure(benchmark::State& state, const topo::Topology& t, const FailureCase& c) {
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
    c.fail(*lab.net, iteration);
    lab.engine.run_until(failed_at + 10s);
    state.PauseTiming();
    events += lab.engine.executed_count() - events_before;
    updates += lab.net->stats().updates_sent - before.updates_sent;
    route_changes += lab.net->stats().route_changes - before.route_changes;
    routes_settled += last_change - failed_at;
    c.repair(*lab.net, iteration);
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
  failure(state, t, link_case(t));
}

void msee_failure(benchmark::State& state) {
  const topo::Topology& t = topology(state.range(0), state.range(1));
  const FailureCase c = msee_case(t);
  state.SetLabel(c.elements);
  failure(state, t, c);
}

void location_failure(benchmark::State& state) {
  const topo::Topology& t = topology(state.range(0), state.range(1));
  const FailureCase c = location_case(t);
  state.SetLabel(c.elements);
  failure(state, t, c);
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
BENCHMARK(location_failure)->Name("LocationFailure")->Apply(sizes)->Iterations(8);
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

double seconds_since(std::chrono::steady_clock::time_point start) {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count();
}

// jemalloc's control interface (jemalloc(3), "MALLCTL NAMESPACE"), declared weak so that a build
// without jemalloc (-DERSIM_JEMALLOC=OFF, sanitizers) links and finds it null.
// NOLINTNEXTLINE(readability-redundant-declaration): jemalloc's header is not included
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp,
                       std::size_t newlen) __attribute__((weak));

// Gives back the memory that loading freed, then resets the peak: what follows is measured
// above the loaded topology's resident set, which is returned. Under jemalloc, malloc_trim is
// glibc's and frees nothing of jemalloc's: its arenas are purged instead ("arena.4096.purge",
// 4096 being MALLCTL_ARENAS_ALL), or the network would grow into the pages the parser freed and
// its peak would not count them.
long settle_memory() {
  (void)malloc_trim(0);
  if (&mallctl != nullptr) {
    (void)mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
  }
  const long topology_rss = status_kib("VmRSS:");
  reset_peak_rss();
  return topology_rss;
}

// One cold start in a fresh process: the topology is loaded and the memory its loading freed is
// returned to the system, the peak is reset, then the network is built and converged. Prints
// the resident set of the loaded topology and the peak during convergence. `label` opens the
// JSON object ("\"prefixes_per_site\": 4, " or nothing).
int peak_rss(const topo::Topology& t, const std::string& label) {
  const long topology_rss = settle_memory();
  const double cpu_start = cpu_seconds();
  const auto wall_start = std::chrono::steady_clock::now();
  Lab lab(t);
  const double cpu_built = cpu_seconds();
  const double wall_built = seconds_since(wall_start);
  lab.converge();
  const double wall = seconds_since(wall_start);
  const double cpu = cpu_seconds() - cpu_start;
  const long peak = status_kib("VmHWM:");
  // Router-prefix pairs: the prefixes of every routing instance's Loc-RIB.
  std::uint64_t pairs = 0;
  for (std::uint32_t i = 0; i < lab.net->instance_count(); ++i) {
    pairs += lab.net->rib(router::InstanceId{i}).size();
  }
  fmt::print(
      "{{{}\"circuits\": {}, \"sessions\": {}, \"wall_s\": {:.4f}, \"build_wall_s\": {:.4f}, "
      "\"cpu_s\": {:.4f}, \"build_cpu_s\": {:.4f}, \"events\": {}, \"updates\": {}, "
      "\"prefixes_sent\": {}, \"route_changes\": {}, \"topology_rss_kib\": {}, "
      "\"peak_rss_kib\": {}, \"network_peak_kib\": {}, \"router_prefix_pairs\": {}, "
      "\"bytes_per_pair\": {:.0f}}}\n",
      label, t.circuits().size(), t.sessions().size(), wall, wall_built, cpu, cpu_built - cpu_start,
      lab.engine.executed_count(), lab.net->stats().updates_sent, lab.net->stats().prefixes_sent,
      lab.net->stats().route_changes, topology_rss, peak, peak - topology_rss, pairs,
      static_cast<double>(peak - topology_rss) * 1024.0 / static_cast<double>(pairs));
  return 0;
}

// `iterations` failures of one kind on a converged network, each followed by 10 s of simulated
// time (timed, wall and CPU) and an untimed repair and run until quiet. Prints the totals.
int failure_report(const topo::Topology& t, const std::string& kind, std::int64_t iterations) {
  FailureCase c;
  if (kind == "link") {
    c = link_case(t);
  } else if (kind == "msee") {
    c = msee_case(t);
  } else if (kind == "location") {
    c = location_case(t);
  } else {
    throw std::invalid_argument("--failure: the kind is link, msee or location, not '" + kind +
                                "'");
  }
  Lab lab(t);
  lab.converge();
  std::uint64_t events = 0;
  std::uint64_t updates = 0;
  std::uint64_t prefixes = 0;
  std::uint64_t route_changes = 0;
  double wall = 0;
  double cpu = 0;
  double slowest = 0;
  for (std::int64_t i = 0; i < iterations; ++i) {
    const std::uint64_t events_before = lab.engine.executed_count();
    const router::NetworkStats before = lab.net->stats();
    const SimTime failed_at = lab.engine.now();
    const double cpu_start = cpu_seconds();
    const auto wall_start = std::chrono::steady_clock::now();
    c.fail(*lab.net, i);
    lab.engine.run_until(failed_at + 10s);
    const double this_wall = seconds_since(wall_start);
    cpu += cpu_seconds() - cpu_start;
    wall += this_wall;
    slowest = std::max(slowest, this_wall);
    events += lab.engine.executed_count() - events_before;
    updates += lab.net->stats().updates_sent - before.updates_sent;
    prefixes += lab.net->stats().prefixes_sent - before.prefixes_sent;
    route_changes += lab.net->stats().route_changes - before.route_changes;
    c.repair(*lab.net, i);
    lab.engine.run_until_quiet();
    require_all_established(*lab.net, "after repair");
  }
  fmt::print(
      "{{\"failure\": \"{}\", \"elements\": \"{}\", \"circuits\": {}, \"iterations\": {}, "
      "\"wall_s\": {:.6f}, \"cpu_s\": {:.6f}, \"slowest_wall_s\": {:.6f}, \"events\": {}, "
      "\"updates\": {}, \"prefixes_sent\": {}, \"route_changes\": {}, \"peak_rss_kib\": {}}}\n",
      kind, c.elements, t.circuits().size(), iterations, wall, cpu, slowest, events, updates,
      prefixes, route_changes, status_kib("VmHWM:"));
  return 0;
}

// A converged network's steady state for `span` of simulated time, in packet mode (every
// keepalive and BFD packet an event; converged by running for `settle`) or quiet (converged by
// running until nothing is pending). Prints the convergence's and the span's wall and CPU time.
int hour_report(const topo::Topology& t, const std::string& mode, Duration span, Duration settle) {
  router::NetworkOptions o;
  if (mode == "packet") {
    o.bgp_mode = bgp::BgpTimerMode::Packet;
    o.bfd_mode = bfd::BfdMode::Packet;
  } else if (mode != "quiet") {
    throw std::invalid_argument("--hour: the mode is packet or quiet, not '" + mode + "'");
  }
  const long topology_rss = settle_memory();
  const auto converge_start = std::chrono::steady_clock::now();
  Lab lab(t, o);
  lab.net->start();
  if (mode == "packet") {
    lab.engine.run_until(kTimeZero + settle);
  } else {
    lab.engine.run_until_quiet();
  }
  require_all_established(*lab.net, "after convergence");
  const double converge_wall = seconds_since(converge_start);
  const SimTime converged_at = lab.engine.now();
  const std::uint64_t events_before = lab.engine.executed_count();
  const router::NetworkStats before = lab.net->stats();
  const double cpu_start = cpu_seconds();
  const auto wall_start = std::chrono::steady_clock::now();
  lab.engine.run_until(converged_at + span);
  const double wall = seconds_since(wall_start);
  const double cpu = cpu_seconds() - cpu_start;
  require_all_established(*lab.net, "after the steady state");
  const long peak = status_kib("VmHWM:");
  fmt::print(
      "{{\"mode\": \"{}\", \"circuits\": {}, \"sessions\": {}, \"settle_s\": {:.3f}, "
      "\"span_s\": {:.3f}, \"converge_wall_s\": {:.4f}, \"wall_s\": {:.9f}, \"cpu_s\": {:.9f}, "
      "\"events\": {}, \"updates\": {}, \"route_changes\": {}, \"topology_rss_kib\": {}, "
      "\"peak_rss_kib\": {}, \"network_peak_kib\": {}}}\n",
      mode, t.circuits().size(), t.sessions().size(),
      std::chrono::duration<double>(converged_at - kTimeZero).count(),
      std::chrono::duration<double>(span).count(), converge_wall, wall, cpu,
      lab.engine.executed_count() - events_before,
      lab.net->stats().updates_sent - before.updates_sent,
      lab.net->stats().route_changes - before.route_changes, topology_rss, peak,
      peak - topology_rss);
  return 0;
}

Duration seconds_arg(const std::string& text) {
  const double s = std::stod(text);
  if (!(s > 0)) {
    throw std::invalid_argument("a span must be a positive number of seconds, not '" + text + "'");
  }
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

// The one-measurement modes; nullopt when the arguments are Google Benchmark's.
std::optional<int> measure(const std::vector<std::string>& args) {
  if (args.size() == 3 && args[0] == "--peak-rss") {
    const std::int64_t prefixes_per_site = std::stoll(args[2]);
    return peak_rss(load(std::stoll(args[1]), prefixes_per_site),
                    fmt::format("\"prefixes_per_site\": {}, ", prefixes_per_site));
  }
  if (args.size() == 2 && args[0] == "--peak-rss") {
    return peak_rss(io::load_topology(args[1]), "");
  }
  if ((args.size() == 3 || args.size() == 4) && args[0] == "--failure") {
    const std::int64_t iterations = args.size() == 4 ? std::stoll(args[3]) : 20;
    if (iterations < 1) {
      throw std::invalid_argument("--failure: ITERATIONS must be at least 1");
    }
    return failure_report(io::load_topology(args[2]), args[1], iterations);
  }
  if (args.size() >= 3 && args.size() <= 5 && args[0] == "--hour") {
    const Duration span = args.size() >= 4 ? seconds_arg(args[3]) : Duration(1h);
    const Duration settle = args.size() == 5 ? seconds_arg(args[4]) : Duration(5min);
    return hour_report(io::load_topology(args[2]), args[1], span, settle);
  }
  for (const std::string& a : args) {
    if (a == "--peak-rss" || a == "--failure" || a == "--hour") {
      throw std::invalid_argument(
          "usage: network_bench --peak-rss CIRCUITS PREFIXES_PER_SITE | --peak-rss FILE | "
          "--failure link|msee|location FILE [ITERATIONS] | "
          "--hour packet|quiet FILE [SPAN_S [SETTLE_S]]");
    }
  }
  return std::nullopt;
}

}  // namespace
}  // namespace ersim::bench

int main(int argc, char** argv) {
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (const std::optional<int> status = ersim::bench::measure(args)) {
      return *status;
    }
  } catch (const std::exception& e) {
    (void)std::fprintf(stderr, "network_bench: %s\n", e.what());
    return 2;
  }
  return ersim::bench::run_benchmarks(argc, argv);
}
