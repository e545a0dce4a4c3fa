#include "sim/bgp/session.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace ersim::bgp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using topo::FailureMode;

SimTime at(Duration d) { return kTimeZero + d; }

SpeakerConfig speaker(std::uint32_t asn, std::uint32_t id, Duration hold = seconds(180),
                      Duration keepalive = seconds(60)) {
  return {
      .asn = asn, .router_id = Ipv4Address(id), .timers = {.keepalive = keepalive, .hold = hold}};
}

SessionConfig express_route(BgpTimerMode mode = BgpTimerMode::Quiet) {
  return {.a = speaker(65001, 0x0a000001),
          .b = speaker(12076, 0x0a000002),
          .latency = milliseconds(1),
          .mode = mode};
}

// A session on a fresh engine, with every state change and UPDATE it reports.
struct Harness {
  explicit Harness(const SessionConfig& config, std::uint64_t seed = 1)
      : streams(seed), session(engine, streams, 7, config) {
    session.on_state_change([this](const StateChange& change) {
      changes.push_back(change);
      if (stop_when_established && session.established()) {
        engine.stop();
      }
    });
    session.on_update([this](Side side, const UpdateMessage& update) {
      updates.push_back({engine.now(), side, update});
    });
  }

  // Runs until both ends are Established; false if that does not happen by `limit`.
  bool establish(Duration limit = seconds(1)) {
    stop_when_established = true;
    session.start();
    if (!session.established()) {
      engine.run_until(engine.now() + limit);
    }
    stop_when_established = false;
    return session.established();
  }

  std::vector<StateChange> of(Side side) const {
    std::vector<StateChange> out;
    for (const StateChange& change : changes) {
      if (change.side == side) {
        out.push_back(change);
      }
    }
    return out;
  }

  // The first change of `side` to Idle at or after `since`.
  std::optional<StateChange> first_down(Side side, SimTime since) const {
    for (const StateChange& change : changes) {
      if (change.side == side && change.to == SessionState::Idle && change.at >= since) {
        return change;
      }
    }
    return std::nullopt;
  }

  std::string trace() const {
    std::string out;
    for (const StateChange& c : changes) {
      out += fmt::format("{} {} {} -> {}: {}{}\n", format_time(c.at), to_string(c.side),
                         to_string(c.from), to_string(c.to), to_string(c.reason),
                         c.notification ? " (" + to_string(*c.notification) + ")" : "");
    }
    return out;
  }

  struct Received {
    SimTime at;
    Side side;
    UpdateMessage update;
  };

  Engine engine;
  RandomStreams streams;
  BgpSession session;
  std::vector<StateChange> changes;
  std::vector<Received> updates;
  bool stop_when_established = false;
};

struct Step {
  Duration at;
  SessionState to;
  StateReason reason;
};

void expect_steps(const std::vector<StateChange>& changes, const std::vector<Step>& steps) {
  ASSERT_EQ(changes.size(), steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(changes[i].at, at(steps[i].at)) << "step " << i;
    EXPECT_EQ(changes[i].to, steps[i].to) << "step " << i;
    EXPECT_EQ(changes[i].reason, steps[i].reason) << "step " << i;
  }
}

void expect_establishment_sequence(const Harness& h) {
  // A opens: SYN, SYN-ACK after one round trip, OPENs crossing, KEEPALIVEs confirming.
  expect_steps(h.of(Side::A),
               {{Duration::zero(), SessionState::Connect, StateReason::ManualStart},
                {milliseconds(2), SessionState::OpenSent, StateReason::TcpEstablished},
                {milliseconds(2), SessionState::OpenConfirm, StateReason::OpenReceived},
                {milliseconds(4), SessionState::Established, StateReason::KeepaliveReceived}});
  expect_steps(h.of(Side::B),
               {{Duration::zero(), SessionState::Active, StateReason::ManualStart},
                {milliseconds(1), SessionState::OpenSent, StateReason::TcpEstablished},
                {milliseconds(3), SessionState::OpenConfirm, StateReason::OpenReceived},
                {milliseconds(3), SessionState::Established, StateReason::KeepaliveReceived}});
}

// A design of 10,000 circuits has 45,000 sessions. jemalloc rounds an allocation up to its
// size class (..., 640, 768, 896, 1,024): 25 bytes more per session would cost 5.5 MiB. Its
// eight timers share one handler and the engine (core/timer_set.hpp) to stay within 768.
TEST(BgpSession, FitsInJemallocs768ByteClass) { EXPECT_LE(sizeof(BgpSession), 768U); }

