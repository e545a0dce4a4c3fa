// Logging through spdlog, each line stamped with the simulated time of the engine.
//
//   auto log = make_logger("bgp", engine);          // writes to stderr
//   log->info("session {} up", name);               // "12.300000000 info bgp: session ce1 up"
// Loggers are not registered globally, so simulations on several threads never share one by name.
#pragma once

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>

#include <memory>
#include <string>

#include "core/engine.hpp"

namespace ersim {

/// The pattern flag `%*` prints the engine's now() with format_time().
class SimTimeFlag final : public spdlog::custom_flag_formatter {
 public:
  explicit SimTimeFlag(const Engine& engine) : engine_(&engine) {}
  void format(const spdlog::details::log_msg& msg, const std::tm& tm_time,
              spdlog::memory_buf_t& dest) override;
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override;

 private:
  const Engine* engine_;
};

/// The pattern every ersim logger uses: simulated time, level, logger name, message.
inline constexpr const char* kLogPattern = "%* %l %n: %v";

/// A logger named `name` whose lines carry `engine`'s simulated time; it writes to `sink`, or to
/// stderr when none is given. The engine must outlive the logger.
std::shared_ptr<spdlog::logger> make_logger(std::string name, const Engine& engine,
                                            spdlog::sink_ptr sink = nullptr);

}  // namespace ersim
