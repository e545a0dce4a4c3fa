// The routing information bases of one BGP routing instance (RFC 4271 §3.2): an Adj-RIB-In and
// an Adj-RIB-Out per neighbour (session), and the Loc-RIB with each prefix's best route, its
// ECMP set and the reason it won. Each update or withdrawal re-runs the decision for its prefix
// only and says whether the Loc-RIB entry changed, so the caller knows what to propagate.
//
// Memory is what limits a million-prefix design, so each prefix is one slot of a flat table
// holding the routes to it; a neighbour's Adj-RIB-In is those of its routes, found through the
// prefix, with a count per neighbour.
//   Rib rib({.max_paths = 2});
//   rib.add_neighbour(primary);
//   if (rib.update(route) != RibChange::None) { /* export rib.find(route.prefix)->best() */ }
#pragma once

#include <boost/container/small_vector.hpp>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/bgp/decision.hpp"
#include "sim/bgp/path_attributes.hpp"
#include "sim/bgp/route.hpp"
#include "sim/topo/ids.hpp"
#include "sim/topo/ipv4.hpp"

namespace ersim::bgp {

/// Which decision process the Loc-RIB runs: RFC 4271 with ECMP (routers), or the Azure VNet
/// gateway's order (select_gateway).
enum class DecisionMode : std::uint8_t { Standard, Gateway };

/// What an update or withdrawal did to the prefix's Loc-RIB entry. A change of the reason alone
/// (a losing route came or went) is None: nothing to advertise or install.
enum class RibChange : std::uint8_t {
  None,
  BestAdded,         ///< the prefix had no route, now has one: advertise it
  BestReplaced,      ///< another route, or the same neighbour's with new attributes: advertise
  BestRemoved,       ///< no route is left: withdraw it
  MultipathChanged,  ///< the same best route, another ECMP set: only the FIB changes
};

/// "none", "best added", "best replaced", "best removed", "multipath changed".
std::string_view to_string(RibChange change);

struct RibConfig {
  DecisionMode mode = DecisionMode::Standard;
  /// The most routes in a Standard-mode ECMP set; 1 is no multipath. The gateway's ECMP set
  /// holds every tie.
  std::size_t max_paths = 1;
};

/// How a gateway's neighbour ranks in the gateway order (DecisionMode::Gateway only).
struct GatewayLink {
  GatewayConnection connection = GatewayConnection::ExpressRoute;
  std::uint16_t connection_weight = 0;  ///< 0-32000
};

/// Hashes of the RIB tables' keys. Fixed functions (not seeded per process), mixed so that
/// the flat tables' low bits differ for neighbouring prefixes.
struct PrefixHash {
  std::size_t operator()(const Ipv4Prefix& prefix) const noexcept;
};
struct SessionHash {
  std::size_t operator()(topo::SessionId session) const noexcept;
};

/// The routes to one prefix: the only one inline (most prefixes have one), all of them in one
/// array once there are more; contiguous either way. The array's pointer shares the inline
/// route's bytes, so a list is 44 bytes and a Loc-RIB slot 48 (LocRibEntry).
// clang-tidy 14 wants every member of the union initialised; one is, and that is the rule.
// NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init)
class RouteList {
 public:
  RouteList() = default;  // NOLINT(cppcoreguidelines-pro-type-member-init)
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init)
  explicit RouteList(const Route& first) : inline_(first), size_(1) {}
  RouteList(const RouteList& other);
  RouteList& operator=(const RouteList& other);
  RouteList(RouteList&& other) noexcept;
  RouteList& operator=(RouteList&& other) noexcept;
  ~RouteList();

  // NOLINTBEGIN(cppcoreguidelines-pro-type-union-access): capacity_ says which member is live
  [[nodiscard]] const Route* data() const { return capacity_ == 0 ? &inline_ : heap_; }
  [[nodiscard]] Route* data() { return capacity_ == 0 ? &inline_ : heap_; }
  // NOLINTEND(cppcoreguidelines-pro-type-union-access)
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] const Route& front() const { return *data(); }
  [[nodiscard]] const Route& operator[](std::size_t i) const { return data()[i]; }
  [[nodiscard]] Route* begin() { return data(); }
  [[nodiscard]] Route* end() { return data() + size_; }
  [[nodiscard]] const Route* begin() const { return data(); }
  [[nodiscard]] const Route* end() const { return data() + size_; }

  void push_back(const Route& route);
  void erase(Route* position);

 private:
  /// Gives the array back; the list is then empty and inline.
  void release();
  /// Takes `other`'s routes (its array, if it has one) into this empty list; `other` is left
  /// empty.
  void take(RouteList& other) noexcept;

  union {
    Route inline_{};  ///< live while capacity_ is 0: at most one route
    Route* heap_;     ///< live while capacity_ is not 0: an array of capacity_ routes
  };
  std::uint16_t size_ = 0;
  std::uint16_t capacity_ = 0;
};

