// Every transition of BfdSession's RFC 5880 state machine (§6.2, the reception rules of §6.8.6,
// detection §6.8.4, administrative control §6.8.16), one row per state and trigger, in both
// modes: drive end A into the state, fire the trigger, and check A's new state, its diagnostic
// and the events its subscribers received (B's receive none).
//
// The path fails silently before the session starts, so no packet ever arrives by itself: A
// hears only what a row injects (BfdSession::inject, the peer's packet with a given State), and
// its detection timer runs from the last injection.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/bfd/bfd_session.hpp"

namespace ersim::bfd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using topo::FailureMode;
using D = BfdDiagnostic;
using R = BfdChangeReason;
using St = BfdState;

constexpr Side kA = Side::A;

// ExpressRoute's 300 ms x 3 at both ends.
BfdSessionConfig session_config(BfdMode mode) {
  return {.name = "ce1-msee1", .a = {}, .b = {}, .latency = milliseconds(1), .mode = mode};
}

// A session whose packets never arrive, with every event each end's subscriber received.
struct Lab {
  explicit Lab(BfdMode mode) : session(engine, RandomStreams(1), session_config(mode)) {
    for (const Side side : {Side::A, Side::B}) {
      session.subscribe(side, [this, side](const BfdEvent& event) {
        published.at(static_cast<std::size_t>(side)).push_back(event);
      });
    }
    session.path_failed(FailureMode::Silent);
    session.start();
  }

  void mark() {
    for (std::size_t i = 0; i < marks.size(); ++i) {
      marks.at(i) = published.at(i).size();
    }
  }
  [[nodiscard]] std::vector<BfdEvent> since_mark(Side side) const {
    const auto i = static_cast<std::size_t>(side);
    return {published.at(i).begin() + static_cast<std::ptrdiff_t>(marks.at(i)),
            published.at(i).end()};
  }

  Engine engine;
  BfdSession session;
  std::array<std::vector<BfdEvent>, 2> published;
  std::array<std::size_t, 2> marks{};
};

// ---- Reaching a state. ----

using Reach = void (*)(Lab&);

void down(Lab& /*lab*/) {}

// §6.2: the peer's Down.
void init(Lab& lab) { lab.session.inject(kA, St::Down); }

// The three-way handshake, then the peer's Up (which advertises its fast rate, §6.8.3).
void up(Lab& lab) {
  lab.session.inject(kA, St::Down);
  lab.session.inject(kA, St::Init);
  lab.session.inject(kA, St::Up);
}

void admin_down(Lab& lab) { lab.session.admin_down(kA); }

void admin_down_from_up(Lab& lab) {
  up(lab);
  lab.session.admin_down(kA);
}

// Up, then the peer said Down: A is Down with Neighbor Signaled Session Down.
void down_after_neighbor_down(Lab& lab) {
  up(lab);
  lab.session.inject(kA, St::Down);
}

void failed_from_up(Lab& lab) {
  up(lab);
  lab.session.end_failed(kA);
}

// ---- Triggers: each marks the lab just before it fires and returns the instant it fired. ----

using Fire = SimTime (*)(Lab&);

template <typename F>
SimTime at_once(Lab& lab, F action) {
  lab.mark();
  action();
  return lab.engine.now();
}

SimTime receives_down(Lab& lab) {
  return at_once(lab, [&] { lab.session.inject(kA, St::Down); });
}
SimTime receives_init(Lab& lab) {
  return at_once(lab, [&] { lab.session.inject(kA, St::Init); });
}
SimTime receives_up(Lab& lab) {
  return at_once(lab, [&] { lab.session.inject(kA, St::Up); });
}
SimTime receives_admin_down(Lab& lab) {
  return at_once(lab, [&] { lab.session.inject(kA, St::AdminDown); });
}
SimTime local_admin_down(Lab& lab) {
  return at_once(lab, [&] { lab.session.admin_down(kA); });
}
SimTime local_admin_up(Lab& lab) {
  return at_once(lab, [&] { lab.session.admin_up(kA); });
}
SimTime carrier_lost(Lab& lab) {
  lab.session.path_restored();
  return at_once(lab, [&] { lab.session.path_failed(FailureMode::Carrier); });
}
SimTime path_goes_silent(Lab& lab) {
  lab.session.path_restored();
  return at_once(lab, [&] { lab.session.path_failed(FailureMode::Silent); });
}
SimTime end_failed(Lab& lab) {
  return at_once(lab, [&] { lab.session.end_failed(kA); });
}
SimTime end_restored(Lab& lab) {
  return at_once(lab, [&] { lab.session.end_restored(kA); });
}

