// The sealed topology: a Boost.Graph of routers (vertices) and links (edges), the BGP sessions
// over them, shared-risk groups, and the ExpressRoute objects. Built once by a TopologyBuilder,
// then immutable, so simulations on many threads can share one.
//   TopologyBuilder b("lab");  RouterId r = b.add_router({.name = "ce1", ...});
//   Topology t = std::move(b).seal();   t.router_id("ce1");   boost::out_edges(v, t.graph());
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/topo/model.hpp"

namespace ersim::topo {

/// Vertex i is router i; each edge carries the id of its link.
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, LinkId>;

class Topology {
 public:
  [[nodiscard]] const std::string& name() const { return name_; }

  [[nodiscard]] std::span<const Router> routers() const { return routers_; }
  [[nodiscard]] std::span<const Link> links() const { return links_; }
  [[nodiscard]] std::span<const Session> sessions() const { return sessions_; }
  [[nodiscard]] std::span<const Srlg> srlgs() const { return srlgs_; }
  [[nodiscard]] std::span<const Circuit> circuits() const { return circuits_; }
  [[nodiscard]] std::span<const Site> sites() const { return sites_; }
  [[nodiscard]] std::span<const VNet> vnets() const { return vnets_; }

  [[nodiscard]] const Router& router(RouterId id) const { return routers_.at(id.value); }
  [[nodiscard]] const Link& link(LinkId id) const { return links_.at(id.value); }
  [[nodiscard]] const Session& session(SessionId id) const { return sessions_.at(id.value); }
  [[nodiscard]] const Srlg& srlg(SrlgId id) const { return srlgs_.at(id.value); }
  [[nodiscard]] const Circuit& circuit(CircuitId id) const { return circuits_.at(id.value); }

  [[nodiscard]] std::optional<RouterId> router_id(std::string_view name) const;
  [[nodiscard]] std::optional<LinkId> link_id(std::string_view name) const;
  [[nodiscard]] std::optional<SessionId> session_id(std::string_view name) const;
  [[nodiscard]] std::optional<SrlgId> srlg_id(std::string_view name) const;
  [[nodiscard]] std::optional<CircuitId> circuit_id(std::string_view name) const;

  [[nodiscard]] const Graph& graph() const { return graph_; }
  /// The sessions a router takes part in, in the order they were added.
  [[nodiscard]] std::span<const SessionId> sessions_of(RouterId id) const {
    return sessions_of_.at(id.value);
  }

 private:
  friend class TopologyBuilder;
  Topology() = default;

  std::string name_;
  std::vector<Router> routers_;
  std::vector<Link> links_;
  std::vector<Session> sessions_;
  std::vector<Srlg> srlgs_;
  std::vector<Circuit> circuits_;
  std::vector<Site> sites_;
  std::vector<VNet> vnets_;
  Graph graph_;
  std::vector<std::vector<SessionId>> sessions_of_;
  std::unordered_map<std::string, RouterId> router_by_name_;
  std::unordered_map<std::string, LinkId> link_by_name_;
  std::unordered_map<std::string, SessionId> session_by_name_;
  std::unordered_map<std::string, SrlgId> srlg_by_name_;
  std::unordered_map<std::string, CircuitId> circuit_by_name_;
};

/// Collects the elements of a topology. Names are unique per kind; references between elements
/// must exist when they are added (violations are programmer errors: the loader validates user
/// input first and reports it with its position).
class TopologyBuilder {
 public:
  explicit TopologyBuilder(std::string name);

  /// Makes room for this many elements at once, so a large design is not copied as it grows.
  /// Generous bounds cost only address space.
  void reserve(std::size_t routers, std::size_t links, std::size_t sessions);

  RouterId add_router(Router router);
  LinkId add_link(Link link);
  SessionId add_session(Session session);
  /// Adds the group, or returns the existing one of that name.
  SrlgId srlg(std::string_view name, SrlgKind kind);
  void add_to_srlg(SrlgId group, LinkId link);
  void add_to_srlg(SrlgId group, RouterId router);
  CircuitId add_circuit(Circuit circuit);
  void add_site(Site site);
  void add_vnet(VNet vnet);

  [[nodiscard]] std::optional<RouterId> find_router(std::string_view name) const;
  [[nodiscard]] std::optional<CircuitId> find_circuit(std::string_view name) const;
  [[nodiscard]] std::optional<LinkId> find_link(std::string_view name) const;
  [[nodiscard]] const Router& router(RouterId id) const { return t_.routers_.at(id.value); }
  [[nodiscard]] Circuit& circuit(CircuitId id) { return t_.circuits_.at(id.value); }
  [[nodiscard]] Session& session(SessionId id) { return t_.sessions_.at(id.value); }

  /// Builds the graph and indexes; the builder is spent.
  Topology seal() &&;

 private:
  Topology t_;
  std::unordered_set<std::uint64_t> router_groups_;  ///< (group << 32 | router) memberships
};

}  // namespace ersim::topo
