// Traffic and capacity: the load that flows with a rate put on the links and ExpressRoute
// circuits their traces cross, each direction on its own, as the traces change over a run; and
// the overloads, where a link or a circuit must carry more than its capacity.
//
// A flow takes one path through each ECMP set (forwarding.hpp: one flow, one path), so its whole
// rate goes where its trace goes. A link's capacity is its own (`capacity` in the topology; a
// circuit's links take the circuit's bandwidth). An ExpressRoute circuit's two links each carry
// the circuit's bandwidth and together may burst to twice it, but only the bandwidth is
// guaranteed: Microsoft documents the secondary link's share as redundancy, not as capacity
// ("ExpressRoute FAQ": "you can use up to two times the bandwidth limit you procured ... it isn't
// guaranteed"). So the circuit is a channel of its own, loaded by every flow that crosses it
// toward Microsoft or from it, and a circuit above its bandwidth is an overload even when
// neither link is full. Packets a link drops are the excess over its capacity; a circuit over
// its bandwidth has lost its guarantee, which a failure of either link turns into drops.
//
//   LoadTracker loads(topology, {600'000'000, 500'000'000});   // bits per second, per flow
//   loads.set_baseline({&trace0, &trace1});                     // scenario time 0
//   const LoadReport r = loads.analyse({{0, timeline0}, {1, timeline1}}, end, Scope::Whole);
//   r.overloads;   // circuit er-lon to Microsoft: 1.1Gbps of 1Gbps from 10.9s
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "sim/reach/flow_monitor.hpp"
#include "sim/reach/forwarding.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::reach {

/// One direction of a link or of an ExpressRoute circuit.
struct Channel {
  enum class Kind : std::uint8_t { Link, Circuit };
  Kind kind = Kind::Link;
  std::uint32_t index = 0;  ///< the LinkId's or CircuitId's value
  /// A link: from its `a` end to its `b` end. A circuit: toward Microsoft (into an MSEE).
  bool forward = true;
  // clang-tidy 14 takes the 0 a defaulted <=> compares with for a null pointer, and the bool
  // member's comparison for a conversion.
  // NOLINTNEXTLINE(modernize-use-nullptr,readability-implicit-bool-conversion)
  friend auto operator<=>(const Channel&, const Channel&) = default;
};

/// "link", "circuit": the JSON's "kind".
std::string to_string(Channel::Kind kind);
/// The link's or circuit's name.
std::string channel_name(const topo::Topology& topology, Channel channel);
/// Which way: "ams-ce1 -> ams-msee1" for a link, "to Microsoft" or "from Microsoft" for a circuit.
std::string channel_direction(const topo::Topology& topology, Channel channel);
/// "link er-ams.primary ams-ce1 -> ams-msee1", "circuit er-ams to Microsoft".
std::string channel_label(const topo::Topology& topology, Channel channel);
/// Its capacity in bits per second; 0 when it has none (a link without `capacity`).
std::uint64_t channel_capacity(const topo::Topology& topology, Channel channel);

/// How reports name a channel, kept apart from the topology so that a result read back from a
/// file (a sweep's journal) names its channels too.
struct ChannelNames {
  std::string name;       ///< channel_name
  std::string direction;  ///< channel_direction
};
using ChannelDirectory = std::map<Channel, ChannelNames>;
/// Adds the channel's names to the directory, once.
void name_channel(const topo::Topology& topology, Channel channel, ChannelDirectory& directory);
/// "link er-ams.primary ams-ce1 -> ams-msee1" from the directory, which must hold the channel.
std::string channel_label(const ChannelDirectory& directory, Channel channel);

/// The most a channel with a capacity carried, and when it first did.
struct ChannelPeak {
  Channel channel;
  std::uint64_t capacity_bps = 0;
  std::uint64_t peak_bps = 0;
  SimTime at{};  ///< scenario time
  [[nodiscard]] double utilization() const;
  friend bool operator==(const ChannelPeak&, const ChannelPeak&) = default;
};

/// A stretch of time in which a channel had to carry more than its capacity.
struct Overload {
  Channel channel;
  std::uint64_t capacity_bps = 0;
  std::uint64_t peak_bps = 0;  ///< the most it had to carry in the stretch
  SimTime start{};             ///< scenario time
  SimTime end{};               ///< the end of the run when still overloaded then (`open`)
  bool open = false;
  SimTime peak_at{};  ///< when it first carried peak_bps
  /// The flows on it at its peak, the largest rate first, then in flow order.
  std::vector<std::uint32_t> flows;
  /// What it could not carry at its peak: dropped on a link, unguaranteed on a circuit.
  [[nodiscard]] std::uint64_t excess_bps() const { return peak_bps - capacity_bps; }
  [[nodiscard]] double utilization() const;
  friend bool operator==(const Overload&, const Overload&) = default;
};

