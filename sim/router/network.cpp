#include "sim/router/network.hpp"

#include <boost/range/iterator_range.hpp>

#include <algorithm>
#include <array>
#include <numeric>
#include <span>
#include <unordered_set>
#include <utility>

#include "core/assert.hpp"
#include "core/fifo.hpp"

namespace ersim::router {

using bgp::Side;
using topo::LinkId;
using topo::RouterId;
using topo::SessionId;

std::string_view to_string(RouterFailure failure) {
  switch (failure) {
    case RouterFailure::Process:
      return "process";
    case RouterFailure::Device:
      return "device";
  }
  return "unknown";
}

namespace {

// The most prefixes of a flush that an insertion sort puts in order (Network::flush).
constexpr std::size_t kInsertionSortMax = 32;

constexpr std::size_t index(Side side) { return side == Side::A ? 0 : 1; }

const topo::SessionEnd& end_of(const topo::Session& s, Side side) {
  return side == Side::A ? s.a : s.b;
}

constexpr Side other(Side side) { return side == Side::A ? Side::B : Side::A; }

// Whether a sorted `advertise` list holds a prefix strictly covering `prefix`: at most 32
// lookups.
bool covered(std::span<const Ipv4Prefix> own, const Ipv4Prefix& prefix) {
  for (int length = prefix.length() - 1; length >= 0; --length) {
    const std::uint32_t mask = length == 0 ? 0U : ~std::uint32_t{0} << (32 - length);
    const Ipv4Prefix covering(Ipv4Address(prefix.address().value() & mask), length);
    if (std::binary_search(own.begin(), own.end(), covering)) {
      return true;
    }
  }
  return false;
}

/// Puts a routing instance's values besides its RIB (a Network::Instance's, or a checkpoint's
/// copy of them) into another instance.
template <class Target, class Source>
void assign_instance_values(Target& to, const Source& from) {
  to.cpu_free_at = from.cpu_free_at;
  to.originated_at_run_time = from.originated_at_run_time;
  to.route_changes = from.route_changes;
}

}  // namespace

struct Network::Instance {
  InstanceId id;
  RouterId router;
  std::string vrf;
  bgp::Rib rib;
  /// The session ends that belong to this instance, in topology order.
  std::vector<std::pair<SessionId, Side>> ends;
  /// The routers whose sessions meet here: the instance's own, and a VNet's VPN gateway beside
  /// its ExpressRoute gateway. The instance is down when all of them are (Network::down).
  std::vector<RouterId> devices;
  /// The router handles one message at a time: when it is free again.
  SimTime cpu_free_at{};
  /// Prefixes originated with Network::advertise(): they also go out over sessions that list
  /// a covering prefix.
  std::unordered_set<Ipv4Prefix> originated_at_run_time;
  /// Loc-RIB changes, for RouterStats.
  std::uint64_t route_changes = 0;
};

// One topology session: its BGP session, each end's instance and policy, and what each end has
// queued for its peer.
struct Network::SessionState {
  struct Output {
    /// What changed for the peer since the last flush, in the order it changed: a prefix and
    /// the attributes to announce, or std::nullopt to withdraw. A prefix may appear more than
    /// once; the last entry counts (flush sorts them by prefix).
    std::vector<std::pair<Ipv4Prefix, std::optional<bgp::Attributes>>> pending;
    bool flush_scheduled = false;
    std::optional<SimTime> last_flush;
  };
  SessionId id;
  bgp::PeerKind kind = bgp::PeerKind::External;
  std::array<InstanceId, 2> instance{};
  std::vector<bgp::Policy> policy;  ///< [A, B]; changed through Network::policy_to_change only
  /// Set when a policy changed since the last checkpoint or rollback: only then does a rollback
  /// copy the policies back.
  bool policy_changed = false;
  /// Each end's own prefixes to advertise over this session, sorted: the topology's list
  /// itself when it is sorted (the generator writes them so), else a sorted copy kept here.
  std::array<std::span<const Ipv4Prefix>, 2> advertise;
  std::array<std::vector<Ipv4Prefix>, 2> sorted_copy;
  std::array<Output, 2> out;
  /// Bumped when an end's session goes down, so UPDATEs still in the router's queue from the
  /// session's earlier life are dropped.
  std::array<std::uint64_t, 2> epoch{};
  /// An end that dropped the session for max-prefix and waits for its peer to send fewer
  /// routes; and whether a recount of them is already scheduled for this instant.
  std::array<bool, 2> max_prefix_held{};
  std::array<bool, 2> recount_scheduled{};
  /// Each end's share of RouterStats, and (at an end with a prefix limit) the most routes it
  /// held from its peer at once.
  struct Counters {
    std::uint64_t updates_sent = 0;
    std::uint64_t updates_received = 0;
    std::uint64_t prefixes_sent = 0;
    std::uint64_t prefixes_received = 0;
    std::uint64_t peak_received = 0;
  };
  std::array<Counters, 2> counters{};
  /// UPDATEs each end received and its router has not processed yet, each with the epoch it
  /// arrived in; one engine event per message pops them in order.
  struct Inbound {
    std::uint64_t epoch;
    bgp::UpdateMessage update;
  };
  std::array<Fifo<Inbound>, 2> inbound;
  std::unique_ptr<bgp::BgpSession> bgp;

  /// What an end's export policy makes of a route's attributes, computed once per attribute
  /// set and route kind: it does not depend on the prefix, and a session carries few sets.
  struct Exported {
    bgp::Attributes from;
    bgp::PeerKind from_kind;
    bgp::Attributes to;
  };
  std::array<std::vector<Exported>, 2> exported;

  std::optional<bgp::Attributes> export_route(bgp::AttributeTable& table, Side side,
                                              const bgp::Route& route) {
    const bgp::Policy& p = policy[index(side)];
    if (!p.exports(route, kind)) {
      return std::nullopt;
    }
    auto& cache = exported[index(side)];
    for (const Exported& e : cache) {
      if (e.from == route.attributes && e.from_kind == route.kind) {
        return e.to;
      }
    }
    const bgp::Attributes sent = p.export_attributes(table, route.attributes, route.kind, kind);
    cache.push_back({route.attributes, route.kind, sent});
    return sent;
  }
};

// What checkpoint() keeps of each object, copied the first time the object changes after it
// (Network::touch and its kin) and kept across rollbacks: the object is back to the copy after
// each one, so the copy stays good until the next checkpoint().
// The network's state besides its instances, sessions and BFD sessions: what a checkpoint keeps
// and a copy takes of it.
struct Network::Scalars {
  std::vector<bool> link_up;
  std::vector<bool> router_up;
  std::vector<std::optional<DrainMethod>> drained;
  std::size_t prepend_drains = 0;
  NetworkStats stats;
  SimTime last_route_change;
};

struct Network::Saved {
  /// An instance's RIB records its own changes (bgp::Rib::checkpoint): it is not copied.
  struct InstanceCopy {
    SimTime cpu_free_at;
    std::unordered_set<Ipv4Prefix> originated_at_run_time;
    std::uint64_t route_changes;
  };
  struct SessionCopy {
    std::vector<bgp::Policy> policy;
    std::array<std::optional<SimTime>, 2> last_flush;
    std::array<std::uint64_t, 2> epoch;
    std::array<bool, 2> max_prefix_held;
    std::array<std::vector<SessionState::Exported>, 2> exported;
    bgp::BgpSession::Checkpoint bgp;
    std::array<SessionState::Counters, 2> counters;
  };
  /// Objects that changed since the last checkpoint or rollback, each once.
  struct Touched {
    std::vector<bool> flag;
    std::vector<std::uint32_t> list;
    /// True the first time `i` is touched.
    bool add(std::uint32_t i) {
      if (flag[i]) {
        return false;
      }
      flag[i] = true;
      list.push_back(i);
      return true;
    }
    void clear() {
      for (const std::uint32_t i : list) {
        flag[i] = false;
      }
      list.clear();
    }
  };