TEST(BgpSession, IdleManualStartQuietModeEstablishesAndSchedulesNothing) {
  Harness h(express_route(BgpTimerMode::Quiet));
  ASSERT_TRUE(h.establish());
  expect_establishment_sequence(h);
  h.engine.run_until(at(seconds(10)));
  EXPECT_EQ(h.engine.pending_count(), 0U);
  EXPECT_EQ(h.session.negotiated_hold(), seconds(180));
  EXPECT_EQ(h.session.keepalive_interval(Side::A), seconds(60));
  EXPECT_FALSE(h.session.hold_expiry(Side::A).has_value());
  h.engine.run_until(at(seconds(86400)));
  EXPECT_TRUE(h.session.established());
  EXPECT_EQ(h.changes.size(), 8U);
}

TEST(BgpSession, IdleManualStartPacketModeEstablishesAndKeepalivesRestartHold) {
  Harness h(express_route(BgpTimerMode::Packet));
  ASSERT_TRUE(h.establish());
  expect_establishment_sequence(h);
  h.engine.run_until(at(seconds(3600)));
  EXPECT_TRUE(h.session.established());
  EXPECT_EQ(h.changes.size(), 8U);
  EXPECT_GT(h.engine.pending_count(), 0U);
  // The last KEEPALIVE arrived less than one keepalive interval ago.
  for (Side side : {Side::A, Side::B}) {
    const auto expiry = h.session.hold_expiry(side);
    ASSERT_TRUE(expiry.has_value());
    EXPECT_GT(*expiry, at(seconds(3600 + 120)));
    EXPECT_LE(*expiry, at(seconds(3600 + 180)));
  }
}

TEST(BgpSession, OpenSentHoldNegotiationTakesTheLowerHoldAndAThirdForKeepalive) {
  SessionConfig config = express_route();
  config.b = speaker(12076, 2, seconds(90));
  Harness h(config);
  ASSERT_TRUE(h.establish());
  EXPECT_EQ(h.session.negotiated_hold(), seconds(90));
  EXPECT_EQ(h.session.keepalive_interval(Side::A), seconds(30));
  EXPECT_EQ(h.session.keepalive_interval(Side::B), seconds(30));
}

TEST(BgpSession, OpenSentHoldZeroMeansNoKeepalivesEvenInPacketMode) {
  SessionConfig config = express_route(BgpTimerMode::Packet);
  config.a = speaker(65001, 1, seconds(0));
  Harness h(config);
  ASSERT_TRUE(h.establish());
  EXPECT_EQ(h.session.negotiated_hold(), Duration::zero());
  h.engine.run_until(at(seconds(10)));
  EXPECT_EQ(h.engine.pending_count(), 0U);
  // Nothing notices a silent path: only BFD could.
  h.session.path_failed(FailureMode::Silent);
  h.engine.run_until(at(seconds(3600)));
  EXPECT_TRUE(h.session.established());
}

TEST(BgpSession, OpenSentHoldTwoSecondsRefusedWithNotification) {
  SessionConfig config = express_route();
  config.b = speaker(12076, 2, seconds(2), seconds(1));
  Harness h(config);
  EXPECT_FALSE(h.establish(seconds(600)));
  // A refuses B's OPEN (RFC 4271 §6.2); B hears why and drops too.
  const auto a_down = h.first_down(Side::A, kTimeZero);
  ASSERT_TRUE(a_down.has_value());
  EXPECT_EQ(a_down->at, at(milliseconds(2)));
  EXPECT_EQ(a_down->reason, StateReason::UnacceptableHoldTime);
  const NotificationMessage refused{NotificationCode::OpenMessageError, kUnacceptableHoldTime};
  EXPECT_EQ(a_down->notification, refused);
  const auto b_down = h.first_down(Side::B, kTimeZero);
  ASSERT_TRUE(b_down.has_value());
  EXPECT_EQ(b_down->reason, StateReason::NotificationReceived);
  EXPECT_EQ(b_down->notification, refused);
  EXPECT_EQ(to_string(refused), "open message error/unacceptable hold time");
}