struct LoadReport {
  /// The channels with a capacity that carried traffic (Scope::Whole) or whose load rose above
  /// its level at scenario time 0 (Scope::Changes), the highest utilization first, then in
  /// channel order.
  std::vector<ChannelPeak> peaks;
  /// In order of start, then channel. Scope::Changes keeps those whose peak is above the
  /// channel's load at scenario time 0: the overloads a change made or made worse.
  std::vector<Overload> overloads;
  /// The highest utilization among `peaks`; 0 when there are none.
  [[nodiscard]] double peak_utilization() const;
};

/// What analyse() reports on.
enum class Scope : std::uint8_t {
  Whole,    ///< every channel, as loaded from scenario time 0 on: one run of a scenario
  Changes,  ///< only what the changed flows made rise: one failure set of a sweep
};

/// A flow's timeline (in scenario time, from time 0) that differs from its baseline.
struct FlowTimeline {
  std::uint32_t flow = 0;
  std::span<const Interval> timeline;
};

/// Keeps the channels' loads for one set of flows: set the baseline once, then analyse one
/// timeline after another (each analysis leaves the loads at the baseline again).
class LoadTracker {
 public:
  /// `rates[f]` is flow f's rate in bits per second; 0 puts no load anywhere.
  LoadTracker(const topo::Topology& topology, std::vector<std::uint64_t> rates);

  /// Some flow has a rate: without one there is nothing to analyse.
  [[nodiscard]] bool carries_traffic() const { return carries_traffic_; }

  /// The flows' traces at scenario time 0, one per flow.
  void set_baseline(std::span<const Trace* const> traces);

  /// The loads from scenario time 0 to `end`, with each flow of `changed` (in ascending flow
  /// order) following its timeline and every other flow its baseline trace.
  LoadReport analyse(std::span<const FlowTimeline> changed, SimTime end, Scope scope);

  /// The channels a trace loads: the links it crossed and the circuits among them, once each,
  /// with their directions. A link the packet was sent onto while down carries nothing.
  [[nodiscard]] std::vector<Channel> channels_of(const Trace& trace) const;

 private:
  // Loads live in slots: link l's directions at 2l and 2l + 1, then circuit c's at
  // 2 * links + 2c (toward Microsoft) and 2 * links + 2c + 1.
  [[nodiscard]] std::uint32_t slot(Channel channel) const;
  [[nodiscard]] Channel channel_at(std::uint32_t slot) const;
  [[nodiscard]] std::vector<std::uint32_t> slots_of(const Trace& trace) const;
  // The flows with a rate whose trace at `at` loads the slot: the unchanged ones from the
  // baseline's index, the changed ones from `visits` (slot, index into changed), sorted.
  [[nodiscard]] std::vector<std::uint32_t> flows_at(
      std::uint32_t slot, SimTime at, std::span<const FlowTimeline> changed,
      const std::vector<std::pair<std::uint32_t, std::uint32_t>>& visits) const;

  // A link of an ExpressRoute circuit proper (customer or provider edge to MSEE).
  struct CircuitLink {
    std::uint32_t circuit = 0;
    bool msee_at_b = true;  ///< crossed from a to b, it goes toward Microsoft
  };

  const topo::Topology& topology_;
  std::vector<std::uint64_t> rates_;
  bool carries_traffic_ = false;
  std::vector<std::optional<CircuitLink>> circuit_link_;    ///< per link
  std::vector<std::uint64_t> capacity_;                     ///< per slot
  std::vector<std::uint64_t> baseline_load_;                ///< per slot
  std::vector<std::uint64_t> load_;                         ///< per slot, during an analysis
  std::vector<std::vector<std::uint32_t>> baseline_slots_;  ///< per flow
  /// The flows on each slot at the baseline: baseline_flows_[baseline_offsets_[s] ..
  /// baseline_offsets_[s + 1]).
  std::vector<std::uint32_t> baseline_offsets_;
  std::vector<std::uint32_t> baseline_flows_;
  // Scratch of analyse(), left clear between analyses: per slot, and per flow.
  std::vector<std::uint32_t> watch_of_;
  std::vector<bool> touched_;
  std::vector<bool> changed_;
};

}  // namespace ersim::reach
