// `ersim check TOPOLOGY`: the ExpressRoute checklist.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "sim/cli/commands.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/report/checklist_report.hpp"

namespace ersim::cli {

void add_check_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string topology;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* check = app.add_subcommand(
      "check", "Check a design against Microsoft's ExpressRoute checklist (exit 1 on errors)");
  check->add_option("TOPOLOGY", options->topology, "Topology file (YAML)")->required();
  check->add_flag("--json", options->json, "Write the findings as JSON (schema ersim.check/1)");
  check->callback([options, &exit_code] {
    const topo::Topology topology = io::load_topology(options->topology);
    const topo::ChecklistReport report = topo::run_checklist(topology);
    if (options->json) {
      fmt::print("{}\n", report::checklist_json(topology, report).dump(2));
    } else {
      fmt::print("{}", report::checklist_text(topology, report, stdout_wants_colour()));
    }
    exit_code = report.count(topo::Severity::Error) > 0 ? kExitFailed : kExitOk;
  });
}

}  // namespace ersim::cli
