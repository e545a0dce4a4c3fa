// ANSI colour for text reports on a terminal.
//   paint("FAILED", kAnsiRed, color);   // bold red when color, the bare word otherwise
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace ersim::report {

/// The reports' few colours: red for what failed, green for what held, dim for the routine.
inline constexpr std::string_view kAnsiRed = "1;31";
inline constexpr std::string_view kAnsiGreen = "1;32";
inline constexpr std::string_view kAnsiDim = "2";
inline constexpr std::string_view kAnsiBold = "1";

inline std::string paint(std::string_view text, std::string_view ansi, bool color) {
  return color ? fmt::format("\x1b[{}m{}\x1b[0m", ansi, text) : std::string(text);
}

}  // namespace ersim::report