void silent_failure_detected_by_hold_timer(BgpTimerMode mode) {
  Harness h(express_route(mode));
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.path_failed(FailureMode::Silent);
  EXPECT_TRUE(h.session.established());
  h.engine.run_until(t0 + seconds(200));
  for (Side side : {Side::A, Side::B}) {
    const auto down = h.first_down(side, t0);
    ASSERT_TRUE(down.has_value());
    EXPECT_EQ(down->from, SessionState::Established);
    EXPECT_EQ(down->reason, StateReason::HoldTimerExpired);
    EXPECT_EQ(down->notification, NotificationMessage{NotificationCode::HoldTimerExpired});
    EXPECT_GT(down->at, t0 + seconds(120));
    EXPECT_LE(down->at, t0 + seconds(180));
  }
  // Each end starts again by itself and waits for the path.
  EXPECT_EQ(h.session.state(Side::A), SessionState::Connect);
  EXPECT_EQ(h.session.state(Side::B), SessionState::Active);
  h.session.path_restored();
  h.engine.run_until(t0 + seconds(201));
  EXPECT_TRUE(h.session.established());
}

TEST(BgpSession, EstablishedSilentPathHoldTimerExpiresSendsNotificationQuiet) {
  silent_failure_detected_by_hold_timer(BgpTimerMode::Quiet);
}

TEST(BgpSession, EstablishedSilentPathHoldTimerExpiresSendsNotificationPacket) {
  silent_failure_detected_by_hold_timer(BgpTimerMode::Packet);
}

TEST(BgpSession, EstablishedSilentPathRestoredBeforeExpiryStaysUpAndQuietAgain) {
  Harness h(express_route(BgpTimerMode::Quiet));
  ASSERT_TRUE(h.establish());
  h.engine.run_until(at(seconds(1000)));
  h.session.path_failed(FailureMode::Silent);
  EXPECT_TRUE(h.session.hold_expiry(Side::A).has_value());
  h.engine.run_until(at(seconds(1100)));
  h.session.path_restored();
  EXPECT_EQ(h.engine.pending_count(), 0U);
  h.engine.run_until(at(seconds(5000)));
  EXPECT_TRUE(h.session.established());
  EXPECT_EQ(h.changes.size(), 8U);
}

TEST(BgpSession, EstablishedCarrierLostBothEndsDownAtOnce) {
  Harness h(express_route());
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.path_failed(FailureMode::Carrier);
  for (Side side : {Side::A, Side::B}) {
    const auto down = h.first_down(side, t0);
    ASSERT_TRUE(down.has_value());
    EXPECT_EQ(down->at, t0);
    EXPECT_EQ(down->reason, StateReason::CarrierLost);
    EXPECT_EQ(h.session.down_reason(side), StateReason::CarrierLost);
  }
  EXPECT_EQ(to_string(StateReason::CarrierLost), "carrier lost");
  EXPECT_EQ(h.session.state(Side::A), SessionState::Connect);
  EXPECT_EQ(h.session.state(Side::B), SessionState::Active);
  // The connection attempt waits for the interface; it goes through once carrier is back.
  h.engine.run_until(t0 + seconds(10));
  h.session.path_restored();
  h.engine.run_until(t0 + seconds(10) + milliseconds(4));
  EXPECT_TRUE(h.session.established());
}

TEST(BgpSession, EstablishedProcessFailedPeerSeesConnectionCloseAtOnce) {
  Harness h(express_route());
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.process_failed(Side::A);
  EXPECT_EQ(h.session.state(Side::A), SessionState::Idle);
  EXPECT_EQ(h.session.last_reason(Side::A), StateReason::ProcessFailed);
  h.engine.run_until(t0 + milliseconds(1));
  const auto down = h.first_down(Side::B, t0);
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(down->at, t0 + milliseconds(1));
  EXPECT_EQ(down->reason, StateReason::PeerClosed);
  EXPECT_EQ(to_string(down->reason), "peer closed connection");
  // The active end comes back and connects at once; the passive end was listening.
  h.engine.run_until(t0 + seconds(60));
  EXPECT_EQ(h.session.state(Side::A), SessionState::Idle);
  h.session.restarted(Side::A);
  h.engine.run_until(t0 + seconds(60) + milliseconds(4));
  EXPECT_TRUE(h.session.established());
}

