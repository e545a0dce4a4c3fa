// Flow timelines (DESIGN §4): each watched flow's fate as a list of intervals — delivered (with
// its path and circuit), no route, loop, link down, router down — kept up to date as the
// network changes. A flow is traced again only when something on its path changes: a Loc-RIB
// change for a prefix holding its destination in an instance it passes through or at one of its
// source routers (whose routes pick the first hop), or a link or router it uses (or was stopped
// by) failing or coming back. Changes at one instant are traced once, after everything due at
// that instant has run. Flows are indexed by the instances, links and routers they pass, so a
// change costs the flows concerned, not every flow.
//
//   FlowMonitor monitor(engine, network, {{.routers = ces, .destination = vm, .hash = h}});
//   monitor.start();                     // traces every flow now
//   net.fail_link(l);  monitor.topology_changed();  engine.run_until(end);
//   monitor.finish();  monitor.timeline(0);   // intervals from start() to end
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/time.hpp"
#include "sim/reach/forwarding.hpp"
#include "sim/router/network.hpp"

namespace ersim::reach {

/// A flow to follow: its packet's description, with owned storage.
struct FlowSpec {
  std::vector<topo::RouterId> routers;
  std::string vrf;
  Ipv4Address destination;
  std::uint64_t hash = 0;
};

/// One stretch of time in which the flow's trace did not change.
struct Interval {
  SimTime start{};
  SimTime end = kTimeMax;  ///< kTimeMax while it lasts
  Trace trace;
  /// When the change that began this interval waited for a VNet gateway's reconvergence: the
  /// delay (the longest, if several such changes met at that instant).
  Duration gateway_reconvergence{};
  [[nodiscard]] bool delivered() const { return trace.outcome == Outcome::Delivered; }
};

class FlowMonitor {
 public:
  /// Subscribes to the network's route changes; watches nothing until start().
  FlowMonitor(Engine& engine, router::Network& network, std::vector<FlowSpec> flows);
  FlowMonitor(const FlowMonitor&) = delete;
  FlowMonitor& operator=(const FlowMonitor&) = delete;
  FlowMonitor(FlowMonitor&&) = delete;
  FlowMonitor& operator=(FlowMonitor&&) = delete;
  ~FlowMonitor() = default;

  /// Traces every flow at engine.now(), which opens each timeline.
  void start();
  /// Links or routers failed or came back (the network does not report those): traces again,
  /// at the end of this instant, the flows that use or were stopped by any of them.
  void topology_changed(std::span<const topo::LinkId> links,
                        std::span<const topo::RouterId> routers);
  /// Closes every timeline at engine.now(), after tracing what is still pending.
  void finish();
  /// Traces now what is pending at this instant, leaving the timelines open.
  void flush();

  // Checkpoints, alongside router::Network's.
  /// Keeps the timelines as they are now (after start(); nothing may be pending: asserted) to
  /// come back to. Costs nothing now: a timeline is copied the first time it changes after it.
  void checkpoint();
  /// Puts every timeline, and the index, back as they were at checkpoint(). Call it with
  /// Network::rollback, which drops the engine's pending retrace. Costs the flows that changed.
  void rollback();
  /// The flows whose timeline changed since the last checkpoint() or rollback(), in the order
  /// they first changed.
  [[nodiscard]] const std::vector<std::size_t>& changed() const { return changed_; }

  [[nodiscard]] std::size_t size() const { return flows_.size(); }
  [[nodiscard]] const std::vector<Interval>& timeline(std::size_t flow) const {
    return flows_.at(flow).timeline;
  }
  /// How many times a flow was traced again (for reports and benchmarks).
  [[nodiscard]] std::uint64_t retraces() const { return retraces_; }

 private:
  /// What the index files flows under.
  enum Key : std::uint8_t { ByInstance, ByLink, ByRouter };
  static constexpr std::size_t kKeys = 3;

  struct Watched {
    FlowSpec spec;
    std::vector<router::InstanceId> sources;  ///< the source routers' instances
    std::vector<Interval> timeline;
    bool dirty = false;
    Duration pending_gateway{};  ///< the longest gateway delay among the changes marking it
    /// The index entries of this flow, per key kind, in the order they were made.
    std::array<std::vector<std::uint32_t>, kKeys> filed;
    bool changed = false;  ///< since the last checkpoint or rollback
  };

  void on_route_change(const router::RouteEvent& event);
  void mark(std::size_t flow, Duration gateway_reconvergence);
  void retrace();
  void record(std::size_t flow, Trace trace, Duration gateway_reconvergence);
  /// Files the flow under everything its newest trace passes (each key once per flow): the
  /// lists keep flows that moved away since, which the lookups skip.
  void file(std::size_t flow);
  void file_under(std::size_t flow, Key key, std::uint32_t value);

  Engine& engine_;
  router::Network& network_;
  std::vector<Watched> flows_;
  std::vector<std::size_t> dirty_;
  bool started_ = false;
  bool retrace_scheduled_ = false;
  std::uint64_t retraces_ = 0;
  /// Flows by instance, link and router id.
  std::array<std::vector<std::vector<std::uint32_t>>, kKeys> index_;

  // Since checkpoint().
  bool checkpointed_ = false;
  std::vector<std::size_t> changed_;
  /// Each changed flow's timeline at the checkpoint, copied when it first changed.
  std::vector<std::optional<std::vector<Interval>>> saved_timelines_;
  /// The index entries made since, in order: (key kind, value, flow).
  struct Filed {
    Key key;
    std::uint32_t value;
    std::uint32_t flow;
  };
  std::vector<Filed> filed_since_;
  std::uint64_t saved_retraces_ = 0;
};

}  // namespace ersim::reach