  SimTime at;
  std::vector<std::unique_ptr<InstanceCopy>> instances;
  std::vector<std::unique_ptr<SessionCopy>> sessions;
  std::vector<std::optional<bfd::BfdSession::Checkpoint>> bfd;
  Touched touched_instances;
  Touched touched_sessions;
  Touched touched_bfd;
  /// Links whose link_up_ or drained_ and routers whose router_up_ may have changed: what a
  /// rollback puts back from `scalars`, rather than copying every link's and router's state.
  Touched touched_links;
  Touched touched_routers;
  Scalars scalars;
};

Network::Network(Engine& engine, const RandomStreams& streams, const topo::Topology& topology,
                 NetworkOptions options)
    : engine_(engine),
      streams_(streams),
      topology_(topology),
      options_(options),
      link_up_(topology.links().size(), true),
      router_up_(topology.routers().size(), true),
      reconvergence_(engine, options.gateway_reconvergence,
                     [this](SessionId session, Side side, const HeldChange& change,
                            Duration delay) { apply_held(session, side, change, delay); }),
      drained_(topology.links().size()) {
  build_instances();
  build_sessions();
  build_bfd();
  build_reconvergence();
}

Network::~Network() = default;

// One instance per (router, VRF) named by any session end; a router with no session still
// gets its default instance.
void Network::build_instances() {
  auto& by_key = instance_by_key_;
  by_key.reserve(topology_.routers().size() + topology_.vnets().size());
  const auto add = [&](RouterId router, const std::string& vrf) {
    auto key = std::make_pair(router.value, vrf);
    if (const auto it = by_key.find(key); it != by_key.end()) {
      return it->second;
    }
    const InstanceId id{static_cast<std::uint32_t>(instances_.size())};
    bgp::RibConfig config;
    if (topology_.router(router).role == topo::RouterRole::Gateway) {
      config.mode = bgp::DecisionMode::Gateway;  // DESIGN §1: the gateway's own order
    } else {
      config.max_paths = options_.max_paths;
    }
    instances_.push_back(std::make_unique<Instance>(
        Instance{id, router, vrf, bgp::Rib(config), {}, {router}, {}, {}, 0}));
    by_key.emplace(std::move(key), id);
    return id;
  };
  // A VNet has one routing table: its ExpressRoute gateway and its VPN gateway are two
  // devices, but the routes both learn meet in the VNet, where the gateway order puts
  // ExpressRoute before the VPN (DESIGN §1). So the VPN gateway's sessions join the gateway's
  // instance.
  for (const topo::VNet& vnet : topology_.vnets()) {
    const InstanceId shared = add(vnet.gateway, "");
    if (vnet.vpn_gateway) {
      by_key.emplace(std::make_pair(vnet.vpn_gateway->value, std::string()), shared);
    }
  }
  default_instance_.reserve(topology_.routers().size());
  for (std::uint32_t r = 0; r < topology_.routers().size(); ++r) {
    default_instance_.push_back(add(RouterId{r}, ""));
  }
  for (std::uint32_t s = 0; s < topology_.sessions().size(); ++s) {
    const topo::Session& session = topology_.sessions()[s];
    for (const Side side : {Side::A, Side::B}) {
      const topo::SessionEnd& end = end_of(session, side);
      const InstanceId id = add(end.router, end.vrf);
      Instance& instance = *instances_[id.value];
      instance.ends.emplace_back(SessionId{s}, side);
      if (std::find(instance.devices.begin(), instance.devices.end(), end.router) ==
          instance.devices.end()) {
        instance.devices.push_back(end.router);
      }
    }
  }
}

void Network::build_sessions() {
  // The sessions of each link, in session order, in one array (CSR): links_first_session_[l]
  // is where link l's run begins.
  links_first_session_.assign(topology_.links().size() + 1, 0);
  for (const topo::Session& session : topology_.sessions()) {
    ++links_first_session_[session.link.value + 1];
  }
  std::partial_sum(links_first_session_.begin(), links_first_session_.end(),
                   links_first_session_.begin());
  link_sessions_.resize(topology_.sessions().size());
  {
    std::vector<std::uint32_t> next(links_first_session_.begin(), links_first_session_.end() - 1);
    for (std::uint32_t s = 0; s < topology_.sessions().size(); ++s) {
      link_sessions_[next[topology_.sessions()[s].link.value]++] = SessionId{s};
    }
  }
  sessions_.reserve(topology_.sessions().size());
  // Each end's instance, from the instances' lists of ends rather than by name.
  std::vector<std::array<InstanceId, 2>> instance_of_end(topology_.sessions().size());
  for (const auto& instance : instances_) {
    for (const auto& [session, side] : instance->ends) {
      instance_of_end[session.value][index(side)] = instance->id;
    }
  }
  // The gateway ranks routes by the weight of the connection they came over.
  std::vector<std::optional<std::uint16_t>> connection_weight(topology_.sessions().size());
  for (const topo::VNet& vnet : topology_.vnets()) {
    for (const topo::Connection& c : vnet.connections) {
      for (const SessionId s : c.sessions) {
        connection_weight[s.value] = static_cast<std::uint16_t>(c.weight);
      }
    }
  }
  for (std::uint32_t s = 0; s < topology_.sessions().size(); ++s) {
    const topo::Session& session = topology_.sessions()[s];
    const SessionId id{s};
    auto state = std::make_unique<SessionState>();
    state->id = id;
    const topo::Router& ra = topology_.router(session.a.router);
    const topo::Router& rb = topology_.router(session.b.router);
    state->kind = ra.asn == rb.asn ? bgp::PeerKind::Internal : bgp::PeerKind::External;
    state->policy.reserve(2);
    for (const Side side : {Side::A, Side::B}) {
      const topo::SessionEnd& end = end_of(session, side);
      const topo::Router& router = topology_.router(end.router);
      const InstanceId instance = instance_of_end[s][index(side)];
      state->instance[index(side)] = instance;
      // Microsoft removes the private ASes of what customers advertise over Microsoft peering.
      const bool remove_private =
          router.role == topo::RouterRole::Msee && session.peering == topo::PeeringKind::Microsoft;
      state->policy.emplace_back(end.policy, bgp::PolicyContext{.local_asn = router.asn,
                                                                .local_address = end.address,
                                                                .remove_private_as = remove_private,
                                                                .next_hop_self = false});
      if (std::is_sorted(end.advertise.begin(), end.advertise.end())) {
        state->advertise[index(side)] = end.advertise;  // the sealed topology outlives us
      } else {
        auto& copy = state->sorted_copy[index(side)];
        copy = end.advertise;
        std::sort(copy.begin(), copy.end());
        state->advertise[index(side)] = copy;
      }
      bgp::GatewayLink link;
      if (const auto w = connection_weight[s]) {
        link.connection_weight = *w;
      } else if (topology_.router(end_of(session, side == Side::A ? Side::B : Side::A).router)
                     .role == topo::RouterRole::Ce) {
        link.connection = bgp::GatewayConnection::Vpn;  // a VPN gateway's tunnel to a CE
      }
      instances_[instance.value]->rib.add_neighbour(id, link);
    }
    const auto speaker = [](const topo::Router& r) {
      bgp::SpeakerConfig c;
      c.asn = r.asn;
      c.router_id = r.router_id;
      c.timers = r.timers;
      c.jitter = bgp::jitter_profile(r.profile.bgp_jitter);
      return c;
    };
    bgp::SessionConfig config;
    config.a = speaker(ra);
    config.b = speaker(rb);
    config.latency = topology_.link(session.link).latency;
    config.mode = options_.bgp_mode;
    state->bgp = std::make_unique<bgp::BgpSession>(engine_, streams_,
                                                   stable_id("bgp:" + session.name), config);
    state->bgp->on_state_change(
        [this, id](const bgp::StateChange& change) { on_bgp_change(id, change); });
    state->bgp->on_update(
        [this, id](Side side, bgp::UpdateMessage update) { receive(id, side, std::move(update)); });
    sessions_.push_back(std::move(state));
  }
}

// RFC 5882: one BFD session per link, shared by every BGP session over it; only where both ends
// run BFD (a CE without it leaves detection to the hold timer).
void Network::build_bfd() {
  bfd_.resize(topology_.links().size());
  for (std::uint32_t l = 0; l < topology_.links().size(); ++l) {
    const topo::Link& link = topology_.link(LinkId{l});
    const topo::Router& a = topology_.router(link.a);
    const topo::Router& b = topology_.router(link.b);
    if (!a.bfd.enabled || !b.bfd.enabled) {
      continue;
    }
    bfd::BfdSessionConfig config;
    config.name = link.name;
    config.a = a.bfd;
    config.b = b.bfd;
    config.a_jitter = a.profile.bfd_jitter;
    config.b_jitter = b.profile.bfd_jitter;
    config.latency = link.latency;
    config.mode = options_.bfd_mode;
    bfd_[l] = std::make_unique<bfd::BfdSession>(engine_, streams_, config);
    for (const bfd::Side side : {bfd::Side::A, bfd::Side::B}) {
      bfd_[l]->subscribe(
          side, [this, id = LinkId{l}](const bfd::BfdEvent& event) { on_bfd_change(id, event); });
    }
  }
}

void Network::start() {
  for (const auto& instance : instances_) {
    // Each end originates what it advertises; the router's own routes win locally.
    std::vector<Ipv4Prefix> own;
    for (const auto& [session, side] : instance->ends) {
      const auto& list = sessions_[session.value]->advertise[index(side)];
      own.insert(own.end(), list.begin(), list.end());
    }
    std::sort(own.begin(), own.end());
    own.erase(std::unique(own.begin(), own.end()), own.end());
    instance->rib.reserve(own.size());
    for (const Ipv4Prefix& prefix : own) {
      originate(*instance, prefix);
    }
  }
  for (const auto& bfd : bfd_) {
    if (bfd) {
      bfd->start();
    }
  }
  for (const auto& session : sessions_) {
    session->bgp->start();
  }
}

void Network::originate(Instance& instance, const Ipv4Prefix& prefix) {
  const bgp::Route route{.attributes = attributes_.intern({}),
                         .prefix = prefix,
                         .neighbour_router_id = topology_.router(instance.router).router_id,
                         .weight = bgp::kLocallyOriginatedWeight,
                         .kind = bgp::PeerKind::Local};
  route_changed(instance, prefix, instance.rib.update(route));
}

Network::Instance& Network::instance_at(RouterId router, std::string_view vrf) {
  const auto id = instance(router, vrf);
  ERSIM_ASSERT(id.has_value(), "no routing instance for this router and VRF");
  return touch(*instances_[id->value]);
}

void Network::advertise(RouterId router, std::string_view vrf, const Ipv4Prefix& prefix) {
  run_time_change();
  Instance& instance = instance_at(router, vrf);
  instance.originated_at_run_time.insert(prefix);
  originate(instance, prefix);
}

void Network::withdraw(RouterId router, std::string_view vrf, const Ipv4Prefix& prefix) {
  run_time_change();
  Instance& instance = instance_at(router, vrf);
  instance.originated_at_run_time.erase(prefix);
  route_changed(instance, prefix, instance.rib.withdraw_local(prefix));
}

std::optional<InstanceId> Network::instance(RouterId router, std::string_view vrf) const {
  if (vrf.empty() && router.value < default_instance_.size()) {
    return default_instance_[router.value];  // every router has one; a trace asks at each hop
  }
  const auto it = instance_by_key_.find(std::make_pair(router.value, std::string(vrf)));
  return it == instance_by_key_.end() ? std::nullopt : std::optional(it->second);
}

InstanceId Network::end_instance(SessionId session, Side side) const {
  return sessions_.at(session.value)->instance[index(side)];
}

RouterId Network::instance_router(InstanceId instance) const {
  return instances_.at(instance.value)->router;
}

const bgp::Rib& Network::rib(InstanceId instance) const {
  return instances_.at(instance.value)->rib;
}

const bgp::Route* Network::best_route(RouterId router, std::string_view vrf,
                                      const Ipv4Prefix& prefix) const {
  const auto id = instance(router, vrf);
  if (!id) {
    return nullptr;
  }
  const bgp::LocRibEntry* entry = rib(*id).find(prefix);
  return entry == nullptr ? nullptr : &entry->best();
}

bgp::SessionState Network::session_state(SessionId session, Side side) const {
  return sessions_.at(session.value)->bgp->state(side);
}

const bgp::BgpSession& Network::bgp_session(SessionId session) const {
  return *sessions_.at(session.value)->bgp;
}

const bfd::BfdSession* Network::bfd_session(LinkId link) const { return bfd_.at(link.value).get(); }

std::vector<RouterStats> Network::router_stats() const {
  std::vector<RouterStats> out(topology_.routers().size());
  for (std::uint32_t s = 0; s < sessions_.size(); ++s) {
    const topo::Session& session = topology_.sessions()[s];
    for (const Side side : {Side::A, Side::B}) {
      const SessionState::Counters& c = sessions_[s]->counters[index(side)];
      RouterStats& r = out[end_of(session, side).router.value];
      r.updates_sent += c.updates_sent;
      r.updates_received += c.updates_received;
      r.prefixes_sent += c.prefixes_sent;
      r.prefixes_received += c.prefixes_received;
    }
  }
  for (const auto& instance : instances_) {
    out[instance->router.value].route_changes += instance->route_changes;
  }
  return out;
}

std::uint64_t Network::peak_received(SessionId session, Side side) const {
  return sessions_.at(session.value)->counters[index(side)].peak_received;
}

bool Network::held_for_max_prefix(SessionId session, Side side) const {
  return sessions_.at(session.value)->max_prefix_held[index(side)];
}

bool Network::link_up(LinkId link) const { return link_up_.at(link.value); }
bool Network::router_up(RouterId router) const { return router_up_.at(router.value); }
std::optional<DrainMethod> Network::drained(LinkId link) const { return drained_.at(link.value); }

void Network::on_session_change(std::function<void(const SessionEvent&)> fn) {
  session_observers_.push_back(std::move(fn));
}

void Network::on_route_change(std::function<void(const RouteEvent&)> fn) {
  route_observers_.push_back(std::move(fn));
}

// ---- checkpoints -----------------------------------------------------------------------------

void Network::checkpoint() {
  ERSIM_ASSERT(engine_.pending_count() == 0, "checkpoint of a network that is not quiet");
  auto saved = std::make_unique<Saved>();
  saved->at = engine_.now();
  saved->instances.resize(instances_.size());
  saved->sessions.resize(sessions_.size());
  saved->bfd.resize(bfd_.size());
  saved->touched_instances.flag.assign(instances_.size(), false);
  saved->touched_sessions.flag.assign(sessions_.size(), false);
  saved->touched_bfd.flag.assign(bfd_.size(), false);
  saved->touched_links.flag.assign(link_up_.size(), false);
  saved->touched_routers.flag.assign(router_up_.size(), false);
  saved->scalars = scalars();
  saved_ = std::move(saved);
  reconvergence_.checkpoint();
}

void Network::rollback() {
  ERSIM_ASSERT(saved_ != nullptr, "rollback without a checkpoint");
  Saved& saved = *saved_;
  // First the engine: the events that refer to the objects below are gone with it.
  engine_.rewind(saved.at);
  for (const std::uint32_t i : saved.touched_instances.list) {
    instances_[i]->rib.rollback();
    assign_instance_values(*instances_[i], *saved.instances[i]);
  }
  for (const std::uint32_t i : saved.touched_sessions.list) {
    SessionState& state = *sessions_[i];
    const Saved::SessionCopy& copy = *saved.sessions[i];
    if (state.policy_changed) {
      state.policy = copy.policy;
      state.policy_changed = false;
    }
    for (std::size_t k = 0; k < 2; ++k) {
      state.out[k] = {{}, false, copy.last_flush[k]};
      state.inbound[k].clear();
      state.exported[k] = copy.exported[k];
    }
    state.epoch = copy.epoch;
    state.max_prefix_held = copy.max_prefix_held;
    state.recount_scheduled = {};
    state.counters = copy.counters;
    state.bgp->rollback(copy.bgp);
  }
  for (const std::uint32_t l : saved.touched_bfd.list) {
    bfd_[l]->rollback(*saved.bfd[l]);
  }
  // A failure set changes a few links and routers of a large design: copying all of them back
  // made each set cost in proportion to the design.
  const Scalars& s = saved.scalars;
  for (const std::uint32_t l : saved.touched_links.list) {
    link_up_[l] = s.link_up[l];
    drained_[l] = s.drained[l];
  }
  for (const std::uint32_t r : saved.touched_routers.list) {
    router_up_[r] = s.router_up[r];
  }
  set_totals(s);
  saved.touched_instances.clear();
  saved.touched_sessions.clear();
  saved.touched_bfd.clear();
  saved.touched_links.clear();
  saved.touched_routers.clear();
  applying_delay_ = Duration::zero();
  reconvergence_.rollback();
}

void Network::copy_converged(const Network& converged) {
  // The same design, perhaps loaded twice: the ids of one are the other's.
  ERSIM_ASSERT(converged.instances_.size() == instances_.size() &&
                   converged.sessions_.size() == sessions_.size() &&
                   converged.bfd_.size() == bfd_.size(),
               "a network copies one over the same topology");
  ERSIM_ASSERT(converged.engine_.pending_count() == 0, "copy of a network that is not quiet");
  ERSIM_ASSERT(engine_.pending_count() == 0 && saved_ == nullptr,
               "only a network that never started copies another");
  // Asserts that nothing was interned here yet, as nothing is before start().
  attributes_.share(converged.attributes_);
  engine_.rewind(converged.engine_.now());
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    instances_[i]->rib.assign(converged.instances_[i]->rib);
    assign_instance_values(*instances_[i], *converged.instances_[i]);
  }
  for (std::size_t i = 0; i < sessions_.size(); ++i) {
    SessionState& state = *sessions_[i];
    const SessionState& from = *converged.sessions_[i];
    state.policy = from.policy;
    state.policy_changed = false;
    for (std::size_t k = 0; k < 2; ++k) {
      state.out[k] = {{}, false, from.out[k].last_flush};
      state.exported[k] = from.exported[k];
    }
    state.epoch = from.epoch;
    state.max_prefix_held = from.max_prefix_held;
    state.counters = from.counters;
    state.bgp->rollback(from.bgp->checkpoint());
  }
  for (std::size_t l = 0; l < bfd_.size(); ++l) {
    if (bfd_[l]) {
      bfd_[l]->rollback(converged.bfd_[l]->checkpoint());
    }
  }
  set_scalars(converged.scalars());
  reconvergence_.copy_state(converged.reconvergence_);
}

