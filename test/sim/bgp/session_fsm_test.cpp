// Every transition of BgpSession's RFC 4271 §8 finite state machine, one row per state and
// trigger: drive one end into the state, fire the trigger, and check the end's state changes
// (with their reasons and NOTIFICATIONs) and every segment it sent in that instant.
//
// An end is held in a state by freezing the path the moment it gets there: a silent failure, so
// what is in flight waits (TCP retransmits) and nothing else happens until the trigger. "Event
// n" is RFC 4271 §8.1's numbering, as the §8.2.2 state descriptions use it; "Ignored" rows check
// that a trigger the state does not act on changes nothing and sends nothing.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "sim/bgp/session.hpp"

namespace ersim::bgp {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using topo::FailureMode;
using R = StateReason;
using S = SessionState;

constexpr Duration kLatency = milliseconds(1);
constexpr Duration kConnectRetry = seconds(120);
constexpr Duration kHold = seconds(180);
constexpr Duration kKeepalive = seconds(60);
// RFC 4271 §8.2.2 OpenSent: "A HoldTimer value of 4 minutes is suggested."
constexpr Duration kOpenSentHold = minutes(4);
constexpr Duration kMaxPrefixRestart = seconds(300);

constexpr NotificationMessage kAdminShutdown{NotificationCode::Cease, kCeaseAdministrativeShutdown};
constexpr NotificationMessage kMaxPrefixes{NotificationCode::Cease, kCeaseMaximumPrefixes};
constexpr NotificationMessage kHoldExpired{NotificationCode::HoldTimerExpired};
constexpr NotificationMessage kFsmError{NotificationCode::FiniteStateMachineError};
constexpr NotificationMessage kBadHoldTime{NotificationCode::OpenMessageError,
                                           kUnacceptableHoldTime};

// What the rows vary in the configuration.
struct Variant {
  BgpTimerMode mode = BgpTimerMode::Packet;
  /// The hold time B offers in its OPEN (§6.2 checks), when not the standard 180 s.
  std::optional<Duration> b_hold{};
  /// A restarts by itself kMaxPrefixRestart after a max-prefix drop.
  bool a_max_prefix_restart = false;
};

// Timers without jitter, so that each timer's expiry is known to the nanosecond.
SessionConfig session_config(const Variant& variant) {
  const auto speaker = [](std::uint32_t asn, std::uint32_t id, Duration hold) {
    return SpeakerConfig{.asn = asn,
                         .router_id = Ipv4Address(id),
                         .timers = {.keepalive = std::min(kKeepalive, hold / 3), .hold = hold},
                         .connect_retry = kConnectRetry,
                         .jitter = JitterProfile::none()};
  };
  SessionConfig config{.a = speaker(65001, 0x0a000001, kHold),
                       .b = speaker(12076, 0x0a000002, variant.b_hold.value_or(kHold)),
                       .latency = kLatency,
                       .mode = variant.mode};
  if (variant.a_max_prefix_restart) {
    config.a.max_prefix_restart = kMaxPrefixRestart;
  }
  return config;
}

// "OPEN hold 180", "NOTIFICATION cease/administrative shutdown", "SYN", ...
std::string describe(const Segment& segment) {
  if (const auto* open = std::get_if<OpenMessage>(&segment.payload)) {
    return fmt::format("OPEN hold {}", open->hold_time_s);
  }
  if (const auto* notification = std::get_if<NotificationMessage>(&segment.payload)) {
    return "NOTIFICATION " + to_string(*notification);
  }
  return std::string(segment_name(segment));
}

// "none", or the NOTIFICATION in words.
std::string words(const std::optional<NotificationMessage>& notification) {
  return notification ? to_string(*notification) : "none";
}

// A session on a fresh engine that records every state change and every segment sent.
struct Lab {
  struct Sent {
    SimTime at;
    Side side;
    std::string what;
  };
  /// An UPDATE handed to on_update subscribers.
  struct Delivered {
    SimTime at;
    Side side;
  };

  explicit Lab(const Variant& variant)
      : streams(1), session(engine, streams, 7, session_config(variant)) {
    session.on_state_change([this](const StateChange& change) {
      changes.push_back(change);
      if (freeze_side == change.side && (!freeze_to || *freeze_to == change.to)) {
        freeze_side.reset();
        freeze();
        engine.stop();
      }
    });
    session.on_segment([this](Side side, const Segment& segment) {
      sent.push_back({engine.now(), side, describe(segment)});
    });
    session.on_update([this](Side side, const UpdateMessage& /*update*/) {
      updates.push_back({engine.now(), side});
    });
  }

  // Freezes the path when `side` next changes state (to `to`, if given).
  void freeze_when(Side side, std::optional<SessionState> to = std::nullopt) {
    freeze_side = side;
    freeze_to = to;
  }
  void run_until_frozen() {
    engine.run_until(engine.now() + seconds(1));
    ASSERT_FALSE(freeze_side.has_value()) << "never reached the state\n" << trace();
  }
  // A silent failure: segments in flight wait.
  void freeze() {
    if (session.path_up()) {
      session.path_failed(FailureMode::Silent);
    }
  }
  // What waited arrives one latency from now.
  void thaw() {
    if (!session.path_up()) {
      session.path_restored();
    }
  }

