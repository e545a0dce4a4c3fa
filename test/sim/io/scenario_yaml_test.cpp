// A scenario file read against topologies/maximum.yaml: each key resolves to the right elements
// and values, and each kind of mistake is reported at the line and column where it was made.
#include "sim/io/scenario_yaml.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

#include "sim/io/generate.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/topo/expand.hpp"
#include "test/sim/io/position_of.hpp"

namespace ersim::io {
namespace {

using testing::position_of;

using namespace std::chrono_literals;
using scenario::Action;
using scenario::Endpoint;
using scenario::ExpectationKind;
using scenario::Scenario;

const topo::Topology& maximum() {
  static const topo::Topology topology = load_topology(ERSIM_SOURCE_DIR "/topologies/maximum.yaml");
  return topology;
}

topo::RouterId router(std::string_view name) { return maximum().router_id(name).value(); }
topo::LinkId link(std::string_view name) { return maximum().link_id(name).value(); }

Scenario read(const std::string& yaml) {
  return read_scenario(load_yaml_string("s.yaml", yaml), maximum());
}

// "name: t\n" and one more top-level key.
Scenario read_with(const std::string& rest) { return read("name: t\n" + rest); }

SimTime at(Duration d) { return kTimeZero + d; }

// Reads "name: t\n" + `rest` and expects `message` at the position of `where`.
void expect_error(const std::string& rest, const std::string& where, const std::string& message) {
  const std::string yaml = "name: t\n" + rest;
  try {
    read(yaml);
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const ConfigError& e) {
    const auto [line, column] = position_of(yaml, where);
    EXPECT_EQ(e.message(), message);
    EXPECT_EQ(e.file(), "s.yaml");
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_EQ(e.column(), column) << e.what();
  }
}

// ---- Top level and options ----------------------------------------------------------------

TEST(ScenarioYaml, MinimalScenarioTakesTheDefaults) {
  const Scenario s = read("name: quiet\n");
  EXPECT_EQ(s.name, "quiet");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.topology, "");
  EXPECT_EQ(s.seed, 1U);
  EXPECT_EQ(s.runs, 1U);
  EXPECT_EQ(s.until, at(10min));
  EXPECT_TRUE(s.events.empty());
  EXPECT_TRUE(s.expectations.empty());
  const router::NetworkOptions defaults;
  EXPECT_EQ(s.options.bgp_mode, bgp::BgpTimerMode::Quiet);
  EXPECT_EQ(s.options.bfd_mode, bfd::BfdMode::Quiet);
  EXPECT_EQ(s.options.gateway_reconvergence, router::azure_gateway_reconvergence());
  EXPECT_EQ(s.options.per_message_cost, defaults.per_message_cost);
  EXPECT_EQ(s.options.per_prefix_cost, defaults.per_prefix_cost);
  EXPECT_EQ(s.options.mrai, defaults.mrai);
  EXPECT_EQ(s.options.max_paths, defaults.max_paths);
}

TEST(ScenarioYaml, TopLevelValuesAreRead) {
  const Scenario s = read(R"(name: n
description: what it tests
topology: ../topologies/maximum.yaml
seed: 9223372036854775807
runs: 10000
until: 1h
)");
  EXPECT_EQ(s.description, "what it tests");
  EXPECT_EQ(s.topology, "../topologies/maximum.yaml");
  EXPECT_EQ(s.seed, 9223372036854775807U);
  EXPECT_EQ(s.runs, 10000U);
  EXPECT_EQ(s.until, at(1h));
}

TEST(ScenarioYaml, ScenarioTopologyIsThePathAsWritten) {
  EXPECT_EQ(scenario_topology(load_yaml_string("s.yaml", "name: n\ntopology: a/b.yaml\n")),
            std::optional<std::string>("a/b.yaml"));
  EXPECT_EQ(scenario_topology(load_yaml_string("s.yaml", "name: n\n")), std::nullopt);
}

TEST(ScenarioYaml, UntilDefaultsToTenMinutesAfterTheLastEvent) {
  const Scenario s = read_with("events:\n  - {at: 30s, fail: {link: wan-1}}\n");
  EXPECT_EQ(s.until, at(10min + 30s));
}

TEST(ScenarioYaml, OptionsAreRead) {
  const Scenario s = read_with(R"(options:
  timers: packet
  gateway_reconvergence: {uniform: [5s, 60s]}
  per_message_cost: 1ms
  per_prefix_cost: 0s
  mrai: 5s
  max_paths: 64
)");
  EXPECT_EQ(s.options.bgp_mode, bgp::BgpTimerMode::Packet);
  EXPECT_EQ(s.options.bfd_mode, bfd::BfdMode::Packet);
  EXPECT_EQ(s.options.gateway_reconvergence, DelayDistribution::uniform(5s, 60s));
  EXPECT_EQ(s.options.per_message_cost, 1ms);
  EXPECT_EQ(s.options.per_prefix_cost, 0s);
  EXPECT_EQ(s.options.mrai, 5s);
  EXPECT_EQ(s.options.max_paths, 64U);
}

TEST(ScenarioYaml, GatewayReconvergenceTakesEachDistribution) {
  const auto reconvergence = [](const std::string& value) {
    return read_with("options:\n  gateway_reconvergence: " + value + "\n")
        .options.gateway_reconvergence;
  };
  EXPECT_EQ(reconvergence("azure"), router::azure_gateway_reconvergence());
  EXPECT_EQ(reconvergence("{fixed: 15s}"), DelayDistribution::fixed(15s));
  EXPECT_EQ(reconvergence("{fixed: 0s}"), DelayDistribution::fixed(0s));
  EXPECT_EQ(reconvergence("{lognormal: {median: 15s, sigma: 0.5, max: 60s}}"),
            DelayDistribution::lognormal(15s, 0.5, 60s));
}

// ---- Events -------------------------------------------------------------------------------

TEST(ScenarioYaml, FailLinkTakesItsModeOrNone) {
  const Scenario s = read_with(R"(events:
  - {at: 10s, fail: {link: er-ams.primary, mode: silent}}
  - {at: 20s, fail: {link: er-ams.secondary}}
  - {at: 70s, restore: {link: er-ams.primary}}
)");
  ASSERT_EQ(s.events.size(), 3U);
  EXPECT_EQ(s.events[0].at, at(10s));
  EXPECT_EQ(s.events[0].action, Action::FailLink);
  EXPECT_EQ(s.events[0].links, std::vector{link("er-ams.primary")});
  EXPECT_EQ(s.events[0].mode, topo::FailureMode::Silent);
  EXPECT_EQ(s.events[0].text, "fail link er-ams.primary (silent)");
  EXPECT_EQ(s.events[1].mode, std::nullopt);
  EXPECT_EQ(s.events[1].text, "fail link er-ams.secondary");
  EXPECT_EQ(s.events[2].action, Action::RestoreLink);
  EXPECT_EQ(s.events[2].text, "restore link er-ams.primary");
}

TEST(ScenarioYaml, FailRouterDefaultsToTheDevice) {
  const Scenario s = read_with(R"(events:
  - {at: 10s, fail: {router: ams-msee1}}
  - {at: 11s, fail: {router: ams-msee2, how: process}}
  - {at: 12s, restore: {router: ams-msee1}}
)");
  ASSERT_EQ(s.events.size(), 3U);
  EXPECT_EQ(s.events[0].action, Action::FailRouter);
  EXPECT_EQ(s.events[0].routers, std::vector{router("ams-msee1")});
  EXPECT_EQ(s.events[0].router_failure, router::RouterFailure::Device);
  EXPECT_EQ(s.events[0].text, "fail router ams-msee1");
  EXPECT_EQ(s.events[1].router_failure, router::RouterFailure::Process);
  EXPECT_EQ(s.events[1].text, "fail router ams-msee2 (process)");
  EXPECT_EQ(s.events[2].action, Action::RestoreRouter);
}

TEST(ScenarioYaml, FailLocationIsOneEventOfItsRoutersAndLinks) {
  const Scenario s = read_with(R"(events:
  - {at: 10s, fail: {location: amsterdam}}
  - {at: 20s, restore: {location: amsterdam}}
)");
  ASSERT_EQ(s.events.size(), 2U);
  const topo::Srlg& group = maximum().srlg(maximum().srlg_id("location:amsterdam").value());
  EXPECT_EQ(s.events[0].action, Action::FailLink);
  EXPECT_EQ(s.events[0].routers, group.routers);
  EXPECT_EQ(s.events[0].router_failure, router::RouterFailure::Device);
  EXPECT_EQ(s.events[0].links, group.links);
  EXPECT_EQ(s.events[0].mode, std::nullopt);
  EXPECT_EQ(s.events[0].text, "fail location amsterdam");
  const auto& routers = s.events[0].routers;
  EXPECT_NE(std::find(routers.begin(), routers.end(), router("ams-msee1")), routers.end());
  EXPECT_EQ(s.events[1].action, Action::RestoreLink);
  EXPECT_EQ(s.events[1].routers, group.routers);
  EXPECT_EQ(s.events[1].links, group.links);
  EXPECT_EQ(s.events[1].text, "restore location amsterdam");
}

TEST(ScenarioYaml, FailMetroProviderSrlgAndGateway) {
  const Scenario s = read_with(R"(events:
  - {at: 1s, fail: {metro: london}}
  - {at: 2s, fail: {provider: equinix}}
  - {at: 3s, fail: {srlg: ams-conduit-north}}
  - {at: 4s, fail: {gateway: hub-gw}}
  - {at: 5s, restore: {srlg: ams-conduit-north}}
)");
  const auto group = [](std::string_view name) -> const topo::Srlg& {
    return maximum().srlg(maximum().srlg_id(name).value());
  };
  ASSERT_EQ(s.events.size(), 5U);
  EXPECT_EQ(s.events[0].routers, group("metro:london").routers);  // the London MSEEs
  EXPECT_EQ(s.events[0].links, group("metro:london").links);
  EXPECT_EQ(s.events[1].action, Action::FailLink);
  EXPECT_EQ(s.events[1].links, group("provider:equinix").links);
  EXPECT_TRUE(s.events[1].routers.empty());  // a layer 2 provider has no edge routers
  EXPECT_EQ(s.events[1].text, "fail provider equinix");
  EXPECT_EQ(s.events[2].links, (std::vector{link("er-ams.primary"), link("er-ams.secondary")}));
  EXPECT_EQ(s.events[2].text, "fail srlg ams-conduit-north");
  EXPECT_EQ(s.events[3].action, Action::FailRouter);
  EXPECT_EQ(s.events[3].routers, std::vector{router("hub-gw")});
  EXPECT_TRUE(s.events[3].links.empty());
  EXPECT_EQ(s.events[3].text, "fail gateway hub-gw");
  EXPECT_EQ(s.events[4].action, Action::RestoreLink);
  EXPECT_EQ(s.events[4].text, "restore srlg ams-conduit-north");
}

TEST(ScenarioYaml, MaintenanceDrainsTheCircuitsLinkOfThatLeg) {
  const Scenario s = read_with(R"(events:
  - {at: 10s, maintenance: {circuit: er-ams, link: primary}}
  - {at: 20s, maintenance: {circuit: er-lon, link: secondary, method: disconnect}}
  - {at: 5m, maintenance_end: {circuit: er-ams, link: primary}}
)");
  ASSERT_EQ(s.events.size(), 3U);
  EXPECT_EQ(s.events[0].action, Action::Drain);
  // Not the gateway's link to the primary MSEE: only the circuit's own.
  EXPECT_EQ(s.events[0].links, std::vector{link("er-ams.primary")});
  EXPECT_EQ(s.events[0].drain_method, router::DrainMethod::Prepend);
  EXPECT_EQ(s.events[0].text, "maintenance on er-ams primary (prepend)");
  EXPECT_EQ(s.events[1].links, std::vector{link("er-lon.secondary")});
  EXPECT_EQ(s.events[1].drain_method, router::DrainMethod::Disconnect);
  EXPECT_EQ(s.events[2].action, Action::Undrain);
  EXPECT_EQ(s.events[2].links, std::vector{link("er-ams.primary")});
  EXPECT_EQ(s.events[2].text, "end of maintenance on er-ams primary");
}

TEST(ScenarioYaml, AdvertiseAndWithdrawPrefixes) {
  const Scenario s = read_with(R"(events:
  - {at: 10s, advertise: {router: ams-ce1, vrf: "", prefixes: [10.1.7.0/24, 10.1.8.0/24]}}
  - {at: 20s, withdraw: {router: ams-ce1, prefixes: [10.1.7.0/24]}}
  - {at: 30s, advertise: {router: ams-msee1, vrf: er-ams.private, prefixes: [10.9.0.0/16]}}
)");
  ASSERT_EQ(s.events.size(), 3U);
  EXPECT_EQ(s.events[0].action, Action::Advertise);
  EXPECT_EQ(s.events[0].router, router("ams-ce1"));
  EXPECT_EQ(s.events[0].vrf, "");
  EXPECT_EQ(s.events[0].prefixes, (std::vector{Ipv4Prefix::parse_or_throw("10.1.7.0/24"),
                                               Ipv4Prefix::parse_or_throw("10.1.8.0/24")}));
  EXPECT_EQ(s.events[0].text, "advertise 2 prefixes at ams-ce1");
  EXPECT_EQ(s.events[1].action, Action::Withdraw);
  EXPECT_EQ(s.events[1].text, "withdraw 10.1.7.0/24 at ams-ce1");
  EXPECT_EQ(s.events[2].vrf, "er-ams.private");
  EXPECT_EQ(s.events[2].text, "advertise 10.9.0.0/16 at ams-msee1 vrf er-ams.private");
}

TEST(ScenarioYaml, FloodIsConsecutivePrefixesOfOneLength) {
  const Scenario s = read_with(
      "events:\n  - {at: 10s, advertise: {router: ams-ce1, flood: {from: 10.50.0.0/24, count: "
      "4001}}}\n");
  ASSERT_EQ(s.events.size(), 1U);
  const auto& prefixes = s.events[0].prefixes;
  ASSERT_EQ(prefixes.size(), 4001U);
  EXPECT_EQ(prefixes[0].to_string(), "10.50.0.0/24");
  EXPECT_EQ(prefixes[1].to_string(), "10.50.1.0/24");
  EXPECT_EQ(prefixes[256].to_string(), "10.51.0.0/24");
  EXPECT_EQ(prefixes[4000].to_string(), "10.65.160.0/24");
  EXPECT_EQ(s.events[0].text, "advertise 4001 prefixes at ams-ce1");
}

TEST(ScenarioYaml, FloodMayEndAtTheLastAddress) {
  const Scenario s = read_with(
      "events:\n  - {at: 1s, advertise: {router: ams-ce1, flood: {from: 255.255.255.252/30, "
      "count: 1}}}\n");
  EXPECT_EQ(s.events[0].prefixes.back().to_string(), "255.255.255.252/30");
}

TEST(ScenarioYaml, FlapExpandsIntoFailsAndRestores) {
  const Scenario s = read_with(R"(events:
  - {at: 10s, flap: {link: er-ams.primary, count: 3, every: 20s, down: 5s, mode: carrier}}
)");
  ASSERT_EQ(s.events.size(), 6U);
  const std::vector<std::pair<Duration, Action>> expected{
      {10s, Action::FailLink},    {15s, Action::RestoreLink}, {30s, Action::FailLink},
      {35s, Action::RestoreLink}, {50s, Action::FailLink},    {55s, Action::RestoreLink}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(s.events[i].at, at(expected[i].first)) << i;
    EXPECT_EQ(s.events[i].action, expected[i].second) << i;
    EXPECT_EQ(s.events[i].links, std::vector{link("er-ams.primary")}) << i;
  }
  EXPECT_EQ(s.events[0].mode, topo::FailureMode::Carrier);
  EXPECT_EQ(s.events[0].text, "flap 1/3: fail link er-ams.primary (carrier)");
  EXPECT_EQ(s.events[5].text, "flap 3/3: restore link er-ams.primary");
  EXPECT_EQ(s.until, at(55s + 10min));
}

TEST(ScenarioYaml, FlapIsDownHalfOfEveryByDefault) {
  const Scenario s = read_with("events:\n  - {at: 0s, flap: {link: wan-1, count: 1, every: 1s}}\n");
  ASSERT_EQ(s.events.size(), 2U);
  EXPECT_EQ(s.events[1].at, at(500ms));
  EXPECT_EQ(s.events[0].mode, std::nullopt);
}

TEST(ScenarioYaml, SetPolicyValuesOfOneSessionEnd) {
  const Scenario s = read_with(R"(events:
  - {at: 10s, set: {session: er-ams.private.primary, end: ams-ce1, local_preference: 50}}
  - {at: 20s, set: {session: er-ams.private.primary, end: ams-msee1, prepend: 3}}
)");
  const topo::SessionId session = maximum().session_id("er-ams.private.primary").value();
  const topo::Session& ses = maximum().session(session);
  ASSERT_EQ(s.events.size(), 2U);
  EXPECT_EQ(s.events[0].action, Action::SetLocalPreference);
  EXPECT_EQ(s.events[0].session, session);
  EXPECT_EQ(s.events[0].side, ses.a.router == router("ams-ce1") ? bgp::Side::A : bgp::Side::B);
  EXPECT_EQ(s.events[0].value, 50U);
  EXPECT_EQ(s.events[0].text, "set local preference 50 on er-ams.private.primary at ams-ce1");
  EXPECT_EQ(s.events[1].action, Action::SetPrepend);
  EXPECT_NE(s.events[1].side, s.events[0].side);
  EXPECT_EQ(s.events[1].value, 3U);
  EXPECT_EQ(s.events[1].text, "set prepend 3 on er-ams.private.primary at ams-msee1");
}

TEST(ScenarioYaml, SetConnectionWeight) {
  const Scenario s = read_with(
      "events:\n  - {at: 10s, set: {vnet: hub-westeurope, circuit: er-lon, weight: "
      "32000}}\n");
  ASSERT_EQ(s.events.size(), 1U);
  EXPECT_EQ(s.events[0].action, Action::SetConnectionWeight);
  EXPECT_EQ(s.events[0].vnet, 0U);
  EXPECT_EQ(s.events[0].circuit, maximum().circuit_id("er-lon").value());
  EXPECT_EQ(s.events[0].value, 32000U);
  EXPECT_EQ(s.events[0].text, "set weight 32000 on the connection of hub-westeurope to er-lon");
}

TEST(ScenarioYaml, EventsAreSortedStablyByTime) {
  const Scenario s = read_with(R"(events:
  - {at: 30s, fail: {link: wan-1}}
  - {at: 10s, fail: {link: wan-2}}
  - {at: 30s, restore: {link: wan-2}}
  - {at: 10s, fail: {router: ams-ce1}}
)");
  ASSERT_EQ(s.events.size(), 4U);
  EXPECT_EQ(s.events[0].text, "fail link wan-2");
  EXPECT_EQ(s.events[1].text, "fail router ams-ce1");
  EXPECT_EQ(s.events[2].text, "fail link wan-1");
  EXPECT_EQ(s.events[3].text, "restore link wan-2");
}

// ---- Flows --------------------------------------------------------------------------------

TEST(ScenarioYaml, DefaultFlowsAreEverySiteToEveryVNetAndBack) {
  const Scenario s = read("name: t\n");
  ASSERT_EQ(s.flows.size(), 4U);
  EXPECT_EQ(s.flows[0].name, "amsterdam-dc -> hub-westeurope");
  EXPECT_EQ(s.flows[1].name, "hub-westeurope -> amsterdam-dc");
  EXPECT_EQ(s.flows[2].name, "london-dc -> hub-westeurope");
  EXPECT_EQ(s.flows[3].name, "hub-westeurope -> london-dc");
  const scenario::Flow& out = s.flows[0];
  EXPECT_EQ(out.source.kind, Endpoint::Kind::Site);
  EXPECT_EQ(out.source.routers, (std::vector{router("ams-ce1"), router("ams-ce2")}));
  EXPECT_EQ(out.source.vrf, "");
  EXPECT_EQ(out.source.address.to_string(), "10.1.0.1");
  EXPECT_EQ(out.destination.to_string(), "10.100.0.1");
  EXPECT_EQ(out.dscp, std::nullopt);
  ASSERT_TRUE(out.reply_source.has_value());
  EXPECT_EQ(out.reply_source->kind, Endpoint::Kind::VNet);
  EXPECT_EQ(out.reply_source->routers, std::vector{router("hub-gw")});
  const scenario::Flow& back = s.flows[1];
  EXPECT_EQ(back.source.kind, Endpoint::Kind::VNet);
  EXPECT_EQ(back.destination.to_string(), "10.1.0.1");
  ASSERT_TRUE(back.reply_source.has_value());
  EXPECT_EQ(back.reply_source->name, "amsterdam-dc");
}

TEST(ScenarioYaml, DefaultFlowsPairASiteWithTheVNetsOfItsCircuits) {
  // Three generated customers, each a site and a VNet on its own circuits: three pairs, not
  // nine.
  const topo::Topology t = topo::expand(
      read_design(load_yaml_string("g.yaml", generate_topology_yaml({.customers = 3, .seed = 1}))));
  const Scenario s = read_scenario(load_yaml_string("s.yaml", "name: t\n"), t);
  ASSERT_EQ(t.sites().size(), 3U);
  ASSERT_EQ(t.vnets().size(), 3U);
  ASSERT_EQ(s.flows.size(), 6U);
  const auto customer = [](std::string_view name) { return name.substr(0, name.find('-')); };
  for (const scenario::Flow& f : s.flows) {
    const std::string_view name = f.name;
    const std::size_t arrow = name.find(" -> ");
    EXPECT_EQ(customer(name.substr(0, arrow)), customer(name.substr(arrow + 4))) << name;
  }
}

TEST(ScenarioYaml, FlowsNameTheirEndpoints) {
  const Scenario s = read_with(R"(flows:
  - {name: ams-to-hub, from: {site: amsterdam-dc}, to: 10.100.0.10, dscp: 46}
  - {from: {vnet: hub-westeurope}, to: 10.2.0.10}
  - {from: {router: ams-msee1, vrf: er-ams.private}, to: 10.1.255.1}
  - {from: {router: ams-ce1}, to: 192.0.2.1}
)");
  ASSERT_EQ(s.flows.size(), 4U);
  EXPECT_EQ(s.flows[0].name, "ams-to-hub");
  EXPECT_EQ(s.flows[0].dscp, std::optional<std::uint8_t>(46));
  EXPECT_EQ(s.flows[0].destination.to_string(), "10.100.0.10");
  EXPECT_EQ(s.flows[1].name, "hub-westeurope -> 10.2.0.10");
  EXPECT_EQ(s.flows[1].source.address.to_string(), "10.100.0.1");
  ASSERT_TRUE(s.flows[1].reply_source.has_value());
  EXPECT_EQ(s.flows[1].reply_source->name, "london-dc");
  const Endpoint& msee = s.flows[2].source;
  EXPECT_EQ(msee.kind, Endpoint::Kind::Router);
  EXPECT_EQ(msee.routers, std::vector{router("ams-msee1")});
  EXPECT_EQ(msee.vrf, "er-ams.private");
  EXPECT_EQ(msee.address, maximum().router(router("ams-msee1")).router_id);
  EXPECT_EQ(s.flows[2].name, "ams-msee1 -> 10.1.255.1");
  // 10.1.255.1 is ams-ce1's id, but inside amsterdam-dc's prefix: the site owns it.
  ASSERT_TRUE(s.flows[2].reply_source.has_value());
  EXPECT_EQ(s.flows[2].reply_source->kind, Endpoint::Kind::Site);
  EXPECT_EQ(s.flows[3].reply_source, std::nullopt);
}

TEST(ScenarioYaml, ReplySourceFallsBackToTheRouterWithThatId) {
  const topo::Router& msee = maximum().router(router("ams-msee1"));
  const Scenario s =
      read_with("flows:\n  - {from: {site: london-dc}, to: " + msee.router_id.to_string() + "}\n");
  ASSERT_TRUE(s.flows[0].reply_source.has_value());
  EXPECT_EQ(s.flows[0].reply_source->kind, Endpoint::Kind::Router);
  EXPECT_EQ(s.flows[0].reply_source->routers, std::vector{router("ams-msee1")});
  EXPECT_EQ(s.flows[0].reply_source->address, msee.router_id);
}

// ---- Expectations -------------------------------------------------------------------------

TEST(ScenarioYaml, ExpectationsOfEachKind) {
  const Scenario s = read_with(R"(until: 10m
flows:
  - {name: ams-to-hub, from: {site: amsterdam-dc}, to: 10.100.0.10}
expect:
  - {flow: ams-to-hub, longest_outage: 1s}
  - {flow: ams-to-hub, total_outage: 2s}
  - {flow: ams-to-hub, never_unreachable: true}
  - {flow: ams-to-hub, uses: {circuit: er-lon}, from: 20s, to: 60s}
  - {flow: ams-to-hub, uses: {location: london}}
  - {flow: ams-to-hub, uses: {link: er-ams.primary}, from: 1m}
  - {flow: ams-to-hub, symmetric: true, from: 0s, to: 5m}
  - {session: er-ams.private.primary, state: established, at: 5m}
  - {quiet_by: 5m}
)");
  ASSERT_EQ(s.expectations.size(), 9U);
  const auto& x = s.expectations;
  EXPECT_EQ(x[0].kind, ExpectationKind::LongestOutageAtMost);
  EXPECT_EQ(x[0].flow, 0U);
  EXPECT_EQ(x[0].bound, 1s);
  EXPECT_EQ(x[0].text, "ams-to-hub: longest outage <= 1s");
  EXPECT_EQ(x[1].kind, ExpectationKind::TotalOutageAtMost);
  EXPECT_EQ(x[1].text, "ams-to-hub: total outage <= 2s");
  EXPECT_EQ(x[2].kind, ExpectationKind::NeverUnreachable);
  EXPECT_EQ(x[2].text, "ams-to-hub: never unreachable");
  EXPECT_EQ(x[3].kind, ExpectationKind::Uses);
  EXPECT_EQ(x[3].uses.kind, scenario::UsesTarget::Kind::Circuit);
  EXPECT_EQ(x[3].uses.circuit, maximum().circuit_id("er-lon"));
  EXPECT_EQ(x[3].from, at(20s));
  EXPECT_EQ(x[3].to, at(60s));
  EXPECT_EQ(x[3].text, "ams-to-hub uses circuit er-lon from 20s to 1m");
  EXPECT_EQ(x[4].uses.kind, scenario::UsesTarget::Kind::Location);
  EXPECT_EQ(x[4].uses.name, "london");
  EXPECT_EQ(x[4].from, kTimeZero);
  EXPECT_EQ(x[4].to, kTimeMax);
  EXPECT_EQ(x[4].text, "ams-to-hub uses location london");
  EXPECT_EQ(x[5].uses.link, link("er-ams.primary"));
  EXPECT_EQ(x[5].text, "ams-to-hub uses link er-ams.primary from 1m");
  EXPECT_EQ(x[6].kind, ExpectationKind::Symmetric);
  EXPECT_EQ(x[6].to, at(5min));
  EXPECT_EQ(x[6].text, "ams-to-hub: forward and return on the same circuit to 5m");
  EXPECT_EQ(x[7].kind, ExpectationKind::SessionStateAt);
  EXPECT_EQ(x[7].session, maximum().session_id("er-ams.private.primary").value());
  EXPECT_EQ(x[7].state, bgp::SessionState::Established);
  EXPECT_EQ(x[7].at, at(5min));
  EXPECT_EQ(x[7].text, "session er-ams.private.primary is established at 5m");
  EXPECT_EQ(x[8].kind, ExpectationKind::QuietBy);
  EXPECT_EQ(x[8].at, at(5min));
  EXPECT_EQ(x[8].text, "quiet by 5m");
}

TEST(ScenarioYaml, ExpectationsMayNameDefaultFlows) {
  const Scenario s =
      read_with("expect:\n  - {flow: london-dc -> hub-westeurope, never_unreachable: true}\n");
  EXPECT_EQ(s.expectations[0].flow, 2U);
}

// ---- Errors -------------------------------------------------------------------------------

TEST(ScenarioYaml, UnknownActionSuggestsTheClosest) {
  expect_error("events:\n  - {at: 10s, fial: {link: wan-1}}\n", "fial",
               "unknown key 'fial' in event (did you mean 'fail'?)");
}

TEST(ScenarioYaml, EventWithoutAction) {
  expect_error("events:\n  - {at: 10s}\n", "{at",
               "event has no action (expected one of: advertise, fail, flap, maintenance, "
               "maintenance_end, restore, set, withdraw)");
}

TEST(ScenarioYaml, EventWithTwoActions) {
  expect_error("events:\n  - {at: 10s, fail: {link: wan-1}, restore: {link: wan-2}}\n", "restore",
               "event has two actions, 'fail' and 'restore': write one event for each");
}

TEST(ScenarioYaml, EventWithoutTime) {
  expect_error("events:\n  - {fail: {link: wan-1}}\n", "{fail",
               "missing required key 'at' in event");
}

TEST(ScenarioYaml, UnknownTopLevelKey) {
  expect_error("evnets: []\n", "evnets",
               "unknown key 'evnets' in scenario (did you mean 'events'?)");
}

TEST(ScenarioYaml, MissingName) {
  try {
    read("seed: 1\n");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.message(), "missing required key 'name' in scenario");
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.column(), 1);
  }
}