/// One prefix in the Loc-RIB: every route to it this router holds — what each neighbour sent
/// (its Adj-RIB-In route) and the router's own — ECMP set first, best route first of all. An
/// entry always holds a route (an entry without one leaves the table), and every route's prefix
/// is the entry's: the table keys entries by it and stores no key of its own.
class LocRibEntry {
 public:
  explicit LocRibEntry(const Route& first) : candidates_(first) {}

  [[nodiscard]] Ipv4Prefix prefix() const { return candidates_.front().prefix; }
  [[nodiscard]] const Route& best() const { return candidates_.front(); }
  /// The ECMP set: best() first, then by router id and neighbour address.
  [[nodiscard]] std::span<const Route> multipath() const {
    return {candidates_.data(), multipath_count_};
  }
  /// Why best() won (select_best's or select_gateway's reason).
  [[nodiscard]] DecisionReason reason() const { return reason_; }
  /// Every route to the prefix this router knows, multipath() first.
  [[nodiscard]] std::span<const Route> candidates() const {
    return {candidates_.data(), candidates_.size()};
  }

 private:
  friend class Rib;
  // The two fields after it live in the list's tail padding (C++20 [[no_unique_address]]).
  [[no_unique_address]] RouteList candidates_;
  std::uint16_t multipath_count_ = 0;
  DecisionReason reason_ = DecisionReason::OnlyCandidate;
};
static_assert(sizeof(LocRibEntry) == 48, "a million-prefix design holds ten million of these");

/// Hash and equality of Loc-RIB entries by their prefix, and lookup by a prefix alone.
struct LocRibHash {
  using is_transparent = void;  // NOLINT(readability-identifier-naming): the name is Abseil's
  std::size_t operator()(const Ipv4Prefix& prefix) const noexcept { return PrefixHash{}(prefix); }
  std::size_t operator()(const LocRibEntry& entry) const noexcept {
    return PrefixHash{}(entry.prefix());
  }
};
struct LocRibEq {
  using is_transparent = void;  // NOLINT(readability-identifier-naming): the name is Abseil's
  static Ipv4Prefix key(const Ipv4Prefix& prefix) { return prefix; }
  static Ipv4Prefix key(const LocRibEntry& entry) { return entry.prefix(); }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return key(a) == key(b);
  }
};

/// The Loc-RIB: a flat hash set (Abseil's) of entries, found by prefix. Entries move when it
/// grows, so references into it last until the next update.
using LocRib = absl::flat_hash_set<LocRibEntry, LocRibHash, LocRibEq>;

/// What one neighbour sent (after import policy), one route per prefix (RFC 4271 §3.2): a view
/// of the Loc-RIB entries' candidates from that neighbour, valid until the next update.
class AdjRibIn {
 public:
  [[nodiscard]] const Route* find(Ipv4Prefix prefix) const;
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }

 private:
  friend class Rib;
  AdjRibIn(const LocRib& loc_rib, std::optional<topo::SessionId> from, std::size_t size)
      : loc_rib_(&loc_rib), from_(from), size_(size) {}
  const LocRib* loc_rib_;
  std::optional<topo::SessionId> from_;  ///< std::nullopt: the router's own routes
  std::size_t size_;
};

/// What this router has advertised to one neighbour: the prefix and the attributes sent. The
/// propagation code records each UPDATE and WITHDRAW here and skips those that change nothing.
class AdjRibOut {
 public:
  using Table = absl::flat_hash_map<Ipv4Prefix, Attributes, PrefixHash>;
  AdjRibOut() = default;
  /// A copy holds the same routes and records nothing (see Rib::checkpoint).
  AdjRibOut(const AdjRibOut& other) : routes_(other.routes_) {}
  AdjRibOut& operator=(const AdjRibOut& other);
  AdjRibOut(AdjRibOut&&) noexcept = default;
  AdjRibOut& operator=(AdjRibOut&&) noexcept = default;
  ~AdjRibOut() = default;
  /// Records that `attributes` is advertised for `prefix`; false if exactly that was already
  /// advertised, so no UPDATE is needed.
  bool advertise(Ipv4Prefix prefix, Attributes attributes);
  /// Records a withdrawal; false if nothing was advertised, so no WITHDRAW is needed.
  bool withdraw(Ipv4Prefix prefix);
  /// The session went down: the neighbour has forgotten everything.
  void clear();
  [[nodiscard]] std::optional<Attributes> find(Ipv4Prefix prefix) const;
  [[nodiscard]] std::size_t size() const { return routes_.size(); }
  /// Each prefix advertised and its attributes, in no particular order (it differs between
  /// runs): sort what depends on it.
  [[nodiscard]] const Table& routes() const { return routes_; }
  /// Makes room for `prefixes` prefixes (see Rib::reserve).
  void reserve(std::size_t prefixes) { routes_.reserve(prefixes); }

