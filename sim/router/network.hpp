// The control plane of a whole topology on one engine: a routing instance (RIBs and policies)
// per router and VRF, a BgpSession per topology session, a BfdSession per link whose two ends
// run BFD, and the propagation of routes between them with link latency and per-router
// processing cost. Failures and repairs come in as calls at the engine's now().
//
//   Network net(engine, streams, topology, {});
//   net.start();   engine.run_until_quiet();   // converged: every session Established
//   net.fail_link(link, FailureMode::Silent);  engine.run_until_quiet();
//   net.best_route(ce, "", vnet_prefix)->session;   // the surviving leg
//   net.drain_link(link, DrainMethod::Prepend);      // Microsoft's maintenance on one link
#pragma once

#include <absl/container/flat_hash_map.h>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/delay_distribution.hpp"
#include "core/engine.hpp"
#include "core/random.hpp"
#include "core/timer.hpp"
#include "sim/bfd/bfd_session.hpp"
#include "sim/bgp/path_attributes.hpp"
#include "sim/bgp/policy.hpp"
#include "sim/bgp/rib.hpp"
#include "sim/bgp/session.hpp"
#include "sim/router/drain.hpp"
#include "sim/router/gateway_reconvergence.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::router {

using namespace std::chrono_literals;

/// How the network runs. The defaults are DESIGN §3's quiet steady state.
struct NetworkOptions {
  bgp::BgpTimerMode bgp_mode = bgp::BgpTimerMode::Quiet;
  bfd::BfdMode bfd_mode = bfd::BfdMode::Quiet;
  /// A router's cost to process one UPDATE, and each prefix in it; the router handles its
  /// messages one after another.
  Duration per_message_cost = 100us;
  Duration per_prefix_cost = 10us;
  /// RFC 4271 §9.2.1.1 MinRouteAdvertisementInterval between UPDATEs on one session (0: none).
  Duration mrai = 0s;
  /// The most routes in an ECMP set of an ordinary router (the gateway keeps every tie).
  std::size_t max_paths = 4;
  /// How long a VNet gateway takes to act on a change from an MSEE (DESIGN §1; the rule is at
  /// Network). The default is what Azure documents, about 15 s typical and up to 60 s;
  /// DelayDistribution::fixed(0s) turns the delay off.
  DelayDistribution gateway_reconvergence = azure_gateway_reconvergence();
  /// How many more times an MSEE puts its AS on a path to drain a link (DrainMethod::Prepend).
  /// Four: the drained link must lose on AS-path length even where the customer prepends up to
  /// three times on the other link to make that one the backup.
  std::uint32_t drain_prepend = 4;
};

/// How a router fails: its routing process dies on a box that stays up (peers see the TCP
/// connection close at once), or the whole device dies (silent: peers detect by BFD or hold
/// timer).
enum class RouterFailure : std::uint8_t { Process, Device };
std::string_view to_string(RouterFailure failure);

/// A routing instance: one router's default table or one of its VRFs (an MSEE holds one per
/// circuit peering).
struct InstanceId {
  std::uint32_t value = 0;
  friend constexpr auto operator<=>(InstanceId, InstanceId) = default;
};

/// What the network tells its observers.
struct SessionEvent {
  topo::SessionId session;
  bgp::StateChange change;  ///< change.side: A is the topology session's end a
};
struct RouteEvent {
  SimTime at{};
  InstanceId instance;
  Ipv4Prefix prefix;
  bgp::RibChange change = bgp::RibChange::None;
  /// Non-zero when the change waited for the VNet gateway's reconvergence: the delay drawn for
  /// its batch, which opened at `at - gateway_reconvergence` with the first change that waited.
  Duration gateway_reconvergence{};
};

/// Counters of the work done, for reports and benchmarks.
struct NetworkStats {
  std::uint64_t updates_sent = 0;     ///< UPDATE messages (announcements and withdrawals)
  std::uint64_t prefixes_sent = 0;    ///< prefixes announced or withdrawn in them
  std::uint64_t route_changes = 0;    ///< Loc-RIB changes, all instances
  std::uint64_t routes_rejected = 0;  ///< by import policy (loops, filters)
  /// Recounts of what a peer would send to a session end held down for max-prefix (at most
  /// one per held end and simulated instant).
  std::uint64_t max_prefix_recounts = 0;
  /// Batches of changes a VNet gateway held for its reconvergence delay.
  std::uint64_t gateway_reconvergence_batches = 0;
};

