#include "sim/io/topology_yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "sim/topo/expand.hpp"

namespace ersim::io {
namespace {

using namespace std::chrono_literals;
using topo::BfdSettings;
using topo::BgpTimers;
using topo::CircuitSku;
using topo::Design;
using topo::FailureMode;
using topo::PeeringKind;
using topo::ProviderKind;
using topo::RouterRole;

constexpr std::int64_t kMaxWeight = 32000;    // ExpressRoute connection weight: 0-32000
constexpr std::int64_t kMaxVlan = 4094;       // IEEE 802.1Q
constexpr std::int64_t kMaxMultiplier = 255;  // RFC 5880 §4.1: Detect Mult is 8 bits
// BFD transmit jitter, in percent of the interval. RFC 5880 §6.8.7 reduces it by 0-25 % (down to
// 75); down to 50 models an implementation that sends earlier than the RFC allows, and anything
// lower is taken for a mistake.
constexpr int kMinJitterPercent = 50;
constexpr int kMaxSingleDetectPercent = 90;  // RFC 5880 §6.8.7, Detect Mult 1

constexpr std::array<std::pair<std::string_view, ProviderKind>, 2> kProviderKinds{{
    {"layer2", ProviderKind::Layer2},
    {"layer3", ProviderKind::Layer3},
}};
constexpr std::array<std::pair<std::string_view, CircuitSku>, 3> kSkus{{
    {"standard", CircuitSku::Standard},
    {"premium", CircuitSku::Premium},
    {"local", CircuitSku::Local},
}};
constexpr std::array<std::pair<std::string_view, topo::BgpJitter>, 3> kBgpJitters{{
    {"rfc4271", topo::BgpJitter::Rfc4271},
    {"with-hold", topo::BgpJitter::WithHold},
    {"none", topo::BgpJitter::None},
}};
constexpr std::array<std::pair<std::string_view, RouterRole>, 6> kRoles{{
    {"ce", RouterRole::Ce},
    {"pe", RouterRole::Pe},
    {"msee", RouterRole::Msee},
    {"gateway", RouterRole::Gateway},
    {"vpn-gateway", RouterRole::VpnGateway},
    {"host", RouterRole::Host},
}};

class DesignReader {
 public:
  explicit DesignReader(const YamlFile& file) : file_(file), r_(file.name) {}

  Design read() {
    MapReader top(r_, file_.root, "topology");
    const auto name = top.optional("name");
    const auto defaults = top.optional("defaults");
    const auto srlgs = top.optional("srlgs");
    const auto sites = top.optional("sites");
    const auto providers = top.optional("providers");
    const auto locations = top.optional("locations");
    const auto routers = top.optional("routers");
    const auto circuits = top.optional("circuits");
    const auto vnets = top.optional("vnets");
    const auto global_reach = top.optional("global_reach");
    const auto links = top.optional("links");
    const auto sessions = top.optional("sessions");
    top.finish();

    d_.name = name ? r_.string(*name, "name") : stem(file_.name);
    if (defaults) {
      read_defaults(*defaults);
    }
    // References point backwards in this order, whatever the order of keys in the file.
    each(srlgs, "srlgs", [this](const Node& n) { read_srlg(n); });
    each(sites, "sites", [this](const Node& n) { read_site(n); });
    each(providers, "providers", [this](const Node& n) { read_provider(n); });
    each(locations, "locations", [this](const Node& n) { read_location(n); });
    each(routers, "routers", [this](const Node& n) { read_generic_router(n); });
    each(circuits, "circuits", [this](const Node& n) { read_circuit(n); });
    each(vnets, "vnets", [this](const Node& n) { read_vnet(n); });
    each(global_reach, "global_reach", [this](const Node& n) { read_global_reach(n); });
    each(links, "links", [this](const Node& n) { read_generic_link(n); });
    each(sessions, "sessions", [this](const Node& n) { read_generic_session(n); });
    check_overlaps(address_space_, "prefix");
    check_overlaps(peering_subnets_, "subnet");
    return std::move(d_);
  }

 private:
  struct RouterInfo {
    Mark mark;
    RouterRole role;
    std::uint32_t asn;
    std::string location;  // site, peering location or VNet
  };
  struct Owned {
    Ipv4Prefix prefix;
    Mark mark;
    std::string owner;
  };
  // A customer router's `bgp` and `bfd` settings: the defaults block's, then its own on top.
  struct RouterSettings {
    BgpTimers timers;
    BfdSettings bfd;
    topo::ImplementationProfile profile;
    /// Where the BFD jitter range was written, if it was: the default range adapts to a
    /// multiplier of 1, a written one has to fit it.
    std::optional<Mark> bfd_jitter_at;
  };

  template <class F>
  void each(const std::optional<Node>& list, std::string_view what, F f) const {
    if (list) {
      r_.for_each(*list, what, f);
    }
  }

  static std::string stem(const std::string& path) {
    std::string base = path.substr(path.find_last_of('/') + 1);
    return base.substr(0, base.find('.'));
  }