 private:
  friend class Rib;
  /// What the table held when recording began: each prefix changed since, as it was then
  /// (std::nullopt: not advertised), or, once clear() emptied it, the whole table as it was.
  struct Log {
    bool recording = false;
    absl::flat_hash_map<Ipv4Prefix, std::optional<Attributes>, PrefixHash> before;
    std::optional<Table> whole;
    /// Puts the prefixes changed since recording began back into `table` as they were.
    void put_back(Table& table) const;
  };
  /// From now on the first change to each prefix keeps what it was (Rib::neighbour).
  void start_recording();
  /// Back to the table as it was at start_recording(); recording stops.
  void rollback();
  /// Recording stops and the table stays as it is.
  void stop_recording();
  /// Keeps the prefix's route as it is before its first change since recording began.
  void remember(Ipv4Prefix prefix, std::optional<Attributes> now);

  Table routes_;
  std::unique_ptr<Log> log_;  ///< null until the first recording; kept for the next one
};

struct PrefixChange {
  Ipv4Prefix prefix;
  RibChange change = RibChange::None;
  friend bool operator==(const PrefixChange&, const PrefixChange&) = default;
};

/// The RIBs of one routing instance. Routes from a session go to that session's Adj-RIB-In,
/// locally originated routes (PeerKind::Local) to the router's own.
class Rib {
 public:
  explicit Rib(RibConfig config = {});
  // A Rib may hold a million routes: it is moved, and copied only by name (assign).
  Rib(const Rib&) = delete;
  Rib& operator=(const Rib&) = delete;
  Rib(Rib&&) = default;
  Rib& operator=(Rib&&) = default;
  ~Rib() = default;

  /// Makes this Rib a copy of `other`, every table included (a network copying a converged
  /// one); what this Rib recorded since a checkpoint is dropped.
  void assign(const Rib& other);

  /// Starts recording changes: from now on, the first change to each prefix's entry and to each
  /// neighbour keeps what it was, and rollback() puts back those and nothing else. A failure
  /// set that changes a few routes of a large table then costs those routes, not a copy of the
  /// table (router::Network's checkpoints).
  void checkpoint();
  /// Back to the state at checkpoint(); recording goes on from there. Asserts a checkpoint.
  void rollback();

  /// Registers a neighbour before its routes arrive; in gateway mode `link` ranks its routes.
  /// Asserts that the session is not registered yet.
  void add_neighbour(topo::SessionId session, GatewayLink link = {});
  [[nodiscard]] bool has_neighbour(topo::SessionId session) const;
  /// How the neighbour ranks in the gateway order. Asserts that it is registered.
  [[nodiscard]] const GatewayLink& link(topo::SessionId session) const;
  /// Changes how neighbours rank in the gateway order (a connection's weight changed) and
  /// re-runs the decision, once, for every prefix one of them has a route to. Returns the
  /// prefixes whose Loc-RIB entry changed, in prefix order. Asserts that each session is
  /// registered and that each weight is at most kMaxConnectionWeight. In Standard mode the links
  /// rank nothing and nothing changes.
  std::vector<PrefixChange> set_links(
      std::span<const std::pair<topo::SessionId, GatewayLink>> links);

  /// Puts the route in its Adj-RIB-In (replacing the neighbour's earlier route to the prefix,
  /// RFC 4271 §9: an implicit withdrawal) and re-runs the decision for that prefix. Asserts that
  /// the route has attributes and that its session is registered (unless it is local).
  RibChange update(const Route& route);
  /// Removes the neighbour's route to the prefix, if any, and re-runs the decision.
  RibChange withdraw(topo::SessionId from, Ipv4Prefix prefix);
  /// Removes this router's own route to the prefix, if any, and re-runs the decision.
  RibChange withdraw_local(Ipv4Prefix prefix);
  /// The session went down: withdraws every route it sent and clears its Adj-RIB-Out. Returns
  /// the prefixes whose Loc-RIB entry changed, in prefix order.
  std::vector<PrefixChange> withdraw_all(topo::SessionId from);
  /// withdraw_all without clearing the Adj-RIB-Out (what this router sent in the meantime).
  std::vector<PrefixChange> withdraw_received(topo::SessionId from);
  /// The router went down: every route its neighbours sent goes at once, and every Adj-RIB-Out
  /// is cleared; its own routes, which are its configuration, stay. One pass over the Loc-RIB,
  /// where withdraw_all for each session would take one per session, and no change is reported:
  /// a router that is down decides nothing and tells no one.
  void forget_learned();
  /// The prefixes of the neighbour's Adj-RIB-In, in prefix order: a pass over the Loc-RIB.
  [[nodiscard]] std::vector<Ipv4Prefix> prefixes_from(topo::SessionId from) const;