/// The work one router did (churn), since the network was built: what its session ends sent
/// and received, and the changes to its routing instances' Loc-RIBs. A VNet's one table counts
/// at its ExpressRoute gateway (Network::instance_router).
struct RouterStats {
  std::uint64_t updates_sent = 0;
  std::uint64_t updates_received = 0;
  std::uint64_t prefixes_sent = 0;      ///< announced or withdrawn in the UPDATEs sent
  std::uint64_t prefixes_received = 0;  ///< likewise, received
  std::uint64_t route_changes = 0;
  friend bool operator==(const RouterStats&, const RouterStats&) = default;
};

/// Gateway reconvergence (DESIGN §1). At a VNet gateway, the route changes that arrive from an
/// MSEE — UPDATEs over a gateway–MSEE session, and the withdrawal of everything a gateway–MSEE
/// session brought when it goes down — reach the gateway's RIB only after a reconvergence delay:
/// the first such change with no batch pending for its session draws a delay d from
/// `options.gateway_reconvergence` (on the session's own seeded stream), and it and every later
/// change over the session take effect at now + d, in arrival order. What the gateway sends, and
/// its VPN tunnels, are not delayed. The delay models reconvergence after a change, so the cold
/// start is exempt: it applies from the first change made at run time (fail_link, restore_link,
/// fail_router, restore_router, advertise, withdraw, drain_link, undrain_link,
/// set_local_preference, set_prepend, set_connection_weight), and everything start() set going
/// before that takes effect at once. A connection weight change acts on the gateway's RIB at once
/// (it is the gateway's own configuration, not a change from an MSEE); the UPDATEs a policy
/// change sets going toward a gateway, those of a route refresh too, wait like any other.
class Network {
 public:
  Network(Engine& engine, const RandomStreams& streams, const topo::Topology& topology,
          NetworkOptions options = {});
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;
  Network(Network&&) = delete;
  Network& operator=(Network&&) = delete;

  /// Originates every session end's `advertise` prefixes and starts every BFD and BGP session.
  void start();

  // Origination at run time, at engine.now(). The instance (router, VRF) must exist.
  /// Originates `prefix` as a route of the router's own, as start() does for the prefixes its
  /// session ends advertise, and propagates it like any other change. It goes out over exactly
  /// those sessions of the instance whose end lists, in its `advertise`, the prefix itself or a
  /// prefix covering it: a CE that originates 10.1.7.0/24 sends it over the legs that advertise
  /// its site's 10.1.0.0/16, not over a session that advertises nothing around it. (Prefixes
  /// from the design's lists go out only where they are listed exactly.) Originating a prefix
  /// twice changes nothing.
  void advertise(topo::RouterId router, std::string_view vrf, const Ipv4Prefix& prefix);
  /// Removes the router's own route to `prefix` (whether start() or advertise() made it) and
  /// propagates the change; a route to it learned from a neighbour may then take its place.
  void withdraw(topo::RouterId router, std::string_view vrf, const Ipv4Prefix& prefix);

  // Failures and repairs, at engine.now().
  void fail_link(topo::LinkId link, topo::FailureMode mode);
  /// fail_link with the link's own failure mode.
  void fail_link(topo::LinkId link);
  void restore_link(topo::LinkId link);
  void fail_router(topo::RouterId router, RouterFailure failure);
  void restore_router(topo::RouterId router);

  // Microsoft's maintenance, at engine.now() (DESIGN §1: primary and secondary are serviced
  // separately). The link must have an MSEE end — a circuit's primary or secondary link, or any
  // other link to an MSEE — which is asserted: a scenario checks its drains when it is loaded.
  /// Prepend: the MSEE end of each BGP session over the link puts its own AS (12076)
  /// `options.drain_prepend` more times on everything it sends over that session, so the
  /// customer's routers prefer the other link, and on what it learned over the session wherever
  /// it sends it on (toward the VNet gateway), so Azure's traffic leaves the link too; the
  /// routes that change are sent again at once, as a soft reconfiguration would. Nothing is
  /// withdrawn, so traffic moves without an outage. Disconnect: the MSEE end shuts each session
  /// down (BgpSession::admin_stop: Cease / Administrative Shutdown), and traffic moves as after
  /// any session loss. Draining a link drained by the other method undoes that one first; by
  /// the same method changes nothing.
  void drain_link(topo::LinkId link, DrainMethod method);
  /// Undoes drain_link: the prepending stops and the routes are sent again, or the sessions are
  /// started again (admin_start; the peer reconnects at its next connect retry). A link that is
  /// not drained is left as it is.
  void undrain_link(topo::LinkId link);

