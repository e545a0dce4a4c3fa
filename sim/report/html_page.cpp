#include "sim/report/html_page.hpp"

#include <fmt/format.h>

#include "sim/version.hpp"

namespace ersim::report {

namespace {

// One sheet for every report page, so that the run and sweep reports look alike.
constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 1.5em auto; max-width: 1160px; color: #222; }
h1 { margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
.description { color: #444; margin-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.1em 1em; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.verdict { font-weight: bold; padding: 0.3em 0.6em; display: inline-block; border-radius: 4px; }
.verdict.ok, .met { color: #1b7f1b; }
.verdict.ok { background: #e6f4e6; }
.verdict.failed, .failed { color: #b71c1c; }
.verdict.failed { background: #fbe6e6; }
ul.expectations { list-style: none; padding-left: 0; }
ul.expectations li { margin: 0.2em 0; }
.word { font-weight: bold; display: inline-block; width: 5em; }
.detail { color: #555; }
ul.legend { list-style: none; padding-left: 0; display: flex; flex-wrap: wrap; gap: 0.4em 1.4em; }
.swatch { display: inline-block; width: 1.6em; height: 0.8em; margin-right: 0.4em;
  vertical-align: middle; border: 1px solid #0003; }
.flow h3 { margin: 0.8em 0 0.2em 0; font-size: 1em; }
.summary { font-weight: normal; color: #555; }
svg text { font-family: sans-serif; }
table { border-collapse: collapse; margin: 0.4em 0 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.note { color: #555; font-style: italic; }
footer { margin-top: 2em; color: #777; font-size: 0.85em; }
)";

}  // namespace

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string px(double value) { return fmt::format("{:.1f}", value); }

std::string html_page_begin(std::string_view title, std::string_view extra_style) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n", html_escaped(title));
  out += fmt::format("<style>{}{}</style>\n</head>\n<body>\n", kStyle, extra_style);
  return out;
}

std::string html_page_end() {
  return fmt::format("<footer>Written by ersim {}.</footer>\n</body>\n</html>\n", version());
}

}  // namespace ersim::report