void device_failure_detected_by_hold_timer(BgpTimerMode mode) {
  Harness h(express_route(mode));
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.device_failed(Side::B);
  EXPECT_EQ(h.session.state(Side::B), SessionState::Idle);
  EXPECT_EQ(h.session.state(Side::A), SessionState::Established);
  h.engine.run_until(t0 + seconds(200));
  const auto down = h.first_down(Side::A, t0);
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(down->reason, StateReason::HoldTimerExpired);
  EXPECT_GT(down->at, t0 + seconds(120));
  EXPECT_LE(down->at, t0 + seconds(180));
}

TEST(BgpSession, EstablishedPeerDeviceFailedHoldTimerExpiresQuiet) {
  device_failure_detected_by_hold_timer(BgpTimerMode::Quiet);
}

TEST(BgpSession, EstablishedPeerDeviceFailedHoldTimerExpiresPacket) {
  device_failure_detected_by_hold_timer(BgpTimerMode::Packet);
}

TEST(BgpSession, EstablishedPeerDeviceRestartedBeforeHoldExpiryResetDropsStaleSession) {
  // The restarted box answers the next KEEPALIVE on the old connection with a reset, in both
  // modes, well before the hold timer.
  for (BgpTimerMode mode : {BgpTimerMode::Quiet, BgpTimerMode::Packet}) {
    Harness h(express_route(mode));
    ASSERT_TRUE(h.establish());
    const SimTime t0 = at(seconds(1000));
    h.engine.run_until(t0);
    h.session.device_failed(Side::B);
    h.engine.run_until(t0 + seconds(30));
    h.session.restarted(Side::B);
    h.engine.run_until(t0 + seconds(30) + seconds(61));
    const auto down = h.first_down(Side::A, t0);
    ASSERT_TRUE(down.has_value()) << to_string(mode);
    EXPECT_EQ(down->reason, StateReason::PeerClosed) << to_string(mode);
    EXPECT_LE(down->at, t0 + seconds(30 + 60) + milliseconds(2)) << to_string(mode);
  }
}

TEST(BgpSession, EstablishedBfdDownGoesDownAtOnce) {
  Harness h(express_route());
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.path_failed(FailureMode::Silent);
  h.engine.run_until(t0 + milliseconds(900));
  h.session.bfd_down(Side::A);
  h.session.bfd_down(Side::B);
  for (Side side : {Side::A, Side::B}) {
    const auto down = h.first_down(side, t0);
    ASSERT_TRUE(down.has_value());
    EXPECT_EQ(down->at, t0 + milliseconds(900));
    EXPECT_EQ(down->reason, StateReason::BfdDown);
    EXPECT_EQ(to_string(down->reason), "BFD down");
  }
  // No hold timer is left to fire later.
  h.engine.run_until(t0 + seconds(300));
  EXPECT_EQ(h.session.down_reason(Side::A), StateReason::BfdDown);
  EXPECT_EQ(h.session.down_reason(Side::B), StateReason::BfdDown);
}

TEST(BgpSession, EstablishedAdminStopPeerReceivesCeaseAndGoesIdle) {
  Harness h(express_route());
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.admin_stop(Side::B);
  const NotificationMessage cease{NotificationCode::Cease, kCeaseAdministrativeShutdown};
  const auto b_down = h.first_down(Side::B, t0);
  ASSERT_TRUE(b_down.has_value());
  EXPECT_EQ(b_down->reason, StateReason::AdministrativeShutdown);
  EXPECT_EQ(b_down->notification, cease);
  h.engine.run_until(t0 + milliseconds(1));
  const auto a_down = h.first_down(Side::A, t0);
  ASSERT_TRUE(a_down.has_value());
  EXPECT_EQ(a_down->at, t0 + milliseconds(1));
  EXPECT_EQ(a_down->reason, StateReason::NotificationReceived);
  EXPECT_EQ(a_down->notification, cease);
  // A keeps trying and is refused while B is shut down.
  h.engine.run_until(t0 + seconds(1000));
  EXPECT_EQ(h.session.state(Side::B), SessionState::Idle);
  EXPECT_FALSE(h.session.established());
  h.session.admin_start(Side::B);
  h.engine.run_until(t0 + seconds(1000 + 121));
  EXPECT_TRUE(h.session.established());
}

