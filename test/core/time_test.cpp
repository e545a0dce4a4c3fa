#include "core/time.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "core/random.hpp"

namespace ersim {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

std::string parse_error(std::string_view text) {
  try {
    parse_duration(text);
  } catch (const DurationError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ParseDuration, ReadsEachUnit) {
  EXPECT_EQ(parse_duration("250ns"), nanoseconds(250));
  EXPECT_EQ(parse_duration("5us"), microseconds(5));
  EXPECT_EQ(parse_duration("5\u00b5s"), microseconds(5));
  EXPECT_EQ(parse_duration("300ms"), milliseconds(300));
  EXPECT_EQ(parse_duration("3s"), seconds(3));
  EXPECT_EQ(parse_duration("2m"), minutes(2));
  EXPECT_EQ(parse_duration("1h"), hours(1));
  EXPECT_EQ(parse_duration("0s"), Duration::zero());
}

TEST(ParseDuration, ReadsCompoundsFractionsAndSigns) {
  EXPECT_EQ(parse_duration("1m30s"), seconds(90));
  EXPECT_EQ(parse_duration("1h2m3s"), seconds(3723));
  EXPECT_EQ(parse_duration("1h3s"), seconds(3603));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1500));
  EXPECT_EQ(parse_duration(".5s"), milliseconds(500));
  EXPECT_EQ(parse_duration("0.25ms"), microseconds(250));
  EXPECT_EQ(parse_duration("1m0.000000001s"), seconds(60) + nanoseconds(1));
  EXPECT_EQ(parse_duration("-2s"), seconds(-2));
}

TEST(ParseDuration, ReachesBothEndsOfTheRange) {
  EXPECT_EQ(parse_duration("9223372036854775807ns"), Duration::max());
  EXPECT_EQ(parse_duration("-9223372036854775808ns"), Duration::min());
}

TEST(ParseDuration, RejectsANumberWithoutUnit) {
  EXPECT_EQ(parse_error("300"), "duration '300' has no unit (use ns, us, ms, s, m or h)");
}

TEST(ParseDuration, RejectsAnUnknownUnit) {
  EXPECT_EQ(parse_error("3sec"),
            "duration '3sec' has an unknown unit 'sec' (use ns, us, ms, s, m or h)");
  EXPECT_EQ(parse_error("3 s"),
            "duration '3 s' has an unknown unit ' s' (use ns, us, ms, s, m or h)");
}

TEST(ParseDuration, RejectsUnitsOutOfOrderOrRepeated) {
  EXPECT_EQ(parse_error("30s1m"),
            "duration '30s1m' lists its units out of order (largest first, each once: 1m30s)");
  EXPECT_EQ(parse_error("1s1s"),
            "duration '1s1s' lists its units out of order (largest first, each once: 1m30s)");
}

TEST(ParseDuration, RejectsPrecisionFinerThanANanosecond) {
  EXPECT_EQ(parse_error("0.5ns"), "duration '0.5ns' is finer than one nanosecond");
  EXPECT_EQ(parse_error("1.0000000001s"), "duration '1.0000000001s' is finer than one nanosecond");
}

TEST(ParseDuration, RejectsAFractionBeforeTheLastUnit) {
  EXPECT_EQ(parse_error("1.5m30s"),
            "duration '1.5m30s' has a fraction before its last unit (write 1m30.5s, not 1.5m30s)");
}

TEST(ParseDuration, RejectsOverflow) {
  EXPECT_EQ(parse_error("3000000h"),
            "duration '3000000h' is too long (the limit is about 292 years)");
  EXPECT_EQ(parse_error("99999999999999999999s"),
            "duration '99999999999999999999s' is too long (the limit is about 292 years)");
  EXPECT_EQ(parse_error("9223372036854775808ns"),
            "duration '9223372036854775808ns' is too long (the limit is about 292 years)");
}

TEST(ParseDuration, RejectsMalformedText) {
  EXPECT_EQ(parse_error(""), "empty duration (use ns, us, ms, s, m or h)");
  EXPECT_EQ(parse_error("-"), "duration '-' has no number");
  EXPECT_EQ(parse_error("s"), "duration 's' has no number at position 1");
  EXPECT_EQ(parse_error("1.s"), "duration '1.s' has a decimal point without digits after it");
  EXPECT_EQ(parse_error("1s-2s"), "duration '1s-2s' has no number at position 3");
}

TEST(FormatDuration, WritesTheShortestExactText) {
  EXPECT_EQ(format_duration(Duration::zero()), "0s");
  EXPECT_EQ(format_duration(nanoseconds(250)), "250ns");
  EXPECT_EQ(format_duration(nanoseconds(1500)), "1.5us");
  EXPECT_EQ(format_duration(milliseconds(300)), "300ms");
  EXPECT_EQ(format_duration(microseconds(2500)), "2.5ms");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_duration(seconds(3)), "3s");
  EXPECT_EQ(format_duration(seconds(90)), "1m30s");
  EXPECT_EQ(format_duration(minutes(2)), "2m");
  EXPECT_EQ(format_duration(hours(1) + seconds(3)), "1h3s");
  EXPECT_EQ(format_duration(seconds(-3)), "-3s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  Rng rng(7);
  for (int i = 0; i < 10000; ++i) {
    // Mix magnitudes: nanoseconds up to centuries.
    const auto magnitude = static_cast<std::int64_t>(rng.below(62));
    const std::int64_t bound = std::int64_t{1} << magnitude;
    const Duration d(rng.between(-bound, bound));
    ASSERT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
  }
  EXPECT_EQ(parse_duration(format_duration(Duration::max())), Duration::max());
  EXPECT_EQ(parse_duration(format_duration(Duration::min())), Duration::min());
}

TEST(FormatTime, WritesSecondsWithNanosecondDigits) {
  EXPECT_EQ(format_time(kTimeZero), "0.000000000");
  EXPECT_EQ(format_time(kTimeZero + milliseconds(12300)), "12.300000000");
  EXPECT_EQ(format_time(kTimeZero + nanoseconds(1)), "0.000000001");
  EXPECT_EQ(format_time(kTimeZero + hours(2)), "7200.000000000");
}

}  // namespace
}  // namespace ersim
