#include "core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <utility>

namespace ersim {

void SimTimeFlag::format(const spdlog::details::log_msg& /*msg*/, const std::tm& /*tm_time*/,
                         spdlog::memory_buf_t& dest) {
  const std::string stamp = format_time(engine_->now());
  dest.append(stamp.data(), stamp.data() + stamp.size());
}

std::unique_ptr<spdlog::custom_flag_formatter> SimTimeFlag::clone() const {
  return std::make_unique<SimTimeFlag>(*engine_);
}

std::shared_ptr<spdlog::logger> make_logger(std::string name, const Engine& engine,
                                            spdlog::sink_ptr sink) {
  if (sink == nullptr) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  auto logger = std::make_shared<spdlog::logger>(std::move(name), std::move(sink));
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<SimTimeFlag>('*', engine).set_pattern(kLogPattern);
  logger->set_formatter(std::move(formatter));
  return logger;
}

}  // namespace ersim