Network::Scalars Network::scalars() const {
  return {link_up_, router_up_, drained_, prepend_drains_, stats_, last_route_change_};
}

void Network::set_scalars(const Scalars& s) {
  link_up_ = s.link_up;
  router_up_ = s.router_up;
  drained_ = s.drained;
  set_totals(s);
}

void Network::set_totals(const Scalars& s) {
  prepend_drains_ = s.prepend_drains;
  stats_ = s.stats;
  last_route_change_ = s.last_route_change;
}

Network::Instance& Network::touch(Instance& instance) {
  if (saved_ && saved_->touched_instances.add(instance.id.value)) {
    auto& copy = saved_->instances[instance.id.value];
    if (!copy) {
      copy = std::make_unique<Saved::InstanceCopy>(Saved::InstanceCopy{
          instance.cpu_free_at, instance.originated_at_run_time, instance.route_changes});
      instance.rib.checkpoint();
    }
  }
  return instance;
}

Network::SessionState& Network::session_at(SessionId session) {
  SessionState& state = *sessions_[session.value];
  if (saved_ && saved_->touched_sessions.add(session.value)) {
    auto& copy = saved_->sessions[session.value];
    if (!copy) {
      copy = std::make_unique<Saved::SessionCopy>(
          Saved::SessionCopy{state.policy,
                             {state.out[0].last_flush, state.out[1].last_flush},
                             state.epoch,
                             state.max_prefix_held,
                             state.exported,
                             state.bgp->checkpoint(),
                             state.counters});
    }
  }
  return state;
}

