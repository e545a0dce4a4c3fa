// ANSI colour for text reports on a terminal.
//   paint("FAILED", "1;31", color);   // bold red when color, the bare word otherwise
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace ersim::report {

inline std::string paint(std::string_view text, std::string_view ansi, bool color) {
  return color ? fmt::format("\x1b[{}m{}\x1b[0m", ansi, text) : std::string(text);
}

}  // namespace ersim::report
