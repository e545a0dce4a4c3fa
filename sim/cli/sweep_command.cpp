// `ersim sweep FILE [SCENARIO]`: every single failure of a design (and pairs with --k 2), each
// from the converged network, ranked by what it hurts, with the resiliency index.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include "core/closest_match.hpp"
#include "core/random.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/phase_timer.hpp"
#include "sim/io/config_error.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/io/sweep_journal.hpp"
#include "sim/io/sweep_yaml.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/report/sweep_report.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/sweep/failure_sets.hpp"
#include "sim/sweep/sweep_expectations.hpp"
#include "sim/sweep/sweep_runner.hpp"
#include "sim/topo/topology.hpp"
#include "sim/version.hpp"

namespace ersim::cli {
namespace {

struct Options {
  std::string first;
  std::string scenario;
  std::optional<unsigned> k;
  std::vector<std::string> only;
  std::vector<std::string> exclude;
  std::string mode;
  std::optional<std::uint32_t> runs;
  std::optional<std::uint64_t> seed;
  std::string horizon;
  std::vector<std::string> expect;
  unsigned threads = 0;
  bool json = false;
  std::string html;
  std::size_t top = 20;
  std::string results;
  bool resume = false;
  bool quiet = false;
  bool timings = false;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A usage mistake: the message on stderr and exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What identifies a sweep for --resume: ersim's version, the files' text and the options.
std::string fingerprint(const std::vector<std::string>& files, const sweep::SweepOptions& o,
                        const std::vector<sweep::SweepExpectation>& expectations) {
  std::string text(version());
  for (const std::string& f : files) {
    text += '\0' + read_text(f);
  }
  text += fmt::format("\nk={} runs={} seed={} horizon={} mode={}", o.k, o.runs, o.seed,
                      o.horizon.count(), o.mode ? static_cast<int>(*o.mode) : -1);
  for (const sweep::ElementKind kind : o.only) {
    text += fmt::format(" only={}", sweep::to_string(kind));
  }
  for (const std::string& e : o.exclude) {
    text += fmt::format(" exclude={}", e);
  }
  for (const sweep::SweepExpectation& e : expectations) {
    text += fmt::format(" expect={}", e.text);
  }
  return fmt::format("{:016x}", stable_id(text));
}

/// "[#######.............] 1234/40000 sets  2345/s  0:12 left" on stderr, redrawn at most
/// ten times a second; only when stderr is a terminal and not in CI.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  ~ProgressBar() { clear(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ProgressBar(ProgressBar&&) = delete;
  ProgressBar& operator=(ProgressBar&&) = delete;

  /// Removes the bar, so that what follows starts on a clean line.
  void clear() {
    if (drawn_) {
      fmt::print(stderr, "\r\x1b[K");
      static_cast<void>(std::fflush(stderr));  // a progress bar: nothing to do if it fails
      drawn_ = false;
    }
  }