  // Policy changes, at engine.now() (a scenario's "what if we change the local preference"),
  // made as an operator's soft reconfiguration would make them: no session is reset, the
  // routes concerned are imported or sent again, and what changes propagates like any other
  // change. The network keeps its own copy of every policy; the topology is left as it is. The
  // session end, or the connection, must exist (asserted: a scenario checks its changes when it
  // is loaded).
  /// Sets the local preference one session end gives the routes it receives
  /// (topo::SessionPolicy::local_preference) and asks the peer for a route refresh (RFC 2918):
  /// the peer sends its Adj-RIB-Out for the session again, at once, and the end imports it with
  /// the new value, after whatever the peer sent before, so best paths move as soon as the
  /// refreshed routes arrive. Nothing happens over a session that is not Established at both
  /// ends: when it comes up the end gets the whole table through the new value anyway.
  void set_local_preference(topo::SessionId session, bgp::Side side, std::uint32_t value);
  /// Sets how often one end prepends its own AS on what it sends over the session
  /// (topo::SessionPolicy::prepend; eBGP only, RFC 4271 §5.1.2) and sends again what that
  /// changes.
  void set_prepend(topo::SessionId session, bgp::Side side, std::uint32_t count);
  /// Sets the weight of the connection between VNet `vnet` (an index into topology.vnets()) and
  /// `circuit` at the VNet's gateway — the gateway order's connection weight (DESIGN §1) for
  /// every session of the connection (topo::Connection::sessions) — and runs the gateway's
  /// decision again, at once, for the routes from those sessions. Asserts that the VNet has a
  /// connection to the circuit and that the weight is at most 32000.
  void set_connection_weight(std::size_t vnet, topo::CircuitId circuit, std::uint16_t weight);

  // Checkpoints: a sweep runs many failure sets, each from the same converged network.
  /// Keeps the network's state at this instant to come back to. The engine must have nothing
  /// pending (asserted) — as a converged network in the quiet steady state (DESIGN §3) has not —
  /// so the state is all in the tables. Costs nothing now: each object is copied the first time
  /// it changes after this.
  void checkpoint();
  /// Puts the network back as it was at checkpoint() and the engine at that instant with
  /// nothing pending (Engine::rewind), random streams included, so what follows is what would
  /// have followed the checkpoint. Costs what changed since, not the network's size. Observers
  /// stay subscribed and hear nothing of it. Asserts that a checkpoint was taken.
  void rollback();
  /// Makes this network a copy of `converged` at a quiet instant, instead of a cold start of its
  /// own: every table, session and BFD session, random streams included, and this network's
  /// engine at `converged`'s time with nothing pending, so what follows is what would follow in
  /// `converged`. This network must be built over the same topology (or one loaded from the
  /// same design) with the same options and never started; `converged` must be quiet and have
  /// frozen its attribute table (its routes' handles are shared, read-only: the two may then
  /// run on different threads). A sweep's workers start from one cold start this way.
  void copy_converged(const Network& converged);
  /// Freezes the attribute table (bgp::AttributeTable::freeze) so that other networks can copy
  /// this one (copy_converged).
  void freeze_attributes() { attributes_.freeze(); }

  // Observers, called synchronously as things happen.
  void on_session_change(std::function<void(const SessionEvent&)> fn);
  void on_route_change(std::function<void(const RouteEvent&)> fn);