  /// Makes room for `prefixes` prefixes in the Loc-RIB, so that a burst of new routes grows
  /// the table once instead of doubling it step by step.
  void reserve(std::size_t prefixes) { loc_rib_.reserve(prefixes); }

  /// The Loc-RIB entry of the prefix, or nullptr if no route to it is known.
  [[nodiscard]] const LocRibEntry* find(Ipv4Prefix prefix) const;
  /// The longest-prefix match of `destination` (RFC 1812 §5.2.4.3): the entry of the longest
  /// prefix that contains it, or nullptr. Only the lengths this table's prefixes ever had are
  /// looked up, so a table of /24s and a /16 costs two lookups, not thirty-three.
  [[nodiscard]] const LocRibEntry* longest_match(Ipv4Address destination) const;
  /// The number of prefixes in the Loc-RIB.
  [[nodiscard]] std::size_t size() const { return loc_rib_.size(); }
  /// In no particular order (it differs between runs): sort what depends on it.
  [[nodiscard]] const LocRib& loc_rib() const { return loc_rib_; }

  /// Assert that the session is registered.
  [[nodiscard]] AdjRibIn adj_rib_in(topo::SessionId session) const;
  [[nodiscard]] AdjRibIn local_routes() const { return {loc_rib_, std::nullopt, local_count_}; }
  [[nodiscard]] AdjRibOut& adj_rib_out(topo::SessionId session);
  [[nodiscard]] const AdjRibOut& adj_rib_out(topo::SessionId session) const;

  [[nodiscard]] const RibConfig& config() const { return config_; }

 private:
  struct Neighbour {
    std::size_t routes = 0;  ///< the size of its Adj-RIB-In
    AdjRibOut out;
    GatewayLink link;
  };
  struct Snapshot;
  /// What changed since the checkpoint held before its first change; an entry absent then is
  /// std::nullopt. A neighbour changed keeps its count and link here, and its Adj-RIB-Out
  /// records its own changes (AdjRibOut::start_recording).
  struct Undo {
    struct SavedNeighbour {
      std::size_t routes = 0;
      GatewayLink link;
    };
    absl::flat_hash_map<Ipv4Prefix, std::optional<LocRibEntry>, PrefixHash> entries;
    absl::flat_hash_map<topo::SessionId, SavedNeighbour, SessionHash> neighbours;
    std::size_t local_count = 0;
  };

  /// Records the prefix's entry before its first change since the checkpoint.
  void save_entry(Ipv4Prefix prefix);
  /// The neighbour, to change: recorded before its first change since the checkpoint.
  Neighbour& neighbour(topo::SessionId session);
  const Neighbour& neighbour(topo::SessionId session) const;
  /// The Adj-RIB-In size of the route's source: a neighbour's, or the router's own.
  std::size_t& count_of(const Route& route);
  RibChange remove(std::optional<topo::SessionId> from, Ipv4Prefix prefix);
  void decide(LocRibEntry& entry) const;
  static LocRibEntry& mutable_entry(LocRib::iterator it);
  // Both take the prefix's entry, or nullptr when the Loc-RIB has none.
  [[nodiscard]] static Snapshot snapshot(const LocRibEntry* entry);
  [[nodiscard]] static RibChange compare(const Snapshot& before, const LocRibEntry* after);

  RibConfig config_;
  absl::flat_hash_map<topo::SessionId, Neighbour, SessionHash> neighbours_;
  std::size_t local_count_ = 0;
  LocRib loc_rib_;
  /// Bit L set: a prefix of length L has been in the Loc-RIB. Never cleared (a rollback or a
  /// withdrawal leaves it), so it may name a length no prefix has now: a wasted lookup, never
  /// a missed match.
  std::uint64_t lengths_seen_ = 0;
  std::unique_ptr<Undo> undo_;  ///< null until checkpoint()
};

}  // namespace ersim::bgp
