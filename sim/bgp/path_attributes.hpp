// BGP path attributes (RFC 4271 §4.3, §5; communities RFC 1997) and their interning.
//
// A router may hold a million routes that share a handful of attribute sets, so routes carry an
// `Attributes` handle into a per-simulation `AttributeTable` instead of the attributes
// themselves. Equal attribute sets give the same handle, so comparing handles compares sets:
//   AttributeTable table;
//   Attributes a = table.intern({.as_path = {12076}, .next_hop = msee});
//   Attributes b = table.prepend(a, 65001, 2);   // as-path 65001 65001 12076, a new handle
#pragma once

#include <absl/container/flat_hash_set.h>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/topo/ipv4.hpp"

namespace ersim::bgp {

/// RFC 4271 §4.3 ORIGIN, with its wire values; lower is preferred (§9.1.2.2 b).
enum class Origin : std::uint8_t { Igp = 0, Egp = 1, Incomplete = 2 };

/// "igp", "egp", "incomplete".
std::string_view to_string(Origin origin);

/// RFC 1997 community: the high 16 bits an AS number, the low 16 bits a value (12076:51004).
using Community = std::uint32_t;

/// Thrown by parse_community_or_throw: "'12076:70000' is not a BGP community (ASN:VALUE, each
/// 0-65535)".
class CommunityError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// "ASN:VALUE", each a decimal 0..65535 without sign, spaces or leading zeros ("0" itself is
/// fine). Anything else is std::nullopt.
std::optional<Community> parse_community(std::string_view text);
/// As parse_community, but throws CommunityError.
Community parse_community_or_throw(std::string_view text);
/// "12076:51004".
std::string format_community(Community community);

/// RFC 4271 has no default LOCAL_PREF; 100 is what BIRD, FRR, Cisco and Juniper assume.
inline constexpr std::uint32_t kDefaultLocalPreference = 100;

/// One set of path attributes. AS_PATH is a single AS_SEQUENCE, nearest AS first (the AS that
/// sent the route is as_path.front()); AS_SET and confederations are not modelled.
struct PathAttributes {
  std::vector<std::uint32_t> as_path{};
  Origin origin = Origin::Igp;
  /// RFC 4271 §5.1.4 MULTI_EXIT_DISC; absent is not the same set as 0, though the decision
  /// process treats an absent MED as the lowest value (§9.1.2.2 c).
  std::optional<std::uint32_t> med = std::nullopt;
  std::uint32_t local_preference = kDefaultLocalPreference;
  /// Sorted, without duplicates (AttributeTable::intern sorts them).
  std::vector<Community> communities{};
  Ipv4Address next_hop{};

  /// The number of ASes in the path, as counted by §9.1.2.2 (a).
  [[nodiscard]] std::size_t as_path_length() const { return as_path.size(); }
  /// The leftmost AS: the neighbouring AS of §9.1.2.2 (c). std::nullopt for an empty path,
  /// which RFC 4271 assigns to the local AS (a route originated in this AS).
  [[nodiscard]] std::optional<std::uint32_t> neighbour_as() const;
  [[nodiscard]] bool has_community(Community community) const;

  friend bool operator==(const PathAttributes&, const PathAttributes&) = default;
};

/// "as-path 65001 12076, origin igp, med 50, local-pref 100, communities 12076:51004,
/// next-hop 10.0.0.1"; an absent MED and empty lists are left out ("as-path (empty)" stays).
std::string to_string(const PathAttributes& attributes);

/// A hash over every field, consistent with operator==.
struct PathAttributesHash {
  std::size_t operator()(const PathAttributes& attributes) const noexcept;
};

/// A shared, immutable, interned attribute set. Only an AttributeTable makes one that is not
/// null; handles from one table are equal exactly when their attribute sets are equal. A handle
/// stays valid as long as its table lives.
class Attributes {
 public:
  /// The null handle; dereferencing it is a programmer error.
  constexpr Attributes() = default;

  /// Assert (ERSIM_ASSERT) that the handle is not null.
  [[nodiscard]] const PathAttributes& operator*() const { return *checked(); }
  [[nodiscard]] const PathAttributes* operator->() const { return checked(); }
  /// The shared object, or nullptr for the null handle.
  [[nodiscard]] const PathAttributes* get() const { return attributes_; }
  [[nodiscard]] explicit operator bool() const { return attributes_ != nullptr; }

