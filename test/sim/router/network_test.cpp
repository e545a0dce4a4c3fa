// The control plane of a whole design: convergence, and failover after each kind of failure,
// with the times DESIGN §1 gives (BFD under a second, the hold timer within 3 minutes).
#include "sim/router/network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "test/sim/router/network_lab.hpp"

namespace ersim::router {
namespace {

using bgp::Side;
using namespace std::chrono_literals;
using testing::example_text;
using testing::Lab;
using testing::prefix;

// These tests time detection alone: the gateway's reconvergence delay after it is off here
// (gateway_reconvergence_test.cpp adds it).
NetworkOptions without_gateway_delay() {
  return testing::with_gateway_reconvergence(DelayDistribution::fixed(0s));
}

TEST(Network, MaximumDesignConvergesWithEverySessionEstablishedAndNothingPending) {
  Lab lab(example_text("maximum.yaml"));
  for (std::uint32_t s = 0; s < lab.topology_.sessions().size(); ++s) {
    for (const Side side : {Side::A, Side::B}) {
      EXPECT_EQ(lab.net_.session_state(topo::SessionId{s}, side), bgp::SessionState::Established)
          << lab.topology_.sessions()[s].name;
    }
  }
  EXPECT_EQ(lab.engine_.pending_count(), 0U);  // DESIGN §3: a converged network is quiet
  // On-premises reaches the VNet over the circuit its router is on.
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  // London's routers prefer Amsterdam's circuit, learned over iBGP with its local preference
  // of 200, as the design intends; Amsterdam's routers use their own links.
  EXPECT_EQ(lab.via("lon-ce2", "10.100.0.0/16"), "wan-2-ibgp");
  EXPECT_EQ(lab.via("ams-ce2", "10.100.0.0/16"), "er-ams.private.secondary");
  // The gateway prefers the weight-100 circuit and spreads over both of its links (ECMP).
  const auto gw = lab.net_.instance(lab.router("hub-gw"));
  const bgp::LocRibEntry* entry = lab.net_.rib(*gw).find(prefix("10.1.0.0/16"));
  ASSERT_NE(entry, nullptr);
  std::vector<std::string> paths;
  for (const bgp::Route& r : entry->multipath()) {
    paths.push_back(lab.topology_.session(r.session).name);
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
  // The MSEE's VRF of the circuit holds the customer's routes with the customer's AS.
  const bgp::Route* at_msee =
      lab.net_.best_route(lab.router("ams-msee1"), "er-ams.private", prefix("10.1.0.0/16"));
  ASSERT_NE(at_msee, nullptr);
  EXPECT_EQ(at_msee->attributes->as_path, (std::vector<std::uint32_t>{65001}));
  EXPECT_GT(lab.net_.stats().updates_sent, 0U);
}

TEST(Network, SilentPrimaryFailureIsDetectedByBfdInUnderASecond) {
  Lab lab(example_text("maximum.yaml"), 1, without_gateway_delay());
  const SimTime failed_at = lab.engine_.now() + 10s;
  lab.engine_.run_until(failed_at);
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Silent);
  lab.run_for(60s);
  const bgp::StateReason reason =
      *lab.net_.bgp_session(lab.session("er-ams.private.primary")).down_reason(Side::A);
  EXPECT_EQ(reason, bgp::StateReason::BfdDown);
  // The gateway now reaches Amsterdam over the secondary link alone.
  const auto gw = lab.net_.instance(lab.router("hub-gw"));
  const bgp::LocRibEntry* entry = lab.net_.rib(*gw).find(prefix("10.1.0.0/16"));
  ASSERT_NE(entry, nullptr);
  ASSERT_EQ(entry->multipath().size(), 1U);
  EXPECT_EQ(lab.topology_.session(entry->best().session).name, "hub-gw.er-ams.secondary");
  // BFD 300 ms x 3 detects in (0.6 s, 0.9 s]; a few milliseconds of propagation follow.
  const Duration took = lab.last_route_change_ - failed_at;
  EXPECT_GT(took, 600ms);
  EXPECT_LT(took, 950ms);
}

TEST(Network, SilentFailureWithoutBfdWaitsForTheHoldTimer) {
  std::string yaml = example_text("maximum.yaml");
  const std::string on = "bfd: {enabled: true";
  yaml.replace(yaml.find(on), on.size(), "bfd: {enabled: false");
  Lab lab(yaml, 1, without_gateway_delay());
  EXPECT_EQ(lab.net_.bfd_session(lab.link("er-ams.primary")), nullptr);
  const SimTime failed_at = lab.engine_.now();
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Silent);
  lab.run_for(200s);
  EXPECT_EQ(*lab.net_.bgp_session(lab.session("er-ams.private.primary")).down_reason(Side::A),
            bgp::StateReason::HoldTimerExpired);
  // Hold 180 s with keepalives every 60 s (jittered): expiry in (120 s, 180 s].
  const Duration took = lab.last_route_change_ - failed_at;
  EXPECT_GT(took, 120s);
  EXPECT_LT(took, 181s);
  // Its own circuit link is gone: it reaches the VNet through London's circuit, over the WAN.
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "wan-1-ibgp");
}

