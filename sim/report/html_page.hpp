// What the HTML reports share: the page around them (doctype, the one style sheet, the footer
// naming the version), escaping, and SVG coordinates. A page fetches nothing: no URL, font,
// image or script from outside.
//   std::string page = html_page_begin("sweep of maximum.yaml", ".score { font-size: 2em; }");
//   page += "<h1>" + html_escaped(name) + "</h1>\n" + html_page_end();
#pragma once

#include <string>
#include <string_view>

namespace ersim::report {

/// `text` with &, <, >, " and ' as character references: safe as element text and as a quoted
/// attribute value.
std::string html_escaped(std::string_view text);

/// A coordinate or length in an SVG: one decimal is finer than a pixel and keeps pages small.
std::string px(double value);

/// Everything up to and including `<body>`: the doctype, the `title` (escaped), and the style
/// sheet every report uses followed by the page's own `extra_style`.
std::string html_page_begin(std::string_view title, std::string_view extra_style = "");

/// The footer naming the ersim version, and the closing tags.
std::string html_page_end();

}  // namespace ersim::report
