#include "core/timer.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/assert.hpp"
#include "core/timer_group.hpp"
#include "core/timer_set.hpp"

namespace ersim {
namespace {

using std::chrono::seconds;

SimTime at(std::int64_t s) { return kTimeZero + seconds(s); }

TEST(Timer, ArmedTimerFiresOnceAtExpiry) {
  Engine engine;
  std::vector<SimTime> fired;
  bool armed_in_handler = true;
  Timer timer(engine, [&] {
    fired.push_back(engine.now());
    armed_in_handler = timer.armed();
  });
  EXPECT_FALSE(timer.armed());
  timer.arm(seconds(180));
  EXPECT_TRUE(timer.armed());
  EXPECT_EQ(timer.expiry(), at(180));
  engine.run_until_quiet();
  EXPECT_EQ(fired, std::vector<SimTime>{at(180)});
  EXPECT_FALSE(armed_in_handler);
  EXPECT_FALSE(timer.armed());
  EXPECT_EQ(timer.expiry(), std::nullopt);
}

TEST(Timer, DestroyedBeforeExpiryNeverFires) {
  Engine engine;
  int fired = 0;
  {
    Timer timer(engine, [&] { ++fired; });
    timer.arm(seconds(3));
  }
  EXPECT_EQ(engine.pending_count(), 0U);
  engine.run_until_quiet();
  EXPECT_EQ(fired, 0);
}

TEST(Timer, DestroyedByAnotherEventBeforeExpiryNeverFires) {
  Engine engine;
  int fired = 0;
  auto timer = std::make_unique<Timer>(engine, [&] { ++fired; });
  timer->arm(seconds(3));
  engine.schedule_at(at(3), [&] { timer.reset(); });  // same time, scheduled later: runs later
  engine.schedule_at(at(2), [&] { timer.reset(); });
  engine.run_until_quiet();
  EXPECT_EQ(fired, 0);
}

TEST(Timer, RearmMovesTheExpiryLaterOrEarlier) {
  Engine engine;
  std::vector<SimTime> fired;
  Timer hold(engine, [&] { fired.push_back(engine.now()); });
  hold.arm(seconds(180));
  engine.run_until(at(60));
  hold.rearm(seconds(180));  // a keepalive arrived
  EXPECT_EQ(hold.expiry(), at(240));
  hold.rearm(seconds(10));
  EXPECT_EQ(hold.expiry(), at(70));
  engine.run_until_quiet();
  EXPECT_EQ(fired, std::vector<SimTime>{at(70)});
  EXPECT_EQ(engine.pending_count(), 0U);
}

TEST(Timer, RearmOfADisarmedTimerArmsIt) {
  Engine engine;
  int fired = 0;
  Timer timer(engine, [&] { ++fired; });
  timer.rearm(seconds(1));
  EXPECT_TRUE(timer.armed());
  engine.run_until_quiet();
  EXPECT_EQ(fired, 1);
}

TEST(Timer, ArmOfAnArmedTimerIsRefused) {
  Engine engine;
  Timer timer(engine, [] {});
  timer.arm(seconds(1));
  EXPECT_THROW(timer.arm(seconds(2)), InternalError);
  EXPECT_EQ(timer.expiry(), at(1));
}

TEST(Timer, CancelDisarmsAndIsHarmlessTwice) {
  Engine engine;
  int fired = 0;
  Timer timer(engine, [&] { ++fired; });
  timer.arm(seconds(1));
  timer.cancel();
  EXPECT_FALSE(timer.armed());
  timer.cancel();
  engine.run_until_quiet();
  EXPECT_EQ(fired, 0);
}

TEST(Timer, HandlerMayArmItsOwnTimerAgain) {
  Engine engine;
  std::vector<SimTime> fired;
  Timer keepalive(engine, [&] {
    fired.push_back(engine.now());
    if (fired.size() < 3) {
      keepalive.arm(seconds(60));
    }
  });
  keepalive.arm(seconds(60));
  engine.run_until_quiet();
  EXPECT_EQ(fired, (std::vector<SimTime>{at(60), at(120), at(180)}));
}

// What TimerSet and TimerGroup both promise, whether each timer has an event or they share one.
template <template <std::size_t> class Timers>
struct TimersOf {
  template <std::size_t N>
  using Type = Timers<N>;
};
template <std::size_t N>
using DefaultGroup = TimerGroup<N>;

template <class Kind>
class TimersTest : public ::testing::Test {};
using TimerKinds = ::testing::Types<TimersOf<TimerSet>, TimersOf<DefaultGroup>>;
TYPED_TEST_SUITE(TimersTest, TimerKinds);

TYPED_TEST(TimersTest, TimersFireIndependentlyWithTheirIndex) {
  Engine engine;
  std::vector<std::pair<std::size_t, SimTime>> fired;
  typename TypeParam::template Type<3> timers(
      engine, [&](std::size_t timer) { fired.emplace_back(timer, engine.now()); });
  timers.arm(2, seconds(5));
  timers.arm(0, seconds(7));
  timers.arm(1, seconds(9));
  timers.rearm(0, seconds(1));  // moves timer 0 only
  timers.cancel(1);
  EXPECT_EQ(timers.expiry(0), at(1));
  EXPECT_FALSE(timers.armed(1));
  EXPECT_EQ(timers.expiry(1), std::nullopt);
  EXPECT_EQ(timers.expiry(2), at(5));
  engine.run_until_quiet();
  EXPECT_EQ(fired, (std::vector<std::pair<std::size_t, SimTime>>{{0, at(1)}, {2, at(5)}}));
}

TYPED_TEST(TimersTest, ATimerIsNotArmedInItsHandlerAndMayBeArmedAgain) {
  Engine engine;
  std::vector<SimTime> fired;
  typename TypeParam::template Type<2> timers(engine, [&](std::size_t timer) {
    EXPECT_FALSE(timers.armed(timer));
    fired.push_back(engine.now());
    if (fired.size() < 2) {
      timers.arm(timer, seconds(60));
    }
  });
  timers.arm(1, seconds(60));
  EXPECT_THROW(timers.arm(1, seconds(2)), InternalError);
  engine.run_until_quiet();
  EXPECT_EQ(fired, (std::vector<SimTime>{at(60), at(120)}));
}

TEST(TimerSet, DestroyedSetCancelsEveryTimer) {
  Engine engine;
  int fired = 0;
  {
    TimerSet<2> timers(engine, [&](std::size_t) { ++fired; });
    timers.arm(0, seconds(1));
    timers.arm(1, seconds(2));
    EXPECT_EQ(engine.pending_count(), 2U);
  }
  EXPECT_EQ(engine.pending_count(), 0U);
  engine.run_until_quiet();
  EXPECT_EQ(fired, 0);
}

// What a protocol session with several timers saves over a Timer each.
TEST(TimerSet, ATimerCostsItsHandleOnly) {
  EXPECT_EQ(sizeof(TimerSet<8>) - sizeof(TimerSet<1>), 7 * sizeof(EventId));
}

}  // namespace
}  // namespace ersim