  // What follows mark() is what the trigger did.
  void mark() {
    changes_mark = changes.size();
    sent_mark = sent.size();
  }
  [[nodiscard]] std::vector<StateChange> changes_since_mark(Side side) const {
    std::vector<StateChange> out;
    for (std::size_t i = changes_mark; i < changes.size(); ++i) {
      if (changes[i].side == side) {
        out.push_back(changes[i]);
      }
    }
    return out;
  }
  [[nodiscard]] std::vector<Sent> sent_since_mark(Side side) const {
    std::vector<Sent> out;
    for (std::size_t i = sent_mark; i < sent.size(); ++i) {
      if (sent[i].side == side) {
        out.push_back(sent[i]);
      }
    }
    return out;
  }
  // When `side` last entered `state`.
  [[nodiscard]] SimTime entered(Side side, SessionState state) const {
    std::optional<SimTime> at;
    for (const StateChange& change : changes) {
      if (change.side == side && change.to == state) {
        at = change.at;
      }
    }
    if (!at) {
      ADD_FAILURE() << to_string(side) << " never entered " << to_string(state);
    }
    return at.value_or(kTimeZero);
  }

  [[nodiscard]] std::string trace() const {
    std::string out;
    for (const StateChange& c : changes) {
      out += fmt::format("{} {} {} -> {}: {}{}\n", format_time(c.at), to_string(c.side),
                         to_string(c.from), to_string(c.to), to_string(c.reason),
                         c.notification ? " (" + to_string(*c.notification) + ")" : "");
    }
    for (const Sent& s : sent) {
      out += fmt::format("{} {} sent {}\n", format_time(s.at), to_string(s.side), s.what);
    }
    return out;
  }

  Engine engine;
  RandomStreams streams;
  BgpSession session;

  std::vector<StateChange> changes;
  std::vector<Sent> sent;
  std::vector<Delivered> updates;
  std::optional<Side> freeze_side;
  std::optional<SessionState> freeze_to;
  std::size_t changes_mark = 0;
  std::size_t sent_mark = 0;
};

// ---- Reaching a state. `side` is the end under test. ----

using Reach = void (*)(Lab&, Side);

void never_started(Lab& /*lab*/, Side /*side*/) {}

// A's SYN is on the wire (path frozen before it arrives): A Connect, B Active.
void syn_in_flight(Lab& lab, Side /*side*/) {
  lab.freeze_when(Side::A, S::Connect);
  lab.session.start();
}

// B took A's SYN: B OpenSent, A Connect, B's SYN-ACK and OPEN on the wire.
void syn_accepted(Lab& lab, Side /*side*/) {
  lab.freeze_when(Side::B, S::OpenSent);
  lab.session.start();
  lab.run_until_frozen();
}

// B was shut down before A's SYN arrived and answered it with a reset, which is on the wire.
void syn_refused(Lab& lab, Side /*side*/) {
  lab.session.start();
  lab.session.admin_stop(Side::B);
  lab.engine.run_until(kTimeZero + kLatency * 3 / 2);
  lab.freeze();
}

// As syn_refused, once the reset has arrived: A Active, its ConnectRetryTimer running.
void refused_then_active(Lab& lab, Side /*side*/) {
  lab.freeze_when(Side::A, S::Active);
  lab.session.start();
  lab.session.admin_stop(Side::B);
  lab.run_until_frozen();
}

// B shut down with A's SYN on the wire.
void shut_with_syn_in_flight(Lab& lab, Side side) {
  syn_in_flight(lab, side);
  lab.session.admin_stop(Side::B);
}

// Both OPENs on the wire: A OpenSent (B's OPEN waits behind the SYN-ACK A took), B OpenSent.
void open_sent_active(Lab& lab, Side /*side*/) {
  lab.freeze_when(Side::A, S::OpenSent);
  lab.session.start();
  lab.run_until_frozen();
}

// A has B's OPEN, its own OPEN and KEEPALIVE are on the wire: A OpenConfirm, B OpenSent.
void open_confirm_active(Lab& lab, Side /*side*/) {
  lab.freeze_when(Side::A, S::OpenConfirm);
  lab.session.start();
  lab.run_until_frozen();
}

// B has A's OPEN, A's KEEPALIVE waits behind it: both OpenConfirm.
void open_confirm_passive(Lab& lab, Side /*side*/) {
  lab.freeze_when(Side::B, S::OpenConfirm);
  lab.session.start();
  lab.run_until_frozen();
}

// Both Established, nothing in flight, the path up.
void established(Lab& lab, Side /*side*/) {
  lab.freeze_when(Side::A, S::Established);
  lab.session.start();
  lab.run_until_frozen();
  lab.thaw();
}

void idle_process_failed(Lab& lab, Side side) {
  lab.session.process_failed(side);
  lab.session.start();
}

void idle_device_failed(Lab& lab, Side side) {
  lab.session.device_failed(side);
  lab.session.start();
}

// Dropped from Established for too many prefixes, and held in Idle.
void idle_max_prefix(Lab& lab, Side side) {
  established(lab, side);
  lab.session.max_prefix_exceeded(side);
  lab.freeze();
}

// A refused B's OPEN (§6.2) and waits a connect-retry interval in Idle.
void idle_after_open_error(Lab& lab, Side /*side*/) {
  lab.freeze_when(Side::A, S::Idle);
  lab.session.start();
  lab.run_until_frozen();
}

// ---- Triggers. Each marks the lab just before it fires and returns the instant it fired. ----

using Fire = SimTime (*)(Lab&, Side);

template <typename F>
SimTime at_once(Lab& lab, F action) {
  lab.mark();
  action();
  return lab.engine.now();
}

// `before` sends something towards `side` (or nothing: what waited is enough); then the path
// carries what waited, and freezes again when `side` changes state, so that only the first
// arrival that moves it counts.
template <typename F>
SimTime arrival(Lab& lab, Side side, F before, bool freeze_after = true) {
  lab.mark();
  before();
  lab.thaw();
  if (freeze_after) {
    lab.freeze_when(side);
  }
  const SimTime at = lab.engine.now() + kLatency;
  lab.engine.run_until(at);
  return at;
}

SimTime when_due(Lab& lab, SimTime due) {
  lab.engine.run_until(due - Duration(1));
  lab.mark();
  lab.engine.run_until(due);
  return due;
}

SimTime manual_start(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.admin_start(side); });
}
SimTime manual_stop(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.admin_stop(side); });
}
SimTime restarted(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.restarted(side); });
}
SimTime max_prefix_exceeded(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.max_prefix_exceeded(side); });
}
SimTime max_prefix_cleared(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.max_prefix_cleared(side); });
}
SimTime bfd_down(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.bfd_down(side); });
}
SimTime process_failed(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.process_failed(side); });
}
SimTime device_failed(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.device_failed(side); });
}
SimTime carrier_lost(Lab& lab, Side /*side*/) {
  lab.thaw();
  return at_once(lab, [&] { lab.session.path_failed(FailureMode::Carrier); });
}
SimTime path_goes_silent(Lab& lab, Side /*side*/) {
  lab.thaw();
  return at_once(lab, [&] { lab.session.path_failed(FailureMode::Silent); });
}
// A thousand seconds into the session, so that keepalives have come and gone.
SimTime path_goes_silent_later(Lab& lab, Side side) {
  lab.engine.run_until(lab.engine.now() + seconds(1000));
  return path_goes_silent(lab, side);
}

