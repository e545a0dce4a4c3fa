// The `ersim` command line. Exit codes: 0 success, 1 an expectation or checklist error, 2 bad
// input or usage, 3 internal error (a bug in ersim).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>
#include <unistd.h>

#include "sim/cli/commands.hpp"
#include "sim/io/config_error.hpp"
#include "sim/version.hpp"

namespace ersim::cli {

bool stdout_wants_colour() {
  return isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  file.close();
  if (!file) {
    fmt::print(stderr, "ersim: cannot write {}\n", path);
    return false;
  }
  return true;
}

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0  success (every expectation met, no checklist error)
  1  an expectation failed, or the checklist found an error
  2  bad input or usage
  3  internal error (a bug in ersim: please report it)

Documentation: README.md and docs/ in the source tree; topology files: docs/topology.md.)";

int run(int argc, char** argv) {
  CLI::App app{
      "ersim simulates BGP session redundancy in Azure ExpressRoute-style designs: it injects "
      "link and router failures into a design and reports, in simulated time, which flows stay "
      "reachable and for how long the others are black-holed.",
      "ersim"};
  app.set_version_flag("-V,--version", fmt::format("ersim {}", version()),
                       "Print the version and exit");
  app.footer(kFooter);
  app.require_subcommand(0, 1);

  int exit_code = kExitOk;
  add_check_command(app, exit_code);
  add_generate_command(app, exit_code);
  add_graph_command(app, exit_code);
  add_run_command(app, exit_code);
  add_sweep_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (app.get_subcommands().empty()) {
    fmt::print("{}", app.help());
  }
  return exit_code;
}

}  // namespace
}  // namespace ersim::cli

int main(int argc, char** argv) {
  try {
    return ersim::cli::run(argc, argv);
  } catch (const ersim::ConfigError& e) {
    (void)std::fprintf(stderr, "%s\n", e.what());
    return ersim::cli::kExitUsage;
  } catch (const std::exception& e) {
    // Bad input is a ConfigError; anything else reaching here is a bug.
    (void)std::fprintf(stderr, "ersim: internal error: %s\n", e.what());
    return ersim::cli::kExitInternal;
  }
}