TEST(BgpSession, EstablishedMaxPrefixExceededSendsCeaseAndStaysDownUntilCleared) {
  Harness h(express_route());
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.max_prefix_exceeded(Side::A);
  const auto a_down = h.first_down(Side::A, t0);
  ASSERT_TRUE(a_down.has_value());
  EXPECT_EQ(a_down->reason, StateReason::MaxPrefixExceeded);
  const NotificationMessage cease{NotificationCode::Cease, kCeaseMaximumPrefixes};
  EXPECT_EQ(a_down->notification, cease);
  EXPECT_EQ(to_string(cease), "cease/maximum number of prefixes reached");
  h.engine.run_until(t0 + seconds(3600));
  const auto b_down = h.first_down(Side::B, t0);
  ASSERT_TRUE(b_down.has_value());
  EXPECT_EQ(b_down->notification, cease);
  EXPECT_EQ(h.session.state(Side::A), SessionState::Idle);
  EXPECT_EQ(h.of(Side::A).back().to, SessionState::Idle);  // no attempt since
  h.session.max_prefix_cleared(Side::A);
  EXPECT_EQ(h.session.last_reason(Side::A), StateReason::MaxPrefixCleared);
  h.engine.run_until(t0 + seconds(3600) + milliseconds(4));
  EXPECT_TRUE(h.session.established());
}

TEST(BgpSession, IdleMaxPrefixRestartIntervalStartsAgainByItself) {
  SessionConfig config = express_route();
  config.b.max_prefix_restart = seconds(300);
  Harness h(config);
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.max_prefix_exceeded(Side::B);
  h.engine.run_until(t0 + seconds(299));
  EXPECT_EQ(h.session.state(Side::B), SessionState::Idle);
  h.engine.run_until(t0 + seconds(300));
  EXPECT_EQ(h.session.state(Side::B), SessionState::Active);
  EXPECT_EQ(h.session.last_reason(Side::B), StateReason::IdleHoldExpired);
  // A was refused meanwhile; its next connect retry finds B listening.
  h.engine.run_until(t0 + seconds(300 + 121));
  EXPECT_TRUE(h.session.established());
}

TEST(BgpSession, IdleRestartedPassiveEndReestablishesAfterConnectRetry) {
  Harness h(express_route());
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  h.session.process_failed(Side::B);
  // A sees the close, starts again, is refused by B's kernel and waits in Active.
  h.engine.run_until(t0 + milliseconds(3));
  EXPECT_EQ(h.session.state(Side::A), SessionState::Active);
  EXPECT_EQ(h.session.last_reason(Side::A), StateReason::TcpFailed);
  h.engine.run_until(t0 + seconds(10));
  h.session.restarted(Side::B);
  EXPECT_EQ(h.session.state(Side::B), SessionState::Active);
  h.engine.run_until(t0 + seconds(89));
  EXPECT_FALSE(h.session.established());
  // RFC 4271 §10 jitter: the retry comes 90 to 120 s after the refusal.
  h.engine.run_until(t0 + seconds(120) + milliseconds(10));
  EXPECT_TRUE(h.session.established());
  const auto reconnect = std::find_if(h.changes.begin(), h.changes.end(), [&](const auto& c) {
    return c.side == Side::A && c.reason == StateReason::ConnectRetry;
  });
  ASSERT_NE(reconnect, h.changes.end());
  EXPECT_GE(reconnect->at, t0 + seconds(90));
}

TEST(BgpSession, ConnectSilentPathAfterSynOpenSentHoldTimerExpiresSendsNotification) {
  Harness h(express_route());
  h.session.start();
  h.engine.run_until(at(milliseconds(1)) + Duration(1));
  EXPECT_EQ(h.session.state(Side::B), SessionState::OpenSent);
  h.session.path_failed(FailureMode::Silent);
  h.engine.run_until(at(seconds(300)));
  const auto down = h.first_down(Side::B, kTimeZero);
  ASSERT_TRUE(down.has_value());
  // RFC 4271 §8.2.2: OpenSent runs a 4-minute hold timer.
  EXPECT_EQ(down->at, at(milliseconds(1) + seconds(240)));
  EXPECT_EQ(down->from, SessionState::OpenSent);
  EXPECT_EQ(down->reason, StateReason::HoldTimerExpired);
  EXPECT_EQ(h.session.state(Side::A), SessionState::Connect);
}

