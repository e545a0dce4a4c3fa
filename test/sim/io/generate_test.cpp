// Generated topologies load, expand and pass the checklist, with the element counts their
// parameters promise, and the same parameters always give the same text.
#include "sim/io/generate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/io/topology_yaml.hpp"
#include "sim/topo/checklist.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::io {
namespace {

topo::Topology load(const GeneratorParams& params) {
  return topo::expand(read_design(load_yaml_string("gen.yaml", generate_topology_yaml(params))));
}

// The counts the header's contract implies, computed here independently of the generator.
struct Expected {
  std::uint64_t circuits = 0;
  std::uint64_t layer3 = 0;  // circuits with a layer 3 provider
  std::uint64_t metro = 0;
  std::uint64_t routers = 0;
  std::uint64_t links = 0;
  std::uint64_t sessions = 0;
};

Expected expected(const GeneratorParams& p) {
  Expected e;
  e.circuits = std::uint64_t{p.customers} * p.circuits_per_customer;
  const std::uint64_t providers = p.providers_layer2 + p.providers_layer3;
  for (std::uint64_t g = 0; g < e.circuits; ++g) {
    e.layer3 += g % providers >= p.providers_layer2 ? 1U : 0U;
    e.metro += p.metros > 0 && g % 4 == 3 ? 1U : 0U;
  }
  const std::uint64_t vnets = std::uint64_t{p.customers} * p.vnets_per_customer;
  const std::uint64_t connections = vnets * p.circuits_per_customer;
  // Two CEs per site, the MSEEs, one gateway per VNet, a provider edge per layer 3 leg.
  e.routers = std::uint64_t{p.customers} * p.sites_per_customer * 2 +
              std::uint64_t{p.peering_locations} * p.msee_pairs_per_location * 2 + vnets +
              2 * e.layer3;
  // A link per leg (layer 3: access and PE-MSEE), two per connection; a session on each.
  e.links = 2 * e.circuits + 2 * e.layer3 + 2 * connections;
  e.sessions = e.links;
  return e;
}

std::vector<GeneratorParams> parameter_sets() {
  GeneratorParams layer2_only;
  layer2_only.customers = 5;
  layer2_only.providers_layer3 = 0;
  layer2_only.metros = 0;

  GeneratorParams layer3_metro;
  layer3_metro.customers = 7;
  layer3_metro.circuits_per_customer = 3;
  layer3_metro.peering_locations = 6;
  layer3_metro.metros = 3;
  layer3_metro.providers_layer2 = 1;
  layer3_metro.providers_layer3 = 2;

  GeneratorParams wide;
  wide.customers = 11;
  wide.sites_per_customer = 3;
  wide.circuits_per_customer = 4;
  wide.peering_locations = 5;
  wide.metros = 2;
  wide.msee_pairs_per_location = 3;
  wide.providers_layer2 = 3;
  wide.providers_layer3 = 1;
  wide.prefixes_per_site = 20;
  wide.vnets_per_customer = 2;
  wide.seed = 99;

  GeneratorParams no_vnets;
  no_vnets.customers = 3;
  no_vnets.vnets_per_customer = 0;

  return {GeneratorParams{}, layer2_only, layer3_metro, wide, no_vnets};
}

TEST(Generate, ParameterSetsLoadWithPromisedCounts) {
  for (const GeneratorParams& p : parameter_sets()) {
    SCOPED_TRACE(::testing::Message() << "customers " << p.customers << ", seed " << p.seed);
    const topo::Topology t = load(p);
    const Expected e = expected(p);
    EXPECT_EQ(t.circuits().size(), e.circuits);
    EXPECT_EQ(t.routers().size(), e.routers);
    EXPECT_EQ(t.links().size(), e.links);
    EXPECT_EQ(t.sessions().size(), e.sessions);
    EXPECT_EQ(t.sites().size(), std::uint64_t{p.customers} * p.sites_per_customer);
    EXPECT_EQ(t.vnets().size(), std::uint64_t{p.customers} * p.vnets_per_customer);

    std::uint64_t metro = 0;
    std::uint64_t pe = 0;
    for (const topo::Circuit& c : t.circuits()) {
      metro += c.metro() ? 1U : 0U;
    }
    for (const topo::Router& r : t.routers()) {
      pe += r.role == topo::RouterRole::Pe ? 1U : 0U;
    }
    EXPECT_EQ(metro, e.metro);
    EXPECT_EQ(pe, 2 * e.layer3);
    for (const topo::Site& s : t.sites()) {
      EXPECT_EQ(s.prefixes.size(), p.prefixes_per_site);
      EXPECT_EQ(s.routers.size(), 2U);
    }
  }
}

TEST(Generate, LayerThreeAndMetroParamsProduceBoth) {
  // Guards the counting test above against parameter sets that never exercise these paths.
  const Expected e = expected(parameter_sets()[2]);
  EXPECT_GT(e.layer3, 0U);
  EXPECT_LT(e.layer3, e.circuits);
  EXPECT_GT(e.metro, 0U);
}

TEST(Generate, ManyCircuitsShareFewMseePairs) {
  GeneratorParams p;
  p.customers = 20;
  p.peering_locations = 2;
  p.metros = 0;
  p.msee_pairs_per_location = 2;
  const topo::Topology t = load(p);
  std::set<std::uint32_t> msees;  // router ids' values
  for (const topo::Circuit& c : t.circuits()) {
    msees.insert(c.msee_primary.value);
    msees.insert(c.msee_secondary.value);
    EXPECT_NE(c.msee_primary, c.msee_secondary);
  }
  EXPECT_EQ(t.circuits().size(), 40U);
  EXPECT_LE(msees.size(), 8U);
  EXPECT_GE(msees.size(), 4U);  // both locations used
}

TEST(Generate, CustomerCircuitsReachDifferentLocations) {
  GeneratorParams p;
  p.customers = 4;
  p.circuits_per_customer = 2;
  p.peering_locations = 3;
  p.metros = 0;
  const topo::Topology t = load(p);
  for (std::size_t i = 0; i + 1 < t.circuits().size(); i += 2) {
    EXPECT_NE(t.circuits()[i].locations, t.circuits()[i + 1].locations) << t.circuits()[i].name;
  }
}

TEST(Generate, GeneratedDesignsHaveNoChecklistErrors) {
  for (const GeneratorParams& p : parameter_sets()) {
    SCOPED_TRACE(::testing::Message() << "customers " << p.customers << ", seed " << p.seed);
    const topo::ChecklistReport report = topo::run_checklist(load(p));
    EXPECT_EQ(report.count(topo::Severity::Error), 0U);
    for (const topo::Finding& f : report.findings) {
      EXPECT_NE(f.severity, topo::Severity::Error) << f.rule << ": " << f.message;
    }
    // Every VNet is connected, so none is reported unconnected.
    EXPECT_EQ(std::count_if(report.resiliency.begin(), report.resiliency.end(),
                            [](const topo::VNetResiliency& r) {
                              return r.model == topo::ResiliencyModel::Unconnected;
                            }),
              0);
  }
}

TEST(Generate, SameParamsTwiceGiveIdenticalText) {
  for (const GeneratorParams& p : parameter_sets()) {
    EXPECT_EQ(generate_topology_yaml(p), generate_topology_yaml(p));
  }
}

TEST(Generate, OtherSeedGivesOtherText) {
  GeneratorParams a;
  a.customers = 10;
  a.msee_pairs_per_location = 4;
  GeneratorParams b = a;
  b.seed = a.seed + 1;
  EXPECT_NE(generate_topology_yaml(a), generate_topology_yaml(b));
}

TEST(Generate, PrefixesBeyondSlash24PoolUseLongerPrefixes) {
  // 68,000 site prefixes exceed the 65,536 /24s of 10.0.0.0/8: they become /25s, still unique
  // and non-overlapping (read_design rejects overlaps).
  GeneratorParams p;
  p.customers = 17;
  p.prefixes_per_site = 4000;
  p.metros = 0;
  const topo::Topology t = load(p);
  std::uint64_t prefixes = 0;
  for (const topo::Site& s : t.sites()) {
    prefixes += s.prefixes.size();
    for (const Ipv4Prefix& prefix : s.prefixes) {
      EXPECT_EQ(prefix.length(), 25);
    }
  }
  EXPECT_EQ(prefixes, 68'000U);
  EXPECT_EQ(topo::run_checklist(t).count(topo::Severity::Error), 0U);
}

TEST(Generate, TooManyMetrosThrows) {
  GeneratorParams p;
  p.peering_locations = 3;
  p.metros = 2;
  EXPECT_THROW((void)generate_topology_yaml(p), std::invalid_argument);
  p.metros = 1;
  EXPECT_NO_THROW((void)generate_topology_yaml(p));
}

TEST(Generate, CircuitsBeyondPeeringPoolThrow) {
  GeneratorParams p;
  p.customers = kMaxCircuits / 2 + 1;
  p.circuits_per_customer = 2;
  EXPECT_THROW((void)generate_topology_yaml(p), std::invalid_argument);
}

TEST(Generate, NoProvidersThrows) {
  GeneratorParams p;
  p.providers_layer2 = 0;
  p.providers_layer3 = 0;
  EXPECT_THROW((void)generate_topology_yaml(p), std::invalid_argument);
}

}  // namespace
}  // namespace ersim::io