TEST(ScenarioYaml, UnknownLinkSuggestsTheClosest) {
  expect_error("events:\n  - {at: 10s, fail: {link: er-ams.primry}}\n", "er-ams.primry",
               "unknown link 'er-ams.primry' (did you mean 'er-ams.primary'?)");
}

TEST(ScenarioYaml, UnknownTargetsOfEachKind) {
  expect_error("events:\n  - {at: 1s, fail: {router: nobody}}\n", "nobody",
               "unknown router 'nobody'");
  expect_error("events:\n  - {at: 1s, fail: {location: amsterdan}}\n", "amsterdan",
               "unknown location 'amsterdan' (did you mean 'amsterdam'?)");
  expect_error("events:\n  - {at: 1s, restore: {metro: paris}}\n", "paris",
               "unknown metro 'paris'");
  expect_error("events:\n  - {at: 1s, fail: {provider: equnix}}\n", "equnix",
               "unknown provider 'equnix' (did you mean 'equinix'?)");
  expect_error("events:\n  - {at: 1s, fail: {srlg: conduit}}\n", "conduit",
               "unknown srlg 'conduit'");
  expect_error("events:\n  - {at: 1s, fail: {gateway: hub-gx}}\n", "hub-gx",
               "unknown gateway 'hub-gx' (did you mean 'hub-gw'?)");
  expect_error("events:\n  - {at: 1s, fail: {gateway: ams-ce1}}\n", "ams-ce1",
               "router 'ams-ce1' is not a VNet gateway");
}