// Event 9: started when the end last entered Connect or Active.
SimTime connect_retry_expires(Lab& lab, Side side) {
  const S state = lab.session.state(side);
  return when_due(lab, lab.entered(side, state) + kConnectRetry);
}
// Event 10: the peer goes silent (its KEEPALIVEs stop), and the hold timer runs out: 4 minutes
// after OpenSent was entered (§8.2.2), later the negotiated hold after the OPEN or KEEPALIVE that
// moved the end (or, quiet, after a drawn last KEEPALIVE).
SimTime hold_timer_expires(Lab& lab, Side side) {
  lab.freeze();
  const S state = lab.session.state(side);
  const std::optional<SimTime> due = lab.session.hold_expiry(side);
  if (!due) {
    ADD_FAILURE() << "no hold timer running";
    return lab.engine.now();
  }
  if (state == S::OpenSent) {
    EXPECT_EQ(*due, lab.entered(side, state) + kOpenSentHold);
  } else if (lab.session.mode() == BgpTimerMode::Packet) {
    EXPECT_EQ(*due, lab.entered(side, state) + kHold);
  }
  return when_due(lab, *due);
}
// Event 11: started when the end entered OpenConfirm.
SimTime keepalive_timer_expires(Lab& lab, Side side) {
  return when_due(lab, lab.entered(side, S::OpenConfirm) + kKeepalive);
}
SimTime max_prefix_restart_expires(Lab& lab, Side side) {
  return when_due(lab, lab.entered(side, S::Idle) + kMaxPrefixRestart);
}
SimTime open_error_wait_expires(Lab& lab, Side side) {
  return when_due(lab, lab.entered(side, S::Idle) + kConnectRetry);
}

// Events 16, 17, 19, 26: what waited on the wire arrives.
SimTime held_segments_arrive(Lab& lab, Side side) {
  return arrival(lab, side, [] {});
}
// As held_segments_arrive, without freezing the path again afterwards (a quiet session settles
// by whether the path is up).
SimTime last_held_segment_arrives(Lab& lab, Side side) {
  return arrival(
      lab, side, [] {}, false);
}
// Event 18: the peer's routing process dies and its kernel closes the connection.
SimTime peer_closes(Lab& lab, Side side) {
  return arrival(lab, side, [&] { lab.session.process_failed(peer_of(side)); });
}
// Event 25, from a peer that runs this FSM: its ManualStop.
SimTime peer_stops(Lab& lab, Side side) {
  return arrival(lab, side, [&] { lab.session.admin_stop(peer_of(side)); });
}
// Event 27, ten seconds into the session so that the hold timer's restart shows.
SimTime update_arrives_later(Lab& lab, Side side) {
  lab.engine.run_until(lab.engine.now() + seconds(10));
  const UpdateMessage withdraw{.withdrawn = {Ipv4Prefix::parse_or_throw("10.1.0.0/16")}};
  return arrival(lab, side, [&] { EXPECT_TRUE(lab.session.send_update(peer_of(side), withdraw)); });
}

// Messages a peer running this FSM never sends in these states.
SimTime open_received(Lab& lab, Side side) {
  return at_once(lab,
                 [&] { lab.session.inject(side, OpenMessage{.my_as = 64999, .hold_time_s = 90}); });
}
SimTime open_with_hold_one_received(Lab& lab, Side side) {
  return at_once(lab,
                 [&] { lab.session.inject(side, OpenMessage{.my_as = 64999, .hold_time_s = 1}); });
}
SimTime keepalive_received(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.inject(side, KeepaliveMessage{}); });
}
SimTime keepalive_received_later(Lab& lab, Side side) {
  lab.engine.run_until(lab.engine.now() + seconds(10));
  return keepalive_received(lab, side);
}
SimTime update_received(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.inject(side, UpdateMessage{}); });
}
SimTime notification_received(Lab& lab, Side side) {
  return at_once(lab, [&] { lab.session.inject(side, kAdminShutdown); });
}

// ---- Checks beyond the changes and segments. ----

using Check = void (*)(const Lab&, Side, SimTime);