TEST(Network, CarrierLossIsSeenAtOnce) {
  Lab lab(example_text("maximum.yaml"), 1, without_gateway_delay());
  const SimTime failed_at = lab.engine_.now();
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Carrier);
  lab.run_for(60s);
  EXPECT_EQ(*lab.net_.bgp_session(lab.session("er-ams.private.primary")).down_reason(Side::A),
            bgp::StateReason::CarrierLost);
  EXPECT_LT(lab.last_route_change_ - failed_at, 50ms);
  EXPECT_EQ(lab.via("ams-msee1", "10.1.0.0/16", "er-ams.private"), "(no route)");
}

TEST(Network, RestoredLinkReestablishesAndTheGatewaySpreadsAgain) {
  Lab lab(example_text("maximum.yaml"));
  const topo::LinkId primary = lab.link("er-ams.primary");
  lab.net_.fail_link(primary, topo::FailureMode::Carrier);
  lab.run_for(60s);
  lab.net_.restore_link(primary);
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.net_.session_state(lab.session("er-ams.private.primary"), Side::A),
            bgp::SessionState::Established);
  const auto gw = lab.net_.instance(lab.router("hub-gw"));
  EXPECT_EQ(lab.net_.rib(*gw).find(prefix("10.1.0.0/16"))->multipath().size(), 2U);
  EXPECT_EQ(lab.engine_.pending_count(), 0U);
}

TEST(Network, MseeCrashMovesTrafficToTheOtherMsee) {
  Lab lab(example_text("maximum.yaml"));
  lab.net_.fail_router(lab.router("ams-msee1"), RouterFailure::Device);
  lab.run_for(2s);
  // ams-ce1 notices by BFD within a second and turns to London's circuit over the WAN.
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "wan-1-ibgp");
  EXPECT_EQ(*lab.net_.bgp_session(lab.session("er-ams.private.primary")).down_reason(Side::A),
            bgp::StateReason::BfdDown);
  // The gateway runs no BFD: it keeps the dead MSEE in its ECMP set until its hold timer
  // expires, up to 180 s later.
  const auto gw = lab.net_.instance(lab.router("hub-gw"));
  EXPECT_EQ(lab.net_.rib(*gw).find(prefix("10.1.0.0/16"))->multipath().size(), 2U);
  lab.run_for(180s);
  EXPECT_EQ(*lab.net_.bgp_session(lab.session("hub-gw.er-ams.primary")).down_reason(Side::A),
            bgp::StateReason::HoldTimerExpired);
  // Then the gateway reconverges, within 60 s (DESIGN §1).
  lab.run_for(60s);
  const bgp::LocRibEntry* entry = lab.net_.rib(*gw).find(prefix("10.1.0.0/16"));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(lab.topology_.session(entry->best().session).name, "hub-gw.er-ams.secondary");
}