TEST(ScenarioYaml, FailNeedsExactlyOneTarget) {
  expect_error("events:\n  - {at: 1s, fail: {link: wan-1, router: ams-ce1}}\n", "{link",
               "fail needs exactly one of: link, router, location, metro, provider, srlg, "
               "gateway");
}

TEST(ScenarioYaml, ModeAndHowApplyToTheirTargetsOnly) {
  expect_error("events:\n  - {at: 1s, fail: {router: ams-ce1, mode: silent}}\n", "mode",
               "mode applies to a link only");
  expect_error("events:\n  - {at: 1s, fail: {link: wan-1, how: process}}\n", "how",
               "how applies to a router only");
  expect_error("events:\n  - {at: 1s, fail: {link: wan-1, mode: quiet}}\n", "quiet",
               "unknown mode 'quiet' (expected one of: carrier, silent)");
}

TEST(ScenarioYaml, TimeNeedsAUnit) {
  expect_error("events:\n  - {at: 10, fail: {link: wan-1}}\n", "10",
               "duration '10' has no unit (use ns, us, ms, s, m or h)");
}

TEST(ScenarioYaml, NegativeTime) {
  expect_error("events:\n  - {at: -1s, fail: {link: wan-1}}\n", "-1s",
               "at -1s is before the start of the scenario (0s)");
}