void Network::touch_bfd(LinkId link) {
  if (saved_ && saved_->touched_bfd.add(link.value)) {
    auto& copy = saved_->bfd[link.value];
    if (!copy) {
      copy = bfd_[link.value]->checkpoint();
    }
  }
}

void Network::touch_link(LinkId link) {
  if (saved_) {
    saved_->touched_links.add(link.value);
  }
}

void Network::touch_router(RouterId router) {
  if (saved_) {
    saved_->touched_routers.add(router.value);
  }
}

// ---- failures and repairs -------------------------------------------------------------------

void Network::fail_link(LinkId link, topo::FailureMode mode) {
  run_time_change();
  if (!link_up_.at(link.value)) {
    return;
  }
  touch_link(link);
  link_up_[link.value] = false;
  if (bfd_[link.value]) {
    touch_bfd(link);
    bfd_[link.value]->path_failed(mode);
  }
  for (const SessionId id : sessions_on(link)) {
    session_at(id).bgp->path_failed(mode);
  }
}

void Network::fail_link(LinkId link) { fail_link(link, topology_.link(link).failure); }

void Network::restore_link(LinkId link) {
  run_time_change();
  if (link_up_.at(link.value)) {
    return;
  }
  touch_link(link);
  link_up_[link.value] = true;
  if (bfd_[link.value]) {
    touch_bfd(link);
    bfd_[link.value]->path_restored();
  }
  for (const SessionId id : sessions_on(link)) {
    session_at(id).bgp->path_restored();
  }
}

