#include "core/engine.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/assert.hpp"

namespace ersim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

SimTime at(std::int64_t s) { return kTimeZero + seconds(s); }

TEST(Engine, StartsAtTimeZeroAndQuiet) {
  Engine engine;
  EXPECT_EQ(engine.now(), kTimeZero);
  EXPECT_EQ(engine.pending_count(), 0U);
  EXPECT_EQ(engine.run_until_quiet(), StopReason::Quiet);
  EXPECT_EQ(engine.now(), kTimeZero);
}

TEST(Engine, RunAdvancesNowToEachEventTime) {
  Engine engine;
  std::vector<SimTime> seen;
  engine.schedule_at(at(2), [&] { seen.push_back(engine.now()); });
  engine.schedule_in(milliseconds(500), [&] { seen.push_back(engine.now()); });
  EXPECT_EQ(engine.run_until_quiet(), StopReason::Quiet);
  EXPECT_EQ(seen, (std::vector<SimTime>{kTimeZero + milliseconds(500), at(2)}));
  EXPECT_EQ(engine.now(), at(2));
  EXPECT_EQ(engine.executed_count(), 2U);
}

TEST(Engine, EqualTimeEventsRunInSchedulingOrder) {
  Engine engine;
  std::vector<int> ran;
  for (int i = 0; i < 10; ++i) {
    engine.schedule_at(at(1), [&ran, i] { ran.push_back(i); });
  }
  engine.run_until_quiet();
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(Engine, EventScheduledAtNowRunsAfterEventsAlreadyDue) {
  Engine engine;
  std::vector<int> ran;
  engine.schedule_at(at(1), [&] {
    ran.push_back(1);
    engine.schedule_in(Duration::zero(), [&ran] { ran.push_back(3); });
  });
  engine.schedule_at(at(1), [&ran] { ran.push_back(2); });
  engine.run_until_quiet();
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(engine.now(), at(1));
}

TEST(Engine, SchedulingInThePastIsRefused) {
  Engine engine;
  engine.run_until(at(5));
  EXPECT_THROW(engine.schedule_at(at(3), [] {}), InternalError);
  EXPECT_THROW(engine.schedule_in(seconds(-1), [] {}), InternalError);
  EXPECT_THROW(engine.run_until(at(4)), InternalError);
  const EventId id = engine.schedule_at(at(6), [] {});
  EXPECT_THROW(engine.reschedule(id, at(4)), InternalError);
  EXPECT_EQ(engine.pending_count(), 1U);
}

TEST(Engine, SchedulingBeyondTheEndOfTimeIsRefused) {
  Engine engine;
  engine.run_until(at(1));
  EXPECT_THROW(engine.schedule_in(Duration::max(), [] {}), InternalError);
}

TEST(Engine, RunUntilRunsEventsDueByTheLimitAndSetsNow) {
  Engine engine;
  std::vector<int> ran;
  for (int s = 1; s <= 3; ++s) {
    engine.schedule_at(at(s), [&ran, s] { ran.push_back(s); });
  }
  EXPECT_EQ(engine.run_until(at(2)), StopReason::TimeLimit);
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  EXPECT_EQ(engine.now(), at(2));
  EXPECT_EQ(engine.pending_count(), 1U);
  EXPECT_EQ(engine.run_until(at(10)), StopReason::TimeLimit);
  EXPECT_EQ(engine.now(), at(10));
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
}

TEST(Engine, StopFromAnEventEndsTheRunAfterThatEvent) {
  Engine engine;
  std::vector<int> ran;
  engine.schedule_at(at(1), [&] { ran.push_back(1); });
  engine.schedule_at(at(2), [&] {
    ran.push_back(2);
    engine.stop();
  });
  engine.schedule_at(at(3), [&] { ran.push_back(3); });
  EXPECT_EQ(engine.run_until(at(10)), StopReason::Stopped);
  EXPECT_EQ(engine.now(), at(2));
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  EXPECT_EQ(engine.run_until_quiet(), StopReason::Quiet);
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));
}

TEST(Engine, StopBeforeARunDoesNotEndTheNextRun) {
  Engine engine;
  int ran = 0;
  engine.schedule_at(at(1), [&] { ++ran; });
  engine.stop();
  EXPECT_EQ(engine.run_until_quiet(), StopReason::Quiet);
  EXPECT_EQ(ran, 1);
}

TEST(Engine, CancelOfFiredOrCancelledEventIsHarmless) {
  Engine engine;
  int ran = 0;
  const EventId fired = engine.schedule_at(at(1), [&] { ++ran; });
  const EventId cancelled = engine.schedule_at(at(2), [&] { ran += 10; });
  EXPECT_TRUE(engine.cancel(cancelled));
  engine.run_until_quiet();
  EXPECT_EQ(ran, 1);
  EXPECT_FALSE(engine.cancel(fired));
  EXPECT_FALSE(engine.cancel(cancelled));
  EXPECT_EQ(engine.pending_count(), 0U);
}

TEST(Engine, EventCanCancelAnotherDueAtTheSameTime) {
  Engine engine;
  int ran = 0;
  EventId second;
  engine.schedule_at(at(1), [&] { engine.cancel(second); });
  second = engine.schedule_at(at(1), [&] { ++ran; });
  engine.run_until_quiet();
  EXPECT_EQ(ran, 0);
}

TEST(Engine, RescheduleMovesAPendingEvent) {
  Engine engine;
  SimTime fired_at = kTimeZero;
  const EventId id = engine.schedule_at(at(5), [&] { fired_at = engine.now(); });
  EXPECT_TRUE(engine.reschedule(id, at(8)));
  EXPECT_EQ(engine.time_of(id), at(8));
  engine.run_until_quiet();
  EXPECT_EQ(fired_at, at(8));
  EXPECT_FALSE(engine.reschedule(id, at(9)));
}

TEST(StopReason, PrintsAsWords) {
  EXPECT_EQ(to_string(StopReason::Quiet), "quiet");
  EXPECT_EQ(to_string(StopReason::TimeLimit), "time-limit");
  EXPECT_EQ(to_string(StopReason::Stopped), "stopped");
}

TEST(Engine, RewindDropsPendingEventsAndGoesBackInTime) {
  using namespace std::chrono_literals;
  Engine engine;
  int ran = 0;
  engine.schedule_in(5s, [&] { ++ran; });
  const EventId later = engine.schedule_in(20s, [&] { ran += 10; });
  engine.run_until(kTimeZero + 10s);
  ASSERT_EQ(ran, 1);
  engine.rewind(kTimeZero + 2s);
  EXPECT_EQ(engine.now(), kTimeZero + 2s);
  EXPECT_EQ(engine.pending_count(), 0U);
  EXPECT_FALSE(engine.pending(later));
  EXPECT_FALSE(engine.cancel(later));
  // The engine goes on from there, in scheduling order among equal times.
  std::vector<int> order;
  engine.schedule_in(1s, [&] { order.push_back(1); });
  engine.schedule_in(1s, [&] { order.push_back(2); });
  EXPECT_EQ(engine.run_until_quiet(), StopReason::Quiet);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(engine.now(), kTimeZero + 3s);
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace ersim
