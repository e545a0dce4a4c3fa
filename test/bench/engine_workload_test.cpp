// The benchmark compares queues fairly only if they do the same work: same events, same order.
#include "bench/engine_workload.hpp"

#include <gtest/gtest.h>

namespace ersim::bench {
namespace {

constexpr std::size_t kPending = 500;
constexpr int kSteps = 20000;

template <template <class> class Model, class Queue>
std::pair<std::uint64_t, std::uint64_t> run(std::uint64_t seed) {
  Model<Queue> model(kPending, seed);
  for (int i = 0; i < kSteps; ++i) {
    model.step();
    if (model.pending() != kPending) {
      ADD_FAILURE() << "pending count drifted to " << model.pending();
      break;
    }
  }
  return {model.executed(), model.checksum()};
}

TEST(EngineWorkload, HoldRunsTheSameEventsInEveryQueue) {
  const auto baseline = run<HoldModel, BaselineQueue>(3);
  EXPECT_EQ(baseline.first, static_cast<std::uint64_t>(kSteps));
  EXPECT_EQ((run<HoldModel, ErsimQueue>(3)), baseline);
  EXPECT_NE((run<HoldModel, ErsimQueue>(4)), baseline);
}

TEST(EngineWorkload, ChurnRunsTheSameEventsInEveryQueue) {
  const auto baseline = run<ChurnModel, BaselineQueue>(3);
  EXPECT_EQ(baseline.first, static_cast<std::uint64_t>(kSteps));
  EXPECT_EQ((run<ChurnModel, ErsimQueue>(3)), baseline);
  EXPECT_EQ((run<ChurnModel, ErsimRescheduleQueue>(3)), baseline);
}

}  // namespace
}  // namespace ersim::bench
