// The ExpressRoute checklist finds what an architect would flag, and nothing on a sound design.
#include "sim/topo/checklist.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sim/io/topology_yaml.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::topo {
namespace {

ChecklistReport check_example(const std::string& name) {
  return run_checklist(io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name));
}

ChecklistReport check_yaml(const std::string& yaml) {
  return run_checklist(expand(io::read_design(io::load_yaml_string("t.yaml", yaml))));
}

std::vector<std::string> rules(const ChecklistReport& r, Severity severity) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) {
    if (f.severity == severity) {
      out.push_back(f.rule);
    }
  }
  return out;
}

// The first finding of a rule, about `object` when one is given.
const Finding* find_rule(const ChecklistReport& r, std::string_view rule,
                         std::string_view object = "") {
  const auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
    return f.rule == rule && (object.empty() || f.object == object);
  });
  return it == r.findings.end() ? nullptr : &*it;
}

// Two circuits at two locations, each site router on its own leg; placeholders for policies.
std::string two_circuits(const std::string& ams_policy, const std::string& lon_policy,
                         int ams_weight, int lon_weight) {
  return R"(sites:
  - name: s
    prefixes: [10.1.0.0/16]
    routers:
      - {name: ce1, asn: 65001, router_id: 10.1.255.1}
      - {name: ce2, asn: 65001, router_id: 10.1.255.2}
providers:
  - {name: p, kind: layer2}
locations:
  - {name: ams}
  - {name: lon}
circuits:
  - name: er-ams
    location: ams
    provider: p
    bandwidth: 1Gbps
    peerings:
      private:
        vlan: 100
        peer_asn: 65001
        subnet: 192.168.0.0/29
        primary: {router: ce1, policy: {)" +
         ams_policy + R"(}}
        secondary: {router: ce2, policy: {)" +
         ams_policy + R"(}}
  - name: er-lon
    location: lon
    provider: p
    bandwidth: 1Gbps
    peerings:
      private:
        vlan: 100
        peer_asn: 65001
        subnet: 192.168.0.8/29
        primary: {router: ce1, policy: {)" +
         lon_policy + R"(}}
        secondary: {router: ce2, policy: {)" +
         lon_policy + R"(}}
vnets:
  - name: v
    prefixes: [10.100.0.0/16]
    gateway: {name: gw}
    connections:
      - {circuit: er-ams, weight: )" +
         std::to_string(ams_weight) + R"(}
      - {circuit: er-lon, weight: )" +
         std::to_string(lon_weight) + R"(}
)";
}

// One circuit whose private peering advertises `count` /24s.
std::string one_circuit_advertising(int count, const std::string& sku) {
  std::string prefixes;
  for (int i = 0; i < count; ++i) {
    prefixes += (i == 0 ? "" : ", ") + fmt::format("10.{}.{}.0/24", i / 256, i % 256);
  }
  return R"(sites:
  - name: s
    prefixes: [10.0.0.0/8]
    routers:
      - {name: ce1, asn: 65001, router_id: 10.1.255.1}
      - {name: ce2, asn: 65001, router_id: 10.1.255.2}
providers:
  - {name: p, kind: layer2}
locations:
  - {name: ams}
circuits:
  - name: c
    location: ams
    provider: p
    bandwidth: 1Gbps
    sku: )" +
         sku + R"(
    peerings:
      private:
        vlan: 100
        peer_asn: 65001
        subnet: 192.168.0.0/29
        primary: {router: ce1}
        secondary: {router: ce2}
        advertise: [)" +
         prefixes + R"(]
)";
}

TEST(Checklist, FlawedDesignFailsWithItsErrors) {
  const ChecklistReport r = check_example("flawed.yaml");
  EXPECT_EQ(rules(r, Severity::Error),
            (std::vector<std::string>{"redundant-ce", "redundant-ce", "microsoft-public",
                                      "microsoft-public", "microsoft-public", "microsoft-public"}));
  EXPECT_EQ(rules(r, Severity::Warning),
            (std::vector<std::string>{"microsoft-route-filter", "microsoft-asn", "qos", "bfd",
                                      "resiliency", "zone-redundancy"}));
  const Finding* ce = find_rule(r, "redundant-ce");
  ASSERT_NE(ce, nullptr);
  EXPECT_EQ(ce->object, "er-fra");
  EXPECT_EQ(ce->message,
            "the primary and secondary links of the private peering of circuit 'er-fra' end on "
            "one router, 'branch-ce1': it is a single point of failure");
  const Finding* bfd = find_rule(r, "bfd");
  ASSERT_NE(bfd, nullptr);
  EXPECT_NE(bfd->message.find("up to 3m later"), std::string::npos) << bfd->message;
  ASSERT_EQ(r.resiliency.size(), 1U);
  EXPECT_EQ(r.resiliency[0].model, ResiliencyModel::Standard);
}

TEST(Checklist, StandardDesignIsWarnedAboutItsOneLocation) {
  const ChecklistReport r = check_example("standard.yaml");
  EXPECT_EQ(r.count(Severity::Error), 0U);
  EXPECT_EQ(rules(r, Severity::Warning), std::vector<std::string>{"resiliency"});
  EXPECT_EQ(r.resiliency.at(0).model, ResiliencyModel::Standard);
  EXPECT_EQ(r.resiliency.at(0).locations, std::vector<std::string>{"amsterdam"});
}

TEST(Checklist, MaximumAndHighDesignsPass) {
  const ChecklistReport maximum = check_example("maximum.yaml");
  EXPECT_EQ(maximum.count(Severity::Error), 0U);
  EXPECT_EQ(maximum.count(Severity::Warning), 0U);
  EXPECT_EQ(maximum.resiliency.at(0).model, ResiliencyModel::Maximum);
  const ChecklistReport high = check_example("high.yaml");
  EXPECT_EQ(high.count(Severity::Warning), 0U);
  EXPECT_EQ(high.resiliency.at(0).model, ResiliencyModel::High);
  EXPECT_EQ(high.resiliency.at(0).locations, (std::vector<std::string>{"amsterdam", "amsterdam2"}));
}

TEST(Checklist, EveryExampleButTheFlawedOneHasNoError) {
  for (const char* name : {"standard.yaml", "high.yaml", "maximum.yaml", "maximum-vpn.yaml",
                           "global-reach.yaml", "microsoft-peering.yaml", "layer3-provider.yaml"}) {
    EXPECT_EQ(check_example(name).count(Severity::Error), 0U) << name;
  }
  EXPECT_NE(find_rule(check_example("maximum-vpn.yaml"), "vpn-backup"), nullptr);
}

TEST(Checklist, WeightAndLocalPreferenceAgainstEachOtherAreAsymmetric) {
  const ChecklistReport r = check_yaml(two_circuits("", "local_preference: 200", 100, 0));
  const Finding* f = find_rule(r, "asymmetry");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message,
            "VNet 'v' sends traffic over 'er-ams' (connection weight) but on-premises sends it "
            "over 'er-lon' (local preference): paths are asymmetric");
  EXPECT_EQ(find_rule(check_yaml(two_circuits("local_preference: 200", "", 100, 0)), "asymmetry"),
            nullptr);
}

