#include "core/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace ersim {
namespace {

using std::chrono::milliseconds;

TEST(Logger, LinesCarryTheSimulatedTime) {
  Engine engine;
  std::ostringstream out;
  auto logger = make_logger("bfd", engine, std::make_shared<spdlog::sinks::ostream_sink_st>(out));
  logger->info("session {} up", "ce1");
  engine.schedule_in(milliseconds(900), [&] { logger->warn("session {} down", "ce1"); });
  engine.run_until_quiet();
  EXPECT_EQ(out.str(),
            "0.000000000 info bfd: session ce1 up\n"
            "0.900000000 warning bfd: session ce1 down\n");
}

TEST(Logger, LoggersOfTwoEnginesKeepTheirOwnTime) {
  Engine early;
  Engine late;
  late.run_until(kTimeZero + milliseconds(5000));
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  make_logger("a", early, sink)->info("x");
  make_logger("a", late, sink)->info("y");
  EXPECT_EQ(out.str(), "0.000000000 info a: x\n5.000000000 info a: y\n");
}

}  // namespace
}  // namespace ersim