  void update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) {
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    if (!drawn_) {
      start_ = now;
      first_done_ = done;
    }
    last_ = now;
    drawn_ = true;
    constexpr std::size_t kWidth = 24;
    const std::size_t filled = kWidth * done / total;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done - first_done_) / elapsed : 0;
    std::string left = "?";
    if (rate > 0) {
      const auto seconds = static_cast<long>(static_cast<double>(total - done) / rate);
      left = fmt::format("{}:{:02}", seconds / 60, seconds % 60);
    }
    fmt::print(stderr, "\r\x1b[K[{}{}] {}/{} sets  {:.0f}/s  {} left", std::string(filled, '#'),
               std::string(kWidth - filled, '.'), done, total, rate, left);
    static_cast<void>(std::fflush(stderr));  // a progress bar: nothing to do if it fails
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::size_t first_done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

int sweep_main(const Options& options) {
  PhaseTimer timer;  // "load": the topology and the scenario, the elements to fail
  // FILE is a scenario when it names its topology, or when a topology comes first. Each file is
  // parsed once: a topology of 10,000 circuits takes a fifth of a second.
  std::string topology_path = options.first;
  std::optional<io::YamlFile> scenario_file;
  std::optional<topo::Topology> read_first;
  if (!options.scenario.empty()) {
    scenario_file = io::load_yaml_file(options.scenario);
  } else {
    io::YamlFile first = io::load_yaml_file(options.first);
    if (const std::optional<std::string> named = io::scenario_topology(first)) {
      topology_path =
          (std::filesystem::path(options.first).parent_path() / *named).lexically_normal().string();
      scenario_file = std::move(first);
    } else {
      read_first = io::read_topology(std::move(first));
    }
  }
  const topo::Topology topology =
      read_first ? std::move(*read_first) : io::load_topology(topology_path);
  sweep::SweepPlan plan;
  std::vector<std::string> files{topology_path};
  if (scenario_file) {
    const io::YamlFile& file = *scenario_file;
    plan.base = io::read_scenario(file, topology);
    if (const std::optional<io::SweepFile> block = io::read_sweep(file)) {
      plan.options = block->options;
      plan.expectations = block->expectations;
    }
    files.push_back(file.name);
  } else {
    plan.base = io::default_scenario(topology, topology.name());
  }
  // The command line overrides the file's sweep block.
  sweep::SweepOptions& o = plan.options;
  if (options.k) {
    o.k = *options.k;
  }
  if (!options.only.empty()) {
    o.only.clear();
    for (const std::string& word : options.only) {
      const std::optional<sweep::ElementKind> kind = sweep::element_kind(word);
      if (!kind) {
        static constexpr std::array<std::string_view, 7> kKinds{
            "link", "router", "gateway", "location", "metro", "provider", "srlg"};
        const std::optional<std::string_view> close = closest_match(word, kKinds);
        throw UsageError(fmt::format("--only: unknown element kind '{}' ({})", word,
                                     close ? fmt::format("did you mean '{}'?", *close)
                                           : std::string("expected link, router, gateway, "
                                                         "location, metro, provider or srlg")));
      }
      o.only.push_back(*kind);
    }
  }
  o.exclude.insert(o.exclude.end(), options.exclude.begin(), options.exclude.end());
  if (!options.mode.empty()) {
    o.mode = options.mode == "silent" ? topo::FailureMode::Silent : topo::FailureMode::Carrier;
  }
  if (options.runs) {
    o.runs = *options.runs;
  }
  if (options.seed) {
    o.seed = *options.seed;
  }
  if (!options.horizon.empty()) {
    try {
      o.horizon = parse_duration(options.horizon);
    } catch (const DurationError& e) {
      throw UsageError(fmt::format("--horizon: {}", e.what()));
    }
    if (o.horizon <= Duration::zero()) {
      throw UsageError("--horizon must be positive");
    }
  }
  for (const std::string& text : options.expect) {
    try {
      plan.expectations.push_back(sweep::parse_expectation(text));
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("--expect: {}", e.what()));
    }
  }
  if (const std::optional<std::string> error = sweep::check_filters(topology, o)) {
    throw UsageError(*error);
  }
  plan.elements = sweep::sweep_elements(topology, o);

