#include "sim/bgp/rib.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <utility>

#include "core/assert.hpp"

namespace ersim::bgp {

// The Loc-RIB entry of one prefix as it was before a change, by value: the entry's routes are
// overwritten in place. Kept inline for the ECMP sets of ordinary designs.
// NOLINTNEXTLINE(bugprone-exception-escape): small_vector's moves may allocate (bad_alloc only)
struct Rib::Snapshot {
  bool present = false;
  Route best;
  boost::container::small_vector<Route, 4> others;  ///< the ECMP set after best
};

namespace {

// The finaliser of MurmurHash3 (public domain): spreads every input bit over the output.
constexpr std::uint64_t mix(std::uint64_t key) {
  key ^= key >> 33U;
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33U;
  key *= 0xc4ceb9fe1a85ec53ULL;
  key ^= key >> 33U;
  return key;
}

// Whether `route` came from `from` (a session), or is the router's own (std::nullopt).
bool from_source(const Route& route, std::optional<topo::SessionId> from) {
  return from ? (!route.locally_originated() && route.session == *from)
              : route.locally_originated();
}

std::optional<topo::SessionId> source_of(const Route& route) {
  return route.locally_originated() ? std::nullopt : std::optional(route.session);
}

}  // namespace

std::size_t PrefixHash::operator()(const Ipv4Prefix& prefix) const noexcept {
  return mix((std::uint64_t{prefix.address().value()} << 8U) |
             static_cast<std::uint64_t>(prefix.length()));
}

std::size_t SessionHash::operator()(topo::SessionId session) const noexcept {
  return mix(session.value);
}

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
  const auto it = loc_rib_->find(prefix);
  if (it == loc_rib_->end()) {
    return nullptr;
  }
  for (const Route& route : it->candidates()) {
    if (from_source(route, from_)) {
      return &route;
    }
  }
  return nullptr;
}

AdjRibOut& AdjRibOut::operator=(const AdjRibOut& other) {
  if (this != &other) {
    routes_ = other.routes_;
    log_.reset();
  }
  return *this;
}

bool AdjRibOut::advertise(Ipv4Prefix prefix, Attributes attributes) {
  ERSIM_ASSERT(attributes, "advertising a route without attributes");
  const auto it = routes_.find(prefix);
  if (it == routes_.end()) {
    remember(prefix, std::nullopt);
    routes_.emplace(prefix, attributes);
    return true;
  }
  if (it->second == attributes) {
    return false;
  }
  remember(prefix, it->second);
  it->second = attributes;
  return true;
}

bool AdjRibOut::withdraw(Ipv4Prefix prefix) {
  const auto it = routes_.find(prefix);
  if (it == routes_.end()) {
    return false;
  }
  remember(prefix, it->second);
  routes_.erase(it);
  return true;
}

// A session going down empties the table: recording, the table itself is kept (a move, not a
// copy) with the changes before it undone, and later changes need no record.
void AdjRibOut::clear() {
  if (log_ == nullptr || !log_->recording || log_->whole) {
    routes_.clear();
    return;
  }
  log_->put_back(log_->whole.emplace(std::move(routes_)));
  routes_ = Table();
  log_->before.clear();
}

void AdjRibOut::Log::put_back(Table& table) const {
  for (const auto& [prefix, was] : before) {
    if (was) {
      table.insert_or_assign(prefix, *was);
    } else {
      table.erase(prefix);
    }
  }
}

void AdjRibOut::remember(Ipv4Prefix prefix, std::optional<Attributes> now) {
  if (log_ != nullptr && log_->recording && !log_->whole) {
    log_->before.try_emplace(prefix, now);  // the first change only
  }
}

void AdjRibOut::start_recording() {
  if (log_ == nullptr) {
    log_ = std::make_unique<Log>();
  }
  ERSIM_ASSERT(!log_->recording, "an Adj-RIB-Out already recording");
  log_->recording = true;
}

void AdjRibOut::rollback() {
  ERSIM_ASSERT(log_ != nullptr && log_->recording, "rollback of an Adj-RIB-Out not recording");
  if (log_->whole) {
    routes_ = std::move(*log_->whole);
  } else {
    log_->put_back(routes_);
  }
  stop_recording();
}