// §6.8.4: the peer's Detect Mult (3) times max(A's Required Min RX, 300 ms, and the peer's last
// Desired Min TX): 900 ms after an Up, which advertises 300 ms; 3 s after a Down or Init, which
// advertise at least one second (§6.8.3). The timer runs from the last packet, injected now.
SimTime detection_time_expires(Lab& lab) {
  const std::optional<Duration> detection = lab.session.detection_time(kA);
  if (!detection) {
    ADD_FAILURE() << "A has heard nothing";
    return lab.engine.now();
  }
  EXPECT_EQ(*detection, lab.session.state(kA) == St::Up ? milliseconds(900) : seconds(3));
  const SimTime due = lab.engine.now() + *detection;
  lab.engine.run_until(due - Duration(1));
  lab.mark();
  lab.engine.run_until(due);
  return due;
}
// Nothing for a minute: no detection timer runs outside Init and Up.
SimTime silence(Lab& lab) {
  lab.mark();
  lab.engine.run_until(lab.engine.now() + seconds(60));
  return lab.engine.now();
}

// ---- The table. ----

struct Event {
  BfdState state;
  BfdDiagnostic diagnostic;
  BfdChangeReason reason;
  /// RFC 5882 §3.2: a client acts on failure() and must not on administrative().
  bool failure = false;
  bool administrative = false;
};

struct Transition {
  /// <state>_<trigger>.
  const char* name;
  Reach reach;
  BfdState from;
  Fire fire;
  /// What A's subscribers receive; none when A stays in `from`.
  std::optional<Event> event{};
  /// A's diagnostic afterwards, when it stays in `from`.
  BfdDiagnostic diagnostic = D::None;
  /// The change recorded but not published (the end died with its subscribers).
  bool unpublished = false;

  Transition& goes(Event e) {
    event = e;
    return *this;
  }
  Transition& keeps(BfdDiagnostic d) {
    diagnostic = d;
    return *this;
  }
  Transition& silently() {
    unpublished = true;
    return *this;
  }
};

// GoogleTest prints a parameter by its name.
void PrintTo(const Transition& t, std::ostream* os) {  // NOLINT(readability-identifier-naming)
  *os << t.name;
}

// A stays in `from`, silently, with no diagnostic, unless goes() or keeps() say otherwise.
Transition row(const char* name, Reach reach, BfdState from, Fire fire) {
  return {.name = name, .reach = reach, .from = from, .fire = fire};
}

