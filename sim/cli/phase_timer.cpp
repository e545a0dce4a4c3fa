#include "sim/cli/phase_timer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <utility>

namespace ersim::cli {
namespace {

/// CPU seconds of every thread of the process so far.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

std::string table_line(const PhaseTimer::Phase& p, bool with_sets) {
  std::string line = fmt::format("  {:<10} {:>9.3f} {:>9.3f} {:>9.2f}", p.name, p.wall_s, p.cpu_s,
                                 p.wall_s > 0 ? p.cpu_s / p.wall_s : 0.0);
  if (with_sets && p.sets > 0) {
    line += fmt::format(" {:>9} {:>10.0f}", p.sets,
                        p.wall_s > 0 ? static_cast<double>(p.sets) / p.wall_s : 0.0);
  }
  return line + "\n";
}

}  // namespace

PhaseTimer::PhaseTimer(std::string first)
    : current_{std::move(first)},
      wall_start_(std::chrono::steady_clock::now()),
      cpu_start_(process_cpu_seconds()) {}

void PhaseTimer::end_current() {
  const auto now = std::chrono::steady_clock::now();
  const double cpu = process_cpu_seconds();
  current_.wall_s += std::chrono::duration<double>(now - wall_start_).count();
  current_.cpu_s += cpu - cpu_start_;
  wall_start_ = now;
  cpu_start_ = cpu;
}

void PhaseTimer::begin(std::string name, std::size_t sets) {
  end_current();
  done_.push_back(std::exchange(current_, Phase{std::move(name), sets}));
}

std::vector<PhaseTimer::Phase> PhaseTimer::phases() {
  end_current();
  std::vector<Phase> all = done_;
  all.push_back(current_);
  return all;
}

std::string PhaseTimer::table() {
  const std::vector<Phase> all = phases();
  const bool with_sets =
      std::any_of(all.begin(), all.end(), [](const Phase& p) { return p.sets > 0; });
  std::string out =
      fmt::format("  {:<10} {:>9} {:>9} {:>9}", "phase", "wall s", "CPU s", "CPU/wall");
  out += with_sets ? fmt::format(" {:>9} {:>10}\n", "sets", "sets/s") : "\n";
  Phase total{"total"};
  for (const Phase& p : all) {
    out += table_line(p, with_sets);
    total.wall_s += p.wall_s;
    total.cpu_s += p.cpu_s;
  }
  return out + table_line(total, with_sets);
}

}  // namespace ersim::cli
