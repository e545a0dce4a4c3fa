#include "sim/bgp/rib.hpp"

#include <algorithm>
#include <array>

#include "core/assert.hpp"

namespace ersim::bgp {

// The Loc-RIB entry of one prefix as it was before a change, by value: the routes it pointed at
// may be overwritten in place. Without multipath, `others` stays empty and costs no allocation.
struct Rib::Snapshot {
  bool present = false;
  Route best;
  std::vector<Route> others;  ///< the ECMP set after best
};

std::string_view to_string(RibChange change) {
  switch (change) {
    case RibChange::None:
      return "none";
    case RibChange::BestAdded:
      return "best added";
    case RibChange::BestReplaced:
      return "best replaced";
    case RibChange::BestRemoved:
      return "best removed";
    case RibChange::MultipathChanged:
      return "multipath changed";
  }
  return "unknown";
}

const Route* AdjRibIn::find(Ipv4Prefix prefix) const {
  const auto it = routes_.find(prefix);
  return it == routes_.end() ? nullptr : &it->second;
}

bool AdjRibOut::advertise(Ipv4Prefix prefix, Attributes attributes) {
  ERSIM_ASSERT(attributes, "advertising a route without attributes");
  const auto [it, inserted] = routes_.try_emplace(prefix, attributes);
  if (inserted) {
    return true;
  }
  if (it->second == attributes) {
    return false;
  }
  it->second = attributes;
  return true;
}

bool AdjRibOut::withdraw(Ipv4Prefix prefix) { return routes_.erase(prefix) > 0; }

std::optional<Attributes> AdjRibOut::find(Ipv4Prefix prefix) const {
  const auto it = routes_.find(prefix);
  if (it == routes_.end()) {
    return std::nullopt;
  }
  return it->second;
}

Rib::Rib(RibConfig config) : config_(config) {
  ERSIM_ASSERT(config_.max_paths >= 1, "multipath needs room for at least one path");
}

void Rib::add_neighbour(topo::SessionId session, GatewayLink link) {
  ERSIM_ASSERT(link.connection_weight <= kMaxConnectionWeight, "connection weight above 32000");
  const auto [it, inserted] = neighbours_.try_emplace(session);
  ERSIM_ASSERT(inserted, "neighbour registered twice");
  it->second.link = link;
}

bool Rib::has_neighbour(topo::SessionId session) const { return neighbours_.contains(session); }

Rib::Neighbour& Rib::neighbour(topo::SessionId session) {
  const auto it = neighbours_.find(session);
  ERSIM_ASSERT(it != neighbours_.end(), "session is not a registered neighbour");
  return it->second;
}

const Rib::Neighbour& Rib::neighbour(topo::SessionId session) const {
  const auto it = neighbours_.find(session);
  ERSIM_ASSERT(it != neighbours_.end(), "session is not a registered neighbour");
  return it->second;
}

const AdjRibIn& Rib::adj_rib_in(topo::SessionId session) const { return neighbour(session).in; }
AdjRibOut& Rib::adj_rib_out(topo::SessionId session) { return neighbour(session).out; }
const AdjRibOut& Rib::adj_rib_out(topo::SessionId session) const { return neighbour(session).out; }

const LocRibEntry* Rib::find(Ipv4Prefix prefix) const {
  const auto it = loc_rib_.find(prefix);
  return it == loc_rib_.end() ? nullptr : &it->second;
}

Rib::Snapshot Rib::snapshot(const LocRibEntry* entry) {
  Snapshot before;
  if (entry != nullptr) {
    before.present = true;
    before.best = entry->best();
    for (const Route* route : entry->multipath().subspan(1)) {
      before.others.push_back(*route);
    }
  }
  return before;
}

RibChange Rib::compare(const Snapshot& before, const LocRibEntry* after) {
  if (!before.present) {
    return after == nullptr ? RibChange::None : RibChange::BestAdded;
  }
  if (after == nullptr) {
    return RibChange::BestRemoved;
  }
  if (!(after->best() == before.best)) {
    return RibChange::BestReplaced;
  }
  const auto others = after->multipath().subspan(1);
  const bool same_multipath =
      std::equal(others.begin(), others.end(), before.others.begin(), before.others.end(),
                 [](const Route* now, const Route& then) { return *now == then; });
  return same_multipath ? RibChange::None : RibChange::MultipathChanged;
}

namespace {

// Moves `chosen` (a subset of `candidates`) to the front in its order; the others keep theirs.
// Rotations rather than std::stable_partition, which allocates a buffer.
template <class Candidates>
void move_to_front(Candidates& candidates, std::span<const Route* const> chosen) {
  auto next = candidates.begin();
  for (const Route* route : chosen) {
    const auto found = std::find(next, candidates.end(), route);
    ERSIM_ASSERT(found != candidates.end(), "decision chose a route that is not a candidate");
    std::rotate(next, found, found + 1);
    ++next;
  }
}

}  // namespace

// Re-runs the decision over the entry's candidates and reorders them: the ECMP set first, best
// route first of all, the losers after in their previous order.
void Rib::decide(LocRibEntry& entry) const {
  auto& candidates = entry.candidates_;
  ERSIM_ASSERT(!candidates.empty(), "decision over a prefix with no route");
  const std::span<const Route* const> all(candidates.data(), candidates.size());

  if (config_.mode == DecisionMode::Gateway) {
    boost::container::small_vector<GatewayCandidate, 8> offers;
    for (const Route* route : candidates) {
      const GatewayLink link =
          route->locally_originated() ? GatewayLink{} : neighbour(route->session).link;
      offers.push_back({route, link.connection, link.connection_weight});
    }
    const GatewaySelection selection = select_gateway({offers.data(), offers.size()});
    entry.reason_ = selection.reason;
    move_to_front(candidates, selection.routes);
    entry.multipath_count_ = static_cast<std::uint32_t>(selection.routes.size());
    return;
  }

  const auto best = select_best(all);
  entry.reason_ = best->reason;
  if (config_.max_paths == 1) {
    // The common case, without the allocation of a multipath set.
    const std::array<const Route*, 1> chosen{best->route};
    move_to_front(candidates, chosen);
    entry.multipath_count_ = 1;
    return;
  }
  const std::vector<const Route*> chosen = select_multipath(all, config_.max_paths);
  ERSIM_ASSERT(chosen.front() == best->route, "multipath set does not start with the best");
  move_to_front(candidates, chosen);
  entry.multipath_count_ = static_cast<std::uint32_t>(chosen.size());
}

RibChange Rib::update(const Route& route) {
  ERSIM_ASSERT(route.attributes, "route without attributes");
  AdjRibIn& in = route.locally_originated() ? local_ : neighbour(route.session).in;
  const auto [it, inserted] = in.routes_.try_emplace(route.prefix, route);
  if (!inserted && it->second == route) {
    return RibChange::None;  // a repeated UPDATE: the Adj-RIB-In already holds it
  }
  const auto [entry_it, new_prefix] = loc_rib_.try_emplace(route.prefix);
  LocRibEntry& entry = entry_it->second;
  const Snapshot before = snapshot(new_prefix ? nullptr : &entry);
  if (inserted) {
    entry.candidates_.push_back(&it->second);
  } else {
    it->second = route;  // RFC 4271 §9: an implicit withdrawal of the earlier route
  }
  decide(entry);
  return compare(before, &entry);
}

RibChange Rib::remove(AdjRibIn& in, Ipv4Prefix prefix) {
  const auto it = in.routes_.find(prefix);
  if (it == in.routes_.end()) {
    return RibChange::None;
  }
  const auto entry_it = loc_rib_.find(prefix);
  ERSIM_ASSERT(entry_it != loc_rib_.end(), "Adj-RIB-In route missing from the Loc-RIB");
  LocRibEntry& entry = entry_it->second;
  const Snapshot before = snapshot(&entry);
  auto& candidates = entry.candidates_;
  const auto candidate = std::find(candidates.begin(), candidates.end(), &it->second);
  ERSIM_ASSERT(candidate != candidates.end(), "Adj-RIB-In route missing from its Loc-RIB entry");
  candidates.erase(candidate);
  in.routes_.erase(it);
  if (candidates.empty()) {
    loc_rib_.erase(entry_it);
    return compare(before, nullptr);
  }
  decide(entry);
  return compare(before, &entry);
}

RibChange Rib::withdraw(topo::SessionId from, Ipv4Prefix prefix) {
  return remove(neighbour(from).in, prefix);
}

RibChange Rib::withdraw_local(Ipv4Prefix prefix) { return remove(local_, prefix); }

std::vector<PrefixChange> Rib::withdraw_all(topo::SessionId from) {
  Neighbour& gone = neighbour(from);
  std::vector<Ipv4Prefix> prefixes;
  prefixes.reserve(gone.in.size());
  for (const auto& [prefix, route] : gone.in.routes_) {
    prefixes.push_back(prefix);
  }
  // Sorted, so the changes come out in the same order whatever the hash table's layout.
  std::sort(prefixes.begin(), prefixes.end());
  std::vector<PrefixChange> changes;
  for (const Ipv4Prefix prefix : prefixes) {
    const RibChange change = remove(gone.in, prefix);
    if (change != RibChange::None) {
      changes.push_back({prefix, change});
    }
  }
  gone.out.clear();
  return changes;
}

}  // namespace ersim::bgp