TEST(ScenarioYaml, UntilNotAfterTheLastEvent) {
  expect_error("until: 30s\nevents:\n  - {at: 30s, fail: {link: wan-1}}\n", "30s\n",
               "until 30s is not after the last event, at 30s (fail link wan-1)");
}

TEST(ScenarioYaml, UntilOfZero) { expect_error("until: 0s\n", "0s", "until must be after 0s"); }

TEST(ScenarioYaml, RestoreTakesNoMode) {
  expect_error("events:\n  - {at: 1s, restore: {link: wan-1, mode: silent}}\n", "mode",
               "unknown key 'mode' in restore (expected one of: gateway, link, location, metro, "
               "provider, router, srlg)");
}

TEST(ScenarioYaml, ValuesOutOfRange) {
  expect_error("runs: 0\n", "0", "runs 0 is out of range 1..10000");
  expect_error("seed: -1\n", "-1", "seed -1 is out of range 0..9223372036854775807");
  expect_error("options:\n  max_paths: 65\n", "65", "max_paths 65 is out of range 1..64");
}

TEST(ScenarioYaml, BadGatewayReconvergence) {
  expect_error("options:\n  gateway_reconvergence: fast\n", "fast",
               "unknown gateway_reconvergence 'fast' (expected azure, or one of fixed, uniform, "
               "lognormal as a mapping)");
  expect_error("options:\n  gateway_reconvergence: {uniform: [60s, 5s]}\n", "5s",
               "uniform's max 5s is below its min 1m");
  expect_error(
      "options:\n  gateway_reconvergence: {lognormal: {median: 15s, sigma: 0.5, max: "
      "10s}}\n",
      "10s", "max 10s is below the median 15s");
  expect_error(
      "options:\n  gateway_reconvergence: {lognormal: {median: 15s, sigma: -1, max: "
      "60s}}\n",
      "-1", "sigma must not be negative");
  expect_error(
      "options:\n  gateway_reconvergence: {lognormal: {median: 15s, sigma: x, max: "
      "60s}}\n",
      "x,", "sigma 'x' is not a number");
  expect_error("options:\n  gateway_reconvergence: {fixed: -1s}\n", "-1s",
               "fixed must not be negative");
  expect_error("options:\n  gateway_reconvergence: {fixed: 1s, uniform: [1s, 2s]}\n", "{fixed",
               "gateway_reconvergence needs exactly one of fixed, uniform, lognormal");
}