std::vector<Transition> transitions() {
  const Event admin{St::AdminDown, D::AdministrativelyDown, R::LocalAdminDown, false, true};
  return {
      // ---- Down ----
      // §6.8.6 "If bfd.SessionState is Down: If received State is Down: Set bfd.SessionState to
      // Init".
      row("Down_ReceivesDown", down, St::Down, receives_down)
          .goes({St::Init, D::None, R::ReceivedDown}),
      // "Else if received State is Init: Set bfd.SessionState to Up".
      row("Down_ReceivesInit", down, St::Down, receives_init)
          .goes({St::Up, D::None, R::ReceivedInitOrUp}),
      // Up is neither: the peer must first hear this end (§6.2 three-way handshake).
      row("Down_ReceivesUpIgnored", down, St::Down, receives_up),
      // "If received state is AdminDown: If bfd.SessionState is not Down: ...": it is.
      row("Down_ReceivesAdminDownIgnored", down, St::Down, receives_admin_down),
      // A Down end left by its neighbour starts the handshake again; the diagnostic clears.
      row("DownAfterNeighborDown_ReceivesDown", down_after_neighbor_down, St::Down, receives_down)
          .goes({St::Init, D::None, R::ReceivedDown}),
      // §6.8.4: detection applies in Init and Up only.
      row("Down_SilenceIgnored", down_after_neighbor_down, St::Down, silence)
          .keeps(D::NeighborSignaledSessionDown),
      // §6.8.16.
      row("Down_AdminDown", down, St::Down, local_admin_down).goes(admin),
      row("Down_AdminUpIgnored", down, St::Down, local_admin_up),
      row("Down_CarrierLostIgnored", down, St::Down, carrier_lost),

      // ---- Init ----
      // "If bfd.SessionState is Init: If received State is Init or Up: Set ... Up".
      row("Init_ReceivesInit", init, St::Init, receives_init)
          .goes({St::Up, D::None, R::ReceivedInitOrUp}),
      row("Init_ReceivesUp", init, St::Init, receives_up)
          .goes({St::Up, D::None, R::ReceivedInitOrUp}),
      // Down is not: Init waits (and its detection timer restarts).
      row("Init_ReceivesDownIgnored", init, St::Init, receives_down),
      // "If received state is AdminDown: If bfd.SessionState is not Down: Set bfd.LocalDiag to 3
      // (Neighbor signaled session down), Set bfd.SessionState to Down".
      row("Init_ReceivesAdminDown", init, St::Init, receives_admin_down)
          .goes({St::Down, D::NeighborSignaledSessionDown, R::ReceivedAdminDown, false, true}),
      // §6.8.4: Down, diagnostic 1 (Control Detection Time Expired); not Up, so no failure.
      row("Init_DetectionTimeExpires", init, St::Init, detection_time_expires)
          .goes({St::Down, D::ControlDetectionTimeExpired, R::DetectionTimeExpired}),
      // §6.8.16, RFC 5882 §3.1: the interface went down, diagnostic 5 (Path Down).
      row("Init_CarrierLost", init, St::Init, carrier_lost)
          .goes({St::Down, D::PathDown, R::CarrierLost}),
      row("Init_AdminDown", init, St::Init, local_admin_down).goes(admin),
      row("Init_EndFailed", init, St::Init, end_failed)
          .goes({St::Down, D::None, R::EndFailed})
          .silently(),

      // ---- Up ----
      // "Else (bfd.SessionState is Up): If received State is Down: Set bfd.LocalDiag to 3
      // (Neighbor signaled session down), Set bfd.SessionState to Down".
      row("Up_ReceivesDown", up, St::Up, receives_down)
          .goes({St::Down, D::NeighborSignaledSessionDown, R::ReceivedDown, true}),
      row("Up_ReceivesInitIgnored", up, St::Up, receives_init),
      row("Up_ReceivesUpIgnored", up, St::Up, receives_up),
      // The neighbour's AdminDown: Down, and RFC 5882 §3.2 forbids treating it as a failure.
      row("Up_ReceivesAdminDown", up, St::Up, receives_admin_down)
          .goes({St::Down, D::NeighborSignaledSessionDown, R::ReceivedAdminDown, false, true}),
      // §6.8.4.
      row("Up_DetectionTimeExpires", up, St::Up, detection_time_expires)
          .goes({St::Down, D::ControlDetectionTimeExpired, R::DetectionTimeExpired, true}),
      row("Up_CarrierLost", up, St::Up, carrier_lost)
          .goes({St::Down, D::PathDown, R::CarrierLost, true}),
      // A silent path changes nothing until the detection time runs out.
      row("Up_PathSilentIgnored", up, St::Up, path_goes_silent),
      row("Up_AdminDown", up, St::Up, local_admin_down).goes(admin),
      row("Up_EndFailed", up, St::Up, end_failed)
          .goes({St::Down, D::None, R::EndFailed, true})
          .silently(),

      // ---- AdminDown ----
      // §6.8.6 "If bfd.SessionState is AdminDown: Discard the packet".
      row("AdminDown_ReceivesDownIgnored", admin_down, St::AdminDown, receives_down)
          .keeps(D::AdministrativelyDown),
      row("AdminDown_ReceivesInitIgnored", admin_down, St::AdminDown, receives_init)
          .keeps(D::AdministrativelyDown),
      row("AdminDown_ReceivesUpIgnored", admin_down, St::AdminDown, receives_up)
          .keeps(D::AdministrativelyDown),
      row("AdminDown_ReceivesAdminDownIgnored", admin_down, St::AdminDown, receives_admin_down)
          .keeps(D::AdministrativelyDown),
      // Leaving Up for AdminDown stops the detection timer.
      row("AdminDown_SilenceIgnored", admin_down_from_up, St::AdminDown, silence)
          .keeps(D::AdministrativelyDown),
      row("AdminDown_CarrierLostIgnored", admin_down_from_up, St::AdminDown, carrier_lost)
          .keeps(D::AdministrativelyDown),
      // §6.8.16 "If enabling session, set bfd.SessionState to Down".
      row("AdminDown_AdminUp", admin_down, St::AdminDown, local_admin_up)
          .goes({St::Down, D::None, R::LocalAdminUp}),

      // ---- A failed end ----
      // Back from the dead, the end is Down and has heard nothing (§6.8.1 initial values).
      row("DownFailed_EndRestored", failed_from_up, St::Down, end_restored),
  };
}