void AdjRibOut::stop_recording() {
  if (log_ != nullptr) {
    log_->recording = false;
    log_->before.clear();
    log_->whole.reset();
  }
}

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
  ERSIM_ASSERT(undo_ == nullptr, "a neighbour registered after a checkpoint");
  ERSIM_ASSERT(link.connection_weight <= kMaxConnectionWeight, "connection weight above 32000");
  const auto [it, inserted] = neighbours_.try_emplace(session);
  ERSIM_ASSERT(inserted, "neighbour registered twice");
  it->second.link = link;
}

bool Rib::has_neighbour(topo::SessionId session) const { return neighbours_.contains(session); }

const GatewayLink& Rib::link(topo::SessionId session) const { return neighbour(session).link; }

// Every link first, then one decision per prefix: a connection's sessions change together, so
// no prefix passes through a state where only some of them carry the new weight.
std::vector<PrefixChange> Rib::set_links(
    std::span<const std::pair<topo::SessionId, GatewayLink>> links) {
  std::vector<Ipv4Prefix> prefixes;
  for (const auto& [session, link] : links) {
    ERSIM_ASSERT(link.connection_weight <= kMaxConnectionWeight, "connection weight above 32000");
    neighbour(session).link = link;
    const std::vector<Ipv4Prefix> from = prefixes_from(session);
    prefixes.insert(prefixes.end(), from.begin(), from.end());
  }
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
  std::vector<PrefixChange> changes;
  for (const Ipv4Prefix prefix : prefixes) {
    save_entry(prefix);
    LocRibEntry& entry = mutable_entry(loc_rib_.find(prefix));
    const Snapshot before = snapshot(&entry);
    decide(entry);
    if (const RibChange change = compare(before, &entry); change != RibChange::None) {
      changes.push_back({prefix, change});
    }
  }
  return changes;
}

Rib::Neighbour& Rib::neighbour(topo::SessionId session) {
  const auto it = neighbours_.find(session);
  ERSIM_ASSERT(it != neighbours_.end(), "session is not a registered neighbour");
  if (undo_) {
    Neighbour& n = it->second;
    if (undo_->neighbours.try_emplace(session, Undo::SavedNeighbour{n.routes, n.link}).second) {
      n.out.start_recording();  // the first time only
    }
  }
  return it->second;
}

const Rib::Neighbour& Rib::neighbour(topo::SessionId session) const {
  const auto it = neighbours_.find(session);
  ERSIM_ASSERT(it != neighbours_.end(), "session is not a registered neighbour");
  return it->second;
}

// NOLINTBEGIN(cppcoreguidelines-pro-type-union-access): capacity_ says which member is live
RouteList::RouteList(const RouteList& other) : size_(other.size_) {
  if (other.capacity_ == 0) {
    inline_ = other.inline_;
    return;
  }
  // A copy's array holds what the list holds: checkpoints copy every list of a routing
  // instance, and most are never touched again.
  heap_ = new Route[other.size_];
  capacity_ = other.size_;
  std::copy(other.begin(), other.end(), heap_);
}

RouteList& RouteList::operator=(const RouteList& other) {
  if (this != &other) {
    *this = RouteList(other);
  }
  return *this;
}

// NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init): inline_ is, by its initialiser
RouteList::RouteList(RouteList&& other) noexcept { take(other); }

RouteList& RouteList::operator=(RouteList&& other) noexcept {
  if (this != &other) {
    release();
    take(other);
  }
  return *this;
}

void RouteList::take(RouteList& other) noexcept {
  size_ = other.size_;
  capacity_ = other.capacity_;
  if (capacity_ == 0) {
    inline_ = other.inline_;
  } else {
    heap_ = other.heap_;
    other.capacity_ = 0;
    other.inline_ = Route{};
  }
  other.size_ = 0;
}

RouteList::~RouteList() { release(); }

void RouteList::release() {
  if (capacity_ != 0) {
    delete[] heap_;
    capacity_ = 0;
    inline_ = Route{};
  }
  size_ = 0;
}

