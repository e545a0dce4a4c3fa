#include "core/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <vector>

#include "core/assert.hpp"
#include "core/random.hpp"

namespace ersim {
namespace {

using std::chrono::seconds;

SimTime at(std::int64_t s) { return kTimeZero + seconds(s); }

// Pops everything, running each function, and returns the labels in the order they ran.
std::vector<int> drain(EventQueue& queue, std::vector<int>& ran) {
  while (!queue.empty()) {
    queue.pop().fn();
  }
  return ran;
}

TEST(EventQueue, EqualTimesPopInPushOrder) {
  EventQueue queue;
  std::vector<int> ran;
  for (int i = 0; i < 1000; ++i) {
    queue.push(at(i % 2 == 0 ? 5 : 3), [&ran, i] { ran.push_back(i); });
  }
  drain(queue, ran);
  ASSERT_EQ(ran.size(), 1000U);
  // First every odd label (time 3) in push order, then every even one (time 5).
  for (std::size_t k = 0; k < 500; ++k) {
    EXPECT_EQ(ran[k], static_cast<int>(2 * k + 1));
    EXPECT_EQ(ran[500 + k], static_cast<int>(2 * k));
  }
}

TEST(EventQueue, PopReturnsTimeAndReleasesTheHandle) {
  EventQueue queue;
  const EventId id = queue.push(at(7), [] {});
  EXPECT_TRUE(queue.pending(id));
  EXPECT_EQ(queue.top_time(), at(7));
  const EventQueue::Popped popped = queue.pop();
  EXPECT_EQ(popped.at, at(7));
  EXPECT_FALSE(queue.pending(id));
  EXPECT_TRUE(queue.empty());
}

// A slot is live while it holds a function, so an empty one is refused.
TEST(EventQueue, EmptyFunctionIsRefused) {
  EventQueue queue;
  EXPECT_THROW(queue.push(at(1), EventFn{}), InternalError);
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, CancelPendingEventRemovesIt) {
  EventQueue queue;
  std::vector<int> ran;
  queue.push(at(1), [&ran] { ran.push_back(1); });
  const EventId two = queue.push(at(2), [&ran] { ran.push_back(2); });
  queue.push(at(3), [&ran] { ran.push_back(3); });
  EXPECT_TRUE(queue.cancel(two));
  EXPECT_EQ(queue.size(), 2U);
  EXPECT_EQ(drain(queue, ran), (std::vector<int>{1, 3}));
}

TEST(EventQueue, CancelOfCancelledOrRunEventIsHarmless) {
  EventQueue queue;
  const EventId a = queue.push(at(1), [] {});
  const EventId b = queue.push(at(2), [] {});
  EXPECT_TRUE(queue.cancel(a));
  EXPECT_FALSE(queue.cancel(a));
  queue.pop();  // runs b
  EXPECT_FALSE(queue.cancel(b));
  EXPECT_FALSE(queue.cancel(EventId{}));
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, CancelReleasesTheFunctionAtOnce) {
  EventQueue queue;
  auto resource = std::make_shared<int>(1);
  const EventId id = queue.push(at(1), [resource] {});
  EXPECT_EQ(resource.use_count(), 2);
  queue.cancel(id);
  EXPECT_EQ(resource.use_count(), 1);
}

TEST(EventQueue, ReusedSlotDoesNotRespondToOldHandle) {
  EventQueue queue;
  const EventId old_id = queue.push(at(1), [] {});
  queue.cancel(old_id);
  const EventId new_id = queue.push(at(2), [] {});  // takes the freed slot
  EXPECT_FALSE(queue.pending(old_id));
  EXPECT_FALSE(queue.cancel(old_id));
  EXPECT_FALSE(queue.reschedule(old_id, at(5)));
  EXPECT_TRUE(queue.pending(new_id));
  EXPECT_EQ(queue.time_of(new_id), at(2));
}

TEST(EventQueue, RescheduleMovesEventAndKeepsHandle) {
  EventQueue queue;
  std::vector<int> ran;
  const EventId first = queue.push(at(1), [&ran] { ran.push_back(1); });
  queue.push(at(2), [&ran] { ran.push_back(2); });
  EXPECT_TRUE(queue.reschedule(first, at(3)));
  EXPECT_TRUE(queue.pending(first));
  EXPECT_EQ(queue.time_of(first), at(3));
  EXPECT_EQ(queue.size(), 2U);
  EXPECT_EQ(drain(queue, ran), (std::vector<int>{2, 1}));
}

TEST(EventQueue, RescheduledEventRunsAfterOthersAlreadyAtThatTime) {
  EventQueue queue;
  std::vector<int> ran;
  const EventId moved = queue.push(at(1), [&ran] { ran.push_back(0); });
  queue.push(at(4), [&ran] { ran.push_back(1); });
  queue.reschedule(moved, at(4));
  queue.push(at(4), [&ran] { ran.push_back(2); });
  EXPECT_EQ(drain(queue, ran), (std::vector<int>{1, 0, 2}));
}

TEST(EventQueue, RescheduleOfNonPendingEventFails) {
  EventQueue queue;
  const EventId id = queue.push(at(1), [] {});
  queue.pop();
  EXPECT_FALSE(queue.reschedule(id, at(2)));
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, CompactionKeepsHeapWithinTwiceTheLiveEvents) {
  EventQueue queue;
  std::vector<EventId> ids;
  ids.reserve(10000);
  for (int i = 0; i < 10000; ++i) {
    ids.push_back(queue.push(at(i), [] {}));
  }
  for (int i = 0; i < 10000; ++i) {
    if (i % 10 != 0) {
      queue.cancel(ids[static_cast<std::size_t>(i)]);
    }
    ASSERT_LE(queue.entries(), 2 * queue.size() + 64);
  }
  EXPECT_EQ(queue.size(), 1000U);
  std::int64_t expected = 0;
  while (!queue.empty()) {
    EXPECT_EQ(queue.pop().at, at(expected));
    expected += 10;
  }
}

TEST(EventQueue, SequenceWrapAroundKeepsEqualTimeOrder) {
  // Start 100 pushes before the 32-bit sequence number wraps.
  EventQueue queue(std::numeric_limits<std::uint32_t>::max() - 100);
  std::vector<int> ran;
  for (int i = 0; i < 300; ++i) {
    queue.push(at(i % 3), [&ran, i] { ran.push_back(i); });
  }
  drain(queue, ran);
  ASSERT_EQ(ran.size(), 300U);
  std::vector<int> expected;
  for (int t = 0; t < 3; ++t) {
    for (int i = t; i < 300; i += 3) {
      expected.push_back(i);
    }
  }
  EXPECT_EQ(ran, expected);
}

// Random pushes, cancels, reschedules, peeks and pops against a plain reference model. `far_odds`
// in 10 of the events go up to `far_span` ahead, the rest up to 50: with a wide span entries sit
// in high buckets and move down as the clock comes near them. A peek (top_time) without a pop
// moves the queue's minimum past the clock, so the next push may fall before it.
void random_operations_match_reference_model(std::uint64_t far_odds, std::int64_t far_span) {
  struct Reference {
    std::int64_t time;
    std::uint64_t order;  // when it was last scheduled
    int label;
    EventId id;
  };
  Rng rng(2024);
  EventQueue queue(std::numeric_limits<std::uint32_t>::max() - 5000);  // crosses a wrap too
  std::vector<Reference> model;
  std::vector<int> ran;
  std::uint64_t order = 0;
  int next_label = 0;
  std::int64_t now = 0;
  for (int step = 0; step < 200000; ++step) {
    const std::uint64_t op = rng.below(10);
    if (op < 4 || model.empty()) {
      const std::int64_t t = now + rng.between(0, rng.below(10) < far_odds ? far_span : 50);
      const int label = next_label++;
      const EventId id = queue.push(at(t), [&ran, label] { ran.push_back(label); });
      model.push_back({t, order++, label, id});
    } else if (op < 6) {
      const std::size_t k = rng.below(model.size());
      ASSERT_TRUE(queue.cancel(model[k].id));
      ASSERT_FALSE(queue.cancel(model[k].id));
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(k));
    } else if (op < 7) {
      const std::size_t k = rng.below(model.size());
      const std::int64_t t = now + rng.between(0, rng.below(10) < far_odds ? far_span : 50);
      ASSERT_TRUE(queue.reschedule(model[k].id, at(t)));
      model[k].time = t;
      model[k].order = order++;
    } else {
      const auto earliest =
          std::min_element(model.begin(), model.end(), [](const Reference& a, const Reference& b) {
            return a.time < b.time || (a.time == b.time && a.order < b.order);
          });
      ASSERT_EQ(queue.top_time(), at(earliest->time));
      if (op == 7) {
        continue;  // a peek, as an engine stopping at a time limit does
      }
      EventQueue::Popped popped = queue.pop();
      popped.fn();
      ASSERT_EQ(ran.back(), earliest->label);
      ASSERT_FALSE(queue.pending(earliest->id));
      now = earliest->time;
      model.erase(earliest);
    }
    ASSERT_EQ(queue.size(), model.size());
  }
}

TEST(EventQueue, RandomOperationsMatchReferenceModel) {
  random_operations_match_reference_model(0, 0);
}

TEST(EventQueue, RandomOperationsOverWideSpansMatchReferenceModel) {
  random_operations_match_reference_model(3, 100000);
}

TEST(EventQueue, EventBeforeThePeekedMinimumRunsFirst) {
  // An engine that stops at a time limit has seen the next event (top_time) and may then
  // schedule one before it.
  EventQueue queue;
  std::vector<int> ran;
  queue.push(at(10), [&ran] { ran.push_back(10); });
  queue.push(at(20), [&ran] { ran.push_back(20); });
  queue.push(at(20), [&ran] { ran.push_back(21); });
  queue.pop().fn();
  EXPECT_EQ(queue.top_time(), at(20));
  queue.push(at(15), [&ran] { ran.push_back(15); });
  queue.push(at(20), [&ran] { ran.push_back(22); });
  EXPECT_EQ(queue.top_time(), at(15));
  drain(queue, ran);
  EXPECT_EQ(ran, (std::vector<int>{10, 15, 20, 21, 22}));
}

TEST(EventQueue, TimesAcrossTheWholeRangeComeOutInOrder) {
  // The buckets key on the time's bits: negative times, zero and times near the end of the
  // range all order as numbers.
  EventQueue queue;
  const std::vector<std::int64_t> times = {std::numeric_limits<std::int64_t>::max(),
                                           0,
                                           -1,
                                           std::numeric_limits<std::int64_t>::min(),
                                           1,
                                           std::int64_t{1} << 40,
                                           (std::int64_t{1} << 40) - 1,
                                           -(std::int64_t{1} << 40)};
  for (const std::int64_t t : times) {
    queue.push(SimTime(Duration(t)), [] {});
  }
  std::vector<std::int64_t> popped;
  while (!queue.empty()) {
    popped.push_back(queue.pop().at.time_since_epoch().count());
  }
  std::vector<std::int64_t> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(popped, sorted);
}

}  // namespace
}  // namespace ersim