TEST(Network, LosingBothAmsterdamLinksFailsOverToLondon) {
  Lab lab(example_text("maximum.yaml"));
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Carrier);
  lab.net_.fail_link(lab.link("er-ams.secondary"), topo::FailureMode::Carrier);
  lab.run_for(60s);
  const auto gw = lab.net_.instance(lab.router("hub-gw"));
  const bgp::LocRibEntry* entry = lab.net_.rib(*gw).find(prefix("10.1.0.0/16"));
  ASSERT_NE(entry, nullptr);
  std::vector<std::string> paths;
  for (const bgp::Route& r : entry->multipath()) {
    paths.push_back(lab.topology_.session(r.session).name);
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"hub-gw.er-lon.primary", "hub-gw.er-lon.secondary"}));
}

TEST(Network, SameSeedGivesTheSameTraceAndAnotherSeedOtherTimes) {
  const auto run = [](std::uint64_t seed) {
    Lab lab(example_text("maximum.yaml"), seed);
    lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Silent);
    lab.run_for(300s);
    return lab.trace_;
  };
  const std::vector<std::string> first = run(7);
  EXPECT_EQ(first, run(7));
  EXPECT_NE(first, run(8));
}

TEST(Network, PacketModeAgreesWithQuietModeOnTheOutcome) {
  NetworkOptions packet;
  packet.bgp_mode = bgp::BgpTimerMode::Packet;
  packet.bfd_mode = bfd::BfdMode::Packet;
  Lab lab(example_text("maximum.yaml"), 1, packet);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  const SimTime failed_at = lab.engine_.now();
  lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Silent);
  lab.engine_.run_until(failed_at + 5s);
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "wan-1-ibgp");
  EXPECT_EQ(*lab.net_.bgp_session(lab.session("er-ams.private.primary")).down_reason(Side::A),
            bgp::StateReason::BfdDown);
}

// ---- implementation profiles -----------------------------------------------------------------

// standard.yaml with ams-ce1's `bgp: {jitter: <jitter>}` and, when `bfd` is false, no BFD.
std::string standard_with_ce1_jitter(const std::string& jitter, bool bfd = true) {
  std::string yaml = example_text("standard.yaml");
  const std::string ce1 = "router_id: 10.1.255.1}";
  yaml.replace(yaml.find(ce1), ce1.size(), "router_id: 10.1.255.1, bgp: {jitter: " + jitter + "}}");
  if (!bfd) {
    const std::string on = "bfd: {enabled: true";
    yaml.replace(yaml.find(on), on.size(), "bfd: {enabled: false");
  }
  return yaml;
}

TEST(Network, RouterWithoutBgpJitterSendsKeepalivesExactlyOneIntervalApart) {
  NetworkOptions options = without_gateway_delay();
  options.bgp_mode = bgp::BgpTimerMode::Packet;
  Lab lab(standard_with_ce1_jitter("none"), 1, options);
  const topo::SessionId id = lab.session("er-ams.private.primary");
  ASSERT_EQ(lab.topology_.router(lab.topology_.session(id).a.router).name, "ams-ce1");
  const bgp::BgpSession& session = lab.net_.bgp_session(id);
  ASSERT_TRUE(session.established());
  lab.run_for(60s);  // past the UPDATEs of the cold start, which restart the timers too
  // A receiver restarts its hold timer at each KEEPALIVE, and neither end jitters its hold
  // timer here: each end's hold expiry moves by exactly the gap between the keepalives it
  // receives.
  std::vector<SimTime> at_msee;  // restarted by ams-ce1's keepalives
  std::vector<SimTime> at_ce;    // by the MSEE's
  for (int step = 0; step < 1200; ++step) {
    lab.run_for(500ms);
    for (auto [side, seen] : {std::pair{Side::B, &at_msee}, std::pair{Side::A, &at_ce}}) {
      const std::optional<SimTime> expiry = session.hold_expiry(side);
      ASSERT_TRUE(expiry.has_value());
      if (seen->empty() || seen->back() != *expiry) {
        seen->push_back(*expiry);
      }
    }
  }
  ASSERT_GE(at_msee.size(), 9U);
  for (std::size_t i = 1; i < at_msee.size(); ++i) {
    EXPECT_EQ(at_msee[i] - at_msee[i - 1], 60s) << "keepalive " << i << " of ams-ce1";
  }
  // The MSEE keeps RFC 4271 §10's jitter: its keepalives come 45-60 s apart.
  ASSERT_GE(at_ce.size(), 10U);
  bool jittered = false;
  for (std::size_t i = 1; i < at_ce.size(); ++i) {
    const Duration gap = at_ce[i] - at_ce[i - 1];
    EXPECT_GE(gap, 45s);
    EXPECT_LE(gap, 60s);
    jittered = jittered || gap != 60s;
  }
  EXPECT_TRUE(jittered);
}