void RouteList::push_back(const Route& route) {
  if (size_ == 0 && capacity_ == 0) {
    inline_ = route;
    size_ = 1;
    return;
  }
  ERSIM_ASSERT(size_ < std::numeric_limits<std::uint16_t>::max(), "too many routes to a prefix");
  if (size_ >= capacity_) {  // one route inline, or a full array
    // Past one route, room for a typical ECMP set at once (a gateway hears a prefix from four
    // MSEEs), then doubling.
    const auto capacity = static_cast<std::uint16_t>(
        std::min<std::size_t>(std::max<std::size_t>(4, std::size_t{2} * capacity_),
                              std::numeric_limits<std::uint16_t>::max()));
    auto* const grown = new Route[capacity];
    std::copy(begin(), end(), grown);
    const std::uint16_t size = size_;
    release();
    heap_ = grown;
    capacity_ = capacity;
    size_ = size;
  }
  heap_[size_++] = route;
}

void RouteList::erase(Route* position) {
  std::copy(position + 1, end(), position);
  --size_;
  if (capacity_ != 0 && size_ == 1) {  // an array holds two routes or more: back inline
    const Route last = heap_[0];
    release();
    inline_ = last;
    size_ = 1;
  }
}
// NOLINTEND(cppcoreguidelines-pro-type-union-access)

void Rib::assign(const Rib& other) {
  if (this == &other) {
    return;
  }
  config_ = other.config_;
  neighbours_ = other.neighbours_;
  local_count_ = other.local_count_;
  loc_rib_ = other.loc_rib_;
  lengths_seen_ = other.lengths_seen_;
  undo_.reset();
}

void Rib::checkpoint() {
  if (undo_) {
    undo_->entries.clear();
    for (const auto& [session, saved] : undo_->neighbours) {
      neighbours_.find(session)->second.out.stop_recording();
    }
    undo_->neighbours.clear();
  } else {
    undo_ = std::make_unique<Undo>();
  }
  undo_->local_count = local_count_;
}

// Entries and neighbours are keyed, so the order they are put back in changes nothing.
void Rib::rollback() {
  ERSIM_ASSERT(undo_ != nullptr, "rollback of a Rib without a checkpoint");
  for (auto& [prefix, before] : undo_->entries) {
    const auto it = loc_rib_.find(prefix);
    if (!before) {
      if (it != loc_rib_.end()) {
        loc_rib_.erase(it);
      }
    } else if (it == loc_rib_.end()) {
      loc_rib_.insert(std::move(*before));
    } else {
      mutable_entry(it) = std::move(*before);
    }
  }
  for (const auto& [session, saved] : undo_->neighbours) {
    Neighbour& n = neighbours_.find(session)->second;
    n.routes = saved.routes;
    n.link = saved.link;
    n.out.rollback();
  }
  local_count_ = undo_->local_count;
  undo_->entries.clear();
  undo_->neighbours.clear();
}

void Rib::save_entry(Ipv4Prefix prefix) {
  if (!undo_) {
    return;
  }
  const auto [it, first] = undo_->entries.try_emplace(prefix);
  if (first) {
    if (const LocRibEntry* entry = find(prefix)) {
      it->second = *entry;
    }
  }
}

AdjRibIn Rib::adj_rib_in(topo::SessionId session) const {
  return {loc_rib_, session, neighbour(session).routes};
}

std::size_t& Rib::count_of(const Route& route) {
  return route.locally_originated() ? local_count_ : neighbour(route.session).routes;
}

AdjRibOut& Rib::adj_rib_out(topo::SessionId session) { return neighbour(session).out; }
const AdjRibOut& Rib::adj_rib_out(topo::SessionId session) const { return neighbour(session).out; }

const LocRibEntry* Rib::find(Ipv4Prefix prefix) const {
  const auto it = loc_rib_.find(prefix);
  return it == loc_rib_.end() ? nullptr : &*it;
}

const LocRibEntry* Rib::longest_match(Ipv4Address destination) const {
  for (std::uint64_t lengths = lengths_seen_; lengths != 0;) {
    const int length = static_cast<int>(std::bit_width(lengths)) - 1;  // the longest left
    lengths &= ~(std::uint64_t{1} << static_cast<unsigned>(length));
    if (const LocRibEntry* entry = find(Ipv4Prefix::containing(destination, length))) {
      return entry;
    }
  }
  return nullptr;
}

