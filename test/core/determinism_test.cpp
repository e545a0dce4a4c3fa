// Same seed and inputs, same trace: the engine, timers and random streams together.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "core/timer.hpp"

namespace ersim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A small system of flapping entities: each has a timer with random intervals and, at random,
// cancels or rearms a neighbour's timer. Every firing is logged with the simulated time.
std::string run_trace(std::uint64_t seed) {
  Engine engine;
  RandomStreams streams(seed);
  std::ostringstream out;
  auto log = make_logger("flap", engine, std::make_shared<spdlog::sinks::ostream_sink_st>(out));

  struct Entity {
    Rng rng;
    std::unique_ptr<Timer> timer;
  };
  constexpr int kEntities = 50;
  std::vector<Entity> entities;
  entities.reserve(kEntities);
  for (int i = 0; i < kEntities; ++i) {
    entities.push_back({streams.stream(static_cast<std::uint64_t>(i)), nullptr});
  }
  for (int i = 0; i < kEntities; ++i) {
    Entity& self = entities[static_cast<std::size_t>(i)];
    Entity& neighbour = entities[static_cast<std::size_t>((i + 1) % kEntities)];
    self.timer = std::make_unique<Timer>(engine, [&, i] {
      log->info("entity {} fired", i);
      if (self.rng.chance(1, 3)) {
        neighbour.timer->cancel();
      } else if (self.rng.chance(1, 2)) {
        neighbour.timer->rearm(self.rng.uniform(milliseconds(1), seconds(2)));
      }
      self.timer->arm(self.rng.uniform(milliseconds(1), seconds(3)));
    });
    self.timer->arm(self.rng.uniform(Duration::zero(), seconds(1)));
  }
  engine.run_until(kTimeZero + seconds(60));
  return out.str();
}

TEST(Determinism, SameSeedGivesIdenticalTrace) {
  const std::string first = run_trace(1);
  EXPECT_GT(first.size(), 1000U);
  EXPECT_EQ(first, run_trace(1));
}

TEST(Determinism, DifferentSeedGivesDifferentTrace) { EXPECT_NE(run_trace(1), run_trace(2)); }

}  // namespace
}  // namespace ersim
