#include "sim/sweep/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace ersim::sweep {
namespace {

// The words in ElementKind's order; element_kind reads them back.
constexpr std::array<std::pair<ElementKind, std::string_view>, 7> kKindWords{{
    {ElementKind::Link, "link"},
    {ElementKind::Router, "router"},
    {ElementKind::Gateway, "gateway"},
    {ElementKind::Location, "location"},
    {ElementKind::Metro, "metro"},
    {ElementKind::Provider, "provider"},
    {ElementKind::Group, "srlg"},
}};

}  // namespace

std::string_view to_string(ElementKind kind) {
  for (const auto& [k, word] : kKindWords) {
    if (k == kind) {
      return word;
    }
  }
  return "unknown";
}

std::optional<ElementKind> element_kind(std::string_view word) {
  for (const auto& [kind, w] : kKindWords) {
    if (w == word) {
      return kind;
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
  return "unknown";
}

std::size_t SetResult::partitioned() const {
  return static_cast<std::size_t>(std::count_if(
      flows.begin(), flows.end(), [](const FlowHit& h) { return h.fate() == Fate::Partitioned; }));
}

Duration SetResult::worst_outage() const {
  Duration worst{};
  for (const FlowHit& hit : flows) {
    worst = std::max(worst, hit.worst_outage);
  }
  return worst;
}

bool SweepResult::all_met() const {
  return std::all_of(verdicts.begin(), verdicts.end(), [](const SweepVerdict& v) { return v.met; });
}

}  // namespace ersim::sweep
