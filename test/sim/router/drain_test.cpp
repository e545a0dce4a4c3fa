// Microsoft's maintenance drain of one link (DESIGN §1: "Microsoft drains a link by AS-path
// prepending on it, or by disconnecting its BGP session"), on topologies/maximum.yaml.
#include "sim/router/drain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/assert.hpp"
#include "test/sim/router/network_lab.hpp"

namespace ersim::router {
namespace {

using bgp::Side;
using namespace std::chrono_literals;
using testing::example_text;
using testing::Lab;
using testing::prefix;

using testing::both_legs;
using testing::secondary;

// maximum.yaml with iBGP between Amsterdam's two routers. Without it ams-ce1 has no way to the
// secondary link: its one iBGP peer is in London, and London does not pass on what it learned
// over iBGP (RFC 4271 §9.2), so a drain could move nothing at ams-ce1.
std::string maximum_with_site_ibgp() {
  std::string yaml = example_text("maximum.yaml");
  const std::string links = "\nlinks:\n";
  yaml.insert(yaml.find(links) + links.size(),
              "  - {name: ams-lan, a: ams-ce1, b: ams-ce2, latency: 1ms, capacity: 10Gbps}\n");
  yaml +=
      "  - name: ams-lan-ibgp\n"
      "    link: ams-lan\n"
      "    subnet: 172.16.0.8/30\n"
      "    a: {router: ams-ce1, address: 172.16.0.9}\n"
      "    b: {router: ams-ce2, address: 172.16.0.10}\n";
  return yaml;
}

// Whether any of the instance's routes to the prefix went away since `from`.
bool outage(const Lab& lab, InstanceId instance, const char* to, SimTime from) {
  const auto changes = lab.changes(instance, to, from);
  return std::any_of(changes.begin(), changes.end(),
                     [](const RouteEvent& e) { return e.change == bgp::RibChange::BestRemoved; });
}

TEST(Drain, MethodsHaveNames) {
  EXPECT_EQ(to_string(DrainMethod::Prepend), "prepend");
  EXPECT_EQ(to_string(DrainMethod::Disconnect), "disconnect");
}

// The MSEE prepends 12076 four more times toward the CE, so ams-ce1 turns to ams-ce2's route
// over the secondary (§9.1.2.2 (a), shorter AS path), and on the site's routes toward the
// gateway, which leaves the primary leg on AS-path length once it has reconverged. Nothing is
// withdrawn anywhere and no session changes state; undraining puts everything back.
TEST(Drain, PrependMovesBothDirectionsOffTheLinkWithoutAnOutage) {
  Lab lab(maximum_with_site_ibgp());
  const topo::LinkId primary = lab.link("er-ams.primary");
  ASSERT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  ASSERT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  const std::size_t session_changes = lab.trace_.size();

  const SimTime drained_at = lab.engine_.now();
  lab.net_.drain_link(primary, DrainMethod::Prepend);
  EXPECT_EQ(lab.net_.drained(primary), DrainMethod::Prepend);
  lab.run_for(1s);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "ams-lan-ibgp");
  EXPECT_EQ(lab.net_.rib(lab.instance("ams-ce1")).find(prefix("10.100.0.0/16"))->reason(),
            bgp::DecisionReason::ShorterAsPath);
  // The drained link's route is still there, longer.
  const bgp::Route* over_primary =
      route_over(lab, "ams-ce1", "10.100.0.0/16", "er-ams.private.primary");
  ASSERT_NE(over_primary, nullptr);
  EXPECT_EQ(over_primary->attributes->as_path,
            (std::vector<std::uint32_t>{12076, 12076, 12076, 12076, 12076, 65515}));

  lab.run_for(60s);  // the gateway reconverges within 60 s (DESIGN §1)
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), secondary());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), secondary());
  EXPECT_EQ(lab.net_.rib(lab.instance("hub-gw")).find(prefix("10.1.0.0/16"))->reason(),
            bgp::DecisionReason::ShorterAsPath);
  const bgp::Route* gw_primary = route_over(lab, "hub-gw", "10.1.0.0/16", "hub-gw.er-ams.primary");
  ASSERT_NE(gw_primary, nullptr);
  EXPECT_EQ(gw_primary->attributes->as_path,
            (std::vector<std::uint32_t>{12076, 12076, 12076, 12076, 12076, 65001}));
  // The customer's side moved at once; the gateway after its reconvergence delay.
  EXPECT_GT(
      lab.changes(lab.instance("hub-gw"), "10.1.0.0/16", drained_at).front().gateway_reconvergence,
      0s);
  EXPECT_FALSE(outage(lab, lab.instance("ams-ce1"), "10.100.0.0/16", drained_at));
  EXPECT_FALSE(outage(lab, lab.instance("hub-gw"), "10.1.0.0/16", drained_at));
  EXPECT_FALSE(outage(lab, lab.instance("hub-gw"), "10.2.0.0/16", drained_at));
  EXPECT_EQ(lab.trace_.size(), session_changes);

  const SimTime undrained_at = lab.engine_.now();
  lab.net_.undrain_link(primary);
  EXPECT_EQ(lab.net_.drained(primary), std::nullopt);
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
  EXPECT_EQ(lab.gateway_paths("10.2.0.0/16"), both_legs());
  EXPECT_EQ(route_over(lab, "hub-gw", "10.1.0.0/16", "hub-gw.er-ams.primary")->attributes->as_path,
            (std::vector<std::uint32_t>{12076, 65001}));
  EXPECT_FALSE(outage(lab, lab.instance("ams-ce1"), "10.100.0.0/16", undrained_at));
  EXPECT_FALSE(outage(lab, lab.instance("hub-gw"), "10.1.0.0/16", undrained_at));
  EXPECT_EQ(lab.trace_.size(), session_changes);
  EXPECT_EQ(lab.engine_.pending_count(), 0U);
}

