// The network's own figures for a run (what the flows do is the runner's business): how long the
// network took to converge after the cold start and after each scenario event (its first and
// last route change), the convergence storm each event set going (sessions down, UPDATEs, route
// changes), each router's churn, the size of each routing instance's tables, and how many
// prefixes each session with a limit received against it.
//
//   MetricsRecorder recorder(engine, net, topology);   // at scenario time 0, after the cold start
//   recorder.event_begins(0);  ...  engine.run_until(end);
//   const RunMetrics m = recorder.finish(scenario.events);   // m.events[0].last_change
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/time.hpp"
#include "sim/router/network.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::scenario {

/// A session's prefix headroom is tight below this fraction of its limit. Microsoft documents
/// the limits (https://learn.microsoft.com/azure/expressroute/expressroute-faqs,
/// "ExpressRoute limits"): 4,000 private peering prefixes per BGP session on a Standard
/// circuit, 10,000 with Premium, 200 on Microsoft peering (topo::msee_prefix_limit); over the
/// limit the session is dropped. A tenth of the limit is 400, 1,000 and 20 prefixes: room for a
/// site or two more, no more.
inline constexpr double kTightHeadroom = 0.10;

/// What one change set going, from its event until the next event (or the end of the run).
/// When a shared device fails — an MSEE serving many circuits, a whole peering location — this
/// is the convergence storm.
struct Storm {
  std::uint32_t sessions_down = 0;  ///< sessions that left Established (at either end), each once
  std::uint64_t updates = 0;        ///< UPDATE messages sent, every router
  std::uint64_t prefixes = 0;       ///< prefixes announced or withdrawn in them
  std::uint64_t route_changes = 0;  ///< Loc-RIB changes, every routing instance
  /// From the event to its first and its last route change; std::nullopt: no route changed.
  std::optional<Duration> first_change;
  std::optional<Duration> last_change;
  friend bool operator==(const Storm&, const Storm&) = default;
};

/// Figure by figure, the larger of two storms (a missing change time is the smaller): the worst
/// of several runs of one failure.
Storm largest(const Storm& a, const Storm& b);

/// One router's work from scenario time 0 on (the cold start excluded).
struct RouterChurn {
  topo::RouterId router;
  router::RouterStats stats;
  std::uint32_t sessions_down = 0;  ///< its sessions leaving Established, as its end saw it
  /// UPDATEs sent and received: what churn ranks by, then route changes.
  [[nodiscard]] std::uint64_t messages() const {
    return stats.updates_sent + stats.updates_received;
  }
};

/// The tables of one routing instance at the end of the run.
struct TableSize {
  router::InstanceId instance;
  topo::RouterId router;
  std::string vrf;                 ///< "" for the router's default table
  std::uint64_t rib_routes = 0;    ///< every route held: each neighbour's (Adj-RIB-In) and its own
  std::uint64_t fib_prefixes = 0;  ///< prefixes with a best route installed (the Loc-RIB)
};

/// One session end with a prefix limit (max-prefix: the MSEE's end of every circuit session).
struct PrefixHeadroom {
  topo::SessionId session;
  bgp::Side side = bgp::Side::A;
  topo::RouterId router;
  std::uint32_t limit = 0;
  std::uint64_t received = 0;  ///< routes held from the peer at the end of the run
  std::uint64_t peak = 0;      ///< the most held at once, cold start included
  bool held = false;           ///< dropped for max-prefix and still waiting at the end
  /// limit - peak: negative once the peer sent more than the limit.
  [[nodiscard]] std::int64_t headroom() const {
    return static_cast<std::int64_t>(limit) - static_cast<std::int64_t>(peak);
  }
  /// Headroom under kTightHeadroom of the limit.
  [[nodiscard]] bool tight() const;
};

struct RunMetrics {
  /// From the start of the cold start to its last route change (converged_after is later: the
  /// run checks for quiet in whole seconds).
  Duration cold_start_last_change{};
  /// Per scenario event; events at one instant share their figures (their changes cannot be
  /// told apart).
  std::vector<Storm> events;
  /// Every router, the most UPDATEs first, then the most route changes, then router order.
  std::vector<RouterChurn> churn;
  /// Every routing instance, the most routes first, then instance order.
  std::vector<TableSize> tables;
  /// Every session end with a prefix limit, the least headroom (relative to its limit) first,
  /// then session order.
  std::vector<PrefixHeadroom> headroom;
};

/// Whether an event fails a device other routers share: a router that is an MSEE or a
/// provider's edge router (a location, metro, provider or group that holds one counts too).
bool fails_shared_device(const topo::Topology& topology, const Event& event);

/// Watches a network from scenario time 0 (subscribing to its observers, so it must outlive
/// nothing it watches: keep it beside the network) and keeps the windows between events.
class MetricsRecorder {
 public:
  MetricsRecorder(const Engine& engine, router::Network& net, const topo::Topology& topology);
  MetricsRecorder(const MetricsRecorder&) = delete;
  MetricsRecorder& operator=(const MetricsRecorder&) = delete;
  MetricsRecorder(MetricsRecorder&&) = delete;
  MetricsRecorder& operator=(MetricsRecorder&&) = delete;
  ~MetricsRecorder() = default;

  /// Scenario event `index` is about to be applied, at the engine's now(): it opens a window
  /// (or joins the open one when that opened at the same instant).
  void event_begins(std::size_t index);
  /// Forgets the windows, for the next list of events played from the same checkpoint.
  void restart();
  /// The storm from the first event to now, every window together (a sweep's failure set).
  [[nodiscard]] Storm storm() const;
  /// Everything, at the end of the run: `events` are the scenario's (for their count).
  [[nodiscard]] RunMetrics finish(const std::vector<Event>& events) const;

 private:
  struct Window {
    std::vector<std::size_t> events;
    SimTime start{};
    router::NetworkStats stats_at_start;
    std::vector<std::uint32_t> sessions_down;  ///< session ids, repeated as they went down
    std::optional<SimTime> first_change;
    std::optional<SimTime> last_change;
  };
  [[nodiscard]] static Storm storm_of(const Window& window, const router::NetworkStats& at_end);

  const Engine& engine_;
  router::Network& net_;
  const topo::Topology& topology_;
  Duration cold_start_{};
  router::NetworkStats stats_at_origin_;
  std::vector<router::RouterStats> routers_at_origin_;
  std::vector<topo::RouterId> down_ends_;  ///< the end of each session going down, since restart
  std::vector<Window> windows_;
};

}  // namespace ersim::scenario
