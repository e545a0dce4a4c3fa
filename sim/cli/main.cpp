// The `ersim` command line. Exit codes: 0 success, 1 an expectation failed, 2 bad input or
// usage, 3 internal error (a bug in ersim).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>

#include "sim/version.hpp"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitInternal = 3;

constexpr const char* kFooter = R"(Exit codes:
  0  success (every expectation met)
  1  an expectation failed
  2  bad input or usage
  3  internal error (a bug in ersim: please report it)

Documentation: docs/ in the source tree (start with README.md).)";

int run(int argc, char** argv) {
  CLI::App app{
      "ersim simulates BGP session redundancy in Azure ExpressRoute-style designs: it injects "
      "link and router failures into a design and reports, in simulated time, which flows stay "
      "reachable and for how long the others are black-holed.",
      "ersim"};
  app.set_version_flag("-V,--version", fmt::format("ersim {}", ersim::version()),
                       "Print the version and exit");
  app.footer(kFooter);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  // Subcommands arrive with the simulator; until then --help and --version are the interface.
  fmt::print("{}", app.help());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    // Bad input is reported where it is read (exit 2); anything reaching here is a bug.
    (void)std::fprintf(stderr, "ersim: internal error: %s\n", e.what());
    return kExitInternal;
  }
}