  // Names become parts of derived names ("er-ams.private.primary"), so they keep to a safe set.
  std::string read_name(MapReader& m, std::string_view kind) const {
    const Node node = m.required("name");
    std::string name = r_.string(node, "name");
    const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '-' || c == '_';
    });
    if (!ok) {
      r_.fail(node,
              fmt::format("{} name '{}' may hold only letters, digits, '-' and '_'", kind, name));
    }
    m.describe(fmt::format("{} '{}'", kind, name));
    return name;
  }

  // read_name, then claim the name in the namespace of its kind.
  std::string read_unique_name(MapReader& m, std::string_view kind,
                               std::map<std::string, Mark, std::less<>>& names) const {
    std::string name = read_name(m, kind);
    claim(r_, names, m.required("name"), name, kind);
    return name;
  }

  // One namespace per kind; a second definition names the first one's place.
  static void claim(const Reader& r, std::map<std::string, Mark, std::less<>>& names,
                    const Node& node, const std::string& name, std::string_view kind) {
    const auto [it, inserted] = names.emplace(name, node.mark());
    if (!inserted) {
      r.fail(node, fmt::format("duplicate {} name '{}' (first defined at {})", kind, name,
                               where(it->second)));
    }
  }

  void claim_router(const Node& at, const std::string& name, RouterInfo info) {
    claim(r_, router_marks_, at, name, "router");
    routers_.emplace(name, std::move(info));
  }

  const RouterInfo& router_ref(const Node& node, std::string_view what) const {
    const std::string name = r_.string(node, what);
    const auto it = routers_.find(name);
    if (it == routers_.end()) {
      r_.fail(node, fmt::format("unknown router '{}'", name));
    }
    return it->second;
  }

  std::string customer_router_ref(const Node& node, std::string_view what) const {
    const RouterInfo& info = router_ref(node, what);
    if (info.role != RouterRole::Ce) {
      r_.fail(node, fmt::format("router '{}' is not a customer edge router of a site",
                                r_.string(node, what)));
    }
    return r_.string(node, what);
  }

  // Customer ASNs: not Microsoft's, not one Azure reserves (65515-65520).
  std::uint32_t customer_asn(const Node& node, std::string_view what) const {
    const std::uint32_t asn = r_.asn(node, what);
    if (asn >= topo::kReservedAsnFirst && asn <= topo::kReservedAsnLast) {
      r_.fail(node,
              fmt::format("{} {} is reserved by Azure (65515-65520); use another", what, asn));
    }
    if (asn == topo::kMicrosoftAsn) {
      r_.fail(node, fmt::format("{} {} is Microsoft's own AS", what, asn));
    }
    return asn;
  }

  std::vector<Ipv4Prefix> prefixes(const Node& list, std::string_view what,
                                   std::vector<Owned>* owned = nullptr,
                                   const std::string& owner = "") const {
    std::vector<Ipv4Prefix> out;
    r_.for_each(list, what, [&](const Node& item) {
      out.push_back(r_.prefix(item, what));
      if (owned != nullptr) {
        owned->push_back({out.back(), item.mark(), owner});
      }
    });
    return out;
  }

  std::vector<std::string> strings(const Node& list, std::string_view what) const {
    std::vector<std::string> out;
    r_.for_each(list, what, [&](const Node& item) { out.push_back(r_.string(item, what)); });
    return out;
  }

  // RFC 4271 §4.2: a hold time is 0 or at least 3 seconds; keepalive defaults to a third of it.
  // §10: which timers the implementation jitters.
  void read_bgp(const Node& node, RouterSettings& s) const {
    MapReader m(r_, node, "bgp");
    const auto keepalive = m.optional("keepalive");
    const auto hold = m.optional("hold");
    const auto jitter = m.optional("jitter");
    m.finish();
    BgpTimers& timers = s.timers;
    if (hold) {
      timers.hold = r_.duration(*hold, "hold");
      if (timers.hold != Duration::zero() && timers.hold < 3s) {
        r_.fail(*hold, "hold must be 0 or at least 3s (RFC 4271 section 4.2)");
      }
      timers.keepalive = timers.hold / 3;
    }
    if (keepalive) {
      timers.keepalive = r_.duration(*keepalive, "keepalive");
      if (timers.keepalive <= Duration::zero() ||
          (timers.hold != Duration::zero() && timers.keepalive >= timers.hold)) {
        r_.fail(*keepalive, fmt::format("keepalive must be above 0 and below the hold time ({})",
                                        format_duration(timers.hold)));
      }
    }
    if (jitter) {
      s.profile.bgp_jitter = choose(r_, *jitter, "bgp jitter", kBgpJitters);
    }
  }

