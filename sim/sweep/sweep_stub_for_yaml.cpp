// Temporary: the few functions of sweep.hpp that sim/sweep/sweep.cpp implements on another
// branch, so that the `yaml` branch builds and tests on its own. Dropped at merge.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

// Temporary, dropped at merge: sweep.hpp names topo::ResiliencyModel without including its
// header (fixed on the branch that brings sweep.cpp).
#include "sim/topo/checklist.hpp"
// (the header above must come first)
#include "sim/sweep/sweep.hpp"

namespace ersim::sweep {
namespace {

constexpr std::array<std::string_view, 7> kKindWords{
    "link", "router", "gateway", "location", "metro", "provider", "srlg",
};

}  // namespace

std::string_view to_string(ElementKind kind) {
  return kKindWords.at(static_cast<std::size_t>(kind));
}

std::optional<ElementKind> element_kind(std::string_view word) {
  for (std::size_t i = 0; i < kKindWords.size(); ++i) {
    if (kKindWords.at(i) == word) {
      return static_cast<ElementKind>(i);
    }
  }
  return std::nullopt;
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
  return "never lost";
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
