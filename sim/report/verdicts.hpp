// The verdicts of a report's expectations, written the same way by every report (`ersim run`,
// `ersim sweep`): a line each, met in green or FAILED in red, and a closing count.
//   const VerdictLine line{"no single failure partitions a flow", false, "location ams ..."};
//   out += verdicts_text({&line, 1}, color);   // "Expectations\n  FAILED  no single ..."
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ersim::report {

/// One expectation and its verdict, borrowed from the result being reported.
struct VerdictLine {
  std::string_view text;  ///< the expectation as written
  bool met = false;
  std::string_view detail;  ///< what was seen
};

/// The lines of `expectations` (each with a `text`) and their `verdicts` (each with `met` and
/// `detail`, one per expectation): scenario::Expectation and Verdict, or the sweep's own.
template <typename Expectations, typename Verdicts>
std::vector<VerdictLine> verdict_lines(const Expectations& expectations, const Verdicts& verdicts) {
  std::vector<VerdictLine> lines;
  lines.reserve(expectations.size());
  for (std::size_t i = 0; i < expectations.size(); ++i) {
    lines.push_back({expectations[i].text, verdicts.at(i).met, verdicts.at(i).detail});
  }
  return lines;
}

/// "Expectations" and a line per verdict, "met   " or "FAILED", the text and "(detail)"; then
/// "All N expectations met." or "F of N expectations failed.", after an empty line. ANSI colours
/// when `color`. Empty when there are no verdicts.
std::string verdicts_text(std::span<const VerdictLine> verdicts, bool color);

/// `<p class="verdict ok|failed">` with the count ("No expectations" when there are none), then
/// `<ul class="expectations">` with a `<li class="expectation met|failed">` per verdict. Escaped.
std::string verdicts_html(std::span<const VerdictLine> verdicts);

}  // namespace ersim::report
