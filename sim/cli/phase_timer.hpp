// Where a command's time goes (`ersim sweep --timings`, `ersim run --timings`): the wall-clock and
// CPU time of each phase, the CPU time counting every thread of the process, so that CPU / wall
// says how many cores a phase kept busy.
//   PhaseTimer timer;            // the first phase, "load", begins
//   timer.begin("converge");     // ends the phase before
//   timer.begin("singles", 40000);
//   fmt::print(stderr, "{}", timer.table());
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace ersim::cli {

class PhaseTimer {
 public:
  struct Phase {
    std::string name;
    std::size_t sets = 0;  ///< failure sets simulated in it (0: none)
    double wall_s = 0;
    double cpu_s = 0;
  };

  explicit PhaseTimer(std::string first = "load");

  /// Ends the current phase and begins `name`.
  void begin(std::string name, std::size_t sets = 0);
  /// The phases so far, the current one ended now.
  [[nodiscard]] std::vector<Phase> phases();
  /// phases() as a table for people: one line per phase and a total, with CPU / wall and, for
  /// phases that simulate sets, sets per second (no sets columns when no phase has any).
  [[nodiscard]] std::string table();

 private:
  void end_current();

  std::vector<Phase> done_;
  Phase current_;
  std::chrono::steady_clock::time_point wall_start_;
  double cpu_start_ = 0;
};

}  // namespace ersim::cli