  // Queries.
  [[nodiscard]] std::optional<InstanceId> instance(topo::RouterId router,
                                                   std::string_view vrf = "") const;
  [[nodiscard]] const bgp::Rib& rib(InstanceId instance) const;
  /// Instances are numbered 0 .. instance_count() - 1.
  [[nodiscard]] std::size_t instance_count() const { return instances_.size(); }
  /// The instance a session end belongs to. A VNet's VPN gateway shares its ExpressRoute
  /// gateway's instance: the routes both learn meet in the VNet's one table.
  [[nodiscard]] InstanceId end_instance(topo::SessionId session, bgp::Side side) const;
  /// The router of an instance (for a VNet's shared instance, its ExpressRoute gateway).
  [[nodiscard]] topo::RouterId instance_router(InstanceId instance) const;
  /// The best route of `router`'s instance `vrf` to exactly `prefix`, if it has one.
  [[nodiscard]] const bgp::Route* best_route(topo::RouterId router, std::string_view vrf,
                                             const Ipv4Prefix& prefix) const;
  [[nodiscard]] bgp::SessionState session_state(topo::SessionId session, bgp::Side side) const;
  [[nodiscard]] const bgp::BgpSession& bgp_session(topo::SessionId session) const;
  /// The BFD session of a link, if both of its ends run BFD.
  [[nodiscard]] const bfd::BfdSession* bfd_session(topo::LinkId link) const;
  [[nodiscard]] bool link_up(topo::LinkId link) const;
  [[nodiscard]] bool router_up(topo::RouterId router) const;
  [[nodiscard]] std::optional<DrainMethod> drained(topo::LinkId link) const;
  [[nodiscard]] const NetworkStats& stats() const { return stats_; }
  /// Each router's churn so far, indexed by RouterId. Added up from counters each session end
  /// and instance keeps (so a checkpoint keeps them with the objects it copies): a pass over the
  /// sessions and instances, for reports rather than for every event.
  [[nodiscard]] std::vector<RouterStats> router_stats() const;
  /// When a Loc-RIB last changed, anywhere (kTimeZero before the first change).
  [[nodiscard]] SimTime last_route_change() const { return last_route_change_; }
  /// The most routes a session end has held from its peer at once (its Adj-RIB-In, what
  /// max-prefix compares with the limit), counted only at ends with a prefix limit: 0 elsewhere.
  [[nodiscard]] std::uint64_t peak_received(topo::SessionId session, bgp::Side side) const;
  /// Whether an end dropped its session for max-prefix and waits for its peer to send fewer.
  [[nodiscard]] bool held_for_max_prefix(topo::SessionId session, bgp::Side side) const;
  [[nodiscard]] const bgp::AttributeTable& attributes() const { return attributes_; }
  [[nodiscard]] const topo::Topology& topology() const { return topology_; }

 private:
  struct Instance;
  struct SessionState;
  struct Scalars;
  struct Saved;

  // Every change to an instance, a session or a BFD session goes through these after a
  // checkpoint, which copy the object the first time (see Saved).
  Instance& touch(Instance& instance);
  [[nodiscard]] Scalars scalars() const;
  void set_scalars(const Scalars& s);
  /// The scalars that are not per link or router: what a rollback and set_scalars both put back.
  void set_totals(const Scalars& s);
  SessionState& session_at(topo::SessionId session);
  void touch_bfd(topo::LinkId link);
  void touch_link(topo::LinkId link);
  void touch_router(topo::RouterId router);

  /// The topology sessions over a link, in session order.
  [[nodiscard]] std::span<const topo::SessionId> sessions_on(topo::LinkId link) const {
    return {link_sessions_.data() + links_first_session_.at(link.value),
            link_sessions_.data() + links_first_session_.at(link.value + 1)};
  }
  void build_instances();
  void build_sessions();
  void build_bfd();
  /// Calls f(bfd, side) for the BFD session of each link of the router, at the router's end.
  template <class F>
  void for_each_bfd_of(topo::RouterId router, F f);

  [[nodiscard]] Instance& instance_of(topo::SessionId session, bgp::Side side);
  /// The side of the session at `router`, one of its ends.
  [[nodiscard]] bgp::Side side_of(topo::SessionId session, topo::RouterId router) const;
  /// An end's policy, to change: marked for the next rollback to put back.
  bgp::Policy& policy_to_change(topo::SessionId session, bgp::Side side);
  /// Whether every router of the instance is down: then it holds no learned route.
  [[nodiscard]] bool down(const Instance& instance) const;
  void on_bgp_change(topo::SessionId session, const bgp::StateChange& change);
  void on_bfd_change(topo::LinkId link, const bfd::BfdEvent& event);
  void established(topo::SessionId session, bgp::Side side);
  void session_down(topo::SessionId session, bgp::Side side);
  void receive(topo::SessionId session, bgp::Side side, bgp::UpdateMessage update);
  void process(topo::SessionId session, bgp::Side side, const bgp::UpdateMessage& update);
  /// RFC 2918 route refresh: one end asks its peer to send again everything it has sent over
  /// the session (the peer's Adj-RIB-Out), which the end then imports through its current
  /// policy.
  void route_refresh(topo::SessionId session, bgp::Side side);
  void route_changed(Instance& instance, const Ipv4Prefix& prefix, bgp::RibChange change);
  [[nodiscard]] Instance& instance_at(topo::RouterId router, std::string_view vrf);
  void originate(Instance& instance, const Ipv4Prefix& prefix);
  /// The attributes `instance` would send `prefix` with over one of its session ends, or
  /// std::nullopt when it would send nothing (no route, not its to send, export policy).
  [[nodiscard]] std::optional<bgp::Attributes> exported(Instance& instance, topo::SessionId session,
                                                        bgp::Side side, const Ipv4Prefix& prefix);
  /// Max-prefix recovery: one recount per held end and instant, after the peer's routes change.
  void schedule_recount(topo::SessionId session, bgp::Side side);
  void recount(topo::SessionId session, bgp::Side side);
  /// Queues what `prefix`'s current best route means for one session end's peer.
  void export_prefix(Instance& instance, topo::SessionId session, bgp::Side side,
                     const Ipv4Prefix& prefix);
  void schedule_flush(topo::SessionId session, bgp::Side side);
  void flush(topo::SessionId session, bgp::Side side);
  /// When the instance's router can next start processing a message (it handles one at a time).
  SimTime reserve_cpu(Instance& instance, Duration cost);
  /// RFC 4271 §9.4: queues the instance's whole table for one session end's peer.
  void export_table(topo::SessionId session, bgp::Side side);

