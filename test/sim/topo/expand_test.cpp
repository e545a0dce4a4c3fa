// The example designs expand into the routers, links, sessions and shared-risk groups that
// ExpressRoute's documentation describes.
#include "sim/topo/expand.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/io/topology_yaml.hpp"

namespace ersim::topo {
namespace {

Topology load(const std::string& name) {
  return io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name);
}

std::string example_text(const std::string& name) {
  std::ifstream in(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "test bug: '" << from << "' not in the design";
  if (at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

const Router& router(const Topology& t, std::string_view name) {
  const auto id = t.router_id(name);
  EXPECT_TRUE(id.has_value()) << name;
  return t.router(id.value_or(RouterId{}));
}

const Link& link(const Topology& t, std::string_view name) {
  const auto id = t.link_id(name);
  EXPECT_TRUE(id.has_value()) << name;
  return t.link(id.value_or(LinkId{}));
}

const Session& session(const Topology& t, std::string_view name) {
  const auto id = t.session_id(name);
  EXPECT_TRUE(id.has_value()) << name;
  return t.session(id.value_or(SessionId{}));
}

bool in_srlg(const Topology& t, std::string_view group, std::string_view link_name) {
  const auto g = t.srlg_id(group);
  const auto l = t.link_id(link_name);
  if (!g || !l) {
    return false;
  }
  const auto& links = t.srlg(*g).links;
  return std::find(links.begin(), links.end(), *l) != links.end();
}

TEST(Expand, EveryExampleTopologyLoads) {
  int loaded = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(ERSIM_SOURCE_DIR) + "/topologies")) {
    if (entry.path().extension() == ".yaml") {
      EXPECT_NO_THROW(io::load_topology(entry.path().string())) << entry.path();
      ++loaded;
    }
  }
  EXPECT_GE(loaded, 8);
}

TEST(Expand, StandardCircuitBecomesTwoLegsToTwoMsees) {
  const Topology t = load("standard.yaml");
  EXPECT_EQ(t.name(), "standard");
  EXPECT_EQ(t.routers().size(), 5U);  // two CEs, two MSEEs, the gateway
  const Router& msee1 = router(t, "amsterdam-msee1");
  EXPECT_EQ(msee1.role, RouterRole::Msee);
  EXPECT_EQ(msee1.asn, kMicrosoftAsn);
  EXPECT_EQ(msee1.timers, (BgpTimers{60s, 180s}));
  EXPECT_EQ(msee1.bfd, (BfdSettings{true, 300ms, 3}));
  EXPECT_EQ(router(t, "hub-gw").asn, kGatewayAsn);

  const Link& primary = link(t, "er-ams.primary");
  EXPECT_EQ(t.router(primary.a).name, "ams-ce1");
  EXPECT_EQ(t.router(primary.b).name, "amsterdam-msee1");
  EXPECT_EQ(primary.failure, FailureMode::Silent);  // layer 2 provider path
  EXPECT_EQ(primary.latency, 2ms);
  EXPECT_EQ(primary.capacity_bps, 1'000'000'000U);
  EXPECT_EQ(primary.path, PathRole::Primary);
  EXPECT_EQ(t.router(link(t, "er-ams.secondary").b).name, "amsterdam-msee2");

  // First /30 primary, second secondary; customer the first usable address, Microsoft the next.
  const Session& s1 = session(t, "er-ams.private.primary");
  EXPECT_EQ(s1.a.address.to_string(), "192.168.10.1");
  EXPECT_EQ(s1.b.address.to_string(), "192.168.10.2");
  EXPECT_EQ(s1.b.vrf, "er-ams.private");
  EXPECT_EQ(s1.b.policy.max_prefix, 4000U);
  EXPECT_EQ(s1.a.advertise.size(), 1U);
  const Session& s2 = session(t, "er-ams.private.secondary");
  EXPECT_EQ(s2.a.address.to_string(), "192.168.10.5");
  EXPECT_EQ(s2.b.address.to_string(), "192.168.10.6");

  const Circuit& c = t.circuit(*t.circuit_id("er-ams"));
  ASSERT_EQ(c.peerings.size(), 1U);
  EXPECT_EQ(t.session(c.peerings[0].primary).name, "er-ams.private.primary");
  EXPECT_FALSE(c.metro());

  // The gateway reaches both MSEEs in the circuit's private routing instance.
  EXPECT_EQ(session(t, "hub-gw.er-ams.primary").b.vrf, "er-ams.private");
  EXPECT_EQ(t.vnets()[0].connections.size(), 1U);
  EXPECT_EQ(boost::num_vertices(t.graph()), t.routers().size());
  EXPECT_EQ(boost::num_edges(t.graph()), t.links().size());
}

TEST(Expand, DerivedSharedRiskGroups) {
  const Topology t = load("maximum.yaml");
  EXPECT_TRUE(in_srlg(t, "location:amsterdam", "er-ams.primary"));
  EXPECT_TRUE(in_srlg(t, "location:amsterdam", "er-ams.secondary"));
  EXPECT_FALSE(in_srlg(t, "location:amsterdam", "er-lon.primary"));
  EXPECT_TRUE(in_srlg(t, "provider:colt", "er-lon.secondary"));
  EXPECT_TRUE(in_srlg(t, "ams-conduit-north", "er-ams.primary"));
  EXPECT_TRUE(in_srlg(t, "ams-conduit-north", "er-ams.secondary"));
  const Srlg& ce = t.srlg(*t.srlg_id("ce:ams-ce1"));
  EXPECT_EQ(ce.kind, SrlgKind::CeDevice);
  ASSERT_EQ(ce.routers.size(), 1U);
  EXPECT_EQ(t.router(ce.routers[0]).name, "ams-ce1");
  const Srlg& location = t.srlg(*t.srlg_id("location:london"));
  EXPECT_EQ(location.routers.size(), 2U);  // both MSEEs
  // Premium raises the private-peering limit to 10,000.
  EXPECT_EQ(session(t, "er-lon.private.primary").b.policy.max_prefix, 10000U);
  EXPECT_EQ(session(t, "wan-1-ibgp").a.address.to_string(), "172.16.0.1");
}

TEST(Expand, MetroCircuitSpansTwoLocations) {
  const Topology t = load("high.yaml");
  const Circuit& c = t.circuit(*t.circuit_id("er-ams-metro"));
  EXPECT_TRUE(c.metro());
  EXPECT_EQ(t.router(c.msee_primary).location, "amsterdam");
  EXPECT_EQ(t.router(c.msee_secondary).location, "amsterdam2");
  EXPECT_TRUE(in_srlg(t, "location:amsterdam", "er-ams-metro.primary"));
  EXPECT_TRUE(in_srlg(t, "location:amsterdam2", "er-ams-metro.secondary"));
  EXPECT_TRUE(in_srlg(t, "metro:amsterdam-metro", "er-ams-metro.primary"));
  EXPECT_TRUE(in_srlg(t, "metro:amsterdam-metro", "er-ams-metro.secondary"));
}

TEST(Expand, LayerThreeProviderRunsTheMseeSessions) {
  const Topology t = load("layer3-provider.yaml");
  const Router& pe = router(t, "er-mad.primary.pe");
  EXPECT_EQ(pe.role, RouterRole::Pe);
  EXPECT_EQ(pe.asn, 64512U);
  const Session& msee_side = session(t, "er-mad.private.primary");
  EXPECT_EQ(t.router(msee_side.a.router).name, "er-mad.primary.pe");
  EXPECT_EQ(t.router(msee_side.b.router).name, "madrid-msee1");
  const Session& access = session(t, "er-mad.private.primary.access");
  EXPECT_EQ(t.router(access.a.router).name, "mad-ce1");
  EXPECT_EQ(access.a.advertise.size(), 1U);
  EXPECT_EQ(link(t, "er-mad.primary.access").failure, FailureMode::Carrier);
  EXPECT_TRUE(in_srlg(t, "provider:ipvpn", "er-mad.primary.access"));
}

TEST(Expand, MicrosoftPeeringHasItsOwnInstanceAndLimit) {
  const Topology t = load("microsoft-peering.yaml");
  const Session& s = session(t, "er-ber.microsoft.secondary");
  EXPECT_EQ(s.b.vrf, "er-ber.microsoft");
  EXPECT_EQ(s.b.policy.max_prefix, 200U);
  EXPECT_EQ(s.a.address.to_string(), "203.0.113.5");
  // Both peerings share the circuit's two links.
  EXPECT_EQ(s.link, session(t, "er-ber.private.secondary").link);
  const Circuit& c = t.circuit(*t.circuit_id("er-ber"));
  ASSERT_EQ(c.peerings.size(), 2U);
  EXPECT_EQ(c.peerings[1].route_filter.size(), 2U);
  EXPECT_EQ(c.peerings[1].nat_pool.size(), 1U);
}

TEST(Expand, GlobalReachJoinsTheCircuitsMsees) {
  const Topology t = load("global-reach.yaml");
  const Session& s = session(t, "global-reach.er-nyc.er-chi.primary");
  EXPECT_EQ(t.router(s.a.router).name, "new-york-msee1");
  EXPECT_EQ(t.router(s.b.router).name, "chicago-msee1");
  EXPECT_EQ(s.a.vrf, "er-nyc.private");
  EXPECT_EQ(s.b.vrf, "er-chi.private");
  EXPECT_EQ(s.a.address.to_string(), "192.168.51.1");
  EXPECT_EQ(session(t, "global-reach.er-nyc.er-chi.secondary").a.address.to_string(),
            "192.168.51.5");
}

TEST(Expand, VpnBackupIsASilentInternetTunnel) {
  const Topology t = load("maximum-vpn.yaml");
  const Router& vpn = router(t, "hub-gw-vpn");
  EXPECT_EQ(vpn.role, RouterRole::VpnGateway);
  const Link& tunnel = link(t, "hub-gw-vpn.par-ce1");
  EXPECT_EQ(tunnel.failure, FailureMode::Silent);
  EXPECT_EQ(tunnel.latency, 15ms);
  EXPECT_EQ(t.vnets()[0].vpn_sessions.size(), 1U);
  EXPECT_EQ(t.vnets()[0].connections[0].weight, 10U);
}

TEST(Expand, CustomerRoutersCarryTheirProfileAndMseesTheRfcDefaults) {
  const Topology plain = load("standard.yaml");
  for (const Router& r : plain.routers()) {
    EXPECT_EQ(r.profile, ImplementationProfile{}) << r.name;
  }
  std::string yaml =
      replaced(example_text("standard.yaml"), "hold: 180s}", "hold: 180s, jitter: with-hold}");
  yaml = replaced(yaml, "multiplier: 3}", "multiplier: 3, jitter: 75-90}");
  yaml = replaced(yaml, "router_id: 10.1.255.2}", "router_id: 10.1.255.2, bgp: {jitter: none}}");
  const Topology t = expand(io::read_design(io::load_yaml_string("standard.yaml", yaml)));
  EXPECT_EQ(router(t, "ams-ce1").profile,
            (ImplementationProfile{BgpJitter::WithHold, BfdJitter{75, 90}}));
  EXPECT_EQ(router(t, "ams-ce2").profile,
            (ImplementationProfile{BgpJitter::None, BfdJitter{75, 90}}));
  // Microsoft's devices keep their fixed settings, whatever the customer's defaults say.
  for (const char* name : {"amsterdam-msee1", "amsterdam-msee2", "hub-gw"}) {
    EXPECT_EQ(router(t, name).profile, ImplementationProfile{}) << name;
  }
}

TEST(Expand, OneRouterOnBothLegsStillGetsTwoLinks) {
  const Topology t = load("flawed.yaml");
  EXPECT_EQ(t.router(link(t, "er-fra.primary").a).name, "branch-ce1");
  EXPECT_EQ(t.router(link(t, "er-fra.secondary").a).name, "branch-ce1");
  EXPECT_FALSE(router(t, "branch-ce1").bfd.enabled);
}

}  // namespace
}  // namespace ersim::topo
