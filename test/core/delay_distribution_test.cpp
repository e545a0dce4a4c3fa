#include "core/delay_distribution.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/assert.hpp"

namespace ersim {
namespace {

using namespace std::chrono_literals;

std::vector<Duration> draws(const DelayDistribution& d, std::uint64_t seed, int n) {
  Rng rng(seed);
  std::vector<Duration> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    out.push_back(d.sample(rng));
  }
  return out;
}

Duration median_of(std::vector<Duration> values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

TEST(DelayDistribution, FixedAlwaysGivesItsDelay) {
  const auto d = DelayDistribution::fixed(10s);
  for (const Duration x : draws(d, 1, 100)) {
    EXPECT_EQ(x, 10s);
  }
  Rng rng(1);
  EXPECT_EQ(DelayDistribution::fixed(0s).sample(rng), 0s);
  EXPECT_EQ(d.min(), 10s);
  EXPECT_EQ(d.max(), 10s);
}

TEST(DelayDistribution, UniformStaysWithinBothBoundsAndReachesThem) {
  const auto d = DelayDistribution::uniform(5ns, 8ns);
  const std::vector<Duration> xs = draws(d, 3, 1000);
  EXPECT_EQ(*std::min_element(xs.begin(), xs.end()), 5ns);
  EXPECT_EQ(*std::max_element(xs.begin(), xs.end()), 8ns);
  const auto wide = DelayDistribution::uniform(5s, 20s);
  const Duration m = median_of(draws(wide, 4, 10001));
  EXPECT_GT(m, 12s);
  EXPECT_LT(m, 13s);
}

// The gateway's default: about 15 s typical, never more than 60 s (DESIGN §1).
TEST(DelayDistribution, LogNormalHasItsMedianAndNeverPassesTheCap) {
  const auto d = DelayDistribution::lognormal(15s, 0.5, 60s);
  const std::vector<Duration> xs = draws(d, 5, 20001);
  for (const Duration x : xs) {
    ASSERT_GT(x, 0s);
    ASSERT_LE(x, 60s);
  }
  const Duration m = median_of(xs);
  EXPECT_GT(m, 14500ms);
  EXPECT_LT(m, 15500ms);
  // sigma 0.5: about 16% of draws lie above 15 s * e^0.5 = 24.7 s.
  const auto above = std::count_if(xs.begin(), xs.end(), [](Duration x) { return x > 24730ms; });
  EXPECT_GT(above, 2800);
  EXPECT_LT(above, 3600);
  // The tail past 60 s (z > 2.77, about 0.3%) is clamped to the cap.
  EXPECT_GT(std::count(xs.begin(), xs.end(), Duration(60s)), 0);
}

TEST(DelayDistribution, SameSeedGivesTheSameDelays) {
  const auto d = DelayDistribution::lognormal(15s, 0.5, 60s);
  EXPECT_EQ(draws(d, 7, 50), draws(d, 7, 50));
  EXPECT_NE(draws(d, 7, 50), draws(d, 8, 50));
}

TEST(DelayDistribution, LogNormalWithoutSpreadIsItsMedian) {
  const auto d = DelayDistribution::lognormal(15s, 0.0, 60s);
  for (const Duration x : draws(d, 9, 10)) {
    EXPECT_EQ(x, 15s);
  }
}

TEST(DelayDistribution, DescribesItselfForReports) {
  EXPECT_EQ(to_string(DelayDistribution::fixed(0s)), "fixed(0s)");
  EXPECT_EQ(to_string(DelayDistribution::uniform(5s, 20s)), "uniform(5s, 20s)");
  EXPECT_EQ(to_string(DelayDistribution::lognormal(15s, 0.5, 60s)),
            "lognormal(median 15s, sigma 0.5, max 1m)");
  EXPECT_EQ(to_string(DelayDistribution::Kind::LogNormal), "lognormal");
}

TEST(DelayDistribution, BadParametersAreProgrammerErrors) {
  EXPECT_THROW(DelayDistribution::fixed(-1s), InternalError);
  EXPECT_THROW(DelayDistribution::uniform(20s, 5s), InternalError);
  EXPECT_THROW(DelayDistribution::lognormal(0s, 0.5, 60s), InternalError);
  EXPECT_THROW(DelayDistribution::lognormal(15s, -1.0, 60s), InternalError);
  EXPECT_THROW(DelayDistribution::lognormal(90s, 0.5, 60s), InternalError);
}

}  // namespace
}  // namespace ersim
