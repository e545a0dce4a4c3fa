// Where a piece of text stands in a YAML document the test wrote, for the tests of
// `file:line:col` errors.
//   const auto [line, column] = position_of(yaml, "horizn");
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

namespace ersim::io::testing {

/// Line and column (from 1) of the only occurrence of `needle` in `text`.
inline std::pair<int, int> position_of(const std::string& text, const std::string& needle) {
  const auto found = text.find(needle);
  EXPECT_NE(found, std::string::npos) << "test bug: '" << needle << "' not in the text";
  EXPECT_EQ(text.find(needle, found + 1), std::string::npos)
      << "test bug: '" << needle << "' is not unique";
  const auto line_start = text.rfind('\n', found);
  const int line =
      1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(found), '\n'));
  const int column =
      static_cast<int>(found - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
  return {line, column};
}

}  // namespace ersim::io::testing
