#include "sim/report/verdicts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>

#include "sim/report/html_page.hpp"
#include "sim/report/paint.hpp"

namespace ersim::report {
namespace {

std::size_t failed_count(std::span<const VerdictLine> verdicts) {
  return static_cast<std::size_t>(
      std::count_if(verdicts.begin(), verdicts.end(), [](const VerdictLine& v) { return !v.met; }));
}

}  // namespace

std::string verdicts_text(std::span<const VerdictLine> verdicts, bool color) {
  if (verdicts.empty()) {
    return {};
  }
  std::string out = paint("Expectations", kAnsiBold, color) + "\n";
  for (const VerdictLine& v : verdicts) {
    out +=
        fmt::format("  {}  {} ({})\n",
                    v.met ? paint("met   ", kAnsiGreen, color) : paint("FAILED", kAnsiRed, color),
                    v.text, v.detail);
  }
  const std::size_t failed = failed_count(verdicts);
  out +=
      failed == 0
          ? paint(fmt::format("\nAll {} expectations met.\n", verdicts.size()), kAnsiGreen, color)
          : paint(fmt::format("\n{} of {} expectations failed.\n", failed, verdicts.size()),
                  kAnsiRed, color);
  return out;
}

std::string verdicts_html(std::span<const VerdictLine> verdicts) {
  if (verdicts.empty()) {
    return "<p class=\"verdict ok\">No expectations</p>\n";
  }
  const std::size_t failed = failed_count(verdicts);
  std::string out;
  if (failed == 0) {
    out += fmt::format("<p class=\"verdict ok\">All {} expectations met</p>\n", verdicts.size());
  } else {
    out += fmt::format("<p class=\"verdict failed\">{} of {} expectations failed</p>\n", failed,
                       verdicts.size());
  }
  out += "<ul class=\"expectations\">\n";
  for (const VerdictLine& v : verdicts) {
    out += fmt::format(
        "<li class=\"expectation {0}\"><span class=\"word {0}\">{1}</span> {2} <span "
        "class=\"detail\">({3})</span></li>\n",
        v.met ? "met" : "failed", v.met ? "met" : "FAILED", html_escaped(v.text),
        html_escaped(v.detail));
  }
  out += "</ul>\n";
  return out;
}

}  // namespace ersim::report