void open_sent_hold_running(const Lab& lab, Side side, SimTime when) {
  EXPECT_EQ(lab.session.hold_expiry(side), when + kOpenSentHold);
}
void negotiated_hold_running(const Lab& lab, Side side, SimTime when) {
  EXPECT_EQ(lab.session.negotiated_hold(), kHold);
  EXPECT_EQ(lab.session.keepalive_interval(side), kKeepalive);
  EXPECT_EQ(lab.session.hold_expiry(side), when + kHold);
}
void no_hold_timer(const Lab& lab, Side side, SimTime /*when*/) {
  EXPECT_EQ(lab.session.hold_expiry(side), std::nullopt);
}
void zero_hold_negotiated(const Lab& lab, Side side, SimTime when) {
  EXPECT_EQ(lab.session.negotiated_hold(), Duration::zero());
  no_hold_timer(lab, side, when);
}
void hold_restarted(const Lab& lab, Side side, SimTime when) {
  EXPECT_EQ(lab.session.hold_expiry(side), when + kHold);
}
// The hold timer runs from the last KEEPALIVE, less than a keepalive interval ago: in packet mode
// the one that arrived, in quiet mode one at a seeded phase (DESIGN §3).
void hold_runs_from_last_keepalive(const Lab& lab, Side side, SimTime when) {
  const std::optional<SimTime> expiry = lab.session.hold_expiry(side);
  ASSERT_TRUE(expiry.has_value());
  EXPECT_GT(*expiry, when + kHold - kKeepalive);
  EXPECT_LE(*expiry, when + kHold);
}
void update_delivered(const Lab& lab, Side side, SimTime when) {
  ASSERT_EQ(lab.updates.size(), 1U);
  EXPECT_EQ(lab.updates[0].at, when);
  EXPECT_EQ(lab.updates[0].side, side);
  hold_restarted(lab, side, when);
}

// ---- The table. ----

struct Change {
  SessionState to;
  StateReason reason;
  std::optional<NotificationMessage> notification{};
};

struct Transition {
  /// <state>[Passive]_<trigger>[variant]; "Passive" when the end under test is B.
  const char* name;
  Reach reach;
  SessionState from;
  Fire fire;
  /// The end's changes, in order, all at the instant the trigger fired.
  std::vector<Change> changes{};
  /// What the end sent at that instant, in order.
  std::vector<std::string> sent{};
  Side side = Side::A;
  Variant variant{};
  Check check = nullptr;

  Transition& goes(std::vector<Change> to) {
    changes = std::move(to);
    return *this;
  }
  Transition& sends(std::vector<std::string> segments) {
    sent = std::move(segments);
    return *this;
  }
  Transition& passive() {
    side = Side::B;
    return *this;
  }
  Transition& in(Variant v) {
    variant = v;
    return *this;
  }
  Transition& then(Check c) {
    check = c;
    return *this;
  }
};

// GoogleTest prints a parameter by its name.
void PrintTo(const Transition& t, std::ostream* os) {  // NOLINT(readability-identifier-naming)
  *os << t.name;
}

// Nothing changes and nothing is sent unless goes() and sends() say so.
Transition row(const char* name, Reach reach, SessionState from, Fire fire) {
  return {.name = name, .reach = reach, .from = from, .fire = fire};
}

