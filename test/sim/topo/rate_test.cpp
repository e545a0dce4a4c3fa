// Rates and percentages as files and reports write them.
#include "sim/topo/rate.hpp"

#include <gtest/gtest.h>

namespace ersim {
namespace {

TEST(Rate, ParsesExactDecimalsWithAUnit) {
  EXPECT_EQ(parse_rate("500Mbps"), 500'000'000U);
  EXPECT_EQ(parse_rate("2.5Gbps"), 2'500'000'000U);
  EXPECT_EQ(parse_rate("1.25kbps"), 1'250U);
  EXPECT_EQ(parse_rate("7bps"), 7U);
  EXPECT_EQ(parse_rate("0Mbps"), 0U);
}

TEST(Rate, RejectsAnythingElse) {
  for (const char* text : {"", "Mbps", "500", "500 Mbps", "500mbps", "-1Gbps", "1e3Mbps", "1.5bps",
                           "1..5Gbps", ".Gbps", "1Gbps ", "1Tbps"}) {
    EXPECT_FALSE(parse_rate(text).has_value()) << text;
  }
}

TEST(Rate, TextUsesTheLargestUnitAndDropsTrailingZeros) {
  EXPECT_EQ(rate_text(1'400'000'000), "1.4Gbps");
  EXPECT_EQ(rate_text(1'000'000'000), "1Gbps");
  EXPECT_EQ(rate_text(500'000'000), "500Mbps");
  EXPECT_EQ(rate_text(1'250), "1.25kbps");
  EXPECT_EQ(rate_text(999), "999bps");
  EXPECT_EQ(rate_text(0), "0bps");
  for (const std::uint64_t bps : {1'400'000'000ULL, 300'000'000ULL, 1'250ULL, 7ULL}) {
    EXPECT_EQ(parse_rate(rate_text(bps)), bps);
  }
}

TEST(Percent, ParsesAndWritesPercentages) {
  EXPECT_DOUBLE_EQ(*parse_percent("80%"), 0.8);
  EXPECT_DOUBLE_EQ(*parse_percent("87.5%"), 0.875);
  EXPECT_DOUBLE_EQ(*parse_percent("150%"), 1.5);
  for (const char* text : {"80", "%", "-5%", "80 %", "0.8", "eighty%"}) {
    EXPECT_FALSE(parse_percent(text).has_value()) << text;
  }
  EXPECT_EQ(percent_text(0.8), "80%");
  EXPECT_EQ(percent_text(1.405), "140.5%");
  EXPECT_EQ(percent_text(0), "0%");
}

}  // namespace
}  // namespace ersim
