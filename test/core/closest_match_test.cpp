#include "core/closest_match.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

namespace ersim {
namespace {

constexpr std::array<std::string_view, 3> kKeys{"hold_time", "keepalive", "latency"};

TEST(ClosestMatch, OneEditAwayIsSuggested) {
  EXPECT_EQ(closest_match("hold_tme", kKeys), "hold_time");
  EXPECT_EQ(closest_match("latnecy", kKeys), "latency");  // a swap of neighbours is one edit
}

TEST(ClosestMatch, FarFromEveryCandidateIsNoSuggestion) {
  EXPECT_EQ(closest_match("bandwidth", kKeys), std::nullopt);
  EXPECT_EQ(closest_match("ab", std::array<std::string_view, 1>{"cd"}), std::nullopt);
  EXPECT_EQ(closest_match("x", std::span<const std::string_view>{}), std::nullopt);
}

TEST(ClosestMatch, EquallyCloseCandidatesTheFirstWins) {
  constexpr std::array<std::string_view, 2> kTwins{"link-a", "link-b"};
  EXPECT_EQ(closest_match("link-c", kTwins), "link-a");
}

}  // namespace
}  // namespace ersim
