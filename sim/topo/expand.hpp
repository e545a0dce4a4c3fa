// Expands a Design in the ExpressRoute vocabulary into a sealed Topology of routers, links and
// sessions, with the defaults of ExpressRoute (AS 12076 on the MSEEs, 60 s / 180 s timers, BFD
// 300 ms x 3, the first usable address of each /30 on the customer side, the second on
// Microsoft's) and the derived shared-risk groups (peering location, metro, provider, CE device).
//   Topology t = expand(design);   t.link_id("er-ams.primary");
#pragma once

#include "sim/topo/design.hpp"
#include "sim/topo/topology.hpp"

namespace ersim::topo {

/// Precondition: the design is valid (the loader checks every reference and value first).
Topology expand(const Design& design);

/// Names of the expanded elements, so tests, scenarios and reports agree on them.
std::string circuit_link_name(std::string_view circuit, PathRole leg);
std::string peering_session_name(std::string_view circuit, PeeringKind kind, PathRole leg);
std::string peering_vrf_name(std::string_view circuit, PeeringKind kind);

}  // namespace ersim::topo
