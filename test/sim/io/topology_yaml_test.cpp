// Every kind of bad topology input gets its message at the line and column of the mistake.
#include "sim/io/topology_yaml.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "test/sim/io/position_of.hpp"

namespace ersim::io {
namespace {

using testing::position_of;

// A small valid design; tests replace one piece of it.
constexpr const char* kValid = R"(defaults:
  latency: 1ms
sites:
  - name: s1
    prefixes: [10.1.0.0/16]
    routers:
      - {name: ce1, asn: 65001, router_id: 10.1.255.1}
      - {name: ce2, asn: 65001, router_id: 10.1.255.2}
providers:
  - {name: p, kind: layer2}
locations:
  - {name: loc, metro: m}
  - {name: loc2, metro: m2}
circuits:
  - name: c1
    location: loc
    provider: p
    bandwidth: 1Gbps
    peerings:
      private:
        vlan: 100
        peer_asn: 65001
        subnet: 192.168.0.0/29
        primary: {router: ce1}
        secondary: {router: ce2}
vnets:
  - name: v
    prefixes: [10.100.0.0/16]
    gateway: {name: gw}
    connections:
      - {circuit: c1, weight: 10}
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "test bug: '" << from << "' not in the design";
  if (at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Loads `yaml` and expects a ConfigError with `message` at the position of `at`.
void expect_error(const std::string& yaml, const std::string& at, const std::string& message) {
  try {
    read_design(load_yaml_string("t.yaml", yaml));
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const ConfigError& e) {
    const auto [line, column] = position_of(yaml, at);
    EXPECT_EQ(e.message(), message);
    EXPECT_EQ(e.file(), "t.yaml");
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_EQ(e.column(), column) << e.what();
  }
}

TEST(TopologyYaml, ValidDesignLoads) {
  const topo::Design d = read_design(load_yaml_string("small.yaml", kValid));
  EXPECT_EQ(d.name, "small");
  ASSERT_EQ(d.circuits.size(), 1U);
  EXPECT_EQ(d.circuits[0].msee_primary, "loc-msee1");
  EXPECT_EQ(d.circuits[0].msee_secondary, "loc-msee2");
  EXPECT_EQ(d.circuits[0].bandwidth_bps, 1'000'000'000U);
  ASSERT_EQ(d.circuits[0].peerings.size(), 1U);
  EXPECT_EQ(d.circuits[0].peerings[0].primary_subnet.to_string(), "192.168.0.0/30");
  EXPECT_EQ(d.circuits[0].peerings[0].secondary_subnet.to_string(), "192.168.0.4/30");
  EXPECT_EQ(d.circuits[0].peerings[0].primary.failure, topo::FailureMode::Silent);
  EXPECT_EQ(d.vnets[0].connections[0].weight, 10U);
  EXPECT_TRUE(d.vnets[0].zone_redundant);  // the default SKU, ErGw1AZ
}

TEST(TopologyYaml, SyntaxErrorIsReportedAtItsPlace) {
  const std::string yaml = replaced(kValid, "prefixes: [10.1.0.0/16]", "prefixes: [10.1.0.0/16");
  try {
    read_design(load_yaml_string("t.yaml", yaml));
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "t.yaml");
    EXPECT_GE(e.line(), 5);
  }
}

TEST(TopologyYaml, UnknownKeySuggestsTheClosestKnownKey) {
  expect_error(replaced(kValid, "    provider: p\n", "    provider: p\n    skew: premium\n"),
               "skew", "unknown key 'skew' in circuit 'c1' (did you mean 'sku'?)");
}

TEST(TopologyYaml, UnknownTopLevelKeyIsReportedFirst) {
  expect_error(replaced(kValid, "vnets:", "vnetz:"), "vnetz",
               "unknown key 'vnetz' in topology (did you mean 'vnets'?)");
}

TEST(TopologyYaml, MisspeltRequiredKeyIsReportedAsTheTypo) {
  expect_error(replaced(kValid, "bandwidth: 1Gbps", "bandwith: 1Gbps"), "bandwith",
               "unknown key 'bandwith' in circuit 'c1' (did you mean 'bandwidth'?)");
}

TEST(TopologyYaml, MissingRequiredKey) {
  expect_error(replaced(kValid, "    bandwidth: 1Gbps\n", ""), "name: c1",
               "missing required key 'bandwidth' in circuit 'c1'");
}

TEST(TopologyYaml, DanglingRouter) {
  expect_error(replaced(kValid, "{router: ce2}", "{router: ce9}"), "ce9", "unknown router 'ce9'");
}

TEST(TopologyYaml, DanglingLocationProviderAndCircuit) {
  expect_error(replaced(kValid, "location: loc\n", "location: lok\n"), "lok",
               "unknown location 'lok'");
  expect_error(replaced(kValid, "provider: p\n", "provider: q\n"), "q\n", "unknown provider 'q'");
  expect_error(replaced(kValid, "{circuit: c1,", "{circuit: c2,"), "c2, weight",
               "unknown circuit 'c2'");
}

TEST(TopologyYaml, DuplicateName) {
  expect_error(replaced(kValid, "{name: ce2,", "{name: ce1,"),
               "ce1, asn: 65001, router_id: 10.1.255.2",
               "duplicate router name 'ce1' (first defined at 7:16)");
}

TEST(TopologyYaml, MalformedPrefix) {
  expect_error(replaced(kValid, "[10.1.0.0/16]", "[10.1.0.1/16]"), "10.1.0.1/16",
               "prefix '10.1.0.1/16' has host bits set (did you mean 10.1.0.0/16?)");
}

TEST(TopologyYaml, OverlappingPrefixes) {
  expect_error(replaced(kValid, "[10.100.0.0/16]", "[10.1.128.0/17]"), "10.1.128.0/17",
               "prefix 10.1.128.0/17 of vnet 'v' overlaps 10.1.0.0/16 of site 's1' (at 5:16)");
}

TEST(TopologyYaml, SubnetMustBeSlash29OrTwoSlash30) {
  expect_error(replaced(kValid, "192.168.0.0/29", "192.168.0.0/28"), "192.168.0.0/28",
               "subnet 192.168.0.0/28 must be a /29 (or give two /30s as subnets)");
  expect_error(
      replaced(kValid, "subnet: 192.168.0.0/29", "subnets: [192.168.0.0/30, 192.168.0.8/29]"),
      "192.168.0.8/29", "subnet 192.168.0.8/29 must be a /30");
  expect_error(replaced(kValid, "subnet: 192.168.0.0/29", "subnets: [192.168.0.0/30]"),
               "[192.168.0.0/30]",
               "subnets needs exactly two /30s: the primary's, then the secondary's");
}

TEST(TopologyYaml, OverlappingPeeringSubnets) {
  expect_error(
      replaced(kValid, "subnet: 192.168.0.0/29", "subnets: [192.168.0.0/30, 192.168.0.0/30]"),
      "192.168.0.0/30]",
      "subnet 192.168.0.0/30 of private peering of circuit 'c1' overlaps 192.168.0.0/30 of "
      "private peering of circuit 'c1' (at 23:19)");
}

TEST(TopologyYaml, AddressOutsideItsSubnet) {
  const std::string yaml = std::string(kValid) + R"(links:
  - {name: l1, a: ce1, b: ce2}
sessions:
  - name: s
    link: l1
    subnet: 172.16.0.0/30
    a: {router: ce1, address: 172.16.0.1}
    b: {router: ce2, address: 172.16.0.9}
)";
  expect_error(yaml, "172.16.0.9",
               "address 172.16.0.9 is outside the session's subnet 172.16.0.0/30");
}

TEST(TopologyYaml, ReservedAsnOnTheCustomerSide) {
  expect_error(replaced(kValid, "{name: ce2, asn: 65001", "{name: ce2, asn: 65517"), "65517",
               "asn 65517 is reserved by Azure (65515-65520); use another");
  expect_error(replaced(kValid, "peer_asn: 65001", "peer_asn: 12076"), "12076",
               "peer_asn 12076 is Microsoft's own AS");
}

TEST(TopologyYaml, DurationWithoutUnit) {
  expect_error(replaced(kValid, "latency: 1ms", "latency: 300"), "300",
               "duration '300' has no unit (use ns, us, ms, s, m or h)");
}

TEST(TopologyYaml, WeightOutOfRange) {
  expect_error(replaced(kValid, "weight: 10", "weight: 40000"), "40000",
               "weight 40000 is out of range 0..32000");
}

TEST(TopologyYaml, VlanCollisionOnOneCircuit) {
  const std::string yaml = replaced(kValid, "        secondary: {router: ce2}\n",
                                    "        secondary: {router: ce2}\n"
                                    "      microsoft:\n"
                                    "        vlan: 100\n"
                                    "        peer_asn: 65001\n"
                                    "        subnet: 203.0.113.0/29\n"
                                    "        primary: {router: ce1}\n"
                                    "        secondary: {router: ce2}\n");
  expect_error(yaml, "100\n        peer_asn: 65001\n        subnet: 203",
               "VLAN 100 is already used by the private peering of circuit 'c1'");
}

// kValid with a Microsoft peering whose last line is `qos: <qos>`.
std::string with_microsoft_qos(const std::string& qos) {
  return replaced(kValid, "        secondary: {router: ce2}\n",
                  "        secondary: {router: ce2}\n"
                  "      microsoft:\n"
                  "        vlan: 200\n"
                  "        peer_asn: 65001\n"
                  "        subnet: 203.0.113.0/29\n"
                  "        primary: {router: ce1}\n"
                  "        secondary: {router: ce2}\n"
                  "        qos: " +
                      qos + "\n");
}

TEST(TopologyYaml, QosMarkingsReadByNumberOrName) {
  const topo::Design d = read_design(
      load_yaml_string("t.yaml", with_microsoft_qos("{voice: EF, video: 34, other: CS0}")));
  const auto& qos = d.circuits.at(0).peerings.at(1).qos;
  ASSERT_TRUE(qos.has_value());
  EXPECT_EQ(*qos, (std::vector<topo::DscpMarking>{{topo::TrafficClass::Voice, 46},
                                                  {topo::TrafficClass::Video, 34},
                                                  {topo::TrafficClass::Other, 0}}));
}

TEST(TopologyYaml, QosMarkingThatIsNoDscp) {
  expect_error(with_microsoft_qos("{voice: AF51}"), "AF51",
               "'AF51' is not a DSCP for voice (a number 0..63, or EF, AF11..AF43, CS0..CS7)");
  expect_error(with_microsoft_qos("{video: 64}"), "64",
               "'64' is not a DSCP for video (a number 0..63, or EF, AF11..AF43, CS0..CS7)");
}

TEST(TopologyYaml, QosUnknownTrafficClass) {
  expect_error(with_microsoft_qos("{voice: EF, vidoe: AF41}"), "vidoe",
               "unknown key 'vidoe' in qos (did you mean 'video'?)");
}

TEST(TopologyYaml, QosOnlyOnMicrosoftPeering) {
  expect_error(replaced(kValid, "        secondary: {router: ce2}\n",
                        "        secondary: {router: ce2}\n        qos: {voice: EF}\n"),
               "qos",
               "unknown key 'qos' in private peering (expected one of: advertise, peer_asn, "
               "primary, secondary, subnet, subnets, vlan)");
}

TEST(TopologyYaml, PeerAsnMustMatchTheCustomerRouter) {
  expect_error(replaced(kValid, "peer_asn: 65001", "peer_asn: 65002"), "65002",
               "peer_asn 65002 is not the AS of router 'ce1' (65001)");
}

TEST(TopologyYaml, MetroLocationsMustShareAMetro) {
  expect_error(replaced(kValid, "location: loc\n", "locations: [loc, loc2]\n"), "[loc, loc2]",
               "the two locations of a Metro circuit must be different locations in one metro "
               "('loc' and 'loc2')");
}

TEST(TopologyYaml, MseeFromAnotherLocationIsImpossible) {
  expect_error(replaced(kValid, "    provider: p\n",
                        "    provider: p\n    msees: [loc-msee1, loc2-msee1]\n"),
               "loc2-msee1", "MSEE 'loc2-msee1' is at location 'loc2', not 'loc'");
}

TEST(TopologyYaml, LinkToItselfIsImpossible) {
  const std::string yaml =
      std::string(kValid) + "links:\n  - {name: l1, a: ce1, b: ce1, latency: 2ms}\n";
  expect_error(yaml, "ce1, latency", "link 'l1' joins router 'ce1' to itself");
}

TEST(TopologyYaml, UnknownWordListsTheChoices) {
  expect_error(replaced(kValid, "kind: layer2", "kind: layer4"), "layer4",
               "unknown provider kind 'layer4' (expected one of: layer2, layer3)");
}

TEST(TopologyYaml, BadBandwidth) {
  expect_error(replaced(kValid, "1Gbps", "1 gig"), "1 gig",
               "bandwidth '1 gig' is not a bandwidth (write 500Mbps, 1Gbps, 10Gbps)");
}

TEST(TopologyYaml, HoldTimeBelowThreeSeconds) {
  expect_error(replaced(kValid, "latency: 1ms\n", "latency: 1ms\n  bgp: {hold: 2s}\n"), "2s",
               "hold must be 0 or at least 3s (RFC 4271 section 4.2)");
}

TEST(TopologyYaml, ImplementationProfileDefaultsToTheRfcs) {
  const topo::Design d = read_design(load_yaml_string("t.yaml", kValid));
  EXPECT_EQ(d.defaults.profile, topo::ImplementationProfile{});
  for (const topo::RouterSpec& r : d.sites.at(0).routers) {
    EXPECT_EQ(r.profile.bgp_jitter, topo::BgpJitter::Rfc4271);
    EXPECT_EQ(r.profile.bfd_jitter, (topo::BfdJitter{75, 100}));
  }
}

TEST(TopologyYaml, JitterFromDefaultsOverriddenPerRouter) {
  std::string yaml = replaced(kValid, "latency: 1ms\n",
                              "latency: 1ms\n  bgp: {jitter: with-hold}\n  bfd: {jitter: 75-90}\n");
  yaml = replaced(yaml, "router_id: 10.1.255.2}",
                  "router_id: 10.1.255.2, bgp: {jitter: none}, bfd: {interval: 1s, jitter: "
                  "50-100}}");
  const topo::Design d = read_design(load_yaml_string("t.yaml", yaml));
  EXPECT_EQ(d.defaults.profile.bgp_jitter, topo::BgpJitter::WithHold);
  EXPECT_EQ(d.defaults.profile.bfd_jitter, (topo::BfdJitter{75, 90}));
  const topo::RouterSpec& ce1 = d.sites.at(0).routers.at(0);
  EXPECT_EQ(ce1.profile.bgp_jitter, topo::BgpJitter::WithHold);
  EXPECT_EQ(ce1.profile.bfd_jitter, (topo::BfdJitter{75, 90}));
  const topo::RouterSpec& ce2 = d.sites.at(0).routers.at(1);
  EXPECT_EQ(ce2.profile.bgp_jitter, topo::BgpJitter::None);
  EXPECT_EQ(ce2.profile.bfd_jitter, (topo::BfdJitter{50, 100}));
  EXPECT_EQ(ce2.bfd.interval, std::chrono::seconds(1));
  // The other keys of the block still inherit: jitter is one setting among them.
  EXPECT_EQ(ce2.timers, topo::BgpTimers{});
}

TEST(TopologyYaml, EveryBgpJitterWordIsRead) {
  for (const auto& [word, jitter] : {std::pair{"rfc4271", topo::BgpJitter::Rfc4271},
                                     std::pair{"with-hold", topo::BgpJitter::WithHold},
                                     std::pair{"none", topo::BgpJitter::None}}) {
    const topo::Design d = read_design(load_yaml_string(
        "t.yaml", replaced(kValid, "router_id: 10.1.255.1}",
                           std::string("router_id: 10.1.255.1, bgp: {jitter: ") + word + "}}")));
    EXPECT_EQ(d.sites.at(0).routers.at(0).profile.bgp_jitter, jitter) << word;
    EXPECT_EQ(topo::to_string(jitter), word);
  }
}

TEST(TopologyYaml, GenericRouterCarriesItsProfile) {
  const std::string yaml =
      std::string(kValid) +
      "routers:\n  - {name: h1, role: host, asn: 65010, router_id: 10.9.0.1, bgp: {jitter: none}, "
      "bfd: {jitter: 80-90}}\n";
  const topo::Design d = read_design(load_yaml_string("t.yaml", yaml));
  ASSERT_EQ(d.routers.size(), 1U);
  EXPECT_EQ(d.routers[0].router.profile,
            (topo::ImplementationProfile{topo::BgpJitter::None, topo::BfdJitter{80, 90}}));
}

// kValid with `bfd: <bfd>` on ce1.
std::string with_ce1_bfd(const std::string& bfd) {
  return replaced(kValid, "router_id: 10.1.255.1}", "router_id: 10.1.255.1, bfd: " + bfd + "}");
}

TEST(TopologyYaml, UnknownBgpJitterListsTheChoices) {
  expect_error(
      replaced(kValid, "router_id: 10.1.255.1}", "router_id: 10.1.255.1, bgp: {jitter: hold}}"),
      "hold}", "unknown bgp jitter 'hold' (expected one of: rfc4271, with-hold, none)");
}

TEST(TopologyYaml, BfdJitterThatIsNoRange) {
  for (const std::string_view bad :
       {"75", "75..100", "75-", "-90", "75-9o", "75 - 90", "0075-90", "75%-90%"}) {
    const std::string text(bad);
    expect_error(with_ce1_bfd("{jitter: \"" + text + "\"}"), "\"" + text,
                 "jitter '" + text + "' is not a range of percentages (write 75-100 or 75-90)");
  }
}

TEST(TopologyYaml, BfdJitterOutOfRange) {
  expect_error(with_ce1_bfd("{jitter: 40-100}"), "40-100",
               "jitter 40-100: each end must be within 50..100 (percent of the interval)");
  expect_error(with_ce1_bfd("{jitter: 75-110}"), "75-110",
               "jitter 75-110: each end must be within 50..100 (percent of the interval)");
  expect_error(with_ce1_bfd("{jitter: 90-75}"), "90-75",
               "jitter 90-75: the low end is above the high end");
}

TEST(TopologyYaml, BfdJitterAboveNinetyPercentWithMultiplierOne) {
  // RFC 5880 §6.8.7: with a Detect Mult of 1, no more than 90 % of the interval. The default
  // range adapts by itself; a written one must fit, wherever the two settings were written.
  EXPECT_NO_THROW(read_design(load_yaml_string("t.yaml", with_ce1_bfd("{multiplier: 1}"))));
  EXPECT_NO_THROW(
      read_design(load_yaml_string("t.yaml", with_ce1_bfd("{multiplier: 1, jitter: 75-90}"))));
  const std::string message =
      "jitter 75-100 goes above 90%, which a multiplier of 1 does not allow (RFC 5880 section "
      "6.8.7)";
  expect_error(with_ce1_bfd("{multiplier: 1, jitter: 75-100}"), "75-100", message);
  // The multiplier from the defaults, the range on the router.
  expect_error(replaced(with_ce1_bfd("{jitter: 80-95}"), "latency: 1ms\n",
                        "latency: 1ms\n  bfd: {multiplier: 1}\n"),
               "80-95",
               "jitter 80-95 goes above 90%, which a multiplier of 1 does not allow (RFC 5880 "
               "section 6.8.7)");
  // The range from the defaults, the multiplier on the router: the router's multiplier is wrong.
  expect_error(replaced(with_ce1_bfd("{multiplier: 1}"), "latency: 1ms\n",
                        "latency: 1ms\n  bfd: {jitter: 75-100}\n"),
               "1}}",
               "multiplier 1 allows a jitter up to 90% (RFC 5880 section 6.8.7), but the jitter "
               "75-100 at 3:17 goes above it");
  // Both in the defaults.
  expect_error(
      replaced(kValid, "latency: 1ms\n", "latency: 1ms\n  bfd: {multiplier: 1, jitter: 60-95}\n"),
      "60-95",
      "jitter 60-95 goes above 90%, which a multiplier of 1 does not allow (RFC 5880 "
      "section 6.8.7)");
}

TEST(TopologyYaml, BadNameCharacters) {
  expect_error(replaced(kValid, "name: c1", "name: c.1"), "c.1",
               "circuit name 'c.1' may hold only letters, digits, '-' and '_'");
}

TEST(TopologyYaml, ScalarWhereAListBelongs) {
  expect_error(replaced(kValid, "[10.1.0.0/16]", "10.1.0.0/16"), "10.1.0.0/16",
               "expected a list for prefixes, found '10.1.0.0/16'");
}

}  // namespace
}  // namespace ersim::io