// A set hands out its elements as const, as changing one's key would lose it; an entry's key,
// its prefix, is its routes' and never changes, and the rest is the Rib's to change.
LocRibEntry& Rib::mutable_entry(LocRib::iterator it) {
  return const_cast<LocRibEntry&>(*it);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

Rib::Snapshot Rib::snapshot(const LocRibEntry* entry) {
  Snapshot before;
  if (entry != nullptr) {
    before.present = true;
    before.best = entry->best();
    const auto others = entry->multipath().subspan(1);
    before.others.assign(others.begin(), others.end());
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
      std::equal(others.begin(), others.end(), before.others.begin(), before.others.end());
  return same_multipath ? RibChange::None : RibChange::MultipathChanged;
}

namespace {

// Puts `chosen` (routes of `candidates`, in their order) first; the others follow in the order
// they had. The routes are values, so the new order is built aside and copied back.
template <class Candidates>
void move_to_front(Candidates& candidates, std::span<const Route* const> chosen) {
  boost::container::small_vector<Route, 4> ordered;
  boost::container::small_vector<bool, 4> taken(candidates.size(), false);
  for (const Route* route : chosen) {
    const auto i = static_cast<std::size_t>(route - candidates.data());
    ERSIM_ASSERT(i < candidates.size(), "decision chose a route that is not a candidate");
    ordered.push_back(*route);
    taken[i] = true;
  }
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!taken[i]) {
      ordered.push_back(candidates[i]);
    }
  }
  std::copy(ordered.begin(), ordered.end(), candidates.begin());
}

}  // namespace

// Re-runs the decision over the entry's candidates and reorders them: the ECMP set first, best
// route first of all, the losers after in their previous order.
void Rib::decide(LocRibEntry& entry) const {
  auto& candidates = entry.candidates_;
  ERSIM_ASSERT(!candidates.empty(), "decision over a prefix with no route");
  const std::span<const Route> all(candidates.data(), candidates.size());

  if (config_.mode == DecisionMode::Gateway) {
    boost::container::small_vector<GatewayCandidate, 8> offers;
    for (const Route& route : candidates) {
      const GatewayLink link =
          route.locally_originated() ? GatewayLink{} : neighbour(route.session).link;
      offers.push_back({&route, link.connection, link.connection_weight});
    }
    const GatewaySelection selection = select_gateway({offers.data(), offers.size()});
    entry.reason_ = selection.reason;
    move_to_front(candidates, {selection.routes.data(), selection.routes.size()});
    entry.multipath_count_ = static_cast<std::uint16_t>(selection.routes.size());
    return;
  }

  const auto best = select_best(all);
  entry.reason_ = best->reason;
  if (candidates.size() == 1) {
    entry.multipath_count_ = 1;
    return;
  }
  if (config_.max_paths == 1) {
    const std::array<const Route*, 1> chosen{best->route};
    move_to_front(candidates, chosen);
    entry.multipath_count_ = 1;
    return;
  }
  const RouteSet chosen = select_multipath(all, config_.max_paths);
  ERSIM_ASSERT(chosen.front() == best->route, "multipath set does not start with the best");
  move_to_front(candidates, {chosen.data(), chosen.size()});
  entry.multipath_count_ = static_cast<std::uint16_t>(chosen.size());
}

RibChange Rib::update(const Route& route) {
  ERSIM_ASSERT(route.attributes, "route without attributes");
  std::size_t& count = count_of(route);  // asserts that a session is registered
  save_entry(route.prefix);
  bool new_prefix = false;
  LocRibEntry& entry = mutable_entry(loc_rib_.lazy_emplace(route.prefix, [&](const auto& make) {
    new_prefix = true;
    make(route);
  }));
  if (new_prefix) {
    lengths_seen_ |= std::uint64_t{1} << static_cast<unsigned>(route.prefix.length());
    ++count;
    decide(entry);
    return compare(Snapshot{}, &entry);
  }
  auto& candidates = entry.candidates_;
  const std::optional<topo::SessionId> from = source_of(route);
  auto* const same = std::find_if(candidates.begin(), candidates.end(),
                                  [&](const Route& r) { return from_source(r, from); });
  if (same != candidates.end() && *same == route) {
    return RibChange::None;  // a repeated UPDATE: the Adj-RIB-In already holds it
  }
  const Snapshot before = snapshot(&entry);
  if (same == candidates.end()) {
    candidates.push_back(route);
    ++count;
  } else {
    *same = route;  // RFC 4271 §9: an implicit withdrawal of the earlier route
  }
  decide(entry);
  return compare(before, &entry);
}