std::vector<Transition> transitions() {
  const Variant quiet{.mode = BgpTimerMode::Quiet};
  const Change to_connect{S::Connect, R::AutomaticStart};
  const Change to_active{S::Active, R::AutomaticStart};
  return {
      // ---- Idle ----
      // Event 1: start the ConnectRetryTimer, initiate a TCP connection, go to Connect.
      row("Idle_ManualStart", never_started, S::Idle, manual_start)
          .goes({{S::Connect, R::ManualStart}})
          .sends({"SYN"}),
      // Event 4 (passive TCP establishment): listen, go to Active.
      row("IdlePassive_ManualStart", never_started, S::Idle, manual_start)
          .passive()
          .goes({{S::Active, R::ManualStart}}),
      // Event 2 is ignored in Idle.
      row("Idle_ManualStopIgnored", never_started, S::Idle, manual_stop),
      row("Idle_Restarted", idle_process_failed, S::Idle, restarted)
          .goes({{S::Connect, R::Restarted}})
          .sends({"SYN"}),
      row("IdlePassive_Restarted", idle_device_failed, S::Idle, restarted)
          .passive()
          .goes({{S::Active, R::Restarted}}),
      // §8.1.1 IdleHoldTimer, after a max-prefix drop with a restart interval...
      row("Idle_IdleHoldExpiresAfterMaxPrefix", idle_max_prefix, S::Idle,
          max_prefix_restart_expires)
          .in({.a_max_prefix_restart = true})
          .goes({{S::Connect, R::IdleHoldExpired}})
          .sends({"SYN"}),
      // ... and a connect-retry interval after refusing an OPEN's hold time.
      row("Idle_IdleHoldExpiresAfterOpenError", idle_after_open_error, S::Idle,
          open_error_wait_expires)
          .in({.b_hold = seconds(2)})
          .goes({{S::Connect, R::IdleHoldExpired}})
          .sends({"SYN"}),
      row("Idle_MaxPrefixCleared", idle_max_prefix, S::Idle, max_prefix_cleared)
          .goes({{S::Connect, R::MaxPrefixCleared}})
          .sends({"SYN"}),
      row("Idle_MaxPrefixExceededIgnored", never_started, S::Idle, max_prefix_exceeded),
      row("Idle_BfdDownIgnored", never_started, S::Idle, bfd_down),
      // Events 15-17 do not move Idle: TCP refuses the connection with a reset.
      row("IdlePassive_TcpConnectionRequestRefused", shut_with_syn_in_flight, S::Idle,
          held_segments_arrive)
          .passive()
          .sends({"close"}),

      // ---- Connect (A only: B is passive) ----
      // Event 1 is ignored in Connect.
      row("Connect_ManualStartIgnored", syn_accepted, S::Connect, manual_start),
      // Event 2: drop the TCP connection, go to Idle; no NOTIFICATION before the OPEN exchange.
      row("Connect_ManualStop", syn_accepted, S::Connect, manual_stop)
          .goes({{S::Idle, R::AdministrativeShutdown}})
          .sends({"close"}),
      // ... and a SYN still waiting for the path goes with its socket.
      row("Connect_ManualStopBeforeSynLeaves", syn_in_flight, S::Connect, manual_stop)
          .goes({{S::Idle, R::AdministrativeShutdown}}),
      // Event 9: drop the connection, restart the timer, initiate a new one, stay in Connect.
      row("Connect_ConnectRetryTimerExpires", syn_accepted, S::Connect, connect_retry_expires)
          .sends({"close", "SYN"}),
      row("Connect_ConnectRetryTimerExpiresBeforeSynLeaves", syn_in_flight, S::Connect,
          connect_retry_expires)
          .sends({"SYN"}),
      // Event 16: send an OPEN, set the HoldTimer to 4 minutes, go to OpenSent.
      row("Connect_TcpConnectionAcked", syn_accepted, S::Connect, held_segments_arrive)
          .goes({{S::OpenSent, R::TcpEstablished}})
          .sends({"OPEN hold 180"})
          .then(open_sent_hold_running),
      // Event 18: ersim takes the RFC's DelayOpen branch (restart the ConnectRetryTimer, go to
      // Active) so that a refused connection waits a connect-retry interval.
      row("Connect_TcpConnectionFails", syn_refused, S::Connect, held_segments_arrive)
          .goes({{S::Active, R::TcpFailed}}),
      // Events 19, 26, 27 ("any other event"): drop the TCP connection, go to Idle. The
      // connection is not up at this end yet, so no NOTIFICATION.
      row("Connect_OpenReceived", syn_accepted, S::Connect, open_received)
          .goes({{S::Idle, R::FsmError}, to_connect})
          .sends({"close", "SYN"}),
      row("Connect_KeepaliveReceived", syn_accepted, S::Connect, keepalive_received)
          .goes({{S::Idle, R::FsmError}, to_connect})
          .sends({"close", "SYN"}),
      row("Connect_UpdateReceived", syn_accepted, S::Connect, update_received)
          .goes({{S::Idle, R::FsmError}, to_connect})
          .sends({"close", "SYN"}),
      // Event 25: go to Idle.
      row("Connect_NotificationReceived", syn_accepted, S::Connect, notification_received)
          .goes({{S::Idle, R::NotificationReceived, kAdminShutdown}, to_connect})
          .sends({"SYN"}),
      row("Connect_CarrierLost", syn_accepted, S::Connect, carrier_lost)
          .goes({{S::Idle, R::CarrierLost}, to_connect})
          .sends({"SYN"}),
      row("Connect_PathSilentIgnored", syn_accepted, S::Connect, path_goes_silent),
      row("Connect_ProcessFailed", syn_accepted, S::Connect, process_failed)
          .goes({{S::Idle, R::ProcessFailed}})
          .sends({"close"}),
      row("Connect_DeviceFailed", syn_accepted, S::Connect, device_failed)
          .goes({{S::Idle, R::DeviceFailed}}),
      // Before the OPEN exchange there is no session for BFD to take down.
      row("Connect_BfdDownIgnored", syn_accepted, S::Connect, bfd_down),
      row("Connect_MaxPrefixExceededIgnored", syn_accepted, S::Connect, max_prefix_exceeded),

      // ---- Active ----
      // Event 9: restart the timer, initiate a TCP connection, go to Connect.
      row("Active_ConnectRetryTimerExpires", refused_then_active, S::Active, connect_retry_expires)
          .goes({{S::Connect, R::ConnectRetry}})
          .sends({"SYN"}),
      row("Active_ManualStartIgnored", refused_then_active, S::Active, manual_start),
      // Event 2: go to Idle.
      row("Active_ManualStop", refused_then_active, S::Active, manual_stop)
          .goes({{S::Idle, R::AdministrativeShutdown}}),
      row("Active_ProcessFailed", refused_then_active, S::Active, process_failed)
          .goes({{S::Idle, R::ProcessFailed}}),
      row("Active_DeviceFailed", refused_then_active, S::Active, device_failed)
          .goes({{S::Idle, R::DeviceFailed}}),
      // No connection for the carrier to take.
      row("Active_CarrierLostIgnored", refused_then_active, S::Active, carrier_lost),
      row("Active_BfdDownIgnored", refused_then_active, S::Active, bfd_down),
      // Event 17: send an OPEN, set the HoldTimer to 4 minutes, go to OpenSent.
      row("ActivePassive_TcpConnectionConfirmed", syn_in_flight, S::Active, held_segments_arrive)
          .passive()
          .goes({{S::OpenSent, R::TcpEstablished}})
          .sends({"SYN-ACK", "OPEN hold 180"})
          .then(open_sent_hold_running),
      row("ActivePassive_ManualStartIgnored", syn_in_flight, S::Active, manual_start).passive(),
      row("ActivePassive_ManualStop", syn_in_flight, S::Active, manual_stop)
          .passive()
          .goes({{S::Idle, R::AdministrativeShutdown}}),
      row("ActivePassive_ProcessFailed", syn_in_flight, S::Active, process_failed)
          .passive()
          .goes({{S::Idle, R::ProcessFailed}}),
      row("ActivePassive_DeviceFailed", syn_in_flight, S::Active, device_failed)
          .passive()
          .goes({{S::Idle, R::DeviceFailed}}),

      // ---- OpenSent ----
      row("OpenSent_ManualStartIgnored", open_sent_active, S::OpenSent, manual_start),
      // Event 2: NOTIFICATION Cease (RFC 4486 subcode 2), go to Idle.
      row("OpenSent_ManualStop", open_sent_active, S::OpenSent, manual_stop)
          .goes({{S::Idle, R::AdministrativeShutdown, kAdminShutdown}})
          .sends({"NOTIFICATION cease/administrative shutdown", "close"}),
      // Event 10: NOTIFICATION Hold Timer Expired, go to Idle.
      row("OpenSent_HoldTimerExpires", open_sent_active, S::OpenSent, hold_timer_expires)
          .goes({{S::Idle, R::HoldTimerExpired, kHoldExpired}, to_connect})
          .sends({"NOTIFICATION hold timer expired", "close", "SYN"}),
      row("OpenSentPassive_HoldTimerExpires", syn_accepted, S::OpenSent, hold_timer_expires)
          .passive()
          .goes({{S::Idle, R::HoldTimerExpired, kHoldExpired}, to_active})
          .sends({"NOTIFICATION hold timer expired", "close"}),
      // Event 18: go to Active (and listen).
      row("OpenSentPassive_TcpConnectionFails", syn_accepted, S::OpenSent, peer_closes)
          .passive()
          .goes({{S::Active, R::TcpFailed}}),
      // Event 19: send a KEEPALIVE, set the negotiated timers, go to OpenConfirm.
      row("OpenSent_OpenReceived", open_sent_active, S::OpenSent, held_segments_arrive)
          .goes({{S::OpenConfirm, R::OpenReceived}})
          .sends({"KEEPALIVE"})
          .then(negotiated_hold_running),
      // ... a hold time of zero: no HoldTimer, no KeepaliveTimer.
      row("OpenSent_OpenReceivedHoldZero", open_sent_active, S::OpenSent, held_segments_arrive)
          .in({.b_hold = seconds(0)})
          .goes({{S::OpenConfirm, R::OpenReceived}})
          .sends({"KEEPALIVE"})
          .then(zero_hold_negotiated),
      // Event 22 (§6.2): a hold time of 1 or 2 s is refused with OPEN Message Error 6.
      row("OpenSent_OpenReceivedUnacceptableHoldTime", open_sent_active, S::OpenSent,
          held_segments_arrive)
          .in({.b_hold = seconds(2)})
          .goes({{S::Idle, R::UnacceptableHoldTime, kBadHoldTime}})
          .sends({"NOTIFICATION open message error/unacceptable hold time", "close"}),
      row("OpenSentPassive_OpenReceivedUnacceptableHoldTime", syn_accepted, S::OpenSent,
          open_with_hold_one_received)
          .passive()
          .goes({{S::Idle, R::UnacceptableHoldTime, kBadHoldTime}})
          .sends({"NOTIFICATION open message error/unacceptable hold time", "close"}),
      // Events 26, 27: FSM Error (§6.6).
      row("OpenSent_KeepaliveReceived", open_sent_active, S::OpenSent, keepalive_received)
          .goes({{S::Idle, R::FsmError, kFsmError}, to_connect})
          .sends({"NOTIFICATION finite state machine error", "close", "SYN"}),
      row("OpenSent_UpdateReceived", open_sent_active, S::OpenSent, update_received)
          .goes({{S::Idle, R::FsmError, kFsmError}, to_connect})
          .sends({"NOTIFICATION finite state machine error", "close", "SYN"}),
      row("OpenSentPassive_UpdateReceived", syn_accepted, S::OpenSent, update_received)
          .passive()
          .goes({{S::Idle, R::FsmError, kFsmError}, to_active})
          .sends({"NOTIFICATION finite state machine error", "close"}),
      // Event 25: go to Idle.
      row("OpenSent_NotificationReceived", open_sent_active, S::OpenSent, notification_received)
          .goes({{S::Idle, R::NotificationReceived, kAdminShutdown}, to_connect})
          .sends({"SYN"}),
      row("OpenSent_CarrierLost", open_sent_active, S::OpenSent, carrier_lost)
          .goes({{S::Idle, R::CarrierLost}, to_connect})
          .sends({"SYN"}),
      row("OpenSentPassive_CarrierLost", syn_accepted, S::OpenSent, carrier_lost)
          .passive()
          .goes({{S::Idle, R::CarrierLost}, to_active}),
      row("OpenSent_PathSilentIgnored", open_sent_active, S::OpenSent, path_goes_silent),
      // The kernel of a box whose routing process died closes the connection: no NOTIFICATION.
      row("OpenSent_ProcessFailed", open_sent_active, S::OpenSent, process_failed)
          .goes({{S::Idle, R::ProcessFailed}})
          .sends({"close"}),
      row("OpenSent_DeviceFailed", open_sent_active, S::OpenSent, device_failed)
          .goes({{S::Idle, R::DeviceFailed}}),
      // RFC 5882 §4.3: BFD down takes the session down at once.
      row("OpenSent_BfdDown", open_sent_active, S::OpenSent, bfd_down)
          .goes({{S::Idle, R::BfdDown}, to_connect})
          .sends({"close", "SYN"}),
      row("OpenSent_MaxPrefixExceededIgnored", open_sent_active, S::OpenSent, max_prefix_exceeded),

      // ---- OpenConfirm ----
      row("OpenConfirm_ManualStartIgnored", open_confirm_active, S::OpenConfirm, manual_start),
      // Event 2: NOTIFICATION Cease, go to Idle.
      row("OpenConfirm_ManualStop", open_confirm_active, S::OpenConfirm, manual_stop)
          .goes({{S::Idle, R::AdministrativeShutdown, kAdminShutdown}})
          .sends({"NOTIFICATION cease/administrative shutdown", "close"}),
      // Event 10: NOTIFICATION Hold Timer Expired, go to Idle.
      row("OpenConfirm_HoldTimerExpires", open_confirm_active, S::OpenConfirm, hold_timer_expires)
          .goes({{S::Idle, R::HoldTimerExpired, kHoldExpired}, to_connect})
          .sends({"NOTIFICATION hold timer expired", "close", "SYN"}),
      // Event 11: send a KEEPALIVE, restart the timer, stay.
      row("OpenConfirm_KeepaliveTimerExpires", open_confirm_active, S::OpenConfirm,
          keepalive_timer_expires)
          .sends({"KEEPALIVE"}),
      // Event 18: go to Idle.
      row("OpenConfirm_TcpConnectionFails", open_confirm_active, S::OpenConfirm, peer_closes)
          .goes({{S::Idle, R::PeerClosed}, to_connect})
          .sends({"SYN"}),
      // Event 26: restart the HoldTimer, go to Established...
      row("OpenConfirmPassive_KeepaliveReceived", open_confirm_passive, S::OpenConfirm,
          held_segments_arrive)
          .passive()
          .goes({{S::Established, R::KeepaliveReceived}})
          .then(hold_restarted),
      // ... where a quiet session stops both timers instead (DESIGN §3).
      row("OpenConfirmPassive_KeepaliveReceivedQuiet", open_confirm_passive, S::OpenConfirm,
          last_held_segment_arrives)
          .passive()
          .in(quiet)
          .goes({{S::Established, R::KeepaliveReceived}})
          .then(no_hold_timer),
      // Event 19 on the one connection there is cannot be a collision (§6.8 compares two):
      // FSM Error, as Event 27 (§6.6).
      row("OpenConfirm_OpenReceived", open_confirm_active, S::OpenConfirm, open_received)
          .goes({{S::Idle, R::FsmError, kFsmError}, to_connect})
          .sends({"NOTIFICATION finite state machine error", "close", "SYN"}),
      row("OpenConfirm_UpdateReceived", open_confirm_active, S::OpenConfirm, update_received)
          .goes({{S::Idle, R::FsmError, kFsmError}, to_connect})
          .sends({"NOTIFICATION finite state machine error", "close", "SYN"}),
      // Event 25: go to Idle.
      row("OpenConfirm_NotificationReceived", open_confirm_active, S::OpenConfirm,
          notification_received)
          .goes({{S::Idle, R::NotificationReceived, kAdminShutdown}, to_connect})
          .sends({"SYN"}),
      row("OpenConfirm_CarrierLost", open_confirm_active, S::OpenConfirm, carrier_lost)
          .goes({{S::Idle, R::CarrierLost}, to_connect})
          .sends({"SYN"}),
      row("OpenConfirm_PathSilentIgnored", open_confirm_active, S::OpenConfirm, path_goes_silent),
      row("OpenConfirm_ProcessFailed", open_confirm_active, S::OpenConfirm, process_failed)
          .goes({{S::Idle, R::ProcessFailed}})
          .sends({"close"}),
      row("OpenConfirm_DeviceFailed", open_confirm_active, S::OpenConfirm, device_failed)
          .goes({{S::Idle, R::DeviceFailed}}),
      row("OpenConfirm_BfdDown", open_confirm_active, S::OpenConfirm, bfd_down)
          .goes({{S::Idle, R::BfdDown}, to_connect})
          .sends({"close", "SYN"}),
      row("OpenConfirm_MaxPrefixExceededIgnored", open_confirm_active, S::OpenConfirm,
          max_prefix_exceeded),

      // ---- Established ----
      row("Established_ManualStartIgnored", established, S::Established, manual_start),
      // Event 2: NOTIFICATION Cease, go to Idle.
      row("Established_ManualStop", established, S::Established, manual_stop)
          .goes({{S::Idle, R::AdministrativeShutdown, kAdminShutdown}})
          .sends({"NOTIFICATION cease/administrative shutdown", "close"}),
      // Event 10: NOTIFICATION Hold Timer Expired, go to Idle.
      row("Established_HoldTimerExpires", established, S::Established, hold_timer_expires)
          .goes({{S::Idle, R::HoldTimerExpired, kHoldExpired}, to_connect})
          .sends({"NOTIFICATION hold timer expired", "close", "SYN"}),
      row("Established_HoldTimerExpiresQuiet", established, S::Established, hold_timer_expires)
          .in(quiet)
          .goes({{S::Idle, R::HoldTimerExpired, kHoldExpired}, to_connect})
          .sends({"NOTIFICATION hold timer expired", "close", "SYN"}),
      row("EstablishedPassive_HoldTimerExpires", established, S::Established, hold_timer_expires)
          .passive()
          .goes({{S::Idle, R::HoldTimerExpired, kHoldExpired}, to_active})
          .sends({"NOTIFICATION hold timer expired", "close"}),
      // Event 11: send a KEEPALIVE, restart the timer.
      row("Established_KeepaliveTimerExpires", established, S::Established, keepalive_timer_expires)
          .sends({"KEEPALIVE"}),
      // Event 26: restart the HoldTimer.
      row("Established_KeepaliveReceived", established, S::Established, keepalive_received_later)
          .then(hold_restarted),
      // Event 27: restart the HoldTimer, process the UPDATE.
      row("Established_UpdateReceived", established, S::Established, update_arrives_later)
          .then(update_delivered),
      // Event 19 on the one connection: FSM Error.
      row("Established_OpenReceived", established, S::Established, open_received)
          .goes({{S::Idle, R::FsmError, kFsmError}, to_connect})
          .sends({"NOTIFICATION finite state machine error", "close", "SYN"}),
      // Event 25: go to Idle.
      row("Established_NotificationReceived", established, S::Established, peer_stops)
          .goes({{S::Idle, R::NotificationReceived, kAdminShutdown}, to_connect})
          .sends({"SYN"}),
      // Event 18: go to Idle.
      row("Established_TcpConnectionFails", established, S::Established, peer_closes)
          .goes({{S::Idle, R::PeerClosed}, to_connect})
          .sends({"SYN"}),
      row("EstablishedPassive_TcpConnectionFails", established, S::Established, peer_closes)
          .passive()
          .goes({{S::Idle, R::PeerClosed}, to_active}),
      row("Established_CarrierLost", established, S::Established, carrier_lost)
          .goes({{S::Idle, R::CarrierLost}, to_connect})
          .sends({"SYN"}),
      // A silent path changes nothing at once; the hold timer (or BFD) finds out.
      row("Established_PathSilent", established, S::Established, path_goes_silent_later)
          .then(hold_runs_from_last_keepalive),
      row("Established_PathSilentQuiet", established, S::Established, path_goes_silent_later)
          .in(quiet)
          .then(hold_runs_from_last_keepalive),
      row("Established_ProcessFailed", established, S::Established, process_failed)
          .goes({{S::Idle, R::ProcessFailed}})
          .sends({"close"}),
      row("Established_DeviceFailed", established, S::Established, device_failed)
          .goes({{S::Idle, R::DeviceFailed}}),
      // RFC 5882 §4.3.
      row("Established_BfdDown", established, S::Established, bfd_down)
          .goes({{S::Idle, R::BfdDown}, to_connect})
          .sends({"close", "SYN"}),
      row("EstablishedPassive_BfdDown", established, S::Established, bfd_down)
          .passive()
          .goes({{S::Idle, R::BfdDown}, to_active})
          .sends({"close"}),
      // Event 8 (AutomaticStop), RFC 4486 §4: Cease, Maximum Number of Prefixes Reached; the
      // end stays in Idle.
      row("Established_MaxPrefixExceeded", established, S::Established, max_prefix_exceeded)
          .goes({{S::Idle, R::MaxPrefixExceeded, kMaxPrefixes}})
          .sends({"NOTIFICATION cease/maximum number of prefixes reached", "close"}),
  };
}

