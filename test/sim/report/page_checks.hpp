// What the report tests check of any page or text: how often a string occurs, and that an HTML
// page fetches nothing (no URL, link, source, import or CSS url() from outside).
//   EXPECT_TRUE(fetches_nothing(run_html(topology, scenario, result)));
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ersim::report {

inline std::size_t count(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

/// An SVG's xmlns is a name, not an address, so it is the one "http://" allowed.
inline testing::AssertionResult fetches_nothing(const std::string& html) {
  if (html.rfind("<!DOCTYPE html>", 0) != 0) {
    return testing::AssertionFailure() << "no doctype";
  }
  if (count(html, "http://") != count(html, "xmlns=\"http://")) {
    return testing::AssertionFailure() << "an http:// address";
  }
  for (const std::string_view fetch : {"https://", "<link", "src=", "href=", "url(", "@import"}) {
    if (count(html, fetch) != 0) {
      return testing::AssertionFailure() << "a " << fetch;
    }
  }
  return testing::AssertionSuccess();
}

}  // namespace ersim::report
