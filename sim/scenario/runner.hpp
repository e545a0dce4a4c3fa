// Runs a scenario: a cold start until the network is quiet (scenario time 0), then the events
// at their times, with every flow watched (reach::FlowMonitor) until the end; then each outage
// gets its cause chain and each expectation its verdict. Several runs use seeds seed, seed + 1,
// ... and run on a pool of threads; results never depend on the thread count.
//
//   const ScenarioResult r = run_scenario(topology, scenario, {.threads = 2});
//   r.runs[0].flows[0].outages;   r.expectations[0].met;
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "sim/reach/capacity.hpp"
#include "sim/reach/flow_monitor.hpp"
#include "sim/router/network.hpp"
#include "sim/scenario/metrics.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::scenario {

/// Why a flow was out: the scenario event before it, how the network noticed, and how its
/// duration splits into detection (until a BGP session went down over it), gateway
/// reconvergence (what the VNet gateway held the repair for) and propagation (the rest: updates
/// travelling and being processed).
struct Cause {
  std::optional<std::size_t> event;  ///< index into Scenario::events; none before any event
  /// "carrier", "BFD", "hold timer", "max-prefix", "maintenance", "TCP close", "notification",
  /// or "none" when no session went down (a withdrawal, a policy change).
  std::string detection = "none";
  Duration detection_time{};
  Duration propagation{};
  Duration gateway_reconvergence{};
};

struct Outage {
  SimTime start{};  ///< scenario time
  SimTime end{};
  reach::Outcome outcome = reach::Outcome::NoRoute;  ///< of the first moment of the outage
  std::string where;                                 ///< the path up to where the packets were lost
  Cause cause;
  bool open = false;  ///< still out when the run ended
  [[nodiscard]] Duration duration() const { return end - start; }
};

struct FlowRun {
  std::vector<reach::Interval> timeline;  ///< in scenario time
  std::vector<Outage> outages;
  Duration total_outage{};
  Duration longest_outage{};
};

struct Verdict {
  bool met = false;
  std::string detail;  ///< what was seen: "longest outage 0.712s", "asymmetric from 10s to 25s"
};

/// A line of the run's story, in time order: scenario events, session changes, route changes
/// and flow changes. `fields` is the JSON object `--trace` writes (with "t" first).
struct LogEntry {
  enum class Kind : std::uint8_t { Event, Session, Route, Flow };
  SimTime at{};
  Kind kind = Kind::Event;
  std::string text;
  nlohmann::ordered_json fields;
};

/// "event", "session", "route", "flow": the trace's "kind".
std::string_view to_string(LogEntry::Kind kind);

struct RunResult {
  std::uint64_t seed = 0;
  /// How long the cold start took to go quiet: engine time at scenario time 0.
  Duration converged_after{};
  SimTime end{};               ///< scenario time the run ended
  std::vector<FlowRun> flows;  ///< as Scenario::flows
  std::vector<Verdict> expectations;
  /// The loads of the flows with a rate on the links and circuits, and the overloads; empty
  /// when no flow has a rate.
  reach::LoadReport capacity;
  std::vector<LogEntry> log;        ///< kept for the first run only
  router::NetworkStats stats;       ///< from scenario time 0 on: the cold start excluded
  std::uint64_t engine_events = 0;  ///< likewise
  RunMetrics metrics;               ///< convergence, storms, churn, tables, prefix headroom
};

struct ScenarioResult {
  std::vector<RunResult> runs;
  /// Met when met in every run; the detail names the first run that failed.
  std::vector<Verdict> expectations;
  [[nodiscard]] bool all_met() const;
};

struct RunOptions {
  unsigned threads = 1;
};

/// A converged network with the scenario's flows watched, from which one event list after
/// another is played, each from the same converged state (router::Network::checkpoint): what a
/// failure sweep runs its failure sets on. The cold start happens once, in the constructor.
///
///   Replayer r(topology, scenario, seed);
///   const auto played = r.play({fail_event}, kTimeZero + 10min);   // then the next set
/// A Replayer's network did not go quiet after its cold start (a session that never comes up,
/// or packets simulated one by one), so there is no converged state to come back to.
class NotQuiet : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Replayer {
 public:
  /// The scenario's flows and options count; its events and expectations are dropped. Throws
  /// NotQuiet when the converged network still has something pending.
  Replayer(const topo::Topology& topology, Scenario base, std::uint64_t seed);
  /// Starts from a copy of another Replayer's converged network (of the same topology,
  /// scenario and seed) instead of a cold start of its own: builds its network, then waits for
  /// `converged` to be ready and copies it. The one copied is only read, so several Replayers
  /// may copy it on threads of their own, but not while it plays.
  Replayer(const topo::Topology& topology, Scenario base, std::uint64_t seed,
           const std::shared_future<const Replayer*>& converged);
  ~Replayer();
  Replayer(const Replayer&) = delete;
  Replayer& operator=(const Replayer&) = delete;
  Replayer(Replayer&&) = delete;
  Replayer& operator=(Replayer&&) = delete;

  struct Played {
    /// The flows whose timeline changed (an index into Scenario::flows and its run), in flow
    /// order: the others were delivered as at scenario time 0 throughout.
    std::vector<std::pair<std::size_t, FlowRun>> flows;
    router::NetworkStats stats;
    std::uint64_t engine_events = 0;
    Storm storm;  ///< what the events set going, from the first until `until`
  };
  /// Plays `events` (in time order, scenario time) until `until`, then puts the network back.
  Played play(std::vector<Event> events, SimTime until);
  /// The flow's trace at scenario time 0.
  [[nodiscard]] const reach::Trace& baseline(std::size_t flow) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One run with one seed; `keep_log` fills RunResult::log.
RunResult run_once(const topo::Topology& topology, const Scenario& scenario, std::uint64_t seed,
                   bool keep_log);

/// Scenario::runs runs, seeds scenario.seed + i, on `options.threads` threads.
ScenarioResult run_scenario(const topo::Topology& topology, const Scenario& scenario,
                            const RunOptions& options = {});

/// A duration in seconds, to the nanosecond: 0.712, 12, 180.5.
double seconds(Duration duration);
/// For people, to the millisecond (the JSON documents carry nanoseconds): "10.652s".
std::string time_text(SimTime at);
/// For people: "668.4ms" below a second, "16.260s" from one second up.
std::string duration_text(Duration duration);

}  // namespace ersim::scenario
