// TEMPORARY, for the `report` branch only: stand-ins for the few functions of sweep.hpp that
// sim/sweep/sweep.cpp defines on another branch, so that report/sweep_report builds and is tested
// on its own. Drop this file (and its line in sim/CMakeLists.txt) at the merge.
#include <fmt/format.h>

#include <algorithm>

// clang-format off
// sweep.hpp names topo::ResiliencyModel without including the header that declares it.
#include "sim/topo/checklist.hpp"
#include "sim/sweep/sweep.hpp"
// clang-format on

namespace ersim::sweep {

std::string_view to_string(ElementKind kind) {
  switch (kind) {
    case ElementKind::Link:
      return "link";
    case ElementKind::Router:
      return "router";
    case ElementKind::Gateway:
      return "gateway";
    case ElementKind::Location:
      return "location";
    case ElementKind::Metro:
      return "metro";
    case ElementKind::Provider:
      return "provider";
    case ElementKind::Group:
      return "srlg";
  }
  return "unknown";
}

std::string Element::label() const { return fmt::format("{} {}", to_string(kind), name); }

std::string_view to_string(Fate fate) {
  switch (fate) {
    case Fate::NeverLost:
      return "never lost";
    case Fate::Lost:
      return "lost";
    case Fate::Partitioned:
      return "partitioned";
  }
  return "unknown";
}

std::size_t SetResult::partitioned() const {
  return static_cast<std::size_t>(std::count_if(
      flows.begin(), flows.end(), [](const FlowHit& h) { return h.fate() == Fate::Partitioned; }));
}

Duration SetResult::worst_outage() const {
  Duration worst{};
  for (const FlowHit& h : flows) {
    worst = std::max(worst, h.worst_outage);
  }
  return worst;
}

bool SweepResult::all_met() const {
  return std::all_of(verdicts.begin(), verdicts.end(), [](const SweepVerdict& v) { return v.met; });
}

}  // namespace ersim::sweep
