#include "sim/sweep/failure_sets.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <utility>

#include "core/assert.hpp"
#include "core/closest_match.hpp"

namespace ersim::sweep {
namespace {

using topo::LinkId;
using topo::RouterId;
using topo::SrlgKind;

// The prefixes topo/expand.cpp gives the groups it makes; declared groups keep the name the
// design gives them.
constexpr std::array<std::string_view, 3> kGroupPrefixes{"location:", "metro:", "provider:"};

std::string group_name(std::string_view name) {
  for (const std::string_view prefix : kGroupPrefixes) {
    if (name.starts_with(prefix)) {
      return std::string(name.substr(prefix.size()));
    }
  }
  return std::string(name);
}

// The groups a sweep fails, in the order it lists them. A CE device's group is missing: its
// only member is the CE router, already an element of its own.
constexpr std::array<std::pair<SrlgKind, ElementKind>, 4> kGroupKinds{{
    {SrlgKind::PeeringLocation, ElementKind::Location},
    {SrlgKind::Metro, ElementKind::Metro},
    {SrlgKind::Provider, ElementKind::Provider},
    {SrlgKind::Declared, ElementKind::Group},
}};

// The peering locations each link and router stands in, as indices into `names`, so an
// element's locations are a union of small lists rather than a search through every group.
struct LocationIndex {
  std::vector<std::string> names;
  std::vector<std::vector<std::uint32_t>> of_link;
  std::vector<std::vector<std::uint32_t>> of_router;

  explicit LocationIndex(const topo::Topology& t)
      : of_link(t.links().size()), of_router(t.routers().size()) {
    for (const topo::Srlg& group : t.srlgs()) {
      if (group.kind != SrlgKind::PeeringLocation) {
        continue;
      }
      const auto index = static_cast<std::uint32_t>(names.size());
      names.push_back(group_name(group.name));
      for (const LinkId link : group.links) {
        of_link.at(link.value).push_back(index);
      }
      for (const RouterId router : group.routers) {
        of_router.at(router.value).push_back(index);
      }
    }
  }

