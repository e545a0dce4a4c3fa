// A failure sweep (`ersim sweep`): every element of a design that can fail — a link, a router,
// a VNet gateway, a peering location, a metro, a provider, a shared-risk group — failed alone
// (N-1) and, with k = 2, in pairs (N-2), each from the same converged network; for every failure
// set the fate of every watched flow. This header is the vocabulary the sweep's parts share:
// failure_sets (what to fail), sweep_runner (simulating them), resiliency (the index),
// sweep_expectations (the verdicts) and report/sweep_report (text, JSON, HTML).
//
//   const Sweep s = make_sweep(topology, flows, options);
//   const SweepResult r = run_sweep(topology, s, {.threads = 2});
//   r.sets[0].flows;   // the flows the worst failure set hurt
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "sim/reach/capacity.hpp"
#include "sim/scenario/metrics.hpp"
#include "sim/topo/checklist.hpp"
#include "sim/topo/ids.hpp"
#include "sim/topo/model.hpp"

namespace ersim::sweep {

using namespace std::chrono_literals;

/// What kind of thing an element is. The order is the report's order among equals.
enum class ElementKind : std::uint8_t { Link, Router, Gateway, Location, Metro, Provider, Group };
/// "link", "router", "gateway", "location", "metro", "provider", "srlg": the words of --only,
/// --exclude and the JSON.
std::string_view to_string(ElementKind kind);
std::optional<ElementKind> element_kind(std::string_view word);

/// One thing that fails as a unit: its routers (devices) and links go down together.
struct Element {
  ElementKind kind = ElementKind::Link;
  /// The topology's name: the link's, the router's, the gateway router's; for a group its name
  /// without the "location:", "metro:" or "provider:" prefix the topology gives it.
  std::string name;
  std::vector<topo::LinkId> links;      ///< sorted
  std::vector<topo::RouterId> routers;  ///< sorted
  /// The peering locations the element stands in (sorted, unique); empty when it stands in none
  /// (a CE router, a provider's access link, a gateway). Two elements are "in different peering
  /// locations" when both have locations and the lists do not meet.
  std::vector<std::string> locations;
  /// "link er-ams.primary", "location amsterdam": how reports name it.
  [[nodiscard]] std::string label() const;
};

/// One or two elements failed together at time 0 of a run.
struct FailureSet {
  std::vector<std::uint32_t> elements;  ///< indices into SweepResult::elements, ascending
  friend bool operator==(const FailureSet&, const FailureSet&) = default;
};

/// What became of one flow in one failure set and run.
enum class Fate : std::uint8_t { NeverLost, Lost, Partitioned };
/// "never lost", "lost", "partitioned".
std::string_view to_string(Fate fate);

/// A flow that a failure set hurt (a flow that is not listed was never lost), over the runs.
struct FlowHit {
  std::uint32_t flow = 0;              ///< index into SweepResult::flows
  std::uint32_t lost_runs = 0;         ///< runs in which it was lost and came back
  std::uint32_t partitioned_runs = 0;  ///< runs in which it was still out at the horizon
  /// Its longest total outage over the runs (a partitioned run counts from the first loss to
  /// the horizon), and the mean over all runs (a run in which it was never lost counts 0).
  Duration worst_outage{};
  Duration mean_outage{};
  /// How the network noticed, in the worst run: "BFD", "hold timer", "carrier", "TCP close",
  /// "none" (see scenario::Cause::detection).
  std::string detection = "none";
  friend bool operator==(const FlowHit&, const FlowHit&) = default;
  [[nodiscard]] Fate fate() const {
    return partitioned_runs > 0 ? Fate::Partitioned : lost_runs > 0 ? Fate::Lost : Fate::NeverLost;
  }
};

/// The result of one failure set over all runs.
/// Where one flow went in the first run of a failure set whose path it changed, lost or not:
/// every link and router its traces crossed (sorted), for the pair classification.
struct Detour {
  std::uint32_t flow = 0;
  std::vector<topo::LinkId> links;
  std::vector<topo::RouterId> routers;
  friend bool operator==(const Detour&, const Detour&) = default;
};

struct SetResult {
  FailureSet set;
  std::vector<FlowHit> flows;  ///< sorted by flow
  /// Sorted by flow; a single's only: the pair classification reads no pair's, and an N-2
  /// sweep's pairs would hold hundreds of megabytes of them.
  std::vector<Detour> detours;
  std::uint64_t engine_events = 0;  ///< what simulating it took, over its runs
  /// With flows that carry a rate (reach/capacity.hpp): the link or circuit whose load the set
  /// raised most, by utilization over its runs, and the overloads it made or made worse, from
  /// the run with the highest utilization (the first such run).
  std::optional<reach::ChannelPeak> busiest;
  std::vector<reach::Overload> overloads;
  /// The convergence storm the failure set set off: figure by figure the largest over its runs.
  scenario::Storm storm;
  friend bool operator==(const SetResult&, const SetResult&) = default;
  [[nodiscard]] std::size_t partitioned() const;
  [[nodiscard]] Duration worst_outage() const;
};

/// How the pairs of a k = 2 sweep were classified.
struct PairCounts {
  std::uint64_t raw = 0;        ///< n (n - 1) / 2 over the elements
  std::uint64_t no_effect = 0;  ///< an element touches no flow: the pair is the other's single
  std::uint64_t composed = 0;   ///< the two touch disjoint flows: the union of the singles
  std::uint64_t simulated = 0;  ///< the two touch a flow in common
};

/// The sweep's own options (the network's come with the flows' scenario).
struct SweepOptions {
  unsigned k = 1;                    ///< 1: every element alone; 2: also every pair
  std::vector<ElementKind> only;     ///< empty: every kind
  std::vector<std::string> exclude;  ///< element kinds or names ("link:er-ams.primary" or a name)
  /// Overrides every link's own failure mode.
  std::optional<topo::FailureMode> mode;
  std::uint32_t runs = 1;
  std::uint64_t seed = 1;
  /// How long each failure set runs after the failure: long enough for a 180 s hold timer, a
  /// 120 s connect retry and a 60 s gateway reconvergence.
  Duration horizon = 10min;
};

/// One part of the resiliency index and what it scored.
struct IndexComponent {
  std::string name;   ///< "route diversity", "gateway zone redundancy", ...
  double points = 0;  ///< what the design scored, 0 .. max
  double max = 0;
  std::string explanation;  ///< why: "hub -> amsterdam-dc over amsterdam and london"
};

/// The resiliency index, 0-100, modelled on Azure's Resiliency Insights index (route
/// resilience, zone-redundant gateway, advisory recommendations, validation tests), and the
/// design's resiliency model (the weakest of its VNets').
struct Resiliency {
  double index = 0;  ///< the sum of the components' points
  topo::ResiliencyModel model = topo::ResiliencyModel::Unconnected;
  std::vector<IndexComponent> components;
};

/// What a sweep must show, from a scenario file's `sweep.expect` or `--expect`.
enum class SweepExpectationKind : std::uint8_t {
  NoSinglePartition,   ///< no single failure partitions any flow
  SingleOutageAtMost,  ///< no single failure costs a flow more than `bound` (worst run)
  /// no pair of failures in different peering locations partitions a flow (needs k = 2)
  NoCrossLocationPairPartition,
  /// no link or circuit carries more than `utilization` of its capacity, before any failure or
  /// after any single failure (needs flows with a rate)
  SingleUtilizationAtMost,
};

struct SweepExpectation {
  SweepExpectationKind kind = SweepExpectationKind::NoSinglePartition;
  Duration bound{};
  std::string text;        ///< as written: "no single failure costs a flow more than 1s"
  double utilization = 0;  ///< SingleUtilizationAtMost: a fraction of the capacity
};

struct SweepVerdict {
  bool met = false;
  /// What was seen: "location amsterdam partitions 2 flows", "worst 0.812s (link er-ams.primary,
  /// amsterdam-dc -> hub)".
  std::string detail;
};

struct SweepResult {
  SweepOptions options;
  std::vector<Element> elements;
  std::vector<std::string> flows;  ///< the watched flows' names
  /// Each flow's rate in bits per second (0: none), as the flows.
  std::vector<std::uint64_t> rates;
  /// With flows that carry a rate: every link's and circuit's load before any failure, whose
  /// overloads the sets repeat only where they made them worse.
  reach::LoadReport capacity;
  /// The names of the links and circuits that `capacity` and the sets mention.
  reach::ChannelDirectory channels;
  /// The flows not delivered even before any failure (in flow order): no set counts them.
  std::vector<std::uint32_t> unreachable;
  /// Every failure set simulated: the singles in element order, then (k = 2) the pairs whose
  /// elements touch a flow in common, in (first, second) order. A pair that is not listed acts
  /// as its elements' singles together (PairCounts).
  std::vector<SetResult> sets;
  PairCounts pairs;
  /// Per element, the flows whose paths it is on — before or after any single failure — sorted:
  /// its criticality is their number.
  std::vector<std::vector<std::uint32_t>> dependents;
  Resiliency resiliency;
  std::vector<SweepExpectation> expectations;
  std::vector<SweepVerdict> verdicts;  ///< as expectations
  std::uint64_t engine_events = 0;     ///< the sets' engine_events added up
  [[nodiscard]] bool all_met() const;
};

}  // namespace ersim::sweep
