// The journal of a sweep: its results streamed to a file, one JSON line per failure set as it
// finishes, after a first line that identifies the sweep (a fingerprint of its inputs). An
// interrupted sweep — Ctrl-C, a kill, a crash — resumes from it (`ersim sweep --resume`) and
// ends with the report an uninterrupted one gives: results carry everything the report and the
// pair classification read, durations in nanoseconds.
//
//   SweepJournal journal = SweepJournal::open("s.jsonl", fingerprint, /*resume=*/true);
//   hooks.resumed = journal.results();   hooks.on_result = [&](auto& r) { journal.append(r); };
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "sim/sweep/sweep.hpp"

namespace ersim::io {

class SweepJournal {
 public:
  /// Opens `path` for a sweep whose inputs hash to `fingerprint`. Without `resume` the file is
  /// started afresh. With it, the results already there are read (results()), a line cut short
  /// by the interruption is dropped, and new results are appended; a journal of another sweep
  /// (another fingerprint) or a malformed line is a ConfigError at its line.
  static SweepJournal open(const std::string& path, const std::string& fingerprint, bool resume);

  /// What an earlier run of the same sweep finished.
  [[nodiscard]] const std::vector<sweep::SetResult>& results() const { return results_; }
  /// Writes one finished set and flushes it to the file.
  void append(const sweep::SetResult& result);

 private:
  SweepJournal() = default;
  std::string path_;
  std::ofstream out_;
  std::vector<sweep::SetResult> results_;
};

/// One journal line for a set, and back (false on a malformed line).
std::string journal_line(const sweep::SetResult& result);
bool parse_journal_line(const std::string& line, sweep::SetResult& result);

}  // namespace ersim::io