TEST(Checklist, PreferenceInOneDirectionOnlyIsAsymmetric) {
  const ChecklistReport r = check_yaml(two_circuits("", "", 100, 0));
  const Finding* f = find_rule(r, "asymmetry");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("from Azure, by connection weight"), std::string::npos);
  EXPECT_EQ(find_rule(check_yaml(two_circuits("", "", 0, 0)), "asymmetry"), nullptr);
}

TEST(Checklist, LocalPreferenceWithoutPrependOnOneCircuitIsAsymmetric) {
  // Primary preferred outbound by local preference, inbound uses both links.
  std::string yaml = two_circuits("", "", 0, 0);
  const std::string from = "primary: {router: ce1, policy: {}}";
  yaml.replace(yaml.find(from), from.size(),
               "primary: {router: ce1, policy: {local_preference: 300}}");
  const ChecklistReport one_sided = check_yaml(yaml);
  const Finding* f = find_rule(one_sided, "asymmetry", "er-ams");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message,
            "on the private peering of circuit 'er-ams', traffic to Azure uses the primary link "
            "(local preference) but traffic from Azure uses both links (AS-path prepending): "
            "paths are asymmetric");
  // With the secondary prepended as well, it is a consistent active-passive design.
  const std::string from2 = "secondary: {router: ce2, policy: {}}";
  yaml.replace(yaml.find(from2), from2.size(), "secondary: {router: ce2, policy: {prepend: 3}}");
  const ChecklistReport r = check_yaml(yaml);
  EXPECT_EQ(find_rule(r, "asymmetry", "er-ams"), nullptr);
  // Between the circuits it is still one-sided: on-premises prefers er-ams, Azure neither.
  EXPECT_NE(find_rule(r, "asymmetry", "v"), nullptr);
  ASSERT_NE(find_rule(r, "active-passive"), nullptr);
  EXPECT_EQ(find_rule(r, "active-passive")->message,
            "the private peering of circuit 'er-ams' is active-passive: the primary link carries "
            "traffic both ways");
}