TEST(ScenarioYaml, MaintenanceOnAMissingLeg) {
  expect_error("events:\n  - {at: 1s, maintenance: {circuit: er-ams, link: tertiary}}\n",
               "tertiary", "unknown link 'tertiary' (expected one of: primary, secondary)");
  expect_error("events:\n  - {at: 1s, maintenance: {circuit: er-amz, link: primary}}\n", "er-amz",
               "unknown circuit 'er-amz' (did you mean 'er-ams'?)");
}

TEST(ScenarioYaml, AdvertiseErrors) {
  expect_error(
      "events:\n  - {at: 1s, advertise: {router: ams-ce1, vrf: blue, prefixes: "
      "[10.9.0.0/16]}}\n",
      "blue", "router 'ams-ce1' has no VRF 'blue'");
  expect_error("events:\n  - {at: 1s, advertise: {router: ams-ce1}}\n", "{router",
               "advertise needs exactly one of prefixes, flood");
  expect_error(
      "events:\n  - {at: 1s, withdraw: {router: ams-ce1, flood: {from: "
      "255.255.255.0/24, count: 2}}}\n",
      "2}", "2 prefixes of length 24 from 255.255.255.0/24 run past 255.255.255.255");
  expect_error(
      "events:\n  - {at: 1s, advertise: {router: ams-ce1, flood: {from: 10.0.0.0/24, "
      "count: 1000001}}}\n",
      "1000001", "count 1000001 is out of range 1..1000000");
}