  // `bfd: false`, `bfd: true`, or a mapping of enabled, interval, multiplier, jitter.
  void read_bfd(const Node& node, RouterSettings& s) const {
    BfdSettings& bfd = s.bfd;
    if (node.is_scalar()) {
      bfd.enabled = r_.boolean(node, "bfd");
      return;
    }
    MapReader m(r_, node, "bfd");
    const auto enabled = m.optional("enabled");
    const auto interval = m.optional("interval");
    const auto multiplier = m.optional("multiplier");
    const auto jitter = m.optional("jitter");
    m.finish();
    bfd.enabled = enabled ? r_.boolean(*enabled, "enabled") : true;
    if (interval) {
      bfd.interval = r_.duration(*interval, "interval");
      if (bfd.interval <= Duration::zero()) {
        r_.fail(*interval, "interval must be above 0");
      }
    }
    if (multiplier) {
      bfd.multiplier =
          static_cast<std::uint32_t>(r_.integer(*multiplier, 1, kMaxMultiplier, "multiplier"));
    }
    if (jitter) {
      s.profile.bfd_jitter = bfd_jitter(*jitter);
      s.bfd_jitter_at = jitter->mark();
    }
    // RFC 5880 §6.8.7: with a Detect Mult of 1 the interval "MUST be no more than 90% of the
    // negotiated transmission interval". The default range keeps to it by itself (the session
    // caps it); a range written in the file must. The mistake is where the later of the two
    // settings was written: this mapping's jitter, or its multiplier against the defaults' range.
    const topo::BfdJitter range = s.profile.bfd_jitter;
    if (bfd.multiplier == 1 && range.high_percent > kMaxSingleDetectPercent && s.bfd_jitter_at) {
      if (jitter) {
        r_.fail(*jitter, fmt::format("jitter {} goes above {}%, which a multiplier of 1 does not "
                                     "allow (RFC 5880 section 6.8.7)",
                                     to_string(range), kMaxSingleDetectPercent));
      }
      // The range came from the defaults and the multiplier from here (had both come from the
      // defaults, they would have failed there).
      r_.fail(multiplier.value_or(node),
              fmt::format("multiplier 1 allows a jitter up to {}% (RFC 5880 section 6.8.7), but "
                          "the jitter {} at {} goes above it",
                          kMaxSingleDetectPercent, to_string(range), where(*s.bfd_jitter_at)));
    }
  }

  // "75-100": the lowest and highest share of the interval, in percent, that a BFD control
  // packet's transmit interval is drawn from.
  topo::BfdJitter bfd_jitter(const Node& node) const {
    const std::string text = r_.string(node, "jitter");
    // One to three digits; anything else is no percentage.
    const auto percent = [](std::string_view digits) -> std::optional<int> {
      if (digits.empty() || digits.size() > 3) {
        return std::nullopt;
      }
      int value = 0;
      for (const char c : digits) {
        if (c < '0' || c > '9') {
          return std::nullopt;
        }
        value = value * 10 + (c - '0');
      }
      return value;
    };
    const std::string_view view(text);
    const std::size_t dash = view.find('-');
    const std::optional<int> low =
        dash == std::string_view::npos ? std::nullopt : percent(view.substr(0, dash));
    const std::optional<int> high =
        dash == std::string_view::npos ? std::nullopt : percent(view.substr(dash + 1));
    if (!low || !high) {
      r_.fail(node, fmt::format("jitter '{}' is not a range of percentages (write 75-100 or 75-90)",
                                text));
    }
    for (const int end : {*low, *high}) {
      if (end < kMinJitterPercent || end > 100) {
        r_.fail(node, fmt::format("jitter {}: each end must be within {}..100 (percent of the "
                                  "interval)",
                                  text, kMinJitterPercent));
      }
    }
    if (*low > *high) {
      r_.fail(node, fmt::format("jitter {}: the low end is above the high end", text));
    }
    return {static_cast<std::uint8_t>(*low), static_cast<std::uint8_t>(*high)};
  }

  void read_defaults(const Node& node) {
    MapReader m(r_, node, "defaults");
    const auto latency = m.optional("latency");
    const auto bgp = m.optional("bgp");
    const auto bfd = m.optional("bfd");
    m.finish();
    if (latency) {
      d_.defaults.latency = r_.duration(*latency, "latency");
    }
    if (bgp) {
      read_bgp(*bgp, defaults_);
    }
    if (bfd) {
      read_bfd(*bfd, defaults_);
    }
    d_.defaults.timers = defaults_.timers;
    d_.defaults.bfd = defaults_.bfd;
    d_.defaults.profile = defaults_.profile;
  }

  void read_srlg(const Node& node) {
    MapReader m(r_, node, "srlg");
    const std::string name = read_unique_name(m, "srlg", srlg_marks_);
    (void)m.get("description");
    m.finish();
    d_.srlgs.push_back(name);
  }

  std::string srlg_ref(const Node& node) const {
    std::string name = r_.string(node, "srlg");
    if (!srlg_marks_.contains(name)) {
      r_.fail(node, fmt::format("unknown srlg '{}' (declare it under srlgs)", name));
    }
    return name;
  }

  topo::RouterSpec read_router_spec(MapReader& m) const {
    topo::RouterSpec spec;
    spec.name = read_name(m, "router");
    spec.router_id = r_.address(m.required("router_id"), "router_id");
    RouterSettings settings = defaults_;
    if (const auto bgp = m.optional("bgp")) {
      read_bgp(*bgp, settings);
    }
    if (const auto bfd = m.optional("bfd")) {
      read_bfd(*bfd, settings);
    }
    spec.timers = settings.timers;
    spec.bfd = settings.bfd;
    spec.profile = settings.profile;
    return spec;
  }