void Network::fail_router(RouterId router, RouterFailure failure) {
  run_time_change();
  if (!router_up_.at(router.value)) {
    return;
  }
  touch_router(router);
  router_up_[router.value] = false;
  // What the router learned goes with it, all at once (Rib::forget_learned); its sessions then
  // go down with nothing left to withdraw on its side (session_down). Its instances are sorted
  // out of its sessions' ends, not searched: an MSEE has one per circuit's VRF, thousands.
  std::vector<InstanceId> instances;
  for (const SessionId id : topology_.sessions_of(router)) {
    instances.push_back(end_instance(id, side_of(id, router)));
  }
  std::sort(instances.begin(), instances.end(),
            [](InstanceId x, InstanceId y) { return x.value < y.value; });
  instances.erase(std::unique(instances.begin(), instances.end()), instances.end());
  for (const InstanceId i : instances) {
    if (down(*instances_[i.value])) {
      touch(*instances_[i.value]).rib.forget_learned();
    }
  }
  for (const SessionId id : topology_.sessions_of(router)) {
    const Side side = side_of(id, router);
    if (failure == RouterFailure::Process) {
      session_at(id).bgp->process_failed(side);
    } else {
      session_at(id).bgp->device_failed(side);
    }
  }
  if (failure == RouterFailure::Device) {
    for_each_bfd_of(router, [](bfd::BfdSession& bfd, bfd::Side side) { bfd.end_failed(side); });
  }
}

void Network::restore_router(RouterId router) {
  run_time_change();
  if (router_up_.at(router.value)) {
    return;
  }
  touch_router(router);
  router_up_[router.value] = true;
  for_each_bfd_of(router, [](bfd::BfdSession& bfd, bfd::Side side) { bfd.end_restored(side); });
  for (const SessionId id : topology_.sessions_of(router)) {
    session_at(id).bgp->restarted(side_of(id, router));
  }
}

template <class F>
void Network::for_each_bfd_of(RouterId router, F f) {
  for (const auto edge :
       boost::make_iterator_range(boost::out_edges(router.value, topology_.graph()))) {
    const LinkId id = topology_.graph()[edge];
    const topo::Link& link = topology_.link(id);
    if (bfd_[id.value]) {
      touch_bfd(id);
      f(*bfd_[id.value], link.a == router ? bfd::Side::A : bfd::Side::B);
    }
  }
}

// ---- session and BFD events -----------------------------------------------------------------

Side Network::side_of(SessionId session, RouterId router) const {
  return topology_.session(session).a.router == router ? Side::A : Side::B;
}

bgp::Policy& Network::policy_to_change(SessionId session, Side side) {
  SessionState& state = session_at(session);
  state.policy_changed = true;
  return state.policy[index(side)];
}

bool Network::down(const Instance& instance) const {
  return std::none_of(instance.devices.begin(), instance.devices.end(),
                      [this](RouterId r) { return router_up_[r.value]; });
}

Network::Instance& Network::instance_of(SessionId session, Side side) {
  return touch(*instances_[sessions_[session.value]->instance[index(side)].value]);
}

void Network::on_bgp_change(SessionId session, const bgp::StateChange& change) {
  for (const auto& observer : session_observers_) {
    observer({session, change});
  }
  const bool was = change.from == bgp::SessionState::Established;
  const bool is = change.to == bgp::SessionState::Established;
  if (!was && is) {
    established(session, change.side);
  } else if (was && !is) {
    session_down(session, change.side);
  }
}

// RFC 5882 §4.3: BFD leaving Up (not administratively) takes down every BGP session over the
// link at once, at the end that noticed.
void Network::on_bfd_change(LinkId link, const bfd::BfdEvent& event) {
  if (!event.failure()) {
    return;
  }
  const RouterId router =
      event.side == bfd::Side::A ? topology_.link(link).a : topology_.link(link).b;
  for (const SessionId id : sessions_on(link)) {
    session_at(id).bgp->bfd_down(side_of(id, router));
  }
}

// RFC 4271 §9.4: a new session gets the whole table, subject to export policy.
// The Loc-RIB is walked in hash order: what goes out does not depend on it, since the queue
// is ordered by prefix and each prefix's export is independent of the others.
void Network::established(SessionId session, Side side) {
  // However it came back (max_prefix_cleared, a restart), the end is no longer held.
  session_at(session).max_prefix_held[index(side)] = false;
  export_table(session, side);
}

void Network::export_table(SessionId session, Side side) {
  Instance& instance = instance_of(session, side);
  // The whole table may go out (see Rib::reserve), except from a gateway, which sends only
  // the VNet's own prefixes.
  bgp::AdjRibOut& sent = instance.rib.adj_rib_out(session);
  if (instance.rib.config().mode != bgp::DecisionMode::Gateway &&
      sent.size() < instance.rib.size()) {
    sent.reserve(instance.rib.size());
  }
  for (const bgp::LocRibEntry& entry : instance.rib.loc_rib()) {
    export_prefix(instance, session, side, entry.prefix());
  }
}

// RFC 4271 §8.2.2: leaving Established deletes every route the peer sent; nothing sent before
// reaches the peer any more.
void Network::session_down(SessionId session, Side side) {
  SessionState& state = session_at(session);
  state.out[index(side)].pending.clear();
  ++state.epoch[index(side)];
  Instance& instance = instance_of(session, side);
  if (down(instance)) {
    // Its router is down and forgot everything (fail_router): no decision runs there, so no
    // route changes and no gateway reconvergence either.
    instance.rib.adj_rib_out(session).clear();
    return;
  }
  if (held_for_gateway(session, side, nullptr)) {
    // The peer forgets at once what this end sent; the gateway forgets what the peer sent only
    // when its reconvergence delay is over (withdraw_received).
    instance.rib.adj_rib_out(session).clear();
    return;
  }
  for (const bgp::PrefixChange& change : instance.rib.withdraw_all(session)) {
    route_changed(instance, change.prefix, change.change);
  }
}

// ---- propagation ----------------------------------------------------------------------------

SimTime Network::reserve_cpu(Instance& instance, Duration cost) {
  const SimTime start = std::max(engine_.now(), instance.cpu_free_at);
  instance.cpu_free_at = start + cost;
  return instance.cpu_free_at;
}

