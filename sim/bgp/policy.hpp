// What one end of a BGP session does to the routes it receives (import) and sends (export):
// RFC 4271's own rules for eBGP and iBGP, then the design's policy (topo::SessionPolicy).
//
//   const Policy policy(session_end.policy, {.local_asn = 65001, .local_address = ce_addr});
//   std::optional<Attributes> in = policy.import(table, prefix, received, PeerKind::External);
//   std::optional<Attributes> out = policy.export_route(table, best, PeerKind::External);
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/bgp/path_attributes.hpp"
#include "sim/bgp/route.hpp"
#include "sim/topo/ipv4.hpp"
#include "sim/topo/model.hpp"

namespace ersim::bgp {

/// The end a policy belongs to.
struct PolicyContext {
  std::uint32_t local_asn = 0;
  Ipv4Address local_address{};  ///< this end's address on the session: the next hop it sends
  /// Strip private AS numbers from the AS path on export (Microsoft peering: Microsoft removes
  /// the private ASes of the prefixes a customer advertises).
  bool remove_private_as = false;
  /// iBGP: put local_address as the next hop of routes sent (eBGP always does, §5.1.3).
  bool next_hop_self = false;
};

/// A compiled topo::SessionPolicy: communities parsed once, filters kept as prefix lists.
class Policy {
 public:
  /// Communities in `policy` must be valid ("ASN:VALUE"): the loader has checked them.
  Policy(const topo::SessionPolicy& policy, PolicyContext context);

  /// The attributes a route received over this session is stored with, or std::nullopt when
  /// it is rejected: an AS-path loop (RFC 4271 §9.1.2: a path holding the local AS is not
  /// eligible), or a prefix outside the import filter. Sets local preference when the policy
  /// has one; on eBGP a received LOCAL_PREF is ignored (§5.1.5) and the default applies.
  [[nodiscard]] std::optional<Attributes> import(AttributeTable& table, const Ipv4Prefix& prefix,
                                                 Attributes received, PeerKind from) const;

  /// The attributes this end sends a route with, or std::nullopt when it must not be sent:
  /// outside the export filter, or learned over iBGP and going to an iBGP peer (§9.2, no route
  /// reflection). `to` is the kind of the session this policy belongs to.
  [[nodiscard]] std::optional<Attributes> export_route(AttributeTable& table, const Route& route,
                                                       PeerKind to) const;
  /// export_route in two parts, for callers that cache the second: whether the route may be
  /// sent at all (the filter and §9.2), and the attributes it goes out with, which depend only
  /// on the route's attributes and kind, never on its prefix.
  [[nodiscard]] bool exports(const Route& route, PeerKind to) const;
  [[nodiscard]] Attributes export_attributes(AttributeTable& table, Attributes attributes,
                                             PeerKind from, PeerKind to) const;

  /// Run-time changes (a scenario's "what if"): the local preference set on routes received,
  /// and how often the own AS is prepended on eBGP export. Routes already imported or sent keep
  /// their attributes: re-importing and re-sending them is the caller's (router::Network).
  void set_local_preference(std::optional<std::uint32_t> value) { local_preference_ = value; }
  void set_prepend(std::uint32_t count) { prepend_ = count; }
  [[nodiscard]] std::optional<std::uint32_t> local_preference() const { return local_preference_; }
  [[nodiscard]] std::uint32_t prepend() const { return prepend_; }

  /// The number of received routes after which the session is dropped (max-prefix), if any.
  [[nodiscard]] std::optional<std::uint32_t> max_prefix() const { return max_prefix_; }
  [[nodiscard]] const PolicyContext& context() const { return context_; }

 private:
  static bool allowed(const std::vector<Ipv4Prefix>& filter, const Ipv4Prefix& prefix);

  PolicyContext context_;
  std::optional<std::uint32_t> local_preference_;
  std::uint32_t prepend_ = 0;
  std::optional<std::uint32_t> med_;
  std::vector<Ipv4Prefix> import_filter_;
  std::vector<Ipv4Prefix> export_filter_;
  std::vector<Community> communities_;
  std::optional<std::uint32_t> max_prefix_;
};

}  // namespace ersim::bgp