  void read_site(const Node& node) {
    MapReader m(r_, node, "site");
    topo::SiteSpec site;
    site.name = read_unique_name(m, "site", site_marks_);
    site.prefixes = prefixes(m.required("prefixes"), "prefixes", &address_space_,
                             fmt::format("site '{}'", site.name));
    r_.for_each(m.required("routers"), "routers", [&](const Node& item) {
      MapReader rm(r_, item, "router");
      topo::RouterSpec spec = read_router_spec(rm);
      spec.asn = customer_asn(rm.required("asn"), "asn");
      rm.finish();
      claim_router(rm.required("name"), spec.name,
                   {item.mark(), RouterRole::Ce, spec.asn, site.name});
      site.routers.push_back(std::move(spec));
    });
    m.finish();
    d_.sites.push_back(std::move(site));
  }

  void read_provider(const Node& node) {
    MapReader m(r_, node, "provider");
    topo::ProviderSpec p;
    p.name = read_unique_name(m, "provider", provider_marks_);
    p.kind = choose(r_, m.required("kind"), "provider kind", kProviderKinds);
    // Layer 2 paths are silent: the customer's interface stays up when the provider fails.
    p.failure = p.kind == ProviderKind::Layer2 ? FailureMode::Silent : FailureMode::Carrier;
    if (const auto failure = m.optional("failure")) {
      p.failure = choose(r_, *failure, "failure mode", kFailureModes);
    }
    if (p.kind == ProviderKind::Layer3) {
      p.asn = customer_asn(m.required("asn"), "asn");
    }
    m.finish();
    providers_.emplace(p.name, p);
    d_.providers.push_back(std::move(p));
  }

  void read_location(const Node& node) {
    MapReader m(r_, node, "location");
    topo::LocationSpec loc;
    loc.name = read_unique_name(m, "location", location_marks_);
    if (const auto metro = m.optional("metro")) {
      loc.metro = r_.string(*metro, "metro");
    }
    if (const auto msees = m.optional("msees")) {
      r_.for_each(*msees, "msees", [&](const Node& item) {
        const std::string name = r_.string(item, "msee");
        claim_router(item, name, {item.mark(), RouterRole::Msee, topo::kMicrosoftAsn, loc.name});
        loc.msees.push_back(name);
      });
      if (loc.msees.size() < 2) {
        r_.fail(*msees, "a peering location needs at least two MSEEs (a primary and a secondary)");
      }
    } else {
      for (int i = 1; i <= 2; ++i) {
        const std::string name = fmt::format("{}-msee{}", loc.name, i);
        claim_router(m.required("name"), name,
                     {node.mark(), RouterRole::Msee, topo::kMicrosoftAsn, loc.name});
        loc.msees.push_back(name);
      }
    }
    m.finish();
    locations_.emplace(loc.name, loc);
    d_.locations.push_back(std::move(loc));
  }

  topo::SessionPolicy read_policy(const Node& node) const {
    MapReader m(r_, node, "policy");
    topo::SessionPolicy p;
    if (const auto n = m.optional("local_preference")) {
      p.local_preference =
          static_cast<std::uint32_t>(r_.integer(*n, 0, 4294967295LL, "local_preference"));
    }
    if (const auto n = m.optional("prepend")) {
      p.prepend = static_cast<std::uint32_t>(r_.integer(*n, 0, 16, "prepend"));
    }
    if (const auto n = m.optional("med")) {
      p.med = static_cast<std::uint32_t>(r_.integer(*n, 0, 4294967295LL, "med"));
    }
    if (const auto n = m.optional("import")) {
      p.import_filter = prefixes(*n, "import");
    }
    if (const auto n = m.optional("export")) {
      p.export_filter = prefixes(*n, "export");
    }
    if (const auto n = m.optional("communities")) {
      r_.for_each(*n, "communities",
                  [&](const Node& item) { p.communities.push_back(community(item)); });
    }
    if (const auto n = m.optional("max_prefix")) {
      p.max_prefix = static_cast<std::uint32_t>(r_.integer(*n, 1, 4294967295LL, "max_prefix"));
    }
    m.finish();
    return p;
  }

  // RFC 1997 community: two 16-bit numbers, "12076:51004".
  std::string community(const Node& node) const {
    std::string text = r_.string(node, "community");
    const auto colon = text.find(':');
    const auto number = [](std::string_view s) {
      return !s.empty() && s.size() <= 5 &&
             std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
             std::stoul(std::string(s)) <= 65535;
    };
    if (colon == std::string::npos || !number(std::string_view(text).substr(0, colon)) ||
        !number(std::string_view(text).substr(colon + 1))) {
      r_.fail(node, fmt::format("community '{}' is not two 16-bit numbers (12076:51004)", text));
    }
    return text;
  }

