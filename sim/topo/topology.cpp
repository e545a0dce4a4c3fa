#include "sim/topo/topology.hpp"

#include <algorithm>
#include <utility>

#include "core/assert.hpp"

namespace ersim::topo {
namespace {

template <class IdT, class Map>
std::optional<IdT> lookup(const Map& map, std::string_view name) {
  const auto it = map.find(std::string(name));
  if (it == map.end()) {
    return std::nullopt;
  }
  return it->second;
}

template <class IdT, class Map>
IdT index_name(Map& map, const std::string& name, std::size_t index) {
  const IdT id{static_cast<std::uint32_t>(index)};
  const bool inserted = map.emplace(name, id).second;
  ERSIM_ASSERT(inserted, "duplicate name " + name);
  return id;
}

}  // namespace

std::optional<RouterId> Topology::router_id(std::string_view name) const {
  return lookup<RouterId>(router_by_name_, name);
}
std::optional<LinkId> Topology::link_id(std::string_view name) const {
  return lookup<LinkId>(link_by_name_, name);
}
std::optional<SessionId> Topology::session_id(std::string_view name) const {
  return lookup<SessionId>(session_by_name_, name);
}
std::optional<SrlgId> Topology::srlg_id(std::string_view name) const {
  return lookup<SrlgId>(srlg_by_name_, name);
}
std::optional<CircuitId> Topology::circuit_id(std::string_view name) const {
  return lookup<CircuitId>(circuit_by_name_, name);
}

TopologyBuilder::TopologyBuilder(std::string name) { t_.name_ = std::move(name); }

void TopologyBuilder::reserve(std::size_t routers, std::size_t links, std::size_t sessions) {
  t_.routers_.reserve(routers);
  t_.router_by_name_.reserve(routers);
  t_.links_.reserve(links);
  t_.link_by_name_.reserve(links);
  t_.sessions_.reserve(sessions);
  t_.session_by_name_.reserve(sessions);
}

RouterId TopologyBuilder::add_router(Router router) {
  const auto id = index_name<RouterId>(t_.router_by_name_, router.name, t_.routers_.size());
  t_.routers_.push_back(std::move(router));
  return id;
}

LinkId TopologyBuilder::add_link(Link link) {
  ERSIM_ASSERT(link.a.value < t_.routers_.size() && link.b.value < t_.routers_.size(),
               "link " + link.name + " to an unknown router");
  ERSIM_ASSERT(link.a != link.b, "link " + link.name + " loops on one router");
  const auto id = index_name<LinkId>(t_.link_by_name_, link.name, t_.links_.size());
  for (const SrlgId group : link.srlgs) {
    t_.srlgs_.at(group.value).links.push_back(id);
  }
  t_.links_.push_back(std::move(link));
  return id;
}

SessionId TopologyBuilder::add_session(Session session) {
  ERSIM_ASSERT(session.link.value < t_.links_.size(), "session " + session.name + " on no link");
  const auto id = index_name<SessionId>(t_.session_by_name_, session.name, t_.sessions_.size());
  t_.sessions_.push_back(std::move(session));
  return id;
}

SrlgId TopologyBuilder::srlg(std::string_view name, SrlgKind kind) {
  if (const auto existing = lookup<SrlgId>(t_.srlg_by_name_, name)) {
    return *existing;
  }
  const auto id = index_name<SrlgId>(t_.srlg_by_name_, std::string(name), t_.srlgs_.size());
  t_.srlgs_.push_back({std::string(name), kind, {}, {}});
  return id;
}

// Membership is checked on the link's own short list of groups, and for routers in a set of
// (group, router) pairs, so large groups (a peering location of thousands of circuits) stay
// linear to build.
void TopologyBuilder::add_to_srlg(SrlgId group, LinkId link) {
  auto& groups = t_.links_.at(link.value).srlgs;
  if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
    groups.push_back(group);
    t_.srlgs_.at(group.value).links.push_back(link);
  }
}

void TopologyBuilder::add_to_srlg(SrlgId group, RouterId router) {
  const std::uint64_t key = (std::uint64_t{group.value} << 32U) | router.value;
  if (router_groups_.insert(key).second) {
    t_.srlgs_.at(group.value).routers.push_back(router);
  }
}

CircuitId TopologyBuilder::add_circuit(Circuit circuit) {
  const auto id = index_name<CircuitId>(t_.circuit_by_name_, circuit.name, t_.circuits_.size());
  t_.circuits_.push_back(std::move(circuit));
  return id;
}

void TopologyBuilder::add_site(Site site) { t_.sites_.push_back(std::move(site)); }

void TopologyBuilder::add_vnet(VNet vnet) { t_.vnets_.push_back(std::move(vnet)); }

std::optional<RouterId> TopologyBuilder::find_router(std::string_view name) const {
  return lookup<RouterId>(t_.router_by_name_, name);
}

std::optional<CircuitId> TopologyBuilder::find_circuit(std::string_view name) const {
  return lookup<CircuitId>(t_.circuit_by_name_, name);
}

std::optional<LinkId> TopologyBuilder::find_link(std::string_view name) const {
  return lookup<LinkId>(t_.link_by_name_, name);
}

Topology TopologyBuilder::seal() && {
  Topology t = std::move(t_);
  t.graph_ = Graph(t.routers_.size());
  for (std::size_t i = 0; i < t.links_.size(); ++i) {
    const Link& link = t.links_[i];
    boost::add_edge(link.a.value, link.b.value, LinkId{static_cast<std::uint32_t>(i)}, t.graph_);
  }
  t.sessions_of_.resize(t.routers_.size());
  for (std::size_t i = 0; i < t.sessions_.size(); ++i) {
    const Session& s = t.sessions_[i];
    const SessionId id{static_cast<std::uint32_t>(i)};
    t.sessions_of_.at(s.a.router.value).push_back(id);
    t.sessions_of_.at(s.b.router.value).push_back(id);
  }
  return t;
}

}  // namespace ersim::topo
