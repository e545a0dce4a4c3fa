#include "sim/report/dot.hpp"

#include <boost/graph/graphviz.hpp>

#include <algorithm>
#include <cstddef>
#include <locale>
#include <map>
#include <ostream>
#include <sstream>
#include <utility>
#include <vector>

namespace ersim::report {
namespace {

using topo::FailureMode;
using topo::Link;
using topo::PathRole;
using topo::Router;
using topo::RouterRole;
using topo::Topology;

enum class Place { Site, PeeringLocation, VNet, Provider, Other };

std::string_view place_id(Place place) {
  switch (place) {
    case Place::Site:
      return "site";
    case Place::PeeringLocation:
      return "location";
    case Place::VNet:
      return "vnet";
    case Place::Provider:
      return "provider";
    case Place::Other:
      return "place";
  }
  return "place";
}

std::string_view place_label(Place place) {
  switch (place) {
    case Place::Site:
      return "site ";
    case Place::PeeringLocation:
      return "peering location ";
    case Place::VNet:
      return "VNet ";
    case Place::Provider:
      return "provider ";
    case Place::Other:
      return "";
  }
  return "";
}

// Router::location names a site, a peering location, a VNet or a provider according to the
// router's role; a generic host joins the site or VNet it names, or a cluster of its own.
Place place_of(const Topology& topology, const Router& router) {
  switch (router.role) {
    case RouterRole::Ce:
      return Place::Site;
    case RouterRole::Pe:
      return Place::Provider;
    case RouterRole::Msee:
      return Place::PeeringLocation;
    case RouterRole::Gateway:
    case RouterRole::VpnGateway:
      return Place::VNet;
    case RouterRole::Host:
      break;
  }
  const auto named = [&](const auto& element) { return element.name == router.location; };
  if (std::ranges::any_of(topology.sites(), named)) {
    return Place::Site;
  }
  if (std::ranges::any_of(topology.vnets(), named)) {
    return Place::VNet;
  }
  return Place::Other;
}

struct Cluster {
  Place place = Place::Other;
  std::string location;
  std::vector<std::size_t> routers;
};

// In the order their first router was added, so the text does not depend on hashing.
std::vector<Cluster> clusters_of(const Topology& topology) {
  std::vector<Cluster> clusters;
  std::map<std::pair<Place, std::string>, std::size_t> index;
  const auto routers = topology.routers();
  for (std::size_t i = 0; i < routers.size(); ++i) {
    const Router& router = routers[i];
    if (router.location.empty()) {
      continue;
    }
    const Place place = place_of(topology, router);
    const auto [it, added] = index.try_emplace({place, router.location}, clusters.size());
    if (added) {
      clusters.push_back({place, router.location, {}});
    }
    clusters[it->second].routers.push_back(i);
  }
  return clusters;
}

enum class LinkStyle { Primary, Secondary, Other };

// The legs of a circuit: CE-MSEE, PE-MSEE and CE-PE access links. Gateway connections and
// Global Reach carry a leg too, but they are Microsoft's side and drawn as "other".
LinkStyle style_of(const Topology& topology, const Link& link) {
  const auto gateway = [&](topo::RouterId id) {
    const RouterRole role = topology.router(id).role;
    return role == RouterRole::Gateway || role == RouterRole::VpnGateway;
  };
  if (!link.circuit || link.path == PathRole::None || gateway(link.a) || gateway(link.b)) {
    return LinkStyle::Other;
  }
  return link.path == PathRole::Primary ? LinkStyle::Primary : LinkStyle::Secondary;
}

std::string dot_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string dot_quoted(std::string_view text) { return "\"" + dot_escaped(text) + "\""; }

std::string topology_dot(const Topology& topology) {
  const auto routers = topology.routers();

  // write_graphviz knows nothing of subgraphs, and boost::subgraph's writer would need a copy
  // of the graph with string attribute maps whose values it quotes without escaping
  // backslashes. So the graph property writer, which runs before any vertex is written, opens
  // each cluster and names its members; DOT keeps a node in the first subgraph that mentions
  // it, and the vertex lines Boost writes after the clusters give the nodes their labels.
  const auto graph_writer = [&](std::ostream& out) {
    out << "label=" << dot_quoted(topology.name()) << ";\n"
        << "labelloc=t;\n"
        << "node [shape=box];\n";
    for (const Cluster& cluster : clusters_of(topology)) {
      const std::string id =
          "cluster_" + std::string(place_id(cluster.place)) + "_" + cluster.location;
      out << "subgraph " << dot_quoted(id) << " {\n"
          << "  label=" << dot_quoted(std::string(place_label(cluster.place)) + cluster.location)
          << ";\n";
      for (const std::size_t router : cluster.routers) {
        out << "  " << router << ";\n";
      }
      out << "}\n";
    }
  };
  const auto vertex_writer = [&](std::ostream& out, std::size_t vertex) {
    const Router& router = routers[vertex];
    out << "[label=\"" << dot_escaped(router.name) << "\\n"
        << dot_escaped(topo::to_string(router.role)) << " AS " << router.asn << "\"]";
  };
  const auto edge_writer = [&](std::ostream& out, const auto& edge) {
    const Link& link = topology.link(topology.graph()[edge]);
    const bool silent = link.failure == FailureMode::Silent;
    out << "[label=" << dot_quoted(silent ? link.name + " (silent)" : link.name);
    switch (style_of(topology, link)) {
      case LinkStyle::Primary:
        out << ", style=solid";
        break;
      case LinkStyle::Secondary:
        out << ", style=dashed";
        break;
      case LinkStyle::Other:
        out << ", style=dotted";
        if (!silent) {
          out << ", color=gray40";
        }
        break;
    }
    if (silent) {
      out << ", color=darkorange, fontcolor=darkorange";
    }
    out << "]";
  };

  std::ostringstream out;
  out.imbue(std::locale::classic());
  boost::write_graphviz(out, topology.graph(), vertex_writer, edge_writer, graph_writer);
  return out.str();
}

}  // namespace ersim::report
