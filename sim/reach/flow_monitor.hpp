// Flow timelines (DESIGN §4): each watched flow's fate as a list of intervals — delivered (with
// its path and circuit), no route, loop, link down, router down — kept up to date as the
// network changes. A flow is traced again only when something on its path changes: a Loc-RIB
// change for a prefix holding its destination in an instance it passes through or at one of its
// source routers (whose routes pick the first hop), or a link or router it uses (or was stopped
// by) failing or coming back. Changes at one instant are traced
// once, after everything due at that instant has run.
//
//   FlowMonitor monitor(engine, network, {{.routers = ces, .destination = vm, .hash = h}});
//   monitor.start();                     // traces every flow now
//   net.fail_link(l);  monitor.topology_changed();  engine.run_until(end);
//   monitor.finish();  monitor.timeline(0);   // intervals from start() to end
#pragma once

#include <cstddef>
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

  [[nodiscard]] std::size_t size() const { return flows_.size(); }
  [[nodiscard]] const std::vector<Interval>& timeline(std::size_t flow) const {
    return flows_.at(flow).timeline;
  }
  /// How many times a flow was traced again (for reports and benchmarks).
  [[nodiscard]] std::uint64_t retraces() const { return retraces_; }

 private:
  struct Watched {
    FlowSpec spec;
    std::vector<router::InstanceId> sources;  ///< the source routers' instances
    std::vector<Interval> timeline;
    bool dirty = false;
    Duration pending_gateway{};  ///< the longest gateway delay among the changes marking it
  };

  void on_route_change(const router::RouteEvent& event);
  void mark(std::size_t flow, Duration gateway_reconvergence);
  void retrace();
  void record(Watched& flow, Trace trace, Duration gateway_reconvergence);

  Engine& engine_;
  router::Network& network_;
  std::vector<Watched> flows_;
  std::vector<std::size_t> dirty_;
  bool started_ = false;
  bool retrace_scheduled_ = false;
  std::uint64_t retraces_ = 0;
};

}  // namespace ersim::reach