// How long after a silent failure of ams-ce1's primary link, without BFD, ams-ce1's own hold
// timer expires, for each seed.
std::vector<Duration> ce1_hold_detections(const std::string& jitter) {
  std::vector<Duration> detections;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Lab lab(standard_with_ce1_jitter(jitter, false), seed, without_gateway_delay());
    const topo::SessionId id = lab.session("er-ams.private.primary");
    std::optional<SimTime> detected;
    lab.net_.on_session_change([&](const SessionEvent& e) {
      if (e.session == id && e.change.side == Side::A &&
          e.change.reason == bgp::StateReason::HoldTimerExpired && !detected) {
        detected = e.change.at;
      }
    });
    lab.run_for(10min);  // long after the keepalive that made the session Established
    const SimTime failed_at = lab.engine_.now();
    lab.net_.fail_link(lab.link("er-ams.primary"), topo::FailureMode::Silent);
    lab.run_for(200s);
    EXPECT_TRUE(detected.has_value()) << "seed " << seed;
    detections.push_back(detected.value_or(failed_at) - failed_at);
  }
  return detections;
}

TEST(Network, HoldTimerJitterLetsSilentFailuresBeDetectedSooner) {
  // RFC 4271: the hold timer runs its full 180 s from the last keepalive, which came at most
  // 60 s before the failure, so detection takes 120-180 s.
  const std::vector<Duration> rfc = ce1_hold_detections("rfc4271");
  const auto [rfc_lo, rfc_hi] = std::minmax_element(rfc.begin(), rfc.end());
  EXPECT_GE(*rfc_lo, 120s);
  EXPECT_LE(*rfc_hi, 180s);
  // With the hold timer jittered too it runs 135-180 s, so detection can come before 120 s.
  const std::vector<Duration> with_hold = ce1_hold_detections("with-hold");
  const auto [lo, hi] = std::minmax_element(with_hold.begin(), with_hold.end());
  EXPECT_GT(*lo, 75s);
  EXPECT_LT(*lo, 120s);
  EXPECT_LE(*hi, 180s);
}

// ---- max-prefix ------------------------------------------------------------------------------

// `count` /28s inside 10.1.0.0/16, the site prefix standard.yaml's legs advertise.
std::vector<Ipv4Prefix> site_more_specifics(std::uint32_t count) {
  std::vector<Ipv4Prefix> prefixes;
  for (std::uint32_t i = 0; i < count; ++i) {
    prefixes.emplace_back(Ipv4Address(0x0a010000U + i * 16U), 28);
  }
  return prefixes;
}

// The MSEE end of a circuit's private peering session (b), and what it and the CE end saw.
struct MaxPrefixWatch {
  explicit MaxPrefixWatch(Lab& lab) : session(lab.session("er-ams.private.primary")) {
    lab.net_.on_session_change([this](const SessionEvent& e) {
      if (e.session == session) {
        changes.push_back(e.change);
      }
    });
  }
  [[nodiscard]] const bgp::StateChange* find(Side side, bgp::StateReason reason) const {
    const auto it = std::find_if(changes.begin(), changes.end(), [&](const bgp::StateChange& c) {
      return c.side == side && c.reason == reason;
    });
    return it == changes.end() ? nullptr : &*it;
  }
  topo::SessionId session;
  std::vector<bgp::StateChange> changes;
};