// The router handles its messages one after another (reserve_cpu), so each end's messages are
// processed in the order they arrived: the engine event only says when the next one is done.
void Network::receive(SessionId session, Side side, bgp::UpdateMessage update) {
  SessionState& state = session_at(session);
  Instance& instance = instance_of(session, side);
  const auto prefixes =
      static_cast<std::int64_t>(update.withdrawn.size() + update.announced.size());
  SessionState::Counters& counters = state.counters[index(side)];
  ++counters.updates_received;
  counters.prefixes_received += static_cast<std::uint64_t>(prefixes);
  const SimTime done =
      reserve_cpu(instance, options_.per_message_cost + prefixes * options_.per_prefix_cost);
  state.inbound[index(side)].push({state.epoch[index(side)], std::move(update)});
  engine_.schedule_at(done, [this, session, side] {
    SessionState& s = session_at(session);
    const SessionState::Inbound in = s.inbound[index(side)].pop();
    // Dropped if the session went down since it arrived (session_down); held if the gateway
    // is reconverging.
    if (in.epoch == s.epoch[index(side)] && !held_for_gateway(session, side, &in.update)) {
      process(session, side, in.update);
    }
  });
}

void Network::process(SessionId session, Side side, const bgp::UpdateMessage& update) {
  SessionState& state = session_at(session);
  Instance& instance = instance_of(session, side);
  const bgp::Policy& policy = state.policy[index(side)];
  for (const Ipv4Prefix& prefix : update.withdrawn) {
    route_changed(instance, prefix, instance.rib.withdraw(session, prefix));
  }
  if (!update.announced.empty()) {
    // Room for the burst at once, when it is mostly new prefixes (at least half of it is when
    // it outnumbers the table): a table that doubles step by step moves every route each time.
    if (const std::size_t held = instance.rib.size(); held < update.announced.size()) {
      instance.rib.reserve(held + update.announced.size());
    }
    const Side peer = side == Side::A ? Side::B : Side::A;
    const topo::SessionEnd& from = end_of(topology_.session(session), peer);
    const topo::Router& neighbour = topology_.router(from.router);
    for (const Ipv4Prefix& prefix : update.announced) {
      const auto accepted = policy.import(attributes_, prefix, update.attributes, state.kind);
      if (!accepted) {
        // A rejected route replaces whatever the peer sent before for the prefix.
        ++stats_.routes_rejected;
        route_changed(instance, prefix, instance.rib.withdraw(session, prefix));
        continue;
      }
      const bgp::Route route{.attributes = *accepted,
                             .prefix = prefix,
                             .neighbour_address = from.address,
                             .neighbour_router_id = neighbour.router_id,
                             .peer_asn = neighbour.asn,
                             .session = session,
                             .kind = state.kind};
      route_changed(instance, prefix, instance.rib.update(route));
    }
  }
  // ExpressRoute: over the prefix limit the session is dropped (RFC 4486 Cease subcode 1), and
  // it comes back once the peer's count falls back to the limit (DESIGN §1).
  const auto limit = policy.max_prefix();
  if (!limit) {
    return;
  }
  const std::uint64_t received = instance.rib.adj_rib_in(session).size();
  std::uint64_t& peak = state.counters[index(side)].peak_received;
  peak = std::max(peak, received);
  if (received > *limit && state.bgp->state(side) == bgp::SessionState::Established) {
    state.max_prefix_held[index(side)] = true;
    state.bgp->max_prefix_exceeded(side);
    // The peer may have shrunk already (withdrawals still queued behind this UPDATE), in which
    // case no later change would trigger the recount.
    schedule_recount(session, side);
  }
}

// One recount covers every change made before it runs: a burst of withdrawals at one instant
// costs one pass over the peer's Loc-RIB, not one per route.
void Network::schedule_recount(SessionId session, Side side) {
  SessionState& state = session_at(session);
  if (state.recount_scheduled[index(side)]) {
    return;
  }
  state.recount_scheduled[index(side)] = true;
  engine_.schedule_at(engine_.now(), [this, session, side] { recount(session, side); });
}

// What the held end would hold if the session came up now: the peer's Loc-RIB through the
// peer's export policy towards this session, then this end's import policy — the same count
// process() compares with the limit.
void Network::recount(SessionId session, Side side) {
  SessionState& state = session_at(session);
  state.recount_scheduled[index(side)] = false;
  if (!state.max_prefix_held[index(side)]) {
    return;
  }
  ++stats_.max_prefix_recounts;
  const bgp::Policy& policy = state.policy[index(side)];
  const std::uint32_t limit = policy.max_prefix().value_or(0);
  Instance& peer = instance_of(session, other(side));
  std::uint64_t count = 0;
  for (const bgp::LocRibEntry& entry : peer.rib.loc_rib()) {
    const Ipv4Prefix prefix = entry.prefix();
    const auto out = exported(peer, session, other(side), prefix);
    if (out && policy.import(attributes_, prefix, *out, state.kind)) {
      if (++count > limit) {
        return;  // still over: wait for the peer's next change
      }
    }
  }
  state.max_prefix_held[index(side)] = false;
  state.bgp->max_prefix_cleared(side);
}

void Network::route_changed(Instance& instance, const Ipv4Prefix& prefix, bgp::RibChange change) {
  if (change == bgp::RibChange::None) {
    return;
  }
  ++stats_.route_changes;
  ++instance.route_changes;
  last_route_change_ = engine_.now();
  for (const auto& observer : route_observers_) {
    observer({engine_.now(), instance.id, prefix, change, applying_delay_});
  }
  if (change == bgp::RibChange::MultipathChanged) {
    return;  // the best route is the same: nothing to tell the neighbours
  }
  for (const auto& [session, side] : instance.ends) {
    const SessionState& state = *sessions_[session.value];
    if (state.bgp->state(side) == bgp::SessionState::Established) {
      export_prefix(instance, session, side, prefix);
    } else if (state.max_prefix_held[index(other(side))]) {
      // The peer dropped this session for max-prefix: what this instance would send it changed.
      schedule_recount(session, other(side));
    }
  }
}

std::optional<bgp::Attributes> Network::exported(Instance& instance, SessionId session, Side side,
                                                 const Ipv4Prefix& prefix) {
  SessionState& state = session_at(session);
  const bgp::LocRibEntry* entry = instance.rib.find(prefix);
  if (entry == nullptr) {
    return std::nullopt;
  }
  const bgp::Route& best = entry->best();
  // Azure's gateways advertise the VNet's own address space: what one connection taught them
  // does not go out over another (no transit between circuits, or between ExpressRoute and
  // VPN, without Global Reach or Route Server).
  if (instance.rib.config().mode == bgp::DecisionMode::Gateway && !best.locally_originated()) {
    return std::nullopt;
  }
  if (best.locally_originated()) {
    // A router's own prefixes go out only over the sessions that list them; one originated
    // at run time also over those that list a prefix covering it (network.hpp, advertise()).
    // A design's per-peering list stays exact: a /24 one circuit advertises does not leak onto
    // another circuit whose legs advertise the /16 around it.
    const auto& own = state.advertise[index(side)];
    if (!std::binary_search(own.begin(), own.end(), prefix) &&
        !(instance.originated_at_run_time.contains(prefix) && covered(own, prefix))) {
      return std::nullopt;
    }
  } else if (best.session == session) {
    // Not back to the neighbour it came from: that peer would drop it as its own (an AS loop
    // on eBGP, §9.2 on iBGP), so sending it is only churn.
    return std::nullopt;
  }
  std::optional<bgp::Attributes> out = state.export_route(attributes_, side, best);
  if (out && prepend_drains_ > 0) {
    out = drain_prepended(instance, session, side, best, *out);
  }
  return out;
}

