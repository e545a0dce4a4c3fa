// `ersim run [TOPOLOGY] SCENARIO`: one failure scenario, its timeline, outages and verdicts.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/cli/commands.hpp"
#include "sim/cli/phase_timer.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/report/run_html.hpp"
#include "sim/report/run_report.hpp"
#include "sim/scenario/runner.hpp"

namespace ersim::cli {
void add_run_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string first;
    std::string scenario;
    bool json = false;
    std::string trace;
    std::string html;
    unsigned threads = 0;
    std::optional<std::uint64_t> seed;
    std::optional<std::uint32_t> runs;
    bool timings = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* run = app.add_subcommand(
      "run",
      "Run a failure scenario on a design: a timeline of events, session and route changes and "
      "flow outages with their causes, then a verdict per expectation (exit 1 if one fails)");
  run->add_option("FILE", options->first,
                  "The scenario (naming its topology: docs/scenario.md), or the topology when "
                  "SCENARIO follows")
      ->required();
  run->add_option("SCENARIO", options->scenario, "The scenario, after a topology file");
  run->add_flag("--json", options->json,
                "Write the result as one JSON document (schema ersim.run/1) instead of text");
  run->add_option("--trace", options->trace,
                  "Also write one JSON line per state change (the first run) to FILE")
      ->type_name("FILE");
  run->add_option("--html", options->html,
                  "Also write a self-contained HTML report (topology, timelines, outages) to FILE")
      ->type_name("FILE");
  run->add_option("--threads", options->threads,
                  "Threads for the runs (default: one per core); the output never depends on it")
      ->check(CLI::Range(1U, 1024U));
  run->add_option("--seed", options->seed, "Override the scenario's seed");
  run->add_option("--runs", options->runs, "Override the scenario's number of runs (seeds)")
      ->check(CLI::Range(1U, 10000U));
  run->add_flag("--timings", options->timings,
                "Print each phase's wall-clock and CPU time to stderr when done (load, simulate, "
                "report)");
  run->callback([options, &exit_code] {
    PhaseTimer timer;  // "load": the scenario and the topology
    const bool topology_first = !options->scenario.empty();
    const std::string& scenario_path = topology_first ? options->scenario : options->first;
    const io::YamlFile file = io::load_yaml_file(scenario_path);
    std::string topology_path;
    if (topology_first) {
      topology_path = options->first;
    } else {
      const std::optional<std::string> named = io::scenario_topology(file);
      if (!named) {
        fmt::print(stderr,
                   "{}:1:1: the scenario names no topology: add 'topology: FILE' to it, or give "
                   "the topology first: ersim run TOPOLOGY SCENARIO\n",
                   scenario_path);
        exit_code = kExitUsage;
        return;
      }
      // Relative to the scenario file, as an include would be.
      topology_path =
          (std::filesystem::path(scenario_path).parent_path() / *named).lexically_normal().string();
    }
    const topo::Topology topology = io::load_topology(topology_path);
    scenario::Scenario scenario = io::read_scenario(file, topology);
    if (options->seed) {
      scenario.seed = *options->seed;
    }
    if (options->runs) {
      scenario.runs = *options->runs;
    }
    const unsigned threads =
        options->threads > 0 ? options->threads : std::max(1U, std::thread::hardware_concurrency());
    timer.begin("simulate");  // every run: its cold start, its events, its flows
    const scenario::ScenarioResult result =
        scenario::run_scenario(topology, scenario, {.threads = threads});
    timer.begin("report");
    if (options->json) {
      fmt::print("{}\n", report::run_json(topology, scenario, result).dump(2));
    } else {
      fmt::print("{}", report::run_text(topology, scenario, result, stdout_wants_colour()));
    }
    if ((!options->trace.empty() && !write_file(options->trace, report::run_trace(result))) ||
        (!options->html.empty() &&
         !write_file(options->html, report::run_html(topology, scenario, result)))) {
      exit_code = kExitUsage;
      return;
    }
    if (options->timings) {
      static_cast<void>(std::fflush(stdout));
      fmt::print(stderr, "ersim run: timings, {} thread(s); CPU counts every thread\n{}", threads,
                 timer.table());
    }
    exit_code = result.all_met() ? kExitOk : kExitFailed;
  });
}

}  // namespace ersim::cli