class SessionFsm : public ::testing::TestWithParam<Transition> {};

INSTANTIATE_TEST_SUITE_P(Rfc4271, SessionFsm, ::testing::ValuesIn(transitions()),
                         [](const ::testing::TestParamInfo<Transition>& param) {
                           return std::string(param.param.name);
                         });

TEST_P(SessionFsm, Transition) {
  const Transition& t = GetParam();
  Lab lab(t.variant);
  t.reach(lab, t.side);
  ASSERT_EQ(to_string(lab.session.state(t.side)), to_string(t.from)) << lab.trace();
  const StateReason reason_before = lab.session.last_reason(t.side);
  const SimTime when = t.fire(lab, t.side);
  SCOPED_TRACE(lab.trace());

  const std::vector<StateChange> changes = lab.changes_since_mark(t.side);
  ASSERT_EQ(changes.size(), t.changes.size());
  SessionState from = t.from;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    SCOPED_TRACE(fmt::format("change {}", i));
    EXPECT_EQ(changes[i].at, when);
    EXPECT_EQ(to_string(changes[i].from), to_string(from));
    EXPECT_EQ(to_string(changes[i].to), to_string(t.changes[i].to));
    EXPECT_EQ(to_string(changes[i].reason), to_string(t.changes[i].reason));
    EXPECT_EQ(words(changes[i].notification), words(t.changes[i].notification));
    from = t.changes[i].to;
  }
  EXPECT_EQ(to_string(lab.session.state(t.side)), to_string(from));
  EXPECT_EQ(to_string(lab.session.last_reason(t.side)),
            to_string(t.changes.empty() ? reason_before : t.changes.back().reason));
  for (const Change& change : t.changes) {
    if (change.to == S::Idle) {
      const std::optional<StateReason> down = lab.session.down_reason(t.side);
      ASSERT_TRUE(down.has_value());
      EXPECT_EQ(to_string(*down), to_string(change.reason));
    }
  }

  std::vector<std::string> sent;
  for (const Lab::Sent& s : lab.sent_since_mark(t.side)) {
    EXPECT_EQ(s.at, when) << s.what;
    sent.push_back(s.what);
  }
  EXPECT_EQ(sent, t.sent);

  if (t.check != nullptr) {
    t.check(lab, t.side, when);
  }
}

