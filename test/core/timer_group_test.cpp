#include "core/timer_group.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/assert.hpp"
#include "core/engine.hpp"

// What TimerGroup shares with TimerSet (timers independent, not armed in their handler) is tested
// for both in timer_test.cpp; here, what the shared event adds.
namespace ersim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

SimTime at(Duration d) { return kTimeZero + d; }

using Fired = std::vector<std::pair<std::size_t, SimTime>>;

TEST(TimerGroup, TheGroupHoldsOneEngineEventWhateverIsArmed) {
  Engine engine;
  TimerGroup<4> timers(engine, [](std::size_t) {});
  for (std::size_t t = 0; t < 4; ++t) {
    timers.arm(t, seconds(1 + static_cast<int>(t)));
  }
  EXPECT_EQ(engine.pending_count(), 1U);
  engine.run_until_quiet();
  EXPECT_EQ(engine.now(), at(seconds(4)));
  EXPECT_EQ(engine.executed_count(), 4U);  // one event per expiry, at each expiry
}

// What the group is for: a timer restarted a thousand times costs no event until it expires,
// where a TimerSet moves its event in the queue each time.
TEST(TimerGroup, PushingATimerLaterRunsNoEventUntilItIsDue) {
  Engine engine;
  Fired fired;
  TimerGroup<2> timers(engine, [&](std::size_t timer) { fired.emplace_back(timer, engine.now()); });
  enum : std::size_t { Tx, Detect };
  int sent = 0;
  // A packet every 250 ms restarts a 900 ms detection timer, ten packets; then silence.
  std::function<void()> send = [&] {
    timers.rearm(Detect, milliseconds(900));
    if (++sent < 10) {
      engine.schedule_in(milliseconds(250), send);
    }
  };
  send();
  engine.run_until(at(seconds(3)));
  // Nine packets ran as events, and the group's event ran early three times (at 0.9 s, 1.65 s
  // and 2.4 s, each time moving to the deadline then): none per restart.
  EXPECT_TRUE(fired.empty());
  EXPECT_EQ(engine.executed_count(), 9U + 3U);
  engine.run_until_quiet();
  // The last packet came at 2.25 s: the timer expires 900 ms later, exactly.
  EXPECT_EQ(fired, (Fired{{Detect, at(milliseconds(3150))}}));
  EXPECT_FALSE(timers.armed(Tx));
}

TEST(TimerGroup, TimersDueAtOneInstantFireInTheOrderTheyWereArmed) {
  Engine engine;
  Fired fired;
  TimerGroup<3> timers(engine, [&](std::size_t timer) { fired.emplace_back(timer, engine.now()); });
  timers.arm(1, seconds(2));
  timers.arm(2, seconds(2));
  timers.arm(0, seconds(2));
  timers.rearm(1, seconds(2));  // re-armed last: fires last
  engine.run_until_quiet();
  EXPECT_EQ(fired, (Fired{{2, at(seconds(2))}, {0, at(seconds(2))}, {1, at(seconds(2))}}));
  EXPECT_EQ(engine.executed_count(), 1U);
}

TEST(TimerGroup, ATimerArmedForNowInAHandlerRunsAfterTheEventsAlreadyDue) {
  Engine engine;
  std::vector<std::string> order;
  TimerGroup<2> timers(engine, [&](std::size_t timer) {
    order.push_back("timer " + std::to_string(timer));
    if (timer == 0) {
      timers.arm(1, Duration::zero());
    }
  });
  timers.arm(0, seconds(1));
  engine.schedule_at(at(seconds(1)), [&] { order.emplace_back("other"); });
  engine.run_until_quiet();
  EXPECT_EQ(order, (std::vector<std::string>{"timer 0", "other", "timer 1"}));
}

TEST(TimerGroup, MovingTheEarliestTimerEarlierMovesTheEvent) {
  Engine engine;
  Fired fired;
  TimerGroup<2> timers(engine, [&](std::size_t timer) { fired.emplace_back(timer, engine.now()); });
  timers.arm(0, seconds(3));
  timers.rearm(0, milliseconds(900));
  timers.arm(1, milliseconds(500));
  engine.run_until_quiet();
  EXPECT_EQ(fired, (Fired{{1, at(milliseconds(500))}, {0, at(milliseconds(900))}}));
  EXPECT_EQ(engine.executed_count(), 2U);
}

TEST(TimerGroup, CancellingTheEarliestTimerMovesTheEventToTheNext) {
  Engine engine;
  Fired fired;
  TimerGroup<3> timers(engine, [&](std::size_t timer) { fired.emplace_back(timer, engine.now()); });
  timers.arm(0, seconds(1));
  timers.arm(1, seconds(2));
  timers.arm(2, seconds(3));
  timers.cancel(0);
  timers.cancel(2);  // not the earliest: the event stays at timer 1
  engine.run_until_quiet();
  EXPECT_EQ(fired, (Fired{{1, at(seconds(2))}}));
  EXPECT_EQ(engine.executed_count(), 1U);  // no event ran for nothing at 1 s
}

TEST(TimerGroup, CancellingTheLastArmedTimerLeavesTheEngineQuiet) {
  Engine engine;
  int fired = 0;
  TimerGroup<2> timers(engine, [&](std::size_t) { ++fired; });
  timers.arm(0, seconds(1));
  timers.arm(1, seconds(2));
  timers.cancel(0);
  EXPECT_EQ(engine.pending_count(), 1U);  // timer 1 is still armed
  timers.cancel(1);
  timers.cancel(1);  // harmless
  EXPECT_EQ(engine.pending_count(), 0U);
  timers.arm(1, seconds(5));
  timers.cancel_all();
  EXPECT_EQ(engine.pending_count(), 0U);
  engine.run_until_quiet();
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(engine.now(), kTimeZero);
}

TEST(TimerGroup, DestroyedGroupCancelsEveryTimer) {
  Engine engine;
  int fired = 0;
  {
    TimerGroup<2> timers(engine, [&](std::size_t) { ++fired; });
    timers.arm(0, seconds(1));
    timers.arm(1, seconds(2));
  }
  EXPECT_EQ(engine.pending_count(), 0U);
  engine.run_until_quiet();
  EXPECT_EQ(fired, 0);
}

TEST(TimerGroup, ForgetAllAfterARewindDropsEveryTimer) {
  Engine engine;
  int fired = 0;
  TimerGroup<2> timers(engine, [&](std::size_t) { ++fired; });
  timers.arm(0, seconds(1));
  EXPECT_THROW(timers.forget_all(), InternalError);  // its event is still pending
  engine.rewind(kTimeZero);
  timers.forget_all();
  EXPECT_FALSE(timers.armed(0));
  timers.arm(0, seconds(2));
  engine.run_until_quiet();
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(engine.now(), at(seconds(2)));
}

}  // namespace
}  // namespace ersim
