#include "core/time.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>

namespace ersim {
namespace {

struct Unit {
  std::string_view name;
  std::uint64_t nanoseconds;
};

// Largest first: compound durations must list their units in this order ("1m30s", not "30s1m").
constexpr std::array<Unit, 7> kUnits{{
    {"h", 3'600'000'000'000ULL},
    {"m", 60'000'000'000ULL},
    {"s", 1'000'000'000ULL},
    {"ms", 1'000'000ULL},
    {"us", 1'000ULL},
    {"\u00b5s", 1'000ULL},
    {"ns", 1ULL},
}};

constexpr std::string_view kUnitHint = "use ns, us, ms, s, m or h";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<std::size_t> find_unit(std::string_view name) {
  for (std::size_t i = 0; i < kUnits.size(); ++i) {
    if (kUnits[i].name == name) {
      return i;
    }
  }
  return std::nullopt;
}

[[noreturn]] void fail(std::string_view text, std::string_view what) {
  throw DurationError(fmt::format("duration '{}' {}", text, what));
}

// Appends value/unit as a decimal with trailing zeros of the fraction removed: 1500 / 1000 ->
// "1.5".
void append_decimal(std::string& out, std::uint64_t value, std::uint64_t unit) {
  out += fmt::format("{}", value / unit);
  std::uint64_t fraction = value % unit;
  if (fraction == 0) {
    return;
  }
  std::string digits;
  for (std::uint64_t scale = unit / 10; scale > 0; scale /= 10) {
    digits += static_cast<char>('0' + (fraction / scale) % 10);
  }
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
  }
  out += '.';
  out += digits;
}

}  // namespace

Duration parse_duration(std::string_view text) {
  if (text.empty()) {
    throw DurationError("empty duration (" + std::string(kUnitHint) + ")");
  }
  std::size_t pos = 0;
  const bool negative = text[0] == '-';
  if (negative) {
    ++pos;
  }
  if (pos == text.size()) {
    fail(text, "has no number");
  }

  std::uint64_t total = 0;
  std::size_t previous_unit = 0;
  bool first_group = true;
  while (pos < text.size()) {
    std::uint64_t whole = 0;
    std::size_t whole_digits = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      const auto digit = static_cast<std::uint64_t>(text[pos] - '0');
      if (__builtin_mul_overflow(whole, 10U, &whole) ||
          __builtin_add_overflow(whole, digit, &whole)) {
        fail(text, "is too long (the limit is about 292 years)");
      }
      ++whole_digits;
      ++pos;
    }
    std::uint64_t fraction = 0;
    std::uint64_t fraction_scale = 1;
    std::size_t fraction_digits = 0;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && is_digit(text[pos])) {
        if (fraction_digits == 18) {
          fail(text, "has too many digits after the decimal point");
        }
        fraction = fraction * 10 + static_cast<std::uint64_t>(text[pos] - '0');
        fraction_scale *= 10;
        ++fraction_digits;
        ++pos;
      }
      if (fraction_digits == 0) {
        fail(text, "has a decimal point without digits after it");
      }
    }
    if (whole_digits == 0 && fraction_digits == 0) {
      fail(text, fmt::format("has no number at position {}", pos + 1));
    }

    const std::size_t unit_start = pos;
    while (pos < text.size() && !is_digit(text[pos]) && text[pos] != '.' && text[pos] != '-') {
      ++pos;
    }
    const std::string_view unit_name = text.substr(unit_start, pos - unit_start);
    if (unit_name.empty()) {
      fail(text, fmt::format("has no unit ({})", kUnitHint));
    }
    const std::optional<std::size_t> unit_index = find_unit(unit_name);
    if (!unit_index) {
      fail(text, fmt::format("has an unknown unit '{}' ({})", unit_name, kUnitHint));
    }
    if (!first_group && kUnits[*unit_index].nanoseconds >= kUnits[previous_unit].nanoseconds) {
      fail(text, "lists its units out of order (largest first, each once: 1m30s)");
    }
    if (fraction_digits > 0 && pos < text.size()) {
      fail(text, "has a fraction before its last unit (write 1m30.5s, not 1.5m30s)");
    }
    first_group = false;
    previous_unit = *unit_index;

    const std::uint64_t unit = kUnits[*unit_index].nanoseconds;
    std::uint64_t value = 0;
    if (__builtin_mul_overflow(whole, unit, &value)) {
      fail(text, "is too long (the limit is about 292 years)");
    }
    if (fraction_digits > 0) {
      // Exact: fraction / fraction_scale of a unit must be a whole number of nanoseconds. With
      // the common factor of unit and scale removed, that holds when the scale divides the
      // fraction.
      const std::uint64_t common = std::gcd(unit, fraction_scale);
      const std::uint64_t scale = fraction_scale / common;
      if (fraction % scale != 0) {
        fail(text, "is finer than one nanosecond");
      }
      std::uint64_t part = 0;
      if (__builtin_mul_overflow(fraction / scale, unit / common, &part) ||
          __builtin_add_overflow(value, part, &value)) {
        fail(text, "is too long (the limit is about 292 years)");
      }
    }
    if (__builtin_add_overflow(total, value, &total)) {
      fail(text, "is too long (the limit is about 292 years)");
    }
  }

  // Two's complement: one more nanosecond fits below zero than above it.
  const std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  if (total > limit) {
    fail(text, "is too long (the limit is about 292 years)");
  }
  return Duration(static_cast<std::int64_t>(negative ? 0 - total : total));
}

std::string format_duration(Duration duration) {
  const std::int64_t count = duration.count();
  if (count == 0) {
    return "0s";
  }
  std::string out;
  // Unsigned negation keeps the most negative value exact.
  auto value = static_cast<std::uint64_t>(count);
  if (count < 0) {
    out += '-';
    value = 0 - value;
  }
  constexpr std::uint64_t kSecond = 1'000'000'000ULL;
  if (value < kSecond) {
    std::uint64_t unit = 1;
    std::string_view name = "ns";
    if (value >= 1'000'000ULL) {
      unit = 1'000'000ULL;
      name = "ms";
    } else if (value >= 1'000ULL) {
      unit = 1'000ULL;
      name = "us";
    }
    append_decimal(out, value, unit);
    out += name;
    return out;
  }
  constexpr std::uint64_t kMinute = 60 * kSecond;
  constexpr std::uint64_t kHour = 60 * kMinute;
  if (value >= kHour) {
    out += fmt::format("{}h", value / kHour);
    value %= kHour;
  }
  if (value >= kMinute) {
    out += fmt::format("{}m", value / kMinute);
    value %= kMinute;
  }
  if (value > 0) {
    append_decimal(out, value, kSecond);
    out += 's';
  }
  return out;
}

std::string format_time(SimTime time) {
  const std::int64_t count = time.time_since_epoch().count();
  auto value = static_cast<std::uint64_t>(count);
  std::string_view sign;
  if (count < 0) {
    sign = "-";
    value = 0 - value;
  }
  return fmt::format("{}{}.{:09}", sign, value / 1'000'000'000ULL, value % 1'000'000'000ULL);
}

}  // namespace ersim