TEST(BgpSession, EstablishedUpdateDeliveredAfterLatencyInOrderOnlyWhenEstablished) {
  AttributeTable table;
  Harness h(express_route());
  const Ipv4Prefix vnet = Ipv4Prefix::parse_or_throw("10.1.0.0/16");
  const Ipv4Prefix site = Ipv4Prefix::parse_or_throw("192.168.0.0/24");
  const UpdateMessage announce{.attributes = table.intern({.as_path = {12076}}),
                               .announced = {vnet}};
  const UpdateMessage withdraw{.withdrawn = {vnet}};
  EXPECT_FALSE(h.session.send_update(Side::B, announce));
  ASSERT_TRUE(h.establish());
  const SimTime t0 = at(seconds(10));
  h.engine.run_until(t0);
  EXPECT_TRUE(h.session.send_update(Side::B, announce));
  EXPECT_TRUE(h.session.send_update(Side::B, withdraw));
  EXPECT_TRUE(h.session.send_update(
      Side::A, {.attributes = table.intern({.as_path = {65001}}), .announced = {site}}));
  h.engine.run_until(t0 + milliseconds(1));
  ASSERT_EQ(h.updates.size(), 3U);
  EXPECT_EQ(h.updates[0].at, t0 + milliseconds(1));
  EXPECT_EQ(h.updates[0].side, Side::A);
  EXPECT_EQ(h.updates[0].update, announce);
  EXPECT_EQ(h.updates[1].update, withdraw);
  EXPECT_EQ(h.updates[2].side, Side::B);
  // During a silent outage TCP holds the UPDATE and delivers it after the repair.
  h.session.path_failed(FailureMode::Silent);
  EXPECT_TRUE(h.session.send_update(Side::B, withdraw));
  h.engine.run_until(t0 + seconds(60));
  EXPECT_EQ(h.updates.size(), 3U);
  h.session.path_restored();
  h.engine.run_until(t0 + seconds(60) + milliseconds(1));
  ASSERT_EQ(h.updates.size(), 4U);
  EXPECT_EQ(h.updates[3].at, t0 + seconds(60) + milliseconds(1));
  // Once down, nothing is sent.
  h.session.admin_stop(Side::A);
  EXPECT_FALSE(h.session.send_update(Side::A, announce));
}

std::string failure_trace(std::uint64_t seed, BgpTimerMode mode) {
  Harness h(express_route(mode), seed);
  h.session.start();
  h.engine.run_until(at(seconds(1000)));
  h.session.path_failed(FailureMode::Silent);
  h.engine.run_until(at(seconds(1400)));
  h.session.path_restored();
  h.engine.run_until(at(seconds(2000)));
  h.session.process_failed(Side::B);
  h.engine.run_until(at(seconds(2010)));
  h.session.restarted(Side::B);
  h.engine.run_until(at(seconds(2500)));
  return h.trace();
}

TEST(BgpSession, SameSeedTwiceGivesTheSameTrace) {
  for (BgpTimerMode mode : {BgpTimerMode::Quiet, BgpTimerMode::Packet}) {
    const std::string first = failure_trace(42, mode);
    EXPECT_EQ(first, failure_trace(42, mode));
    EXPECT_NE(first, failure_trace(43, mode));  // the jitter does come from the seed
    EXPECT_NE(first.find("hold timer expired"), std::string::npos) << first;
  }
}

// Detection delay of a silent failure at a seeded moment, by the first end's hold timer.
std::vector<double> detection_delays(BgpTimerMode mode, std::uint64_t runs) {
  std::vector<double> delays;
  for (std::uint64_t seed = 1; seed <= runs; ++seed) {
    Harness h(express_route(mode), seed);
    h.session.start();
    Rng offset = RandomStreams(seed).stream("failure time");
    const SimTime t0 = at(seconds(600) + offset.uniform(Duration::zero(), seconds(600)));
    h.engine.run_until(t0);
    h.session.path_failed(FailureMode::Silent);
    h.engine.run_until(t0 + seconds(200));
    for (Side side : {Side::A, Side::B}) {
      const auto down = h.first_down(side, t0);
      if (!down || down->reason != StateReason::HoldTimerExpired) {
        ADD_FAILURE() << "seed " << seed << " " << to_string(side) << " not detected";
        continue;
      }
      delays.push_back(std::chrono::duration<double>(down->at - t0).count());
    }
  }
  return delays;
}