void Network::export_prefix(Instance& instance, SessionId session, Side side,
                            const Ipv4Prefix& prefix) {
  SessionState& state = session_at(session);
  const std::optional<bgp::Attributes> out = exported(instance, session, side, prefix);
  bgp::AdjRibOut& sent = instance.rib.adj_rib_out(session);
  const bool changed = out ? sent.advertise(prefix, *out) : sent.withdraw(prefix);
  if (changed) {
    state.out[index(side)].pending.emplace_back(prefix, out);
    schedule_flush(session, side);
  }
}

// Everything queued for a peer at one instant goes out together, one UPDATE per attribute set
// (RFC 4271 §4.3), and no sooner than the MRAI after the last one (§9.2.1.1).
void Network::schedule_flush(SessionId session, Side side) {
  SessionState::Output& out = session_at(session).out[index(side)];
  if (out.flush_scheduled) {
    return;
  }
  out.flush_scheduled = true;
  SimTime at = engine_.now();
  if (out.last_flush && options_.mrai > Duration::zero()) {
    at = std::max(at, *out.last_flush + options_.mrai);
  }
  engine_.schedule_at(at, [this, session, side] { flush(session, side); });
}

void Network::flush(SessionId session, Side side) {
  SessionState& state = session_at(session);
  SessionState::Output& out = state.out[index(side)];
  out.flush_scheduled = false;
  if (out.pending.empty()) {
    return;
  }
  out.last_flush = engine_.now();
  // By prefix, so the messages are built the same way every run; of a prefix queued more than
  // once, the last entry (stable sort) is what the Adj-RIB-Out holds now. Most flushes carry a
  // few prefixes, for which std::stable_sort would allocate its buffer each time: an insertion
  // sort (stable too) does without.
  auto& pending = out.pending;
  const auto by_prefix = [](const auto& x, const auto& y) { return x.first < y.first; };
  if (pending.size() > kInsertionSortMax) {
    std::stable_sort(pending.begin(), pending.end(), by_prefix);
  } else {
    for (auto i = pending.begin() + 1; i < pending.end(); ++i) {
      std::rotate(std::upper_bound(pending.begin(), i, *i, by_prefix), i, i + 1);
    }
  }
  bgp::UpdateMessage withdrawals;
  std::vector<bgp::UpdateMessage> announcements;  // in order of each set's first prefix
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (i + 1 < pending.size() && pending[i + 1].first == pending[i].first) {
      continue;  // superseded
    }
    const auto& [prefix, queued] = pending[i];
    if (!queued) {
      withdrawals.withdrawn.push_back(prefix);
      continue;
    }
    const bgp::Attributes attributes = *queued;  // clang 14 cannot capture a structured binding
    auto it = std::find_if(announcements.begin(), announcements.end(),
                           [&](const bgp::UpdateMessage& m) { return m.attributes == attributes; });
    if (it == announcements.end()) {
      announcements.push_back({{}, attributes, {}});
      it = announcements.end() - 1;
    }
    it->announced.push_back(prefix);
  }
  // Released (`pending = {}` would keep the capacity: it assigns an empty list): a converged
  // session holds nothing, and a million-prefix design's ends each held kilobytes.
  decltype(out.pending)().swap(out.pending);
  if (!withdrawals.withdrawn.empty()) {
    announcements.insert(announcements.begin(), std::move(withdrawals));
  }
  for (bgp::UpdateMessage& message : announcements) {
    const std::size_t count = message.withdrawn.size() + message.announced.size();
    if (state.bgp->send_update(side, std::move(message))) {
      ++stats_.updates_sent;
      stats_.prefixes_sent += count;
      ++state.counters[index(side)].updates_sent;
      state.counters[index(side)].prefixes_sent += count;
    }
  }
}

// ---- gateway reconvergence ----------------------------------------------------------------

// DESIGN §1: the gateway's end of each gateway–MSEE session waits for reconvergence; a VPN
// gateway's tunnels to customer routers do not.
void Network::build_reconvergence() {
  for (std::uint32_t s = 0; s < topology_.sessions().size(); ++s) {
    const topo::Session& session = topology_.sessions()[s];
    const topo::RouterRole a = topology_.router(session.a.router).role;
    const topo::RouterRole b = topology_.router(session.b.router).role;
    using enum topo::RouterRole;
    if ((a == Gateway && b == Msee) || (a == Msee && b == Gateway)) {
      reconvergence_.add_session(
          SessionId{s}, a == Gateway ? Side::A : Side::B,
          streams_.stream(stable_id("gateway-reconvergence:" + session.name)));
    }
  }
}

bool Network::held_for_gateway(SessionId session, Side side, const bgp::UpdateMessage* update) {
  if (!reconvergence_.delays(session, side)) {
    return false;
  }
  HeldChange change;
  if (update != nullptr) {
    change.update = *update;
  }
  const bool held = reconvergence_.hold(session, side, std::move(change));
  stats_.gateway_reconvergence_batches = reconvergence_.batches();
  return held;
}

void Network::apply_held(SessionId session, Side side, const HeldChange& change, Duration delay) {
  if (down(instance_of(session, side))) {
    return;  // the gateway went down meanwhile and forgot what it held
  }
  applying_delay_ = delay;
  if (change.update) {
    process(session, side, *change.update);
  } else {
    withdraw_received(session, side);
  }
  applying_delay_ = Duration::zero();
}

// RFC 4271 §8.2.2, late: the session may be up again by now, and what this end has sent in its
// new life stays recorded in the Adj-RIB-Out: Rib::withdraw_received, not withdraw_all (which
// clears it). In prefix order.
void Network::withdraw_received(SessionId session, Side side) {
  Instance& instance = instance_of(session, side);
  for (const bgp::PrefixChange& change : instance.rib.withdraw_received(session)) {
    route_changed(instance, change.prefix, change.change);
  }
}

// ---- policy changes -------------------------------------------------------------------------

void Network::set_local_preference(SessionId session, Side side, std::uint32_t value) {
  ERSIM_ASSERT(session.value < sessions_.size(), "set_local_preference: no such session");
  run_time_change();
  bgp::Policy& policy = policy_to_change(session, side);
  if (policy.local_preference() == value) {
    return;
  }
  policy.set_local_preference(value);
  // The Adj-RIB-In holds routes after import policy, so the new value needs them as the peer
  // sent them: a route refresh (RFC 2918) has the peer send them again.
  route_refresh(session, side);
}

