// Event-queue throughput: ersim's EventQueue against a std::priority_queue baseline, on pure
// schedule/execute (Hold) and on timer churn where half of all events are cancelled (Churn), with
// 10 thousand and 1 million pending events. items_per_second is executed events per second.
//
//   cmake --workflow --preset release && build/release/bench/engine_bench
#include <benchmark/benchmark.h>

#include "bench/engine_workload.hpp"

namespace ersim::bench {
namespace {

constexpr std::uint64_t kSeed = 1;

template <template <class> class Model, class Queue>
void run(benchmark::State& state) {
  Model<Queue> model(static_cast<std::size_t>(state.range(0)), kSeed);
  for (auto _ : state) {
    model.step();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(model.executed()));
  benchmark::DoNotOptimize(model.checksum());
}

void sizes(benchmark::internal::Benchmark* b) { b->Arg(10'000)->Arg(1'000'000); }

// NOLINTBEGIN(cert-err58-cpp,cppcoreguidelines-avoid-non-const-global-variables)
BENCHMARK(run<HoldModel, BaselineQueue>)->Name("Hold/priority_queue")->Apply(sizes);
BENCHMARK(run<HoldModel, ErsimQueue>)->Name("Hold/ersim")->Apply(sizes);
BENCHMARK(run<ChurnModel, BaselineQueue>)->Name("Churn/priority_queue")->Apply(sizes);
BENCHMARK(run<ChurnModel, ErsimQueue>)->Name("Churn/ersim")->Apply(sizes);
BENCHMARK(run<ChurnModel, ErsimRescheduleQueue>)->Name("Churn/ersim-reschedule")->Apply(sizes);
// NOLINTEND(cert-err58-cpp,cppcoreguidelines-avoid-non-const-global-variables)

}  // namespace
}  // namespace ersim::bench

BENCHMARK_MAIN();