  // Gateway reconvergence (the rule is above the class).
  void build_reconvergence();
  /// Something changed at run time: from now on gateways reconverge with a delay.
  void run_time_change() { reconvergence_.arm(); }
  /// Whether a change arriving at a session end waits for the gateway's reconvergence: an
  /// UPDATE, or (nullptr) the session going down. Copies the UPDATE only if it waits.
  bool held_for_gateway(topo::SessionId session, bgp::Side side, const bgp::UpdateMessage* update);
  void apply_held(topo::SessionId session, bgp::Side side, const HeldChange& change,
                  Duration delay);
  /// Withdraws every route the session brought, leaving the Adj-RIB-Out alone.
  void withdraw_received(topo::SessionId session, bgp::Side side);

  // Maintenance drain.
  /// The sides of a session whose router is an MSEE.
  [[nodiscard]] std::vector<bgp::Side> msee_ends(topo::SessionId session) const;
  /// Whether an end prepends for a drain: its router is an MSEE and its link is drained by
  /// prepending.
  [[nodiscard]] bool drain_prepends(topo::SessionId session, bgp::Side side) const;
  /// `attributes` with the drain's prepending, where the end sending `best` must add it.
  [[nodiscard]] bgp::Attributes drain_prepended(const Instance& instance, topo::SessionId session,
                                                bgp::Side side, const bgp::Route& best,
                                                bgp::Attributes attributes);
  /// Sends again what a drained (or undrained) end's prepending changes.
  void reexport_drained(topo::SessionId session, bgp::Side side);

  Engine& engine_;
  const RandomStreams& streams_;
  const topo::Topology& topology_;
  NetworkOptions options_;
  bgp::AttributeTable attributes_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::vector<std::unique_ptr<SessionState>> sessions_;
  std::vector<std::unique_ptr<bfd::BfdSession>> bfd_;  ///< per link; null without BFD
  std::vector<topo::SessionId> link_sessions_;
  std::vector<std::uint32_t> links_first_session_;
  /// (router, VRF) → instance: one lookup per session end while the network is built, so a
  /// hash table (an ordered map of strings spent a seventh of a large build comparing them).
  absl::flat_hash_map<std::pair<std::uint32_t, std::string>, InstanceId> instance_by_key_;
  /// Each router's default-VRF instance, by router: the lookup a flow's trace makes at each hop.
  std::vector<InstanceId> default_instance_;
  std::vector<bool> link_up_;
  std::vector<bool> router_up_;
  std::vector<std::function<void(const SessionEvent&)>> session_observers_;
  std::vector<std::function<void(const RouteEvent&)>> route_observers_;
  NetworkStats stats_;
  SimTime last_route_change_{};
  GatewayReconvergence reconvergence_;
  /// The delay of the batch being applied, for RouteEvent::gateway_reconvergence; zero otherwise.
  Duration applying_delay_{};
  std::vector<std::optional<DrainMethod>> drained_;  ///< per link
  std::size_t prepend_drains_ = 0;                   ///< links drained by prepending
  std::unique_ptr<Saved> saved_;                     ///< since checkpoint()
};

}  // namespace ersim::router