// RFC 2918 §4: the peer answers a ROUTE-REFRESH by advertising its Adj-RIB-Out for the session
// again. The re-advertisement is queued behind what the peer has queued already and goes out as
// ordinary UPDATEs, so it arrives after everything the peer sent before, and waits like any
// UPDATE for the router's processing and, at a gateway, its reconvergence; the end then imports
// it through its current policy (process). Nothing is withdrawn: the Adj-RIB-Out is exactly
// what the end has been sent, so the end holds nothing stale to purge (what RFC 7313's
// End-of-RIB-Refresh marker is for). The request's own trip to the peer is left out.
void Network::route_refresh(SessionId session, Side side) {
  SessionState& state = session_at(session);
  const Side peer = other(side);
  if (state.bgp->state(side) != bgp::SessionState::Established ||
      state.bgp->state(peer) != bgp::SessionState::Established) {
    return;
  }
  const bgp::AdjRibOut& sent = instance_of(session, peer).rib.adj_rib_out(session);
  if (sent.size() == 0) {
    return;
  }
  // The Adj-RIB-Out's own order; flush sorts by prefix, and each prefix's entry here comes last
  // and is what the Adj-RIB-Out holds now.
  auto& pending = state.out[index(peer)].pending;
  pending.reserve(pending.size() + sent.size());
  for (const auto& [prefix, attributes] : sent.routes()) {
    pending.emplace_back(prefix, attributes);
  }
  schedule_flush(session, peer);
}

void Network::set_prepend(SessionId session, Side side, std::uint32_t count) {
  ERSIM_ASSERT(session.value < sessions_.size(), "set_prepend: no such session");
  run_time_change();
  SessionState& state = session_at(session);
  bgp::Policy& policy = policy_to_change(session, side);
  if (policy.prepend() == count) {
    return;
  }
  policy.set_prepend(count);
  // The cached export attributes carry the old prepending.
  state.exported[index(side)].clear();
  // Soft reconfiguration outbound: everything is sent again through the new policy, and the
  // Adj-RIB-Out leaves out what did not change. A session that is down gets the whole table
  // through it when it comes up (established).
  if (state.bgp->state(side) == bgp::SessionState::Established) {
    export_table(session, side);
  }
}

// Azure: the connection weight is the gateway's own preference among its connections to
// circuits, the first step of its order, before any BGP attribute
// (https://learn.microsoft.com/azure/expressroute/expressroute-optimize-routing); changing it
// re-ranks the routes the gateway holds, without a word to the MSEEs.
void Network::set_connection_weight(std::size_t vnet, topo::CircuitId circuit,
                                    std::uint16_t weight) {
  ERSIM_ASSERT(vnet < topology_.vnets().size(), "set_connection_weight: no such VNet");
  const topo::VNet& v = topology_.vnets()[vnet];
  const auto connection =
      std::find_if(v.connections.begin(), v.connections.end(),
                   [circuit](const topo::Connection& c) { return c.circuit == circuit; });
  ERSIM_ASSERT(connection != v.connections.end(),
               "set_connection_weight: VNet " + v.name + " has no connection to the circuit");
  ERSIM_ASSERT(weight <= bgp::kMaxConnectionWeight, "set_connection_weight: weight above 32000");
  run_time_change();
  Instance& gateway = instance_at(v.gateway, "");
  std::vector<std::pair<SessionId, bgp::GatewayLink>> links;
  links.reserve(connection->sessions.size());
  for (const SessionId session : connection->sessions) {
    bgp::GatewayLink link = gateway.rib.link(session);
    link.connection_weight = weight;
    links.emplace_back(session, link);
  }
  for (const bgp::PrefixChange& change : gateway.rib.set_links(links)) {
    route_changed(gateway, change.prefix, change.change);
  }
}

// ---- maintenance drain ----------------------------------------------------------------------

std::vector<Side> Network::msee_ends(SessionId session) const {
  std::vector<Side> sides;
  const topo::Session& s = topology_.session(session);
  for (const Side side : {Side::A, Side::B}) {
    if (topology_.router(end_of(s, side).router).role == topo::RouterRole::Msee) {
      sides.push_back(side);
    }
  }
  return sides;
}

void Network::drain_link(LinkId link, DrainMethod method) {
  const topo::Link& l = topology_.link(link);
  ERSIM_ASSERT(topology_.router(l.a).role == topo::RouterRole::Msee ||
                   topology_.router(l.b).role == topo::RouterRole::Msee,
               "drain_link: link " + l.name + " has no MSEE end");
  if (drained_[link.value] == method) {
    return;
  }
  undrain_link(link);
  run_time_change();
  touch_link(link);
  drained_[link.value] = method;
  if (method == DrainMethod::Prepend) {
    ++prepend_drains_;
  }
  for (const SessionId session : sessions_on(link)) {
    for (const Side side : msee_ends(session)) {
      if (method == DrainMethod::Prepend) {
        reexport_drained(session, side);
      } else {
        session_at(session).bgp->admin_stop(side);
      }
    }
  }
}

void Network::undrain_link(LinkId link) {
  const std::optional<DrainMethod> method = drained_.at(link.value);
  if (!method) {
    return;
  }
  run_time_change();
  touch_link(link);
  drained_[link.value].reset();
  if (method == DrainMethod::Prepend) {
    --prepend_drains_;
  }
  for (const SessionId session : sessions_on(link)) {
    for (const Side side : msee_ends(session)) {
      if (method == DrainMethod::Prepend) {
        reexport_drained(session, side);
      } else {
        session_at(session).bgp->admin_start(side);
      }
    }
  }
}

bool Network::drain_prepends(SessionId session, Side side) const {
  const topo::Session& s = topology_.session(session);
  return drained_[s.link.value] == DrainMethod::Prepend &&
         topology_.router(end_of(s, side).router).role == topo::RouterRole::Msee;
}

// DESIGN §1: Microsoft drains a link by prepending its AS on it. On what goes over the drained
// session, so the customer's routers leave the link; on what came in over it, wherever it goes
// on, so the VNet gateway leaves it too. Prepending is an eBGP matter (RFC 4271 §5.1.2).
bgp::Attributes Network::drain_prepended(const Instance& instance, SessionId session, Side side,
                                         const bgp::Route& best, bgp::Attributes attributes) {
  const SessionState& state = *sessions_[session.value];
  if (state.kind != bgp::PeerKind::External) {
    return attributes;
  }
  bool prepend = drain_prepends(session, side);
  if (!prepend && !best.locally_originated()) {
    const SessionState& from = *sessions_[best.session.value];
    prepend = drain_prepends(best.session, from.instance[0] == instance.id ? Side::A : Side::B);
  }
  if (!prepend) {
    return attributes;
  }
  return attributes_.prepend(attributes, state.policy[index(side)].context().local_asn,
                             options_.drain_prepend);
}

// Everything over the drained session, and what came in over it over every other session of the
// instance; the Adj-RIB-Out leaves out what did not change.
void Network::reexport_drained(SessionId session, Side side) {
  Instance& instance = instance_of(session, side);
  if (sessions_[session.value]->bgp->state(side) == bgp::SessionState::Established) {
    export_table(session, side);
  }
  const std::vector<Ipv4Prefix> learned = instance.rib.prefixes_from(session);
  for (const auto& [other, other_side] : instance.ends) {
    if (other == session ||
        sessions_[other.value]->bgp->state(other_side) != bgp::SessionState::Established) {
      continue;
    }
    for (const Ipv4Prefix& prefix : learned) {
      export_prefix(instance, other, other_side, prefix);
    }
  }
}

}  // namespace ersim::router