// The timers a state does not run.
TEST(SessionFsm, ConnectAndActiveRunNoHoldTimer) {
  Lab lab(Variant{});
  syn_accepted(lab, Side::A);
  EXPECT_EQ(lab.session.state(Side::A), S::Connect);
  EXPECT_EQ(lab.session.hold_expiry(Side::A), std::nullopt);
  Lab refused(Variant{});
  refused_then_active(refused, Side::A);
  EXPECT_EQ(refused.session.state(Side::A), S::Active);
  EXPECT_EQ(refused.session.hold_expiry(Side::A), std::nullopt);
}

// A segment observer sees what a peer then receives, in order.
TEST(SessionFsm, SegmentObserverSeesTheHandshake) {
  Lab lab(Variant{});
  lab.mark();
  lab.session.start();
  lab.engine.run_until(kTimeZero + seconds(1));
  ASSERT_TRUE(lab.session.established());
  std::vector<std::string> a;
  std::vector<std::string> b;
  for (const Lab::Sent& s : lab.sent_since_mark(Side::A)) {
    a.push_back(s.what);
  }
  for (const Lab::Sent& s : lab.sent_since_mark(Side::B)) {
    b.push_back(s.what);
  }
  EXPECT_EQ(a, (std::vector<std::string>{"SYN", "OPEN hold 180", "KEEPALIVE"}));
  EXPECT_EQ(b, (std::vector<std::string>{"SYN-ACK", "OPEN hold 180", "KEEPALIVE"}));
}

}  // namespace
}  // namespace ersim::bgp