// DESIGN §1 and Microsoft's ExpressRoute limits: private peering takes 4,000 prefixes per
// session; over that "the BGP session is dropped", and it comes back once the count falls
// back. The CE floods its primary MSEE with 4,000 more specifics on top of the site's /16.
// The gateway follows the MSEE at once here: its reconvergence is not what is tested.
TEST(Network, MaxPrefixExceededDropsTheSessionUntilThePeerWithdraws) {
  Lab lab(example_text("standard.yaml"), 1, without_gateway_delay());
  MaxPrefixWatch watch(lab);
  const topo::RouterId ce = lab.router("ams-ce1");
  const std::vector<Ipv4Prefix> extra = site_more_specifics(4000);
  for (const Ipv4Prefix& p : extra) {
    lab.net_.advertise(ce, "", p);
  }
  lab.run_for(10s);

  // RFC 4486 §4: the MSEE end sends Cease / Maximum Number of Prefixes Reached; the CE end
  // receives it.
  const bgp::StateChange* drop = watch.find(Side::B, bgp::StateReason::MaxPrefixExceeded);
  ASSERT_NE(drop, nullptr);
  EXPECT_EQ(drop->from, bgp::SessionState::Established);
  EXPECT_EQ(drop->to, bgp::SessionState::Idle);
  const bgp::NotificationMessage cease{bgp::NotificationCode::Cease, bgp::kCeaseMaximumPrefixes};
  EXPECT_EQ(drop->notification, cease);
  const bgp::StateChange* told = watch.find(Side::A, bgp::StateReason::NotificationReceived);
  ASSERT_NE(told, nullptr);
  EXPECT_EQ(told->notification, cease);
  // Everything the session brought is gone: the MSEE's VRF has no route to the site, the
  // gateway keeps the secondary leg only, and none of the flood reached it.
  EXPECT_EQ(lab.via("amsterdam-msee1", "10.1.0.0/16", "er-ams.private"), "(no route)");
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"),
            (std::vector<std::string>{"hub-gw.er-ams.secondary"}));
  EXPECT_TRUE(lab.gateway_paths("10.1.0.16/28").empty());

  // The MSEE refuses the CE's reconnection attempts while the CE still has 4,001 to send.
  lab.run_for(300s);
  EXPECT_NE(lab.net_.session_state(watch.session, Side::B), bgp::SessionState::Established);
  EXPECT_NE(lab.net_.session_state(watch.session, Side::A), bgp::SessionState::Established);

  // The CE withdraws the flood at one instant: one recount, and the session comes back at the
  // CE's next connect retry (120 s, jittered).
  const std::uint64_t recounts = lab.net_.stats().max_prefix_recounts;
  for (const Ipv4Prefix& p : extra) {
    lab.net_.withdraw(ce, "", p);
  }
  lab.run_for(150s);
  EXPECT_EQ(lab.net_.stats().max_prefix_recounts, recounts + 1);
  EXPECT_NE(watch.find(Side::B, bgp::StateReason::MaxPrefixCleared), nullptr);
  EXPECT_EQ(lab.net_.session_state(watch.session, Side::A), bgp::SessionState::Established);
  EXPECT_EQ(lab.net_.session_state(watch.session, Side::B), bgp::SessionState::Established);
  EXPECT_EQ(lab.via("amsterdam-msee1", "10.1.0.0/16", "er-ams.private"), "er-ams.private.primary");
  EXPECT_EQ(lab.gateway_paths("10.1.0.0/16"),
            (std::vector<std::string>{"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"}));
  EXPECT_EQ(lab.via("ams-ce1", "10.100.0.0/16"), "er-ams.private.primary");
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.engine_.pending_count(), 0U);
}