class BfdFsm : public ::testing::TestWithParam<Transition> {};

INSTANTIATE_TEST_SUITE_P(Rfc5880, BfdFsm, ::testing::ValuesIn(transitions()),
                         [](const ::testing::TestParamInfo<Transition>& param) {
                           return std::string(param.param.name);
                         });

TEST_P(BfdFsm, Transition) {
  const Transition& t = GetParam();
  for (const BfdMode mode : {BfdMode::Quiet, BfdMode::Packet}) {
    SCOPED_TRACE(to_string(mode));
    Lab lab(mode);
    t.reach(lab);
    ASSERT_EQ(to_string(lab.session.state(kA)), to_string(t.from));
    const std::optional<BfdEvent> before = lab.session.last_change(kA);
    const SimTime when = t.fire(lab);

    const std::vector<BfdEvent> published = lab.since_mark(kA);
    EXPECT_TRUE(lab.since_mark(Side::B).empty());
    if (!t.event) {
      EXPECT_TRUE(published.empty()) << to_string(published.front().state);
      EXPECT_EQ(lab.session.last_change(kA), before);
      EXPECT_EQ(to_string(lab.session.state(kA)), to_string(t.from));
      EXPECT_EQ(to_string(lab.session.diagnostic(kA)), to_string(t.diagnostic));
      continue;
    }
    const Event& e = *t.event;
    const BfdEvent expected{.side = kA,
                            .previous = t.from,
                            .state = e.state,
                            .diagnostic = e.diagnostic,
                            .reason = e.reason,
                            .time = when};
    if (t.unpublished) {
      EXPECT_TRUE(published.empty());
    } else {
      ASSERT_EQ(published.size(), 1U);
      EXPECT_EQ(to_string(published[0].previous), to_string(t.from));
      EXPECT_EQ(to_string(published[0].state), to_string(e.state));
      EXPECT_EQ(to_string(published[0].diagnostic), to_string(e.diagnostic));
      EXPECT_EQ(to_string(published[0].reason), to_string(e.reason));
      EXPECT_EQ(published[0].time, when);
      EXPECT_EQ(published[0], expected);
    }
    EXPECT_EQ(lab.session.last_change(kA), expected);
    EXPECT_EQ(expected.failure(), e.failure);
    EXPECT_EQ(expected.administrative(), e.administrative);
    EXPECT_EQ(to_string(lab.session.state(kA)), to_string(e.state));
    EXPECT_EQ(to_string(lab.session.diagnostic(kA)), to_string(e.diagnostic));
  }
}

// What the table's injections stand for happens with real packets too: the first thing either
// end hears is a Down, and a Down end that hears an Init goes straight to Up (§6.2).
TEST(BfdFsm, HandshakeWithRealPacketsStartsWithDownToInit) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Engine engine;
    BfdSession session(engine, RandomStreams(seed), session_config(BfdMode::Packet));
    std::vector<BfdEvent> events;
    for (const Side side : {Side::A, Side::B}) {
      session.subscribe(side, [&events](const BfdEvent& e) { events.push_back(e); });
    }
    session.start();
    engine.run_until(kTimeZero + seconds(10));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].previous, St::Down) << "seed " << seed;
    EXPECT_EQ(events[0].state, St::Init) << "seed " << seed;
    EXPECT_EQ(events[0].reason, R::ReceivedDown) << "seed " << seed;
    for (const BfdEvent& e : events) {
      if (e.previous == St::Down && e.state == St::Up) {
        EXPECT_EQ(e.reason, R::ReceivedInitOrUp);
      }
    }
    EXPECT_EQ(session.state(Side::A), St::Up);
    EXPECT_EQ(session.state(Side::B), St::Up);
  }
}

}  // namespace
}  // namespace ersim::bfd
