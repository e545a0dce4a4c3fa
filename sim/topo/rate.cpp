#include "sim/topo/rate.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

namespace ersim {
namespace {

constexpr std::array<std::pair<std::string_view, std::uint64_t>, 4> kUnits{{
    {"Gbps", 1'000'000'000ULL},
    {"Mbps", 1'000'000ULL},
    {"kbps", 1'000ULL},
    {"bps", 1ULL},
}};

// Digits, optionally one point and more digits, as a whole part and a fraction over a power of
// ten; std::nullopt for anything else, or for more digits than a rate needs.
struct Decimal {
  std::uint64_t whole = 0;
  std::uint64_t fraction = 0;
  std::uint64_t scale = 1;  ///< of fraction: 10^(decimals)
};

std::optional<Decimal> parse_decimal(std::string_view text) {
  Decimal d;
  bool point = false;
  bool digits = false;
  for (const char c : text) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9' || d.whole >= 1'000'000'000'000ULL || d.scale >= 1'000'000'000ULL) {
      return std::nullopt;
    }
    digits = true;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (point) {
      d.fraction = d.fraction * 10 + digit;
      d.scale *= 10;
    } else {
      d.whole = d.whole * 10 + digit;
    }
  }
  if (!digits) {
    return std::nullopt;
  }
  return d;
}

// Up to three decimals, trailing zeros and a trailing point dropped.
std::string trimmed(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') {
      text.pop_back();
    }
    if (text.back() == '.') {
      text.pop_back();
    }
  }
  return text;
}

}  // namespace

std::optional<std::uint64_t> parse_rate(std::string_view text) {
  for (const auto& [unit, scale] : kUnits) {
    if (text.size() <= unit.size() || !text.ends_with(unit)) {
      continue;
    }
    const std::optional<Decimal> d = parse_decimal(text.substr(0, text.size() - unit.size()));
    // The rate must be a whole number of bits per second.
    if (!d || (scale * d->fraction) % d->scale != 0) {
      return std::nullopt;
    }
    return d->whole * scale + scale * d->fraction / d->scale;
  }
  return std::nullopt;
}

std::string rate_text(std::uint64_t bps) {
  for (const auto& [unit, scale] : kUnits) {
    if (bps >= scale || scale == 1) {
      return trimmed(static_cast<double>(bps) / static_cast<double>(scale), 3) + std::string(unit);
    }
  }
  return "0bps";  // not reached: the last unit takes every rate
}

std::optional<double> parse_percent(std::string_view text) {
  if (!text.ends_with('%')) {
    return std::nullopt;
  }
  const std::optional<Decimal> d = parse_decimal(text.substr(0, text.size() - 1));
  if (!d) {
    return std::nullopt;
  }
  return (static_cast<double>(d->whole) +
          static_cast<double>(d->fraction) / static_cast<double>(d->scale)) /
         100.0;
}

std::string percent_text(double fraction) { return trimmed(fraction * 100.0, 1) + "%"; }

}  // namespace ersim