  topo::LegSpec read_leg(const Node& node, std::string_view what,
                         const topo::ProviderSpec& provider) const {
    MapReader m(r_, node, std::string(what));
    topo::LegSpec leg;
    leg.router = customer_router_ref(m.required("router"), "router");
    leg.latency = d_.defaults.latency;
    leg.failure = provider.failure;
    if (const auto n = m.optional("latency")) {
      leg.latency = r_.duration(*n, "latency");
    }
    if (const auto n = m.optional("failure")) {
      leg.failure = choose(r_, *n, "failure mode", kFailureModes);
    }
    if (const auto n = m.optional("srlgs")) {
      r_.for_each(*n, "srlgs", [&](const Node& item) { leg.srlgs.push_back(srlg_ref(item)); });
    }
    if (const auto n = m.optional("policy")) {
      leg.policy = read_policy(*n);
    }
    m.finish();
    return leg;
  }

  topo::PeeringSpec read_peering(const Node& node, PeeringKind kind,
                                 const topo::CircuitSpec& circuit,
                                 const topo::ProviderSpec& provider) {
    MapReader m(r_, node, fmt::format("{} peering", to_string(kind)));
    topo::PeeringSpec p;
    p.kind = kind;
    p.vlan = static_cast<std::uint32_t>(r_.integer(m.required("vlan"), 1, kMaxVlan, "vlan"));
    const Node peer_asn = m.required("peer_asn");
    p.peer_asn = customer_asn(peer_asn, "peer_asn");
    read_subnets(m, p, circuit.name);
    p.primary = read_leg(m.required("primary"), "primary", provider);
    p.secondary = read_leg(m.required("secondary"), "secondary", provider);
    // Layer 2: the customer's routers speak BGP with the MSEE; layer 3: the provider's do.
    for (const std::string* router : {&p.primary.router, &p.secondary.router}) {
      const std::uint32_t expected =
          provider.kind == ProviderKind::Layer3 ? provider.asn : routers_.at(*router).asn;
      if (p.peer_asn != expected) {
        r_.fail(peer_asn,
                provider.kind == ProviderKind::Layer3
                    ? fmt::format("peer_asn {} is not the AS of layer 3 provider '{}' ({})",
                                  p.peer_asn, provider.name, expected)
                    : fmt::format("peer_asn {} is not the AS of router '{}' ({})", p.peer_asn,
                                  *router, expected));
      }
    }
    if (const auto n = m.optional("advertise")) {
      p.advertise = prefixes(*n, "advertise");
    }
    if (kind == PeeringKind::Microsoft) {
      if (const auto n = m.optional("nat_pool")) {
        p.nat_pool = prefixes(*n, "nat_pool");
      }
      if (const auto n = m.optional("route_filter")) {
        r_.for_each(*n, "route_filter",
                    [&](const Node& item) { p.route_filter.push_back(community(item)); });
      }
      if (const auto n = m.optional("qos")) {
        p.qos = read_qos(*n);
      }
    }
    m.finish();
    return p;
  }

  // qos: {voice: EF, video: 34, ...}: the DSCP of each traffic class, by number or name.
  std::vector<topo::DscpMarking> read_qos(const Node& node) const {
    MapReader m(r_, node, "qos");
    std::vector<topo::DscpMarking> markings;
    for (const topo::TrafficClass traffic : topo::kTrafficClasses) {
      const std::string_view name = to_string(traffic);
      if (const auto value = m.optional(name)) {
        const std::string text = r_.string(*value, name);
        const auto dscp = topo::parse_dscp(text);
        if (!dscp) {
          r_.fail(*value,
                  fmt::format("'{}' is not a DSCP for {} (a number 0..63, or EF, AF11..AF43, "
                              "CS0..CS7)",
                              text, name));
        }
        markings.push_back({traffic, *dscp});
      }
    }
    m.finish();
    return markings;
  }

  // One /29 (first /30 primary, second secondary) or two /30s.
  void read_subnets(MapReader& m, topo::PeeringSpec& p, const std::string& circuit) {
    const auto one = m.optional("subnet");
    const auto two = m.optional("subnets");
    if (one.has_value() == two.has_value()) {
      m.fail(fmt::format("{} needs either subnet (a /29) or subnets (two /30s)", m.what()));
    }
    const std::string owner = fmt::format("{} of circuit '{}'", m.what(), circuit);
    if (one) {
      const Ipv4Prefix subnet = r_.prefix(*one, "subnet");
      if (subnet.length() != 29) {
        r_.fail(*one, fmt::format("subnet {} must be a /29 (or give two /30s as subnets)",
                                  subnet.to_string()));
      }
      p.primary_subnet = Ipv4Prefix(subnet.address(), 30);
      p.secondary_subnet = Ipv4Prefix(subnet.host(4), 30);
      peering_subnets_.push_back({subnet, one->mark(), owner});
      return;
    }
    std::vector<Ipv4Prefix> list;
    r_.for_each(*two, "subnets", [&](const Node& item) {
      const Ipv4Prefix subnet = r_.prefix(item, "subnet");
      if (subnet.length() != 30) {
        r_.fail(item, fmt::format("subnet {} must be a /30", subnet.to_string()));
      }
      list.push_back(subnet);
      peering_subnets_.push_back({subnet, item.mark(), owner});
    });
    if (list.size() != 2) {
      r_.fail(*two, "subnets needs exactly two /30s: the primary's, then the secondary's");
    }
    p.primary_subnet = list[0];
    p.secondary_subnet = list[1];
  }