TEST(Checklist, PrefixCountsAgainstTheLimits) {
  EXPECT_EQ(find_rule(check_yaml(one_circuit_advertising(100, "standard")), "prefix-limit"),
            nullptr);
  const ChecklistReport near = check_yaml(one_circuit_advertising(3300, "standard"));
  const Finding* warning = find_rule(near, "prefix-limit");
  ASSERT_NE(warning, nullptr);
  EXPECT_EQ(warning->severity, Severity::Warning);
  EXPECT_EQ(warning->message,
            "3300 prefixes are advertised over session 'c.private.primary', 82% of the limit of "
            "4000");
  const ChecklistReport over = check_yaml(one_circuit_advertising(4001, "standard"));
  ASSERT_NE(find_rule(over, "prefix-limit"), nullptr);
  EXPECT_EQ(find_rule(over, "prefix-limit")->severity, Severity::Error);
  // Premium raises the limit to 10,000.
  EXPECT_EQ(find_rule(check_yaml(one_circuit_advertising(4001, "premium")), "prefix-limit"),
            nullptr);
}

TEST(Checklist, CircuitWithoutGatewayConnectionIsReported) {
  const ChecklistReport r = check_yaml(one_circuit_advertising(1, "standard"));
  const Finding* f = find_rule(r, "connection");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->object, "c");
}

// One circuit with a clean Microsoft peering; `qos` is its qos line, or "" for none.
std::string microsoft_peering_with(const std::string& qos) {
  return R"(sites:
  - name: s
    prefixes: [10.0.0.0/16]
    routers:
      - {name: ce1, asn: 64496, router_id: 10.0.255.1}
      - {name: ce2, asn: 64496, router_id: 10.0.255.2}
providers:
  - {name: p, kind: layer2}
locations:
  - {name: ams}
circuits:
  - name: c
    location: ams
    provider: p
    bandwidth: 1Gbps
    peerings:
      microsoft:
        vlan: 200
        peer_asn: 64496
        subnet: 203.0.113.0/29
        primary: {router: ce1}
        secondary: {router: ce2}
        nat_pool: [198.51.100.0/28]
        advertise: [198.51.100.0/28]
        route_filter: ["12076:51002"]
)" + (qos.empty() ? "" : "        qos: " + qos + "\n");
}

TEST(Checklist, MicrosoftPeeringMarkedAsMicrosoftAsksIsClean) {
  const ChecklistReport r = check_yaml(
      microsoft_peering_with("{voice: EF, video: AF41, app_sharing: 18, file_transfer: AF11}"));
  EXPECT_EQ(find_rule(r, "qos"), nullptr);
}

TEST(Checklist, MicrosoftPeeringWithoutQosIsWarned) {
  const ChecklistReport r = check_yaml(microsoft_peering_with(""));
  const Finding* f = find_rule(r, "qos", "c");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::Warning);
  EXPECT_EQ(f->message,
            "the microsoft peering of circuit 'c' declares no DSCP markings (qos): voice and video "
            "crossing it are treated as best effort");
  EXPECT_NE(f->advice.find("voice EF (46), video AF41 (34), app_sharing AF21 (18), "
                           "file_transfer AF11 (10), other CS0 (0)"),
            std::string::npos)
      << f->advice;
}

TEST(Checklist, QosWithoutVoiceOrWithAWrongMarkingIsWarned) {
  const ChecklistReport r = check_yaml(microsoft_peering_with("{video: AF31}"));
  std::vector<std::string> messages;
  for (const Finding& f : r.findings) {
    if (f.rule == "qos") {
      messages.push_back(f.message);
    }
  }
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "the microsoft peering of circuit 'c' declares no marking for voice",
                          "the microsoft peering of circuit 'c' marks video AF31 (26); Microsoft "
                          "expects AF41 (34)"}));
}

TEST(Checklist, SeveritiesPrintAsWords) {
  EXPECT_EQ(to_string(Severity::Error), "error");
  EXPECT_EQ(to_string(Severity::Warning), "warning");
  EXPECT_EQ(to_string(ResiliencyModel::Maximum), "maximum");
}

}  // namespace
}  // namespace ersim::topo