// The MSEE shuts the session down: RFC 4486 Cease / Administrative Shutdown, sent by the MSEE
// and received by the CE. The CE moves at once, the gateway after its reconvergence delay, and
// the session stays down until the drain ends.
TEST(Drain, DisconnectShutsTheSessionDownWithACease) {
  Lab lab(maximum_with_site_ibgp());
  const topo::LinkId primary = lab.link("er-ams.primary");
  const topo::SessionId session = lab.session("er-ams.private.primary");
  std::vector<bgp::StateChange> changes;
  lab.net_.on_session_change([&](const SessionEvent& e) {
    if (e.session == session) {
      changes.push_back(e.change);
    }
  });

  lab.net_.drain_link(primary, DrainMethod::Disconnect);
  EXPECT_EQ(lab.net_.drained(primary), DrainMethod::Disconnect);
  lab.run_for(1s);
  const bgp::NotificationMessage cease{bgp::NotificationCode::Cease,
                                       bgp::kCeaseAdministrativeShutdown};
  const auto find = [&](Side side, bgp::StateReason reason) {
    return std::find_if(changes.begin(), changes.end(), [&](const bgp::StateChange& c) {
      return c.side == side && c.reason == reason;
    });
  };
  const auto shut = find(Side::B, bgp::StateReason::AdministrativeShutdown);
  ASSERT_NE(shut, changes.end());
  EXPECT_EQ(shut->from, bgp::SessionState::Established);
  EXPECT_EQ(shut->notification, cease);
  const auto told = find(Side::A, bgp::StateReason::NotificationReceived);
  ASSERT_NE(told, changes.end());
  EXPECT_EQ(told->notification, cease);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "ams-lan-ibgp");
  EXPECT_EQ(lab.via("ams-msee1", "10.1.0.0/16", "er-ams.private"), "(no route)");

  lab.run_for(60s);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), secondary());
  lab.run_for(300s);  // the CE retries; the MSEE refuses while drained
  EXPECT_NE(lab.net_.session_state(session, Side::B), bgp::SessionState::Established);

  lab.net_.undrain_link(primary);
  lab.run_for(200s);  // the CE's next connect retry (120 s, jittered), then the gateway
  EXPECT_EQ(lab.net_.session_state(session, Side::A), bgp::SessionState::Established);
  EXPECT_EQ(lab.net_.session_state(session, Side::B), bgp::SessionState::Established);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
}

// Draining by the other method undoes the first; by the same one changes nothing.
TEST(Drain, AnotherMethodReplacesTheFirst) {
  Lab lab(maximum_with_site_ibgp());
  const topo::LinkId primary = lab.link("er-ams.primary");
  const topo::SessionId session = lab.session("er-ams.private.primary");
  lab.net_.drain_link(primary, DrainMethod::Prepend);
  lab.net_.drain_link(primary, DrainMethod::Prepend);
  lab.run_for(61s);
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), secondary());
  lab.net_.drain_link(primary, DrainMethod::Disconnect);
  lab.run_for(61s);
  EXPECT_NE(lab.net_.session_state(session, Side::B), bgp::SessionState::Established);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "ams-lan-ibgp");
  lab.net_.undrain_link(primary);
  lab.run_for(200s);
  EXPECT_EQ(lab.net_.session_state(session, Side::B), bgp::SessionState::Established);
  // No prepending is left behind.
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"), both_legs());
}

TEST(Drain, BothMethodsAreDeterministic) {
  for (const DrainMethod method : {DrainMethod::Prepend, DrainMethod::Disconnect}) {
    const auto run = [method](std::uint64_t seed) {
      Lab lab(maximum_with_site_ibgp(), seed);
      lab.net_.drain_link(lab.link("er-ams.primary"), method);
      lab.run_for(120s);
      lab.net_.undrain_link(lab.link("er-ams.primary"));
      lab.run_for(300s);
      return lab.full_trace();
    };
    const std::vector<std::string> first = run(5);
    EXPECT_EQ(first, run(5)) << to_string(method);
    EXPECT_NE(first, run(6)) << to_string(method);
  }
}

// Only a link with an MSEE end can be drained: the customer's WAN cannot.
TEST(Drain, LinkWithoutAnMseeIsRefused) {
  Lab lab(example_text("maximum.yaml"));
  EXPECT_THROW(lab.net_.drain_link(lab.link("wan-1"), DrainMethod::Prepend), InternalError);
  EXPECT_EQ(lab.net_.drained(lab.link("wan-1")), std::nullopt);
  lab.net_.undrain_link(lab.link("wan-1"));  // not drained: nothing to do
}

}  // namespace
}  // namespace ersim::router
