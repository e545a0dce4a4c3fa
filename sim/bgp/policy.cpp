#include "sim/bgp/policy.hpp"

#include <algorithm>
#include <utility>

namespace ersim::bgp {

Policy::Policy(const topo::SessionPolicy& policy, PolicyContext context)
    : context_(context),
      local_preference_(policy.local_preference),
      prepend_(policy.prepend),
      med_(policy.med),
      import_filter_(policy.import_filter),
      export_filter_(policy.export_filter),
      max_prefix_(policy.max_prefix) {
  communities_.reserve(policy.communities.size());
  for (const std::string& text : policy.communities) {
    communities_.push_back(parse_community_or_throw(text));
  }
}

// A filter lists prefixes; a route passes when its prefix lies within one of them (an empty
// filter passes everything).
bool Policy::allowed(const std::vector<Ipv4Prefix>& filter, const Ipv4Prefix& prefix) {
  return filter.empty() || std::any_of(filter.begin(), filter.end(),
                                       [&](const Ipv4Prefix& p) { return p.contains(prefix); });
}

std::optional<Attributes> Policy::import(AttributeTable& table, const Ipv4Prefix& prefix,
                                         Attributes received, PeerKind from) const {
  const PathAttributes& in = *received;
  // RFC 4271 §9.1.2: a route whose AS_PATH holds the local AS is a loop, not a candidate.
  if (std::find(in.as_path.begin(), in.as_path.end(), context_.local_asn) != in.as_path.end()) {
    return std::nullopt;
  }
  if (!allowed(import_filter_, prefix)) {
    return std::nullopt;
  }
  Attributes out = received;
  if (local_preference_) {
    out = table.with_local_preference(out, *local_preference_);
  } else if (from == PeerKind::External && in.local_preference != kDefaultLocalPreference) {
    // §5.1.5: LOCAL_PREF is not sent to external peers; a speaker ignores one it receives.
    out = table.with_local_preference(out, kDefaultLocalPreference);
  }
  return out;
}

std::optional<Attributes> Policy::export_route(AttributeTable& table, const Route& route,
                                               PeerKind to) const {
  if (!exports(route, to)) {
    return std::nullopt;
  }
  return export_attributes(table, route.attributes, route.kind, to);
}

bool Policy::exports(const Route& route, PeerKind to) const {
  // §9.2: routes learned from an internal peer are not advertised to internal peers.
  if (route.kind == PeerKind::Internal && to == PeerKind::Internal) {
    return false;
  }
  return allowed(export_filter_, route.prefix);
}

Attributes Policy::export_attributes(AttributeTable& table, Attributes attributes, PeerKind from,
                                     PeerKind to) const {
  PathAttributes out = *attributes;
  if (to == PeerKind::External) {
    if (context_.remove_private_as) {
      std::erase_if(out.as_path, [](std::uint32_t asn) { return topo::is_private_asn(asn); });
    }
    // §5.1.2: on eBGP the speaker prepends its own AS; policy prepending repeats it.
    out.as_path.insert(out.as_path.begin(), 1 + prepend_, context_.local_asn);
    // §5.1.3: the next hop sent to an external peer is the speaker's own address.
    out.next_hop = context_.local_address;
    // §5.1.4: a MED received from one AS is not passed on to another; §5.1.5: no LOCAL_PREF.
    out.med = med_;
    out.local_preference = kDefaultLocalPreference;
  } else {
    if (context_.next_hop_self || from == PeerKind::Local) {
      out.next_hop = context_.local_address;
    }
    if (med_) {
      out.med = med_;
    }
  }
  out.communities.insert(out.communities.end(), communities_.begin(), communities_.end());
  return table.intern(std::move(out));
}

}  // namespace ersim::bgp