  void read_circuit(const Node& node) {
    MapReader m(r_, node, "circuit");
    topo::CircuitSpec c;
    c.name = read_unique_name(m, "circuit", circuit_marks_);
    const auto location = m.optional("location");
    const auto locations = m.optional("locations");
    if (location.has_value() == locations.has_value()) {
      m.fail(fmt::format("{} needs either location, or locations (two, for ExpressRoute Metro)",
                         m.what()));
    }
    std::vector<Node> location_nodes;
    if (location) {
      location_nodes.push_back(*location);
    } else {
      r_.for_each(*locations, "locations",
                  [&](const Node& item) { location_nodes.push_back(item); });
      if (location_nodes.size() != 2) {
        r_.fail(*locations, "a Metro circuit has exactly two locations");
      }
    }
    for (const Node& n : location_nodes) {
      const std::string name = r_.string(n, "location");
      if (!locations_.contains(name)) {
        r_.fail(n, fmt::format("unknown location '{}'", name));
      }
      c.locations.push_back(name);
    }
    if (c.locations.size() == 2) {
      const topo::LocationSpec& a = locations_.at(c.locations[0]);
      const topo::LocationSpec& b = locations_.at(c.locations[1]);
      if (a.name == b.name || a.metro.empty() || a.metro != b.metro) {
        r_.fail(*locations, fmt::format("the two locations of a Metro circuit must be different "
                                        "locations in one metro ('{}' and '{}')",
                                        a.name, b.name));
      }
    }
    const Node provider_node = m.required("provider");
    c.provider = r_.string(provider_node, "provider");
    if (!providers_.contains(c.provider)) {
      r_.fail(provider_node, fmt::format("unknown provider '{}'", c.provider));
    }
    const topo::ProviderSpec& provider = providers_.at(c.provider);
    c.bandwidth_bps = r_.rate(m.required("bandwidth"), "bandwidth", "bandwidth");
    if (const auto sku = m.optional("sku")) {
      c.sku = choose(r_, *sku, "sku", kSkus);
    }
    read_msees(m, c);

    const Node peerings = m.required("peerings");
    MapReader pm(r_, peerings, "peerings");
    const auto priv = pm.optional("private");
    const auto microsoft = pm.optional("microsoft");
    pm.finish();
    if (!priv && !microsoft) {
      pm.fail("a circuit needs at least one peering: private or microsoft");
    }
    if (priv) {
      c.peerings.push_back(read_peering(*priv, PeeringKind::Private, c, provider));
    }
    if (microsoft) {
      c.peerings.push_back(read_peering(*microsoft, PeeringKind::Microsoft, c, provider));
      if (priv && c.peerings[0].vlan == c.peerings[1].vlan) {
        r_.fail((*microsoft)["vlan"],
                fmt::format("VLAN {} is already used by the private peering of circuit '{}'",
                            c.peerings[1].vlan, c.name));
      }
    }
    m.finish();
    circuits_.emplace(c.name, c);
    d_.circuits.push_back(std::move(c));
  }

  // The MSEE pair: given, or the location's first two (Metro: the first of each location).
  void read_msees(MapReader& m, topo::CircuitSpec& c) const {
    const bool metro = c.locations.size() == 2;
    const auto msees = m.optional("msees");
    if (!msees) {
      c.msee_primary = locations_.at(c.locations[0]).msees[0];
      c.msee_secondary = locations_.at(c.locations.back()).msees[metro ? 0 : 1];
      return;
    }
    std::vector<std::string> names;
    r_.for_each(*msees, "msees", [&](const Node& item) {
      const RouterInfo& info = router_ref(item, "msee");
      const std::string name = r_.string(item, "msee");
      if (info.role != RouterRole::Msee) {
        r_.fail(item, fmt::format("router '{}' is not an MSEE", name));
      }
      const std::string& expected = c.locations[names.empty() || !metro ? 0 : 1];
      if (info.location != expected) {
        r_.fail(item, fmt::format("MSEE '{}' is at location '{}', not '{}'", name, info.location,
                                  expected));
      }
      names.push_back(name);
    });
    if (names.size() != 2 || names[0] == names[1]) {
      r_.fail(*msees, "msees needs two different MSEEs: the primary's, then the secondary's");
    }
    c.msee_primary = names[0];
    c.msee_secondary = names[1];
  }