// The limit itself is allowed (the drop is at more than 4,000): one prefix over stays down,
// exactly the limit comes back.
TEST(Network, MaxPrefixRecoversOnlyOnceTheCountIsAtTheLimit) {
  Lab lab(example_text("standard.yaml"));
  MaxPrefixWatch watch(lab);
  const topo::RouterId ce = lab.router("ams-ce1");
  const std::vector<Ipv4Prefix> extra = site_more_specifics(4001);  // 4,002 with the /16
  for (const Ipv4Prefix& p : extra) {
    lab.net_.advertise(ce, "", p);
  }
  lab.run_for(10s);
  ASSERT_NE(watch.find(Side::B, bgp::StateReason::MaxPrefixExceeded), nullptr);

  lab.net_.withdraw(ce, "", extra[0]);  // 4,001: still over
  lab.run_for(300s);
  EXPECT_EQ(watch.find(Side::B, bgp::StateReason::MaxPrefixCleared), nullptr);
  EXPECT_NE(lab.net_.session_state(watch.session, Side::B), bgp::SessionState::Established);

  lab.net_.withdraw(ce, "", extra[1]);  // 4,000: at the limit
  lab.run_for(150s);
  EXPECT_EQ(lab.net_.session_state(watch.session, Side::B), bgp::SessionState::Established);
  // The MSEE holds all 4,000 again, and no more drops followed.
  const auto vrf = lab.net_.instance(lab.router("amsterdam-msee1"), "er-ams.private");
  EXPECT_EQ(lab.net_.rib(*vrf).adj_rib_in(watch.session).size(), 4000U);
  EXPECT_EQ(std::count_if(watch.changes.begin(), watch.changes.end(),
                          [](const bgp::StateChange& c) {
                            return c.reason == bgp::StateReason::MaxPrefixExceeded;
                          }),
            1);
}

// advertise() sends a router's own prefix over the sessions whose end lists it or a covering
// prefix; withdraw() takes it back, everywhere it went.
TEST(Network, AdvertisedMoreSpecificFollowsTheCoveringPrefixAndIsWithdrawn) {
  Lab lab(example_text("maximum-vpn.yaml"));
  const topo::RouterId ce = lab.router("par-ce1");
  lab.net_.advertise(ce, "", prefix("10.3.7.0/24"));
  lab.engine_.run_until_quiet();
  // Inside the site's 10.3.0.0/16: over both circuits' legs on par-ce1 and the VPN tunnel,
  // whose CE end advertises the site too.
  EXPECT_EQ(lab.via("paris-msee1", "10.3.7.0/24", "er-par.private"), "er-par.private.primary");
  EXPECT_EQ(lab.via("marseille-msee1", "10.3.7.0/24", "er-mrs.private"), "er-mrs.private.primary");
  // The VNet's one table (its gateway and its VPN gateway) learns it over the tunnel too, and
  // prefers ExpressRoute.
  const auto vnet = lab.net_.instance(lab.router("hub-gw-vpn"));
  ASSERT_EQ(vnet, lab.net_.instance(lab.router("hub-gw")));
  const bgp::LocRibEntry* entry = lab.net_.rib(*vnet).find(prefix("10.3.7.0/24"));
  ASSERT_NE(entry, nullptr);
  EXPECT_TRUE(
      std::any_of(entry->candidates().begin(), entry->candidates().end(), [&](const bgp::Route& r) {
        return lab.topology_.session(r.session).name == "hub-gw-vpn.par-ce1";
      }));
  // The last step that mattered is between the two circuits (weight 10 against 0); the tunnel
  // fell at the step before, ExpressRoute over VPN.
  EXPECT_EQ(lab.via("hub-gw-vpn", "10.3.7.0/24"), "hub-gw.er-par.primary");
  EXPECT_EQ(entry->reason(), bgp::DecisionReason::HigherConnectionWeight);
  // Outside every advertised prefix: it stays on the router.
  lab.net_.advertise(ce, "", prefix("172.16.0.0/24"));
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.via("par-ce1", "172.16.0.0/24"), "(local)");
  EXPECT_EQ(lab.via("paris-msee1", "172.16.0.0/24", "er-par.private"), "(no route)");

  lab.net_.withdraw(ce, "", prefix("10.3.7.0/24"));
  lab.engine_.run_until_quiet();
  EXPECT_EQ(lab.via("par-ce1", "10.3.7.0/24"), "(no route)");
  EXPECT_EQ(lab.via("paris-msee1", "10.3.7.0/24", "er-par.private"), "(no route)");
  EXPECT_EQ(lab.via("hub-gw", "10.3.7.0/24"), "(no route)");
  EXPECT_EQ(lab.engine_.pending_count(), 0U);
}

}  // namespace
}  // namespace ersim::router