TEST(ScenarioYaml, FlapErrors) {
  expect_error("events:\n  - {at: 1s, flap: {link: wan-1, count: 2, every: 10s, down: 10s}}\n",
               "10s}", "down must be above 0s and below every (10s)");
  expect_error("events:\n  - {at: 1s, flap: {link: wan-1, count: 1001, every: 10s}}\n", "1001",
               "count 1001 is out of range 1..1000");
}

TEST(ScenarioYaml, SetErrors) {
  expect_error(
      "events:\n  - {at: 1s, set: {session: er-ams.private.primary, end: lon-ce1, "
      "prepend: 1}}\n",
      "lon-ce1", "router 'lon-ce1' is not an end of session 'er-ams.private.primary'");
  expect_error(
      "events:\n  - {at: 1s, set: {session: er-ams.private.primery, end: ams-ce1, "
      "prepend: 1}}\n",
      "er-ams.private.primery",
      "unknown session 'er-ams.private.primery' (did you mean 'er-ams.private.primary'?)");
  expect_error(
      "events:\n  - {at: 1s, set: {session: wan-1-ibgp, end: ams-ce1, prepend: 1, "
      "local_preference: 5}}\n",
      "{session",
      "set needs exactly one of local_preference, prepend (or vnet, circuit and weight)");
  expect_error("events:\n  - {at: 1s, set: {session: wan-1-ibgp, end: ams-ce1, prepend: 33}}\n",
               "33", "prepend 33 is out of range 0..32");
  expect_error(
      "events:\n  - {at: 1s, set: {vnet: hub-westeurope, circuit: er-ams, weight: "
      "32001}}\n",
      "32001", "weight 32001 is out of range 0..32000");
  expect_error("events:\n  - {at: 1s, set: {vnet: hub, circuit: er-ams, weight: 1}}\n", "hub,",
               "unknown vnet 'hub'");
}

