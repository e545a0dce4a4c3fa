// Rates in bits per second, and shares of a capacity, as files and reports write them:
// "500Mbps", "1Gbps", "2.5Gbps"; "80%".
//
//   parse_rate("2.5Gbps");      // 2'500'000'000
//   rate_text(1'400'000'000);   // "1.4Gbps"
//   parse_percent("80%");       // 0.8
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ersim {

/// An exact decimal followed by a unit, Gbps, Mbps, kbps or bps; std::nullopt for anything
/// else (no sign, no exponent, no space, at most nine decimals and 10^12 units).
std::optional<std::uint64_t> parse_rate(std::string_view text);

/// The largest unit in which the rate is at least 1, with up to three decimals, trailing zeros
/// dropped: "1.4Gbps", "500Mbps", "1.25kbps", "0bps".
std::string rate_text(std::uint64_t bps);

/// A percentage, "80%" or "87.5%", as a fraction (0.8); std::nullopt when the text is not a
/// non-negative decimal followed by '%'.
std::optional<double> parse_percent(std::string_view text);

/// A fraction as a percentage to one decimal, trailing ".0" dropped: "80%", "140.5%".
std::string percent_text(double fraction);

}  // namespace ersim