  void read_vnet(const Node& node) {
    MapReader m(r_, node, "vnet");
    topo::VNetSpec v;
    v.name = read_unique_name(m, "vnet", vnet_marks_);
    v.prefixes = prefixes(m.required("prefixes"), "prefixes", &address_space_,
                          fmt::format("vnet '{}'", v.name));
    const Node gateway = m.required("gateway");
    MapReader gm(r_, gateway, "gateway");
    v.gateway = read_name(gm, "gateway");
    v.gateway_sku = "ErGw1AZ";
    if (const auto sku = gm.optional("sku")) {
      v.gateway_sku = r_.string(*sku, "sku");
    }
    // Azure's zone-redundant gateway SKUs end in AZ.
    v.zone_redundant = v.gateway_sku.ends_with("AZ");
    if (const auto zr = gm.optional("zone_redundant")) {
      v.zone_redundant = r_.boolean(*zr, "zone_redundant");
    }
    gm.finish();
    claim_router(gm.required("name"), v.gateway,
                 {gateway.mark(), RouterRole::Gateway, topo::kGatewayAsn, v.name});
    if (const auto connections = m.optional("connections")) {
      std::set<std::string, std::less<>> seen;
      r_.for_each(*connections, "connections", [&](const Node& item) {
        MapReader cm(r_, item, "connection");
        const Node circuit = cm.required("circuit");
        topo::ConnectionSpec cs;
        cs.circuit = r_.string(circuit, "circuit");
        if (!circuits_.contains(cs.circuit)) {
          r_.fail(circuit, fmt::format("unknown circuit '{}'", cs.circuit));
        }
        if (!seen.insert(cs.circuit).second) {
          r_.fail(circuit, fmt::format("circuit '{}' is connected twice", cs.circuit));
        }
        if (const auto weight = cm.optional("weight")) {
          cs.weight = static_cast<std::uint32_t>(r_.integer(*weight, 0, kMaxWeight, "weight"));
        }
        cm.finish();
        v.connections.push_back(std::move(cs));
      });
    }
    if (const auto vpn = m.optional("vpn")) {
      claim_router(m.required("name"), v.gateway + "-vpn",
                   {node.mark(), RouterRole::VpnGateway, topo::kGatewayAsn, v.name});
      r_.for_each(*vpn, "vpn", [&](const Node& item) {
        MapReader vm(r_, item, "vpn tunnel");
        topo::VpnSpec tunnel;
        tunnel.router = customer_router_ref(vm.required("router"), "router");
        if (const auto latency = vm.optional("latency")) {
          tunnel.latency = r_.duration(*latency, "latency");
        }
        vm.finish();
        v.vpn.push_back(std::move(tunnel));
      });
    }
    m.finish();
    d_.vnets.push_back(std::move(v));
  }

  void read_global_reach(const Node& node) {
    MapReader m(r_, node, "global reach");
    const Node list = m.required("circuits");
    std::vector<std::string> names;
    r_.for_each(list, "circuits", [&](const Node& item) {
      const std::string name = r_.string(item, "circuit");
      if (!circuits_.contains(name)) {
        r_.fail(item, fmt::format("unknown circuit '{}'", name));
      }
      names.push_back(name);
    });
    if (names.size() != 2 || names[0] == names[1]) {
      r_.fail(list, "Global Reach joins exactly two different circuits");
    }
    const topo::CircuitSpec& a = circuits_.at(names[0]);
    const topo::CircuitSpec& b = circuits_.at(names[1]);
    if (a.msee_primary == b.msee_primary || a.msee_secondary == b.msee_secondary) {
      r_.fail(list, fmt::format("circuits '{}' and '{}' share their MSEEs: Global Reach joins "
                                "circuits at different peering locations",
                                a.name, b.name));
    }
    const Node subnet_node = m.required("subnet");
    const Ipv4Prefix subnet = r_.prefix(subnet_node, "subnet");
    if (subnet.length() != 29) {
      r_.fail(subnet_node, fmt::format("subnet {} must be a /29", subnet.to_string()));
    }
    peering_subnets_.push_back(
        {subnet, subnet_node.mark(), fmt::format("global reach {}-{}", a.name, b.name)});
    m.finish();
    d_.global_reach.push_back({a.name, b.name, subnet});
  }

  void read_generic_router(const Node& node) {
    MapReader m(r_, node, "router");
    topo::GenericRouterSpec g;
    g.router = read_router_spec(m);
    g.role = choose(r_, m.required("role"), "role", kRoles);
    g.router.asn = r_.asn(m.required("asn"), "asn");
    if (const auto location = m.optional("location")) {
      g.location = r_.string(*location, "location");
    }
    m.finish();
    claim_router(m.required("name"), g.router.name,
                 {node.mark(), g.role, g.router.asn, g.location});
    d_.routers.push_back(std::move(g));
  }

  void read_generic_link(const Node& node) {
    MapReader m(r_, node, "link");
    topo::GenericLinkSpec l;
    l.name = read_unique_name(m, "link", link_marks_);
    const Node a = m.required("a");
    const Node b = m.required("b");
    (void)router_ref(a, "a");
    (void)router_ref(b, "b");
    l.a = r_.string(a, "a");
    l.b = r_.string(b, "b");
    if (l.a == l.b) {
      r_.fail(b, fmt::format("link '{}' joins router '{}' to itself", l.name, l.a));
    }
    l.latency = d_.defaults.latency;
    if (const auto n = m.optional("latency")) {
      l.latency = r_.duration(*n, "latency");
    }
    if (const auto n = m.optional("capacity")) {
      l.capacity_bps = r_.rate(*n, "capacity", "bandwidth");
    }
    if (const auto n = m.optional("failure")) {
      l.failure = choose(r_, *n, "failure mode", kFailureModes);
    }
    if (const auto n = m.optional("srlgs")) {
      r_.for_each(*n, "srlgs", [&](const Node& item) { l.srlgs.push_back(srlg_ref(item)); });
    }
    m.finish();
    links_.emplace(l.name, l);
    d_.links.push_back(std::move(l));
  }

