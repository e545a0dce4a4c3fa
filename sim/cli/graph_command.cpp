// `ersim graph TOPOLOGY`: a Graphviz picture of the design, as DOT text or, through Graphviz's
// `dot` program, as SVG.
#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <spawn.h>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "sim/cli/commands.hpp"
#include "sim/io/topology_yaml.hpp"
#include "sim/report/dot.hpp"

namespace ersim::cli {
namespace {

constexpr std::string_view kNoDot =
    "ersim: --svg needs Graphviz's dot program; install the graphviz package, or write DOT with "
    "-o and render it elsewhere";

// The first executable `name` in a directory of PATH, as a shell would find it.
std::optional<std::string> find_on_path(std::string_view name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) {
    return std::nullopt;
  }
  std::string_view rest(path);
  while (true) {
    const std::size_t colon = rest.find(':');
    std::string_view dir = rest.substr(0, colon);
    if (dir.empty()) {
      dir = ".";  // POSIX: an empty PATH entry is the current directory
    }
    const std::filesystem::path candidate = std::filesystem::path(dir) / name;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    rest.remove_prefix(colon + 1);
  }
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

// Runs `dot -Tsvg -o svg_file` with the DOT text on its standard input, without a shell, so a
// file name needs no quoting. dot's own messages go to our standard error. Returns the exit
// code of the command.
int render_svg(const std::string& dot_program, const std::string& dot_text,
               const std::string& svg_file) {
  std::array<int, 2> pipe_fds{};
  if (pipe(pipe_fds.data()) != 0) {
    fmt::print(stderr, "ersim: cannot run {}: {}\n", dot_program, std::strerror(errno));
    return kExitUsage;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<std::string> args = {dot_program, "-Tsvg", "-o", svg_file};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, dot_program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[0]);
  if (spawned != 0) {
    close(pipe_fds[1]);
    fmt::print(stderr, "ersim: cannot run {}: {}\n", dot_program, std::strerror(spawned));
    return kExitUsage;
  }

  // If dot stops reading early, the write must fail with EPIPE rather than kill ersim; dot's
  // exit status then says what went wrong.
  const auto previous = std::signal(SIGPIPE, SIG_IGN);
  write_all(pipe_fds[1], dot_text);
  close(pipe_fds[1]);
  (void)std::signal(SIGPIPE, previous);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      fmt::print(stderr, "ersim: waiting for {}: {}\n", dot_program, std::strerror(errno));
      return kExitUsage;
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(stderr, "ersim: {} failed to write {}\n", dot_program, svg_file);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void add_graph_command(CLI::App& app, int& exit_code) {
  struct Options {
    std::string topology;
    std::string output;
    std::string svg;
  };
  auto options = std::make_shared<Options>();
  CLI::App* graph = app.add_subcommand(
      "graph", "Draw a design as a Graphviz graph: DOT text, or SVG through Graphviz's dot");
  graph->add_option("TOPOLOGY", options->topology, "Topology file (YAML)")->required();
  graph
      ->add_option("-o,--output", options->output,
                   "Write the DOT text to FILE (default: standard output, unless --svg)")
      ->type_name("FILE");
  graph->add_option("--svg", options->svg, "Render the graph to FILE as SVG with Graphviz's dot")
      ->type_name("FILE");
  graph->callback([options, &exit_code] {
    const std::string dot = report::topology_dot(io::load_topology(options->topology));
    std::optional<std::string> dot_program;
    if (!options->svg.empty()) {
      dot_program = find_on_path("dot");
      if (!dot_program) {
        fmt::print(stderr, "{}\n", kNoDot);
        exit_code = kExitUsage;
        return;
      }
    }
    if (!options->output.empty()) {
      std::ofstream file(options->output, std::ios::binary);
      file << dot;
      file.close();
      if (!file) {
        fmt::print(stderr, "ersim: cannot write {}\n", options->output);
        exit_code = kExitUsage;
        return;
      }
    } else if (!dot_program) {
      fmt::print("{}", dot);
    }
    exit_code = dot_program ? render_svg(*dot_program, dot, options->svg) : kExitOk;
  });
}

}  // namespace ersim::cli