  sweep::SweepHooks hooks;
  hooks.threads =
      options.threads > 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  std::optional<io::SweepJournal> journal;
  if (!options.results.empty()) {
    journal = io::SweepJournal::open(options.results, fingerprint(files, o, plan.expectations),
                                     options.resume);
    hooks.resumed = journal->results();
    hooks.on_result = [&journal](const sweep::SetResult& r) { journal->append(r); };
  } else if (options.resume) {
    throw UsageError("--resume needs --results FILE: the journal to resume from");
  }
  ProgressBar bar(!options.quiet && isatty(STDERR_FILENO) == 1 && std::getenv("CI") == nullptr);
  hooks.on_progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
  if (options.timings) {
    hooks.on_phase = [&timer](std::string_view phase, std::size_t sets) {
      timer.begin(std::string(phase), sets);
    };
  }
  sweep::SweepResult result;
  try {
    result = sweep::run_sweep(topology, plan, hooks);
  } catch (const scenario::NotQuiet& e) {
    throw UsageError(
        fmt::format("{}: a sweep starts every failure from a quiet network", e.what()));
  }
  bar.clear();
  timer.begin("report");
  if (options.json) {
    report::write_sweep_json(stdout, result, hooks.threads);
  } else {
    fmt::print("{}",
               report::sweep_text(result, {.color = stdout_wants_colour(), .top = options.top}));
  }
  if (!options.html.empty() &&
      !write_file(options.html, report::sweep_html(result, topology.name()))) {
    return kExitUsage;
  }
  if (options.timings) {
    static_cast<void>(std::fflush(stdout));
    fmt::print(stderr, "ersim sweep: timings, {} thread(s); CPU counts every thread\n{}",
               hooks.threads, timer.table());
  }
  return result.all_met() ? kExitOk : kExitFailed;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<Options>();
  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "Fail every link, router, gateway, peering location, metro, provider and shared-risk "
      "group of a design in turn (and every pair with --k 2), each from the converged network, "
      "and rank what hurts: flows partitioned, outages with their cause, criticality, and a "
      "resiliency index (exit 1 if an expectation fails)");
  sweep
      ->add_option("FILE", options->first,
                   "The topology, or a scenario naming its topology (its flows, options and "
                   "sweep block count: docs/sweep.md)")
      ->required();
  sweep->add_option("SCENARIO", options->scenario, "A scenario for the topology given first");
  sweep->add_option("--k", options->k, "1: every element alone (default); 2: also every pair")
      ->check(CLI::Range(1U, 2U));
  sweep
      ->add_option("--only", options->only,
                   "Fail only these element kinds: link, router, gateway, location, metro, "
                   "provider, srlg")
      ->delimiter(',')
      ->allow_extra_args(false);
  sweep
      ->add_option("--exclude", options->exclude,
                   "Leave out a kind, a KIND:NAME or a NAME (repeatable)")
      ->allow_extra_args(false);
  sweep->add_option("--mode", options->mode, "Fail every link this way instead of its own")
      ->check(CLI::IsMember({"carrier", "silent"}));
  sweep->add_option("--runs", options->runs, "Seeds per failure set, for outage distributions")
      ->check(CLI::Range(1U, 10000U));
  sweep->add_option("--seed", options->seed, "The first seed (default 1)")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{9223372036854775807ULL}));
  sweep->add_option("--horizon", options->horizon,
                    "How long each failure set runs after the failure (default 10m)");
  sweep
      ->add_option("--expect", options->expect,
                   "What must hold (repeatable): no-single-partition, single-outage<=DURATION, "
                   "no-cross-location-pair-partition")
      ->allow_extra_args(false);
  sweep
      ->add_option("--threads", options->threads,
                   "Worker threads (default: one per core); the report never depends on it")
      ->check(CLI::Range(1U, 1024U));
  sweep->add_flag("--json", options->json,
                  "Write the result as one JSON document (schema ersim.sweep/1) instead of text");
  sweep->add_option("--html", options->html, "Also write a self-contained HTML report to FILE")
      ->type_name("FILE");
  sweep->add_option("--top", options->top, "List at most N worst sets and elements (0: all)");
  sweep
      ->add_option("--results", options->results,
                   "Stream each failure set's result to FILE as it finishes (a journal)")
      ->type_name("FILE");
  sweep->add_flag("--resume", options->resume,
                  "Go on from the --results journal of an interrupted sweep");
  sweep->add_flag("-q,--quiet", options->quiet, "No progress bar");
  sweep->add_flag("--timings", options->timings,
                  "Print each phase's wall-clock and CPU time to stderr when done (load, "
                  "converge, singles, analysis, pairs, verdicts, report)");
  sweep->callback([options, &exit_code] {
    try {
      exit_code = sweep_main(*options);
    } catch (const UsageError& e) {
      fmt::print(stderr, "ersim sweep: {}\n", e.what());
      exit_code = kExitUsage;
    }
  });
}

}  // namespace ersim::cli