  topo::GenericSessionEnd read_session_end(const Node& node, std::string_view what,
                                           const topo::GenericLinkSpec& link,
                                           const std::optional<Ipv4Prefix>& subnet) const {
    MapReader m(r_, node, std::string(what));
    topo::GenericSessionEnd end;
    const Node router = m.required("router");
    (void)router_ref(router, "router");
    end.router = r_.string(router, "router");
    if (end.router != link.a && end.router != link.b) {
      r_.fail(router, fmt::format("router '{}' is not an end of link '{}'", end.router, link.name));
    }
    if (const auto n = m.optional("address")) {
      end.address = r_.address(*n, "address");
      if (subnet && !subnet->contains(end.address)) {
        r_.fail(*n, fmt::format("address {} is outside the session's subnet {}",
                                end.address.to_string(), subnet->to_string()));
      }
    }
    if (const auto n = m.optional("advertise")) {
      end.advertise = prefixes(*n, "advertise");
    }
    if (const auto n = m.optional("policy")) {
      end.policy = read_policy(*n);
    }
    m.finish();
    return end;
  }

  void read_generic_session(const Node& node) {
    MapReader m(r_, node, "session");
    topo::GenericSessionSpec s;
    s.name = read_unique_name(m, "session", session_marks_);
    const Node link = m.required("link");
    s.link = r_.string(link, "link");
    const auto it = links_.find(s.link);
    if (it == links_.end()) {
      r_.fail(link, fmt::format("unknown link '{}'", s.link));
    }
    std::optional<Ipv4Prefix> subnet;
    if (const auto n = m.optional("subnet")) {
      subnet = r_.prefix(*n, "subnet");
    }
    s.a = read_session_end(m.required("a"), "a", it->second, subnet);
    s.b = read_session_end(m.required("b"), "b", it->second, subnet);
    if (s.a.router == s.b.router) {
      r_.fail(m.required("b"), "a session joins two different routers");
    }
    m.finish();
    d_.sessions.push_back(std::move(s));
  }

  // Sorted by first address, overlapping prefixes are neighbours of a running maximum.
  void check_overlaps(std::vector<Owned>& owned, std::string_view what) const {
    std::stable_sort(owned.begin(), owned.end(), [](const Owned& x, const Owned& y) {
      return x.prefix.first() < y.prefix.first() ||
             (x.prefix.first() == y.prefix.first() && x.prefix.length() < y.prefix.length());
    });
    const Owned* widest = nullptr;  // the earlier prefix reaching furthest
    for (const Owned& o : owned) {
      if (widest != nullptr && widest->prefix.overlaps(o.prefix)) {
        // Report at the one written later in the file.
        const bool o_later = std::make_pair(o.mark.line, o.mark.column) >
                             std::make_pair(widest->mark.line, widest->mark.column);
        const Owned& later = o_later ? o : *widest;
        const Owned& earlier = o_later ? *widest : o;
        r_.fail(later.mark,
                fmt::format("{} {} of {} overlaps {} of {} (at {})", what, later.prefix.to_string(),
                            later.owner, earlier.prefix.to_string(), earlier.owner,
                            where(earlier.mark)));
      }
      if (widest == nullptr || o.prefix.last() > widest->prefix.last()) {
        widest = &o;
      }
    }
  }

  const YamlFile& file_;
  Reader r_;
  Design d_;
  RouterSettings defaults_;
  std::map<std::string, Mark, std::less<>> router_marks_;
  std::map<std::string, Mark, std::less<>> srlg_marks_;
  std::map<std::string, Mark, std::less<>> site_marks_;
  std::map<std::string, Mark, std::less<>> provider_marks_;
  std::map<std::string, Mark, std::less<>> location_marks_;
  std::map<std::string, Mark, std::less<>> circuit_marks_;
  std::map<std::string, Mark, std::less<>> vnet_marks_;
  std::map<std::string, Mark, std::less<>> link_marks_;
  std::map<std::string, Mark, std::less<>> session_marks_;
  std::map<std::string, RouterInfo, std::less<>> routers_;
  std::map<std::string, topo::ProviderSpec, std::less<>> providers_;
  std::map<std::string, topo::LocationSpec, std::less<>> locations_;
  std::map<std::string, topo::CircuitSpec, std::less<>> circuits_;
  std::map<std::string, topo::GenericLinkSpec, std::less<>> links_;
  std::vector<Owned> address_space_;    // site and VNet prefixes
  std::vector<Owned> peering_subnets_;  // peering and Global Reach subnets
};

}  // namespace

topo::Design read_design(const YamlFile& file) { return DesignReader(file).read(); }

topo::Topology read_topology(YamlFile file) {
  const topo::Design design = read_design(file);
  file = {};  // the YAML tree goes before the expansion
  return topo::expand(design);
}

topo::Topology load_topology(const std::string& path) {
  return read_topology(load_yaml_file(path));
}

}  // namespace ersim::io