TEST(ScenarioYaml, DuplicateFlowName) {
  expect_error(
      "flows:\n  - {name: f, from: {site: london-dc}, to: 10.100.0.1}\n  - {name: f, "
      "from: {site: amsterdam-dc}, to: 10.100.0.2}\n",
      "f, from: {site: amsterdam-dc}", "duplicate flow name 'f' (first defined at 3:12)");
}

TEST(ScenarioYaml, FlowErrors) {
  expect_error("flows:\n  - {from: {site: paris-dc}, to: 10.100.0.1}\n", "paris-dc",
               "unknown site 'paris-dc'");
  expect_error("flows:\n  - {from: {site: london-dc, vrf: x}, to: 10.100.0.1}\n", "vrf",
               "vrf applies to a router only");
  expect_error("flows:\n  - {from: {site: london-dc}, to: 10.100.0.1, dscp: 64}\n", "64",
               "dscp 64 is out of range 0..63");
  expect_error("flows:\n  - {from: {}, to: 10.100.0.1}\n", "{}",
               "from needs exactly one of site, vnet, router");
}

TEST(ScenarioYaml, FlowsCarryARate) {
  const Scenario s = read_with(R"(flows:
  - {name: ams-to-hub, from: {site: amsterdam-dc}, to: 10.100.0.10, rate: 2.5Gbps}
  - {from: {vnet: hub-westeurope}, to: 10.2.0.10}
expect:
  - {max_utilization: 80%}
)");
  ASSERT_EQ(s.flows.size(), 2U);
  EXPECT_EQ(s.flows[0].rate_bps, 2'500'000'000U);
  EXPECT_EQ(s.flows[1].rate_bps, 0U);
  ASSERT_EQ(s.expectations.size(), 1U);
  EXPECT_EQ(s.expectations[0].kind, ExpectationKind::MaxUtilization);
  EXPECT_DOUBLE_EQ(s.expectations[0].utilization, 0.8);
  EXPECT_EQ(s.expectations[0].text, "no link or circuit above 80%");
}

TEST(ScenarioYaml, RateAndUtilizationErrors) {
  expect_error("flows:\n  - {from: {site: london-dc}, to: 10.100.0.1, rate: 50 Mbps}\n", "50 M",
               "rate '50 Mbps' is not a rate (write 500Mbps, 1Gbps, 10Gbps)");
  expect_error("expect:\n  - {max_utilization: 80%}\n", "80%",
               "max_utilization needs a flow with a rate (write 'rate: 500Mbps' on one)");
  expect_error(
      "flows:\n  - {from: {site: london-dc}, to: 10.100.0.1, rate: 1Gbps}\n"
      "expect:\n  - {max_utilization: 80}\n",
      "80}", "max_utilization '80' is not a percentage (write 80%)");
  expect_error(
      "flows:\n  - {from: {site: london-dc}, to: 10.100.0.1, rate: 1Gbps}\n"
      "expect:\n  - {max_utilization: 80%, flow: london-dc -> 10.100.0.1}\n",
      "flow:", "key 'flow' does not go with 'max_utilization' in an expectation");
}

TEST(ScenarioYaml, ExpectationOnAnUnknownFlow) {
  expect_error("expect:\n  - {flow: x, never_unreachable: true}\n", "x,", "unknown flow 'x'");
}

TEST(ScenarioYaml, ExpectationErrors) {
  expect_error("expect:\n  - {flow: london-dc -> hub-westeurope, never_unreachable: false}\n",
               "false", "never_unreachable takes only true (leave the expectation out instead)");
  expect_error(
      "expect:\n  - {flow: london-dc -> hub-westeurope, total_outage: 1s, "
      "longest_outage: 2s}\n",
      "longest_outage",
      "expectation has both 'total_outage' and 'longest_outage': write one expectation "
      "for each");
  expect_error("expect:\n  - {flow: london-dc -> hub-westeurope, total_outage: 1s, at: 2s}\n",
               "at:", "key 'at' does not go with 'total_outage' in an expectation");
  expect_error("expect:\n  - {flow: london-dc -> hub-westeurope}\n", "{flow",
               "expectation needs one of: longest_outage, total_outage, never_unreachable, uses, "
               "symmetric, session, quiet_by, max_utilization");
  expect_error("expect:\n  - {session: wan-1-ibgp, state: up, at: 1s}\n", "up",
               "unknown state 'up' (expected one of: idle, connect, active, opensent, "
               "openconfirm, established)");
  expect_error("expect:\n  - {session: wan-9-ibgp, state: idle, at: 1s}\n", "wan-9-ibgp",
               "unknown session 'wan-9-ibgp' (did you mean 'wan-1-ibgp'?)");
  expect_error("expect:\n  - {quiet_by: 11m}\n", "11m",
               "quiet_by 11m is after the end of the run (until 10m)");
  expect_error(
      "expect:\n  - {flow: london-dc -> hub-westeurope, uses: {circuit: er-ams, link: "
      "wan-1}}\n",
      "{circuit", "uses needs exactly one of circuit, location, link");
  expect_error(
      "expect:\n  - {flow: london-dc -> hub-westeurope, uses: {location: london}, from: "
      "2m, to: 1m}\n",
      "1m}", "to 1m is not after from 2m");
}

TEST(ScenarioYaml, SymmetricNeedsAReturnPath) {
  expect_error(
      "flows:\n  - {name: out, from: {site: london-dc}, to: 192.0.2.1}\nexpect:\n  - "
      "{flow: out, symmetric: true}\n",
      "true", "flow out has no return path: no site, VNet or router owns 192.0.2.1");
}

}  // namespace
}  // namespace ersim::io
