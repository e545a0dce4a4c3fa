// A Graphviz picture of a design: routers as boxes grouped into clusters by where they stand
// (site, peering location, VNet, provider), links as edges styled by their leg.
//   const std::string dot = report::topology_dot(io::load_topology("topologies/standard.yaml"));
//   std::ofstream("standard.dot") << dot;   // then: dot -Tsvg standard.dot > standard.svg
#pragma once

#include <string>
#include <string_view>

#include "sim/topo/topology.hpp"

namespace ersim::report {

/// DOT text (an undirected `graph`) of the topology. Vertices are the routers, identified by their
/// index and labelled "name", "role AS n"; each router with a location sits in a cluster
/// `cluster_<kind>_<location>` (kind: site, location, vnet, provider). Edges are the links,
/// labelled with the link name: the primary leg of a circuit solid, the secondary dashed, every
/// other link (gateway connection, Global Reach, VPN, generic) dotted grey; a link whose failure
/// is silent carries " (silent)" in its label and is drawn orange. The same topology gives the
/// same text, byte for byte.
std::string topology_dot(const topo::Topology& topology);

/// `text` as a double-quoted DOT string: backslashes and quotes escaped, line breaks as `\n`.
std::string dot_quoted(std::string_view text);

}  // namespace ersim::report
