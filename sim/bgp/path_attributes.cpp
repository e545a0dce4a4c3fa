#include "sim/bgp/path_attributes.hpp"

#include <boost/container_hash/hash.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "core/assert.hpp"

namespace ersim::bgp {
namespace {

constexpr std::uint32_t kCommunityHalfMax = 0xffffU;
constexpr unsigned kCommunityShift = 16U;

// A decimal 0..65535 without sign or leading zero ("0" itself is fine).
std::optional<std::uint32_t> parse_half(std::string_view text) {
  if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0')) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10U + static_cast<std::uint32_t>(c - '0');
  }
  if (value > kCommunityHalfMax) {
    return std::nullopt;
  }
  return value;
}

void normalise(std::vector<Community>& communities) {
  std::sort(communities.begin(), communities.end());
  communities.erase(std::unique(communities.begin(), communities.end()), communities.end());
}

}  // namespace

std::string_view to_string(Origin origin) {
  switch (origin) {
    case Origin::Igp:
      return "igp";
    case Origin::Egp:
      return "egp";
    case Origin::Incomplete:
      return "incomplete";
  }
  return "unknown";
}

std::optional<Community> parse_community(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const auto high = parse_half(text.substr(0, colon));
  const auto low = parse_half(text.substr(colon + 1));
  if (!high || !low) {
    return std::nullopt;
  }
  return (*high << kCommunityShift) | *low;
}

Community parse_community_or_throw(std::string_view text) {
  if (const auto community = parse_community(text)) {
    return *community;
  }
  throw CommunityError(fmt::format("'{}' is not a BGP community (ASN:VALUE, each 0-65535)", text));
}

std::string format_community(Community community) {
  return fmt::format("{}:{}", community >> kCommunityShift, community & kCommunityHalfMax);
}

std::optional<std::uint32_t> PathAttributes::neighbour_as() const {
  if (as_path.empty()) {
    return std::nullopt;
  }
  return as_path.front();
}

bool PathAttributes::has_community(Community community) const {
  return std::binary_search(communities.begin(), communities.end(), community);
}

std::string to_string(const PathAttributes& attributes) {
  std::string text = "as-path";
  if (attributes.as_path.empty()) {
    text += " (empty)";
  }
  for (const std::uint32_t asn : attributes.as_path) {
    fmt::format_to(std::back_inserter(text), " {}", asn);
  }
  fmt::format_to(std::back_inserter(text), ", origin {}", to_string(attributes.origin));
  if (attributes.med) {
    fmt::format_to(std::back_inserter(text), ", med {}", *attributes.med);
  }
  fmt::format_to(std::back_inserter(text), ", local-pref {}", attributes.local_preference);
  if (!attributes.communities.empty()) {
    text += ", communities";
    for (const Community community : attributes.communities) {
      text += ' ';
      text += format_community(community);
    }
  }
  fmt::format_to(std::back_inserter(text), ", next-hop {}", attributes.next_hop.to_string());
  return text;
}

std::size_t PathAttributesHash::operator()(const PathAttributes& attributes) const noexcept {
  std::size_t seed = boost::hash_range(attributes.as_path.begin(), attributes.as_path.end());
  boost::hash_combine(seed, static_cast<std::uint8_t>(attributes.origin));
  // An absent MED and a MED of 0 differ (operator== says so); the flag keeps them apart.
  boost::hash_combine(seed, attributes.med.has_value());
  boost::hash_combine(seed, attributes.med.value_or(0));
  boost::hash_combine(seed, attributes.local_preference);
  boost::hash_combine(
      seed, boost::hash_range(attributes.communities.begin(), attributes.communities.end()));
  boost::hash_combine(seed, attributes.next_hop.value());
  return seed;
}

const PathAttributes* Attributes::checked() const {
  ERSIM_ASSERT(attributes_ != nullptr, "null attribute handle dereferenced");
  return attributes_;
}

const PathAttributes* AttributeTable::Sets::find(const Interned& key) const {
  const auto it = index.find(key);
  return it == index.end() ? nullptr : it->attributes;
}

Attributes AttributeTable::intern(PathAttributes attributes) {
  normalise(attributes.communities);
  // The flat table probes with the hash's low bits, which boost's hash_combine leaves weakly
  // mixed: a multiplicative finish folds every bit into them.
  std::size_t hash = PathAttributesHash{}(attributes)*std::size_t{0x9E3779B97F4A7C15};
  hash ^= hash >> 32U;
  const Interned key{&attributes, hash};
  if (base_) {
    if (const PathAttributes* found = base_->find(key)) {
      return Attributes(found);
    }
  }
  if (const PathAttributes* found = sets_.find(key)) {
    return Attributes(found);
  }
  const PathAttributes& stored = sets_.store.emplace_back(std::move(attributes));
  sets_.index.insert({&stored, hash});
  return Attributes(&stored);
}

void AttributeTable::freeze() {
  ERSIM_ASSERT(!base_, "an attribute table freezes once");
  // Moving the deque moves its blocks, not the sets: the handles point into them.
  base_ = std::make_shared<const Sets>(std::move(sets_));
  sets_ = Sets{};
}

void AttributeTable::share(const AttributeTable& other) {
  ERSIM_ASSERT(!base_ && sets_.empty(), "only an empty table shares another's base");
  ERSIM_ASSERT(other.base_ && other.sets_.empty(),
               "a table shares the base of a table that froze and interned nothing since");
  base_ = other.base_;
}

Attributes AttributeTable::prepend(Attributes base, std::uint32_t asn, std::uint32_t times) {
  if (times == 0) {
    return base;
  }
  PathAttributes derived = *base;
  derived.as_path.insert(derived.as_path.begin(), times, asn);
  return intern(std::move(derived));
}

Attributes AttributeTable::with_local_preference(Attributes base, std::uint32_t local_preference) {
  if (base->local_preference == local_preference) {
    return base;
  }
  PathAttributes derived = *base;
  derived.local_preference = local_preference;
  return intern(std::move(derived));
}

Attributes AttributeTable::with_med(Attributes base, std::optional<std::uint32_t> med) {
  if (base->med == med) {
    return base;
  }
  PathAttributes derived = *base;
  derived.med = med;
  return intern(std::move(derived));
}

Attributes AttributeTable::with_communities_added(Attributes base,
                                                  std::span<const Community> added) {
  if (std::all_of(added.begin(), added.end(),
                  [&](Community community) { return base->has_community(community); })) {
    return base;
  }
  PathAttributes derived = *base;
  derived.communities.insert(derived.communities.end(), added.begin(), added.end());
  return intern(std::move(derived));
}

Attributes AttributeTable::with_next_hop(Attributes base, Ipv4Address next_hop) {
  if (base->next_hop == next_hop) {
    return base;
  }
  PathAttributes derived = *base;
  derived.next_hop = next_hop;
  return intern(std::move(derived));
}

}  // namespace ersim::bgp
