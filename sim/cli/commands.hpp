// The subcommands of `ersim`. Each adds itself to the app; its callback runs during parsing
// and stores the process exit code in `exit_code`. Bad input throws ConfigError (main: exit 2).
//   CLI::App app;  int code = 0;  add_check_command(app, code);  app.parse(argc, argv);
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace ersim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  ///< an expectation or a checklist error
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 3;

/// True when colour escapes should go to stdout: a terminal, and NO_COLOR unset.
bool stdout_wants_colour();
/// Writes a report file; false (with a message on stderr) when it cannot.
bool write_file(const std::string& path, const std::string& text);

void add_check_command(CLI::App& app, int& exit_code);
/// `ersim generate`: a synthetic topology file (sim/io/generate.hpp).
void add_generate_command(CLI::App& app, int& exit_code);
void add_graph_command(CLI::App& app, int& exit_code);
/// `ersim run`: one failure scenario (sim/scenario/runner.hpp).
void add_run_command(CLI::App& app, int& exit_code);
/// `ersim sweep`: every single failure, and pairs (sim/sweep/sweep_runner.hpp).
void add_sweep_command(CLI::App& app, int& exit_code);

}  // namespace ersim::cli