TEST(BgpSession, SilentFailureDetectionPacketAndQuietModesAgree) {
  constexpr std::uint64_t kRuns = 500;
  const std::vector<double> packet = detection_delays(BgpTimerMode::Packet, kRuns);
  const std::vector<double> quiet = detection_delays(BgpTimerMode::Quiet, kRuns);
  ASSERT_EQ(packet.size(), 2 * kRuns);
  ASSERT_EQ(quiet.size(), 2 * kRuns);
  const auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return sum / static_cast<double>(v.size());
  };
  for (const auto* delays : {&packet, &quiet}) {
    const auto [lo, hi] = std::minmax_element(delays->begin(), delays->end());
    EXPECT_GT(*lo, 120.0);
    EXPECT_LE(*hi, 180.0);
    // Both ends of the range are reached: the phase is spread over the whole interval.
    EXPECT_LT(*lo, 125.0);
    EXPECT_GT(*hi, 175.0);
  }
  const double packet_mean = mean(packet);
  const double quiet_mean = mean(quiet);
  std::cout << fmt::format(
      "hold-timer detection over {} seeds x 2 ends: packet mean {:.2f} s, "
      "quiet mean {:.2f} s\n",
      kRuns, packet_mean, quiet_mean);
  EXPECT_NEAR(quiet_mean / packet_mean, 1.0, 0.03);
  // 180 s minus the expected age of the last keepalive, which for intervals uniform in
  // [45 s, 60 s] seen at a random moment is E[I^2] / 2E[I] = 26.43 s.
  EXPECT_NEAR(quiet_mean, 153.6, 2.0);
}

// A dormant A (rest(), wake()) against the same session watched segment by segment, which
// keeps every connection attempt an engine event: the same trace, from fewer events.
struct DormancyRun {
  std::string trace;
  std::uint64_t events = 0;
};

// What happens to the session, from its creation.
using Script = std::function<void(Harness&)>;

DormancyRun run_script(const SessionConfig& config, std::uint64_t seed, bool watched,
                       const Script& script) {
  Harness h(config, seed);
  if (watched) {
    h.session.on_segment([](Side /*side*/, const Segment& /*segment*/) {});
  }
  script(h);
  return {h.trace(), h.engine.executed_count()};
}

void expect_dormancy_unseen(const SessionConfig& config, const Script& script) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const DormancyRun eager = run_script(config, seed, true, script);
    const DormancyRun dormant = run_script(config, seed, false, script);
    EXPECT_EQ(dormant.trace, eager.trace) << "seed " << seed;
    EXPECT_LT(dormant.events, eager.events) << "seed " << seed;
  }
}

// Established, then `t0`.
SimTime established_until_t0(Harness& h) {
  EXPECT_TRUE(h.establish(seconds(100)));
  const SimTime t0 = at(seconds(1000));
  h.engine.run_until(t0);
  return t0;
}

TEST(BgpSession, ConnectPathDownRetriesDormantThenReestablishAsEager) {
  expect_dormancy_unseen(express_route(), [](Harness& h) {
    const SimTime t0 = established_until_t0(h);
    h.session.path_failed(FailureMode::Carrier);
    // A retries in Connect, every 90-120 s, into a path that holds its SYNs.
    h.engine.run_until(t0 + seconds(1000));
    EXPECT_EQ(h.session.state(Side::A), SessionState::Connect);
    h.session.path_restored();
    h.engine.run_until(t0 + seconds(1001));
    EXPECT_TRUE(h.session.established());
  });
}

TEST(BgpSession, ConnectPeerDeviceDeadRetriesDormantAndTheEngineGoesQuiet) {
  Harness h(express_route());
  const SimTime t0 = established_until_t0(h);
  h.session.device_failed(Side::B);
  // A's hold timer (120-180 s), then one SYN to the dead box, then nothing is scheduled.
  EXPECT_EQ(h.engine.run_until_quiet(), StopReason::Quiet);
  EXPECT_EQ(h.session.state(Side::A), SessionState::Connect);
  EXPECT_LT(h.engine.now(), t0 + seconds(181));
}

// B's box is dead for 1,000 s; the next retry after its restart connects.
void peer_dead_then_restarted(Harness& h) {
  const SimTime t0 = established_until_t0(h);
  h.session.device_failed(Side::B);
  h.engine.run_until(t0 + seconds(1000));
  h.session.restarted(Side::B);
  h.engine.run_until(t0 + seconds(1200));
  EXPECT_TRUE(h.session.established());
}

TEST(BgpSession, ConnectPeerDeviceDeadRetriesDormantThenReestablishAsEager) {
  expect_dormancy_unseen(express_route(), peer_dead_then_restarted);
}