RibChange Rib::remove(std::optional<topo::SessionId> from, Ipv4Prefix prefix) {
  const auto it = loc_rib_.find(prefix);
  if (it == loc_rib_.end()) {
    return RibChange::None;
  }
  LocRibEntry& entry = mutable_entry(it);
  auto& candidates = entry.candidates_;
  auto* const route = std::find_if(candidates.begin(), candidates.end(),
                                   [&](const Route& r) { return from_source(r, from); });
  if (route == candidates.end()) {
    return RibChange::None;
  }
  save_entry(prefix);
  const Snapshot before = snapshot(&entry);
  --count_of(*route);
  if (candidates.size() == 1) {
    loc_rib_.erase(it);  // the last route: the entry, keyed by its prefix, goes with it
    return compare(before, nullptr);
  }
  candidates.erase(route);
  decide(entry);
  return compare(before, &entry);
}

RibChange Rib::withdraw(topo::SessionId from, Ipv4Prefix prefix) {
  // Asserts that it is registered; the const lookup records nothing under a checkpoint (remove
  // records the neighbour if it changes its count).
  (void)std::as_const(*this).neighbour(from);
  return remove(from, prefix);
}

RibChange Rib::withdraw_local(Ipv4Prefix prefix) { return remove(std::nullopt, prefix); }

// A pass over the Loc-RIB: a neighbour's routes are found through their prefixes.
std::vector<Ipv4Prefix> Rib::prefixes_from(topo::SessionId from) const {
  const Neighbour& n = neighbour(from);
  std::vector<Ipv4Prefix> prefixes;
  if (n.routes > 0) {
    prefixes.reserve(n.routes);
    for (const LocRibEntry& entry : loc_rib_) {
      for (const Route& route : entry.candidates()) {
        if (from_source(route, from)) {
          prefixes.push_back(entry.prefix());
          break;
        }
      }
    }
  }
  // Sorted, so what callers do with them comes out in the same order whatever the table's
  // layout.
  std::sort(prefixes.begin(), prefixes.end());
  return prefixes;
}

void Rib::forget_learned() {
  for (auto it = loc_rib_.begin(); it != loc_rib_.end();) {
    LocRibEntry& entry = mutable_entry(it);
    boost::container::small_vector<Route, 2> own;
    for (const Route& route : entry.candidates_) {
      if (route.locally_originated()) {
        own.push_back(route);
      }
    }
    if (own.size() == entry.candidates_.size()) {
      ++it;
      continue;
    }
    save_entry(entry.prefix());
    if (own.empty()) {
      loc_rib_.erase(it++);  // erasing leaves the other iterators valid
      continue;
    }
    RouteList kept(own.front());
    std::for_each(own.begin() + 1, own.end(), [&kept](const Route& r) { kept.push_back(r); });
    entry.candidates_ = std::move(kept);
    decide(entry);
    ++it;
  }
  for (const auto& registered : neighbours_) {
    Neighbour& n = neighbour(registered.first);  // recorded under a checkpoint
    n.routes = 0;
    n.out.clear();
  }
}

std::vector<PrefixChange> Rib::withdraw_received(topo::SessionId from) {
  std::vector<PrefixChange> changes;
  for (const Ipv4Prefix prefix : prefixes_from(from)) {
    const RibChange change = remove(from, prefix);
    if (change != RibChange::None) {
      changes.push_back({prefix, change});
    }
  }
  return changes;
}

std::vector<PrefixChange> Rib::withdraw_all(topo::SessionId from) {
  std::vector<PrefixChange> changes = withdraw_received(from);
  neighbour(from).out.clear();
  return changes;
}

}  // namespace ersim::bgp
