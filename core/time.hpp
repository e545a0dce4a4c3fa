// Simulated time: integer nanoseconds, never floating point.
//
// Duration and SimTime are std::chrono types over int64 nanoseconds. Text always carries a unit:
//   Duration hold = parse_duration("180s");      // 180'000'000'000 ns
//   format_duration(parse_duration("1.5s"));     // "1.5s"
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ersim {

using Duration = std::chrono::duration<std::int64_t, std::nano>;

/// The clock of simulated time. It has no now(): only an Engine knows the current time.
struct SimClock {
  // The names the standard requires of a clock.
  // NOLINTBEGIN(readability-identifier-naming)
  using rep = std::int64_t;
  using period = std::nano;
  using duration = Duration;
  using time_point = std::chrono::time_point<SimClock, Duration>;
  static constexpr bool is_steady = true;
  // NOLINTEND(readability-identifier-naming)
};

using SimTime = SimClock::time_point;

inline constexpr SimTime kTimeZero{};
inline constexpr SimTime kTimeMax = SimTime::max();

/// Thrown by parse_duration; the message says what is wrong with the text, without a position
/// (the caller that knows the file and line adds it).
class DurationError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Parses a duration with units: one or more groups of a decimal number and a unit, largest unit
/// first: "300ms", "3s", "2m", "1h", "1m30s", "1.5s", "-2s". Units: ns, us, ms, s, m, h.
/// Fractions are exact and may not be finer than one nanosecond. Throws DurationError.
Duration parse_duration(std::string_view text);

/// The shortest exact text for a duration that parse_duration reads back:
/// "0s", "300ms", "1.5s", "1m30s", "2h", "250ns", "-3s".
std::string format_duration(Duration duration);

/// A point in simulated time as seconds with nanosecond digits: "12.300000000". Fixed width
/// after the point, so time stamps in logs and traces line up and sort as text within a run.
std::string format_time(SimTime time);

}  // namespace ersim