  friend bool operator==(Attributes, Attributes) = default;

 private:
  friend class AttributeTable;
  constexpr explicit Attributes(const PathAttributes* attributes) : attributes_(attributes) {}
  [[nodiscard]] const PathAttributes* checked() const;

  const PathAttributes* attributes_ = nullptr;
};

/// Interns attribute sets: one object per distinct set, shared by every route that carries it.
/// One per simulation; not thread-safe (a simulation runs on one thread). Sets are never freed
/// before the table: a simulation meets a bounded number of distinct sets, and a reference count
/// on every route copy would cost more than the sets that churn leaves behind.
///
/// Simulations on other threads may start from a copy of this one's routes (a sweep's workers
/// copy one converged network): freeze() makes the sets interned so far a read-only base that
/// tables share (share()), and each table interns what is new in sets of its own. A set is
/// looked up in the base first, so equal sets still give the same handle in every table.
class AttributeTable {
 public:
  AttributeTable() = default;
  AttributeTable(const AttributeTable&) = delete;
  AttributeTable& operator=(const AttributeTable&) = delete;
  AttributeTable(AttributeTable&&) = delete;
  AttributeTable& operator=(AttributeTable&&) = delete;
  ~AttributeTable() = default;

  /// The handle of this set, after sorting its communities and removing duplicates.
  Attributes intern(PathAttributes attributes);

  /// Moves every set interned so far into a read-only base, which other tables may share: the
  /// handles given out stay valid. Only a table that has no base yet can freeze.
  void freeze();
  /// Takes `other`'s base (which it froze) as this table's: the handles of `other`'s routes at
  /// its freeze() are this table's too. Only an empty table, without a base, can share.
  void share(const AttributeTable& other);

  /// The set with `asn` put in front of the AS path `times` times (RFC 4271 §5.1.2 on eBGP
  /// export, and prepending as policy).
  Attributes prepend(Attributes base, std::uint32_t asn, std::uint32_t times = 1);
  Attributes with_local_preference(Attributes base, std::uint32_t local_preference);
  /// std::nullopt removes the MED.
  Attributes with_med(Attributes base, std::optional<std::uint32_t> med);
  /// The union of the set's communities and `added`.
  Attributes with_communities_added(Attributes base, std::span<const Community> added);
  Attributes with_next_hop(Attributes base, Ipv4Address next_hop);

  /// The number of distinct sets interned, the base's included.
  [[nodiscard]] std::size_t size() const { return (base_ ? base_->size() : 0) + sets_.size(); }

 private:
  /// A set and its hash, which the index keeps so that growing it reads no set.
  struct Interned {
    const PathAttributes* attributes;
    std::size_t hash;
  };
  struct InternedHash {
    std::size_t operator()(const Interned& i) const noexcept { return i.hash; }
  };
  struct InternedEq {
    bool operator()(const Interned& x, const Interned& y) const noexcept {
      return x.hash == y.hash && *x.attributes == *y.attributes;
    }
  };
  // The sets in a deque, whose elements never move, so handles stay valid as it grows and when
  // it becomes the base; the index finds them by content with one probe of a flat table, where
  // a node-based set took a bucket and a node, each a cache miss in a table of a million sets.
  struct Sets {
    std::deque<PathAttributes> store;
    absl::flat_hash_set<Interned, InternedHash, InternedEq> index;
    [[nodiscard]] std::size_t size() const { return store.size(); }
    [[nodiscard]] bool empty() const { return store.empty(); }
    [[nodiscard]] const PathAttributes* find(const Interned& key) const;
  };
  /// Frozen: never changed once made, so threads may look sets up in it side by side.
  std::shared_ptr<const Sets> base_;
  Sets sets_;
};

}  // namespace ersim::bgp

template <>
struct std::hash<ersim::bgp::Attributes> {
  std::size_t operator()(ersim::bgp::Attributes attributes) const noexcept {
    return std::hash<const ersim::bgp::PathAttributes*>{}(attributes.get());
  }
};