TEST(BgpSession, ConnectPeerDeadThenPathDownThenBothBackAsEager) {
  expect_dormancy_unseen(express_route(), [](Harness& h) {
    const SimTime t0 = established_until_t0(h);
    h.session.device_failed(Side::B);
    h.engine.run_until(t0 + seconds(400));
    h.session.path_failed(FailureMode::Silent);
    h.engine.run_until(t0 + seconds(700));
    h.session.restarted(Side::B);
    h.engine.run_until(t0 + seconds(900));
    h.session.path_restored();
    h.engine.run_until(t0 + seconds(1200));
    h.session.admin_stop(Side::A);
    h.engine.run_until(t0 + seconds(1300));
  });
}

TEST(BgpSession, ConnectRetryShorterThanTheRoundTripReplaysAsEager) {
  // Behind a path that holds them, each retry withdraws the SYN before it; once the path is
  // back, each retry (6-8 ms) closes the connection the peer accepted before its SYN-ACK
  // (10 ms) arrives, so the session never comes up.
  SessionConfig config = express_route();
  config.latency = milliseconds(5);
  config.a.connect_retry = milliseconds(8);
  expect_dormancy_unseen(config, [](Harness& h) {
    h.session.path_failed(FailureMode::Carrier);
    h.session.start();
    h.engine.run_until(at(seconds(10)));
    h.session.path_restored();
    h.engine.run_until(at(seconds(10) + milliseconds(100)));
    EXPECT_NE(h.trace().find("B Active -> OpenSent"), std::string::npos) << h.trace();
    EXPECT_FALSE(h.session.established());
  });
}

TEST(BgpSession, ConnectRetryNearTheLatencyReplaysSegmentsStillOnTheWire) {
  // Retries every 22.5-30 s over a 10 s link: the restart often lands while the last replayed
  // close and SYN are on their way, and the restarted box answers that SYN.
  SessionConfig config = express_route();
  config.latency = seconds(10);
  config.a.connect_retry = seconds(30);
  expect_dormancy_unseen(config, peer_dead_then_restarted);
}

TEST(BgpSession, ReasonsAndStatesPrintAsWords) {
  EXPECT_EQ(to_string(SessionState::OpenConfirm), "OpenConfirm");
  EXPECT_EQ(to_string(StateReason::HoldTimerExpired), "hold timer expired");
  EXPECT_EQ(to_string(StateReason::AdministrativeShutdown), "administrative shutdown");
  EXPECT_EQ(to_string(StateReason::MaxPrefixExceeded), "maximum prefixes exceeded");
  EXPECT_EQ(to_string(StateReason::ConnectRetry), "connect retry");
  EXPECT_EQ(to_string(BgpTimerMode::Quiet), "quiet");
}

TEST(BgpSession, JitterProfileDrawsWithinThreeQuartersToOne) {
  Rng rng = RandomStreams(5).stream("jitter");
  const JitterProfile rfc = JitterProfile::rfc4271();
  bool below_full = false;
  for (int i = 0; i < 1000; ++i) {
    const Duration d = rfc.draw(JitteredTimer::Keepalive, seconds(60), rng);
    EXPECT_GE(d, seconds(45));
    EXPECT_LE(d, seconds(60));
    below_full = below_full || d < seconds(59);
  }
  EXPECT_TRUE(below_full);
  EXPECT_EQ(rfc.draw(JitteredTimer::Hold, seconds(180), rng), seconds(180));
  EXPECT_LT(JitterProfile::with_hold().draw(JitteredTimer::Hold, seconds(180), rng), seconds(180));
  EXPECT_EQ(JitterProfile::none().draw(JitteredTimer::Keepalive, seconds(60), rng), seconds(60));
}

TEST(BgpSession, JitterProfileOfEachTopologyWord) {
  EXPECT_EQ(jitter_profile(topo::BgpJitter::Rfc4271), JitterProfile::rfc4271());
  EXPECT_EQ(jitter_profile(topo::BgpJitter::WithHold), JitterProfile::with_hold());
  EXPECT_EQ(jitter_profile(topo::BgpJitter::None), JitterProfile::none());
  EXPECT_TRUE(jitter_profile(topo::BgpJitter::WithHold).jitters(JitteredTimer::Hold));
  EXPECT_FALSE(jitter_profile(topo::BgpJitter::None).jitters(JitteredTimer::Keepalive));
}

}  // namespace
}  // namespace ersim::bgp