  [[nodiscard]] std::vector<std::string> of(const Element& e) const {
    std::vector<std::uint32_t> found;
    for (const LinkId link : e.links) {
      const auto& at = of_link.at(link.value);
      found.insert(found.end(), at.begin(), at.end());
    }
    for (const RouterId router : e.routers) {
      const auto& at = of_router.at(router.value);
      found.insert(found.end(), at.begin(), at.end());
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::vector<std::string> out;
    out.reserve(found.size());
    for (const std::uint32_t i : found) {
      out.push_back(names.at(i));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

// Every element of the design before --only and --exclude.
std::vector<Element> all_elements(const topo::Topology& t) {
  std::vector<Element> out;
  out.reserve(t.links().size() + t.routers().size() + t.vnets().size() + t.srlgs().size());
  for (std::uint32_t i = 0; i < t.links().size(); ++i) {
    out.push_back({ElementKind::Link, t.links()[i].name, {LinkId{i}}, {}, {}});
  }
  for (std::uint32_t i = 0; i < t.routers().size(); ++i) {
    const topo::Router& r = t.routers()[i];
    // Gateways come below, as their own kind, and only where their failure is a single one.
    if (r.role != topo::RouterRole::Gateway && r.role != topo::RouterRole::VpnGateway) {
      out.push_back({ElementKind::Router, r.name, {}, {RouterId{i}}, {}});
    }
  }
  for (const topo::VNet& vnet : t.vnets()) {
    // A zone-redundant gateway keeps instances in the zones a failure spares, so losing one zone
    // (or one instance) leaves it forwarding: its whole loss is not a single failure, and a sweep
    // of single failures would overstate the risk by failing it. A non-redundant one is one unit.
    if (!vnet.zone_redundant) {
      out.push_back({ElementKind::Gateway, t.router(vnet.gateway).name, {}, {vnet.gateway}, {}});
    }
    // ersim's model does not say whether a VPN gateway is zone redundant: it fails as one.
    if (vnet.vpn_gateway) {
      out.push_back(
          {ElementKind::Gateway, t.router(*vnet.vpn_gateway).name, {}, {*vnet.vpn_gateway}, {}});
    }
  }
  for (const auto& [srlg_kind, kind] : kGroupKinds) {
    for (const topo::Srlg& group : t.srlgs()) {
      // A group without members (a provider no circuit uses) fails nothing.
      if (group.kind != srlg_kind || (group.links.empty() && group.routers.empty())) {
        continue;
      }
      Element e{kind, group_name(group.name), group.links, group.routers, {}};
      std::sort(e.links.begin(), e.links.end());
      std::sort(e.routers.begin(), e.routers.end());
      out.push_back(std::move(e));
    }
  }
  const LocationIndex locations(t);
  for (Element& e : out) {
    e.locations =
        e.kind == ElementKind::Location ? std::vector<std::string>{e.name} : locations.of(e);
  }
  return out;
}

// One --exclude entry: a whole kind, KIND:NAME, or a bare name of any kind.
struct ExcludeEntry {
  std::optional<ElementKind> kind;
  std::optional<std::string_view> name;  ///< absent: the whole kind

  [[nodiscard]] bool matches(const Element& e) const {
    return (!kind || *kind == e.kind) && (!name || *name == e.name);
  }
};

ExcludeEntry parse_exclude(std::string_view entry) {
  if (const auto kind = element_kind(entry)) {
    return {kind, std::nullopt};
  }
  // The kind word comes first, so a name may itself hold a colon ("link:a:b" is link "a:b").
  if (const auto colon = entry.find(':'); colon != std::string_view::npos) {
    if (const auto kind = element_kind(entry.substr(0, colon))) {
      return {kind, entry.substr(colon + 1)};
    }
  }
  return {std::nullopt, entry};
}

std::vector<ExcludeEntry> parse_excludes(const SweepOptions& options) {
  std::vector<ExcludeEntry> out;
  out.reserve(options.exclude.size());
  for (const std::string& entry : options.exclude) {
    out.push_back(parse_exclude(entry));
  }
  return out;
}

// "(did you mean 'link:er-ams.primary'?)" for an entry that names nothing.
std::string exclude_hint(const ExcludeEntry& entry, const std::vector<Element>& all) {
  const std::string_view name = entry.name.value_or("");
  std::vector<std::string_view> candidates;
  for (const Element& e : all) {
    if (!entry.kind || e.kind == *entry.kind) {
      candidates.emplace_back(e.name);
    }
  }
  if (const auto best = closest_match(name, candidates)) {
    return entry.kind ? fmt::format(" (did you mean '{}:{}'?)", to_string(*entry.kind), *best)
                      : fmt::format(" (did you mean '{}'?)", *best);
  }
  if (entry.kind) {
    // The right name under the wrong kind: "router:er-ams.primary" for a link.
    const auto other =
        std::find_if(all.begin(), all.end(), [name](const Element& e) { return e.name == name; });
    if (other != all.end()) {
      return fmt::format(" (it is a {}: '{}:{}')", to_string(other->kind), to_string(other->kind),
                         name);
    }
    constexpr std::size_t kListable = 8;
    if (!candidates.empty() && candidates.size() <= kListable) {
      return fmt::format(" (expected one of: {})", fmt::join(candidates, ", "));
    }
    return "";
  }
  return " (expected a kind: link, router, gateway, location, metro, provider or srlg; KIND:NAME; "
         "or an element's name)";
}

// Whether `outer` fails everything `inner` does: its links and routers include inner's. Each of
// inner's members is looked up in outer's sorted lists, so a link against a provider of
// thousands of links costs a binary search, not a walk through the provider.
bool contains(const Element& outer, const Element& inner) {
  if (inner.links.size() > outer.links.size() || inner.routers.size() > outer.routers.size()) {
    return false;
  }
  return std::all_of(inner.links.begin(), inner.links.end(),
                     [&outer](LinkId l) {
                       return std::binary_search(outer.links.begin(), outer.links.end(), l);
                     }) &&
         std::all_of(inner.routers.begin(), inner.routers.end(), [&outer](RouterId r) {
           return std::binary_search(outer.routers.begin(), outer.routers.end(), r);
         });
}

}  // namespace

std::vector<Element> sweep_elements(const topo::Topology& topology, const SweepOptions& options) {
  const std::vector<ExcludeEntry> excludes = parse_excludes(options);
  std::vector<Element> all = all_elements(topology);
  std::vector<Element> out;
  out.reserve(all.size());
  for (Element& e : all) {
    const bool kept = (options.only.empty() || std::find(options.only.begin(), options.only.end(),
                                                         e.kind) != options.only.end()) &&
                      std::none_of(excludes.begin(), excludes.end(),
                                   [&e](const ExcludeEntry& x) { return x.matches(e); });
    if (kept) {
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::optional<std::string> check_filters(const topo::Topology& topology,
                                         const SweepOptions& options) {
  if (options.exclude.empty()) {
    return std::nullopt;
  }
  // Against every element, not the ones --only keeps: "--only link --exclude router:x" names
  // something real, it is merely redundant.
  const std::vector<Element> all = all_elements(topology);
  for (const std::string& text : options.exclude) {
    const ExcludeEntry entry = parse_exclude(text);
    if (!entry.name || std::any_of(all.begin(), all.end(),
                                   [&entry](const Element& e) { return entry.matches(e); })) {
      continue;
    }
    const std::string what = entry.kind ? fmt::format("no {}", to_string(*entry.kind)) : "nothing";
    return fmt::format("exclude '{}' names {} of the design{}", text, what,
                       exclude_hint(entry, all));
  }
  return std::nullopt;
}

std::vector<FailureSet> single_sets(std::size_t element_count) {
  ERSIM_ASSERT(element_count <= std::numeric_limits<std::uint32_t>::max(), "too many elements");
  std::vector<FailureSet> out;
  out.reserve(element_count);
  for (std::size_t i = 0; i < element_count; ++i) {
    out.push_back({{static_cast<std::uint32_t>(i)}});
  }
  return out;
}

PairPlan classify_pairs(const std::vector<Element>& elements,
                        const std::vector<std::vector<std::uint32_t>>& dependents) {
  ERSIM_ASSERT(dependents.size() == elements.size(), "one dependents list per element");
  // The largest index is the "not seen yet" mark below.
  constexpr std::uint32_t kUnseen = std::numeric_limits<std::uint32_t>::max();
  ERSIM_ASSERT(elements.size() < kUnseen, "too many elements");
  const auto n = static_cast<std::uint32_t>(elements.size());

  PairPlan plan;
  plan.counts.raw = n < 2 ? 0 : std::uint64_t{n} * (n - 1) / 2;

  // The inverted index, flow -> the elements touching it, each list ascending because elements
  // are visited in order. Only elements that share a flow can make a pair worth a run, so the
  // candidates come from here: at 6,000 elements that is thousands of pairs, not 18 million.
  std::vector<std::vector<std::uint32_t>> touched_by;
  std::uint64_t idle = 0;  // elements touching no flow
  for (std::uint32_t e = 0; e < n; ++e) {
    const std::vector<std::uint32_t>& flows = dependents[e];
    if (flows.empty()) {
      ++idle;
    }
    for (const std::uint32_t flow : flows) {
      if (flow >= touched_by.size()) {
        touched_by.resize(std::size_t{flow} + 1);
      }
      touched_by[flow].push_back(e);
    }
  }

  // For each first element, its later partners over all its flows, each collected once (the
  // mark says which first element saw it last), then sorted: the pairs come out in (first,
  // second) order without sorting them all at once.
  std::uint64_t contained = 0;
  std::vector<std::uint32_t> seen_by(n, kUnseen);
  std::vector<std::uint32_t> partners;
  for (std::uint32_t a = 0; a < n; ++a) {
    partners.clear();
    for (const std::uint32_t flow : dependents[a]) {
      const std::vector<std::uint32_t>& others = touched_by[flow];
      for (auto it = std::upper_bound(others.begin(), others.end(), a); it != others.end(); ++it) {
        if (seen_by[*it] != a) {
          seen_by[*it] = a;
          partners.push_back(*it);
        }
      }
    }
    std::sort(partners.begin(), partners.end());
    for (const std::uint32_t b : partners) {
      // One failure inside the other: the pair is the larger one's single.
      if (contains(elements[a], elements[b]) || contains(elements[b], elements[a])) {
        ++contained;
      } else {
        plan.simulated.push_back({{a, b}});
      }
    }
  }

  // A pair with an idle element: idle with busy, or both idle.
  const std::uint64_t busy = n - idle;
  const std::uint64_t idle_pairs = idle * busy + (idle < 2 ? 0 : idle * (idle - 1) / 2);
  plan.counts.simulated = plan.simulated.size();
  plan.counts.no_effect = idle_pairs + contained;
  plan.counts.composed = plan.counts.raw - plan.counts.no_effect - plan.counts.simulated;
  return plan;
}

}  // namespace ersim::sweep
