#include "sim/io/scenario_yaml.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "sim/io/topology_yaml.hpp"
#include "sim/router/gateway_reconvergence.hpp"
#include "sim/topo/rate.hpp"

namespace ersim::io {
namespace {

using namespace std::chrono_literals;
using scenario::Action;
using scenario::Endpoint;
using scenario::Event;
using scenario::Expectation;
using scenario::ExpectationKind;
using scenario::Flow;
using scenario::UsesTarget;
using topo::LinkId;
using topo::RouterId;

constexpr std::int64_t kMaxRuns = 10000;
constexpr std::int64_t kMaxPaths = 64;
constexpr std::int64_t kMaxFloodCount = 1'000'000;
constexpr std::int64_t kMaxFlapCount = 1000;
constexpr std::int64_t kMaxDscp = 63;
constexpr std::int64_t kMaxWeight = 32000;  // ExpressRoute connection weight: 0-32000
constexpr std::int64_t kMaxPrepend = 32;
constexpr std::int64_t kMaxUint32 = 4'294'967'295;
// Long enough after the last event for a 180 s hold timer and a 60 s gateway reconvergence.
constexpr Duration kSettleTime = 10min;

constexpr std::array<std::pair<std::string_view, router::RouterFailure>, 2> kRouterFailures{{
    {"device", router::RouterFailure::Device},
    {"process", router::RouterFailure::Process},
}};
constexpr std::array<std::pair<std::string_view, router::DrainMethod>, 2> kDrainMethods{{
    {"prepend", router::DrainMethod::Prepend},
    {"disconnect", router::DrainMethod::Disconnect},
}};
constexpr std::array<std::pair<std::string_view, topo::PathRole>, 2> kLegs{{
    {"primary", topo::PathRole::Primary},
    {"secondary", topo::PathRole::Secondary},
}};
constexpr std::array<std::pair<std::string_view, bool>, 2> kTimerModes{{
    {"quiet", false},
    {"packet", true},
}};
constexpr std::array<std::pair<std::string_view, bgp::SessionState>, 6> kSessionStates{{
    {"idle", bgp::SessionState::Idle},
    {"connect", bgp::SessionState::Connect},
    {"active", bgp::SessionState::Active},
    {"opensent", bgp::SessionState::OpenSent},
    {"openconfirm", bgp::SessionState::OpenConfirm},
    {"established", bgp::SessionState::Established},
}};

// The action keys of an event, in the order messages list them.
constexpr std::array<std::string_view, 8> kActions{
    "advertise", "fail", "flap", "maintenance", "maintenance_end", "restore", "set", "withdraw",
};

// The keys that make an expectation what it is.
constexpr std::array<std::string_view, 8> kExpectationKinds{
    "longest_outage", "total_outage", "never_unreachable", "uses",
    "symmetric",      "session",      "quiet_by",          "max_utilization",
};

// The highest bound a max_utilization expectation may set: ten times the capacity.
constexpr double kMaxUtilizationBound = 10.0;

// The key node of `key` in a mapping, for messages about the key itself.
Node key_of(const Node& map, std::string_view key) {
  for (std::size_t i = 0; i < map.size(); ++i) {
    if (map.key(i).scalar() == key) {
      return map.key(i);
    }
  }
  return map;
}

// The first address of a prefix that a host would use: the network address + 1 (the address
// itself for a /32).
Ipv4Address first_host(const Ipv4Prefix& prefix) {
  return prefix.size() > 1 ? prefix.host(1) : prefix.address();
}

std::string_view uses_word(UsesTarget::Kind kind) {
  switch (kind) {
    case UsesTarget::Kind::Circuit:
      return "circuit";
    case UsesTarget::Kind::Location:
      return "location";
    case UsesTarget::Kind::Link:
      return "link";
  }
  return "circuit";
}

class ScenarioReader {
 public:
  ScenarioReader(const YamlFile& file, const topo::Topology& topology)
      : file_(file), t_(topology), r_(file.name) {}

  scenario::Scenario read() {
    MapReader top(r_, file_.root, "scenario");
    const Node name = top.required("name");
    const auto description = top.optional("description");
    const auto topology = top.optional("topology");
    const auto seed = top.optional("seed");
    const auto runs = top.optional("runs");
    const auto until = top.optional("until");
    const auto options = top.optional("options");
    const auto events = top.optional("events");
    const auto flows = top.optional("flows");
    const auto expect = top.optional("expect");
    // The options of `ersim sweep` on this scenario: io/sweep_yaml.cpp reads and checks them.
    (void)top.get("sweep");
    top.finish();

    s_.name = r_.string(name, "name");
    if (s_.name.empty()) {
      r_.fail(name, "name must not be empty");
    }
    if (description) {
      s_.description = r_.string(*description, "description");
    }
    if (topology) {
      s_.topology = r_.string(*topology, "topology");
    }
    if (seed) {
      s_.seed = static_cast<std::uint64_t>(
          r_.integer(*seed, 0, std::numeric_limits<std::int64_t>::max(), "seed"));
    }
    if (runs) {
      s_.runs = static_cast<std::uint32_t>(r_.integer(*runs, 1, kMaxRuns, "runs"));
    }
    if (options) {
      read_options(*options);
    }
    if (events) {
      r_.for_each(*events, "events", [this](const Node& n) { read_event(n); });
    }
    // Equal times keep the order of the file.
    std::stable_sort(s_.events.begin(), s_.events.end(),
                     [](const Event& a, const Event& b) { return a.at < b.at; });
    read_until(until);
    if (flows) {
      r_.for_each(*flows, "flows", [this](const Node& n) { read_flow(n); });
    } else {
      default_flows();
    }
    if (expect) {
      r_.for_each(*expect, "expect", [this](const Node& n) { read_expectation(n); });
    }
    return std::move(s_);
  }

 private:
  // ---- Names of the topology ----------------------------------------------------------------

  // "unknown link 'er-ams.primry' (did you mean 'er-ams.primary'?)".
  [[noreturn]] void unknown(const Node& node, std::string_view kind, std::string_view name,
                            const std::vector<std::string_view>& candidates) const {
    if (const auto best = closest_match(name, candidates)) {
      r_.fail(node, fmt::format("unknown {} '{}' (did you mean '{}'?)", kind, name, *best));
    }
    r_.fail(node, fmt::format("unknown {} '{}'", kind, name));
  }

  template <class T>
  static std::vector<std::string_view> names_of(std::span<const T> elements) {
    std::vector<std::string_view> names;
    names.reserve(elements.size());
    for (const T& e : elements) {
      names.emplace_back(e.name);
    }
    return names;
  }

  RouterId router_ref(const Node& node, std::string_view what) const {
    const std::string name = r_.string(node, what);
    if (const auto id = t_.router_id(name)) {
      return *id;
    }
    unknown(node, "router", name, names_of(t_.routers()));
  }

  LinkId link_ref(const Node& node) const {
    const std::string name = r_.string(node, "link");
    if (const auto id = t_.link_id(name)) {
      return *id;
    }
    unknown(node, "link", name, names_of(t_.links()));
  }

  topo::SessionId session_ref(const Node& node) const {
    const std::string name = r_.string(node, "session");
    if (const auto id = t_.session_id(name)) {
      return *id;
    }
    unknown(node, "session", name, names_of(t_.sessions()));
  }

  topo::CircuitId circuit_ref(const Node& node) const {
    const std::string name = r_.string(node, "circuit");
    if (const auto id = t_.circuit_id(name)) {
      return *id;
    }
    unknown(node, "circuit", name, names_of(t_.circuits()));
  }

  std::size_t vnet_ref(const Node& node) const {
    const std::string name = r_.string(node, "vnet");
    const auto vnets = t_.vnets();
    for (std::size_t i = 0; i < vnets.size(); ++i) {
      if (vnets[i].name == name) {
        return i;
      }
    }
    unknown(node, "vnet", name, names_of(vnets));
  }

  std::size_t site_ref(const Node& node) const {
    const std::string name = r_.string(node, "site");
    const auto sites = t_.sites();
    for (std::size_t i = 0; i < sites.size(); ++i) {
      if (sites[i].name == name) {
        return i;
      }
    }
    unknown(node, "site", name, names_of(sites));
  }

  // A group the topology made for every peering location, metro or provider ("location:NAME"),
  // named in the file by NAME alone; `kind` is both the key and the group's prefix.
  topo::SrlgId group_ref(const Node& node, std::string_view kind) const {
    const std::string name = r_.string(node, kind);
    if (const auto id = t_.srlg_id(fmt::format("{}:{}", kind, name))) {
      return *id;
    }
    const std::string prefix = fmt::format("{}:", kind);
    std::vector<std::string_view> names;
    for (const topo::Srlg& g : t_.srlgs()) {
      if (std::string_view(g.name).starts_with(prefix)) {
        names.push_back(std::string_view(g.name).substr(prefix.size()));
      }
    }
    unknown(node, kind, name, names);
  }

  topo::SrlgId srlg_ref(const Node& node) const {
    const std::string name = r_.string(node, "srlg");
    if (const auto id = t_.srlg_id(name)) {
      return *id;
    }
    unknown(node, "srlg", name, names_of(t_.srlgs()));
  }

  RouterId gateway_ref(const Node& node) const {
    const std::string name = r_.string(node, "gateway");
    std::vector<std::string_view> gateways;
    for (const topo::Router& router : t_.routers()) {
      if (router.role == topo::RouterRole::Gateway || router.role == topo::RouterRole::VpnGateway) {
        if (router.name == name) {
          return *t_.router_id(name);
        }
        gateways.emplace_back(router.name);
      }
    }
    if (t_.router_id(name)) {
      r_.fail(node, fmt::format("router '{}' is not a VNet gateway", name));
    }
    unknown(node, "gateway", name, gateways);
  }

  // A routing instance of a router: its default table (""), or a VRF one of its sessions uses.
  void check_vrf(const Node& node, RouterId router, const std::string& vrf) const {
    if (vrf.empty()) {
      return;
    }
    std::vector<std::string_view> vrfs;
    for (const topo::SessionId id : t_.sessions_of(router)) {
      const topo::Session& s = t_.session(id);
      const topo::SessionEnd& end = s.a.router == router ? s.a : s.b;
      if (end.vrf == vrf) {
        return;
      }
      if (!end.vrf.empty()) {
        vrfs.emplace_back(end.vrf);
      }
    }
    const std::string& name = t_.router(router).name;
    if (const auto best = closest_match(vrf, vrfs)) {
      r_.fail(node,
              fmt::format("router '{}' has no VRF '{}' (did you mean '{}'?)", name, vrf, *best));
    }
    r_.fail(node, fmt::format("router '{}' has no VRF '{}'", name, vrf));
  }

  // ---- Times and options --------------------------------------------------------------------

  // A point in scenario time: a duration since the converged network, never negative.
  SimTime time(const Node& node, std::string_view what) const {
    const Duration d = r_.duration(node, what);
    if (d < Duration::zero()) {
      r_.fail(node, fmt::format("{} {} is before the start of the scenario (0s)", what,
                                format_duration(d)));
    }
    return kTimeZero + d;
  }

  Duration non_negative(const Node& node, std::string_view what) const {
    const Duration d = r_.duration(node, what);
    if (d < Duration::zero()) {
      r_.fail(node, fmt::format("{} must not be negative", what));
    }
    return d;
  }

  // A plain decimal number: "0.5", "2".
  double real(const Node& node, std::string_view what) const {
    const std::string text = r_.string(node, what);
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::fixed);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
      r_.fail(node, fmt::format("{} '{}' is not a number", what, text));
    }
    return value;
  }

  void read_options(const Node& node) {
    MapReader m(r_, node, "options");
    const auto timers = m.optional("timers");
    const auto reconvergence = m.optional("gateway_reconvergence");
    const auto per_message = m.optional("per_message_cost");
    const auto per_prefix = m.optional("per_prefix_cost");
    const auto mrai = m.optional("mrai");
    const auto max_paths = m.optional("max_paths");
    m.finish();
    router::NetworkOptions& o = s_.options;
    if (timers) {
      const bool packet = choose(r_, *timers, "timers", kTimerModes);
      o.bgp_mode = packet ? bgp::BgpTimerMode::Packet : bgp::BgpTimerMode::Quiet;
      o.bfd_mode = packet ? bfd::BfdMode::Packet : bfd::BfdMode::Quiet;
    }
    if (reconvergence) {
      o.gateway_reconvergence = read_reconvergence(*reconvergence);
    }
    if (per_message) {
      o.per_message_cost = non_negative(*per_message, "per_message_cost");
    }
    if (per_prefix) {
      o.per_prefix_cost = non_negative(*per_prefix, "per_prefix_cost");
    }
    if (mrai) {
      o.mrai = non_negative(*mrai, "mrai");
    }
    if (max_paths) {
      o.max_paths = static_cast<std::size_t>(r_.integer(*max_paths, 1, kMaxPaths, "max_paths"));
    }
  }

  // `azure`, or one of {fixed: D}, {uniform: [MIN, MAX]}, {lognormal: {median, sigma, max}}.
  DelayDistribution read_reconvergence(const Node& node) const {
    if (node.is_scalar()) {
      const std::string text = r_.string(node, "gateway_reconvergence");
      if (text != "azure") {
        r_.fail(node, fmt::format("unknown gateway_reconvergence '{}' (expected azure, or one of "
                                  "fixed, uniform, lognormal as a mapping)",
                                  text));
      }
      return router::azure_gateway_reconvergence();
    }
    MapReader m(r_, node, "gateway_reconvergence");
    const auto fixed = m.optional("fixed");
    const auto uniform = m.optional("uniform");
    const auto lognormal = m.optional("lognormal");
    m.finish();
    if (static_cast<int>(fixed.has_value()) + static_cast<int>(uniform.has_value()) +
            static_cast<int>(lognormal.has_value()) !=
        1) {
      m.fail("gateway_reconvergence needs exactly one of fixed, uniform, lognormal");
    }
    if (fixed) {
      return DelayDistribution::fixed(non_negative(*fixed, "fixed"));
    }
    if (uniform) {
      std::vector<Node> bounds;
      r_.for_each(*uniform, "uniform", [&](const Node& item) { bounds.push_back(item); });
      if (bounds.size() != 2) {
        r_.fail(*uniform, "uniform needs two durations: [min, max]");
      }
      const Duration low = non_negative(bounds[0], "uniform's min");
      const Duration high = r_.duration(bounds[1], "uniform's max");
      if (high < low) {
        r_.fail(bounds[1], fmt::format("uniform's max {} is below its min {}",
                                       format_duration(high), format_duration(low)));
      }
      return DelayDistribution::uniform(low, high);
    }
    MapReader lm(r_, *lognormal, "lognormal");
    const Node median_node = lm.required("median");
    const Node sigma_node = lm.required("sigma");
    const Node max_node = lm.required("max");
    lm.finish();
    const Duration median = r_.duration(median_node, "median");
    if (median <= Duration::zero()) {
      r_.fail(median_node, "median must be above 0s");
    }
    const double sigma = real(sigma_node, "sigma");
    if (sigma < 0.0) {
      r_.fail(sigma_node, "sigma must not be negative");
    }
    const Duration max = r_.duration(max_node, "max");
    if (max < median) {
      r_.fail(max_node, fmt::format("max {} is below the median {}", format_duration(max),
                                    format_duration(median)));
    }
    return DelayDistribution::lognormal(median, sigma, max);
  }

  void read_until(const std::optional<Node>& until) {
    const SimTime last = s_.events.empty() ? kTimeZero : s_.events.back().at;
    if (!until) {
      s_.until = last + kSettleTime;
      return;
    }
    s_.until = time(*until, "until");
    if (s_.events.empty() && s_.until == kTimeZero) {
      r_.fail(*until, "until must be after 0s");
    }
    if (!s_.events.empty() && s_.until <= last) {
      r_.fail(*until, fmt::format("until {} is not after the last event, at {} ({})",
                                  format_duration(s_.until - kTimeZero),
                                  format_duration(last - kTimeZero), s_.events.back().text));
    }
  }

  // A time an expectation names must lie within the run.
  void check_in_run(const Node& node, SimTime at, std::string_view what) const {
    if (at > s_.until) {
      r_.fail(node,
              fmt::format("{} {} is after the end of the run (until {})", what,
                          format_duration(at - kTimeZero), format_duration(s_.until - kTimeZero)));
    }
  }

  // ---- Events -------------------------------------------------------------------------------

  Event& add(SimTime at, Action action, std::string text) {
    Event& e = s_.events.emplace_back();
    e.at = at;
    e.action = action;
    e.text = std::move(text);
    return e;
  }

  void read_event(const Node& node) {
    MapReader m(r_, node, "event");
    const auto at_node = m.optional("at");
    for (const std::string_view action : kActions) {
      (void)m.optional(action);
    }
    m.finish();
    // The action keys, in document order.
    std::vector<std::string_view> present;
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string_view key = node.key(i).scalar();
      if (std::find(kActions.begin(), kActions.end(), key) != kActions.end()) {
        present.push_back(key);
      }
    }
    if (present.empty()) {
      m.fail(fmt::format("event has no action (expected one of: {})", fmt::join(kActions, ", ")));
    }
    if (present.size() > 1) {
      r_.fail(key_of(node, present[1]),
              fmt::format("event has two actions, '{}' and '{}': write one event for each",
                          present[0], present[1]));
    }
    const SimTime at = time(at_node ? *at_node : m.required("at"), "at");
    const std::string_view action = present[0];
    const Node value = *m.get(action);
    if (action == "fail" || action == "restore") {
      read_fail_or_restore(value, at, action == "fail");
    } else if (action == "maintenance" || action == "maintenance_end") {
      read_maintenance(value, at, action == "maintenance");
    } else if (action == "advertise" || action == "withdraw") {
      read_announcement(value, at, action == "advertise");
    } else if (action == "flap") {
      read_flap(value, at);
    } else {
      read_set(value, at);
    }
  }

  // What a fail or restore acts on, and its words for the event's text.
  struct Target {
    std::string text;  // "link er-ams.primary"
    std::vector<LinkId> links;
    std::vector<RouterId> routers;
  };

  void read_fail_or_restore(const Node& node, SimTime at, bool fail) {
    const std::string_view verb = fail ? "fail" : "restore";
    MapReader m(r_, node, std::string(verb));
    constexpr std::array<std::string_view, 7> kTargets{
        "link", "router", "location", "metro", "provider", "srlg", "gateway",
    };
    std::vector<std::pair<std::string_view, Node>> targets;
    for (const std::string_view key : kTargets) {
      if (const auto n = m.optional(key)) {
        targets.emplace_back(key, *n);
      }
    }
    const auto mode = fail ? m.optional("mode") : std::nullopt;
    const auto how = fail ? m.optional("how") : std::nullopt;
    m.finish();
    if (targets.size() != 1) {
      m.fail(fmt::format("{} needs exactly one of: {}", verb, fmt::join(kTargets, ", ")));
    }
    const auto& [kind, target] = targets[0];
    if (mode && kind != "link") {
      r_.fail(key_of(node, "mode"), "mode applies to a link only");
    }
    if (how && kind != "router") {
      r_.fail(key_of(node, "how"), "how applies to a router only");
    }
    Target t;
    t.text = fmt::format("{} {}", kind, r_.string(target, kind));
    if (kind == "link") {
      t.links.push_back(link_ref(target));
    } else if (kind == "router") {
      t.routers.push_back(router_ref(target, "router"));
    } else if (kind == "gateway") {
      t.routers.push_back(gateway_ref(target));
    } else {
      const topo::SrlgId id = kind == "srlg" ? srlg_ref(target) : group_ref(target, kind);
      t.links = t_.srlg(id).links;
      t.routers = t_.srlg(id).routers;
    }
    std::string text = fmt::format("{} {}", verb, t.text);
    std::optional<topo::FailureMode> failure_mode;
    auto router_failure = router::RouterFailure::Device;
    if (mode) {
      failure_mode = choose(r_, *mode, "mode", kFailureModes);
      text += fmt::format(" ({})", to_string(*failure_mode));
    }
    if (how) {
      router_failure = choose(r_, *how, "how", kRouterFailures);
      text += fmt::format(" ({})", to_string(router_failure));
    }
    // One event for a group: its routers and its links go down (or up) together. Fail and
    // restore act on both lists whatever the action says; the action names what it holds.
    const bool links = !t.links.empty();
    Event& e = add(at,
                   fail ? (links ? Action::FailLink : Action::FailRouter)
                        : (links ? Action::RestoreLink : Action::RestoreRouter),
                   std::move(text));
    e.links = std::move(t.links);
    e.routers = std::move(t.routers);
    e.mode = failure_mode;
    e.router_failure = router_failure;
  }

  void read_maintenance(const Node& node, SimTime at, bool start) {
    MapReader m(r_, node, start ? "maintenance" : "maintenance_end");
    const Node circuit_node = m.required("circuit");
    const Node leg_node = m.required("link");
    const auto method = start ? m.optional("method") : std::nullopt;
    m.finish();
    const topo::CircuitId circuit = circuit_ref(circuit_node);
    const topo::PathRole leg = choose(r_, leg_node, "link", kLegs);
    // The leg's links between the customer's side (a CE, or a layer 3 provider's edge router)
    // and the MSEE. The provider's access link has no MSEE end, and the gateway's links to the
    // MSEEs are inside Azure: neither is the circuit's link that Microsoft drains.
    const auto customer_side = [this](RouterId id) {
      const topo::RouterRole role = t_.router(id).role;
      return role == topo::RouterRole::Ce || role == topo::RouterRole::Pe;
    };
    const auto msee = [this](RouterId id) { return t_.router(id).role == topo::RouterRole::Msee; };
    std::vector<LinkId> links;
    for (std::uint32_t i = 0; i < t_.links().size(); ++i) {
      const topo::Link& link = t_.links()[i];
      if (link.circuit == circuit && link.path == leg &&
          ((msee(link.a) && customer_side(link.b)) || (msee(link.b) && customer_side(link.a)))) {
        links.push_back(LinkId{i});
      }
    }
    const std::string& name = t_.circuit(circuit).name;
    if (links.empty()) {
      r_.fail(leg_node, fmt::format("circuit '{}' has no {} link", name, to_string(leg)));
    }
    if (start) {
      const auto how =
          method ? choose(r_, *method, "method", kDrainMethods) : router::DrainMethod::Prepend;
      Event& e =
          add(at, Action::Drain,
              fmt::format("maintenance on {} {} ({})", name, to_string(leg), to_string(how)));
      e.links = std::move(links);
      e.drain_method = how;
    } else {
      Event& e = add(at, Action::Undrain,
                     fmt::format("end of maintenance on {} {}", name, to_string(leg)));
      e.links = std::move(links);
    }
  }

  // `prefixes: [...]`, or `flood: {from: PREFIX, count: N}`: N prefixes of from's length, one
  // after another from `from`.
  std::vector<Ipv4Prefix> read_prefixes(const MapReader& m, const std::optional<Node>& list,
                                        const std::optional<Node>& flood) const {
    if (list.has_value() == flood.has_value()) {
      m.fail(fmt::format("{} needs exactly one of prefixes, flood", m.what()));
    }
    std::vector<Ipv4Prefix> prefixes;
    if (list) {
      r_.for_each(*list, "prefixes",
                  [&](const Node& item) { prefixes.push_back(r_.prefix(item, "prefix")); });
      if (prefixes.empty()) {
        r_.fail(*list, "prefixes needs at least one prefix");
      }
      return prefixes;
    }
    MapReader fm(r_, *flood, "flood");
    const Node from_node = fm.required("from");
    const Node count_node = fm.required("count");
    fm.finish();
    const Ipv4Prefix from = r_.prefix(from_node, "from");
    const auto count =
        static_cast<std::uint64_t>(r_.integer(count_node, 1, kMaxFloodCount, "count"));
    const std::uint64_t end = std::uint64_t{from.address().value()} + count * from.size();
    if (end - 1 > std::numeric_limits<std::uint32_t>::max()) {
      r_.fail(count_node, fmt::format("{} prefixes of length {} from {} run past 255.255.255.255",
                                      count, from.length(), from.to_string()));
    }
    prefixes.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
      const auto address =
          static_cast<std::uint32_t>(std::uint64_t{from.address().value()} + i * from.size());
      prefixes.emplace_back(Ipv4Address(address), from.length());
    }
    return prefixes;
  }

  void read_announcement(const Node& node, SimTime at, bool advertise) {
    const std::string_view verb = advertise ? "advertise" : "withdraw";
    MapReader m(r_, node, std::string(verb));
    const Node router_node = m.required("router");
    const auto vrf_node = m.optional("vrf");
    const auto list = m.optional("prefixes");
    const auto flood = m.optional("flood");
    m.finish();
    std::vector<Ipv4Prefix> prefixes = read_prefixes(m, list, flood);
    const RouterId router = router_ref(router_node, "router");
    const std::string vrf = vrf_node ? r_.string(*vrf_node, "vrf") : "";
    check_vrf(vrf_node.value_or(router_node), router, vrf);
    std::string what = prefixes.size() == 1 ? prefixes[0].to_string()
                                            : fmt::format("{} prefixes", prefixes.size());
    std::string text = fmt::format("{} {} at {}", verb, what, t_.router(router).name);
    if (!vrf.empty()) {
      text += fmt::format(" vrf {}", vrf);
    }
    Event& e = add(at, advertise ? Action::Advertise : Action::Withdraw, std::move(text));
    e.router = router;
    e.vrf = vrf;
    e.prefixes = std::move(prefixes);
  }

  // A link going down and up `count` times: down at at + i x every, up `down` later.
  void read_flap(const Node& node, SimTime at) {
    MapReader m(r_, node, "flap");
    const Node link_node = m.required("link");
    const Node count_node = m.required("count");
    const Node every_node = m.required("every");
    const auto down_node = m.optional("down");
    const auto mode_node = m.optional("mode");
    m.finish();
    const LinkId link = link_ref(link_node);
    const auto count = r_.integer(count_node, 1, kMaxFlapCount, "count");
    const Duration every = r_.duration(every_node, "every");
    if (every <= Duration::zero()) {
      r_.fail(every_node, "every must be above 0s");
    }
    Duration down = every / 2;
    if (down_node) {
      down = r_.duration(*down_node, "down");
      if (down <= Duration::zero() || down >= every) {
        r_.fail(*down_node,
                fmt::format("down must be above 0s and below every ({})", format_duration(every)));
      }
    }
    std::optional<topo::FailureMode> mode;
    std::string mode_text;
    if (mode_node) {
      mode = choose(r_, *mode_node, "mode", kFailureModes);
      mode_text = fmt::format(" ({})", to_string(*mode));
    }
    const std::string& name = t_.link(link).name;
    for (std::int64_t i = 0; i < count; ++i) {
      const SimTime fail_at = at + i * every;
      Event& f = add(fail_at, Action::FailLink,
                     fmt::format("flap {}/{}: fail link {}{}", i + 1, count, name, mode_text));
      f.links = {link};
      f.mode = mode;
      Event& r = add(fail_at + down, Action::RestoreLink,
                     fmt::format("flap {}/{}: restore link {}", i + 1, count, name));
      r.links = {link};
    }
  }

  // A policy value of one session end, or the weight of a VNet's connection to a circuit.
  void read_set(const Node& node, SimTime at) {
    MapReader m(r_, node, "set");
    if (node.is_map() && node["vnet"].defined()) {
      const Node vnet_node = m.required("vnet");
      const Node circuit_node = m.required("circuit");
      const Node weight_node = m.required("weight");
      m.finish();
      const std::size_t vnet = vnet_ref(vnet_node);
      const topo::CircuitId circuit = circuit_ref(circuit_node);
      const topo::VNet& v = t_.vnets()[vnet];
      const bool connected =
          std::any_of(v.connections.begin(), v.connections.end(),
                      [&](const topo::Connection& c) { return c.circuit == circuit; });
      if (!connected) {
        r_.fail(circuit_node, fmt::format("vnet '{}' has no connection to circuit '{}'", v.name,
                                          t_.circuit(circuit).name));
      }
      const auto weight =
          static_cast<std::uint32_t>(r_.integer(weight_node, 0, kMaxWeight, "weight"));
      Event& e = add(at, Action::SetConnectionWeight,
                     fmt::format("set weight {} on the connection of {} to {}", weight, v.name,
                                 t_.circuit(circuit).name));
      e.vnet = vnet;
      e.circuit = circuit;
      e.value = weight;
      return;
    }
    const Node session_node = m.required("session");
    const Node end_node = m.required("end");
    const auto local_preference = m.optional("local_preference");
    const auto prepend = m.optional("prepend");
    m.finish();
    if (local_preference.has_value() == prepend.has_value()) {
      m.fail("set needs exactly one of local_preference, prepend (or vnet, circuit and weight)");
    }
    const topo::SessionId session = session_ref(session_node);
    const topo::Session& s = t_.session(session);
    const RouterId end = router_ref(end_node, "end");
    if (end != s.a.router && end != s.b.router) {
      r_.fail(end_node, fmt::format("router '{}' is not an end of session '{}'",
                                    t_.router(end).name, s.name));
    }
    std::uint32_t value = 0;
    std::string what;
    if (local_preference) {
      value = static_cast<std::uint32_t>(
          r_.integer(*local_preference, 0, kMaxUint32, "local_preference"));
      what = "local preference";
    } else {
      value = static_cast<std::uint32_t>(r_.integer(*prepend, 0, kMaxPrepend, "prepend"));
      what = "prepend";
    }
    Event& e = add(at, local_preference ? Action::SetLocalPreference : Action::SetPrepend,
                   fmt::format("set {} {} on {} at {}", what, value, s.name, t_.router(end).name));
    e.session = session;
    e.side = end == s.a.router ? bgp::Side::A : bgp::Side::B;
    e.value = value;
  }

  // ---- Flows --------------------------------------------------------------------------------

  Endpoint site_endpoint(std::size_t index) const {
    const topo::Site& site = t_.sites()[index];
    Endpoint e;
    e.kind = Endpoint::Kind::Site;
    e.name = site.name;
    e.routers = site.routers;
    e.address = site.prefixes.empty() ? Ipv4Address() : first_host(site.prefixes.front());
    return e;
  }

  Endpoint vnet_endpoint(std::size_t index) const {
    const topo::VNet& vnet = t_.vnets()[index];
    Endpoint e;
    e.kind = Endpoint::Kind::VNet;
    e.name = vnet.name;
    e.routers = {vnet.gateway};
    e.address = vnet.prefixes.empty() ? Ipv4Address() : first_host(vnet.prefixes.front());
    return e;
  }

  Endpoint router_endpoint(RouterId id, std::string vrf) const {
    Endpoint e;
    e.kind = Endpoint::Kind::Router;
    e.name = t_.router(id).name;
    e.routers = {id};
    e.vrf = std::move(vrf);
    e.address = t_.router(id).router_id;
    return e;
  }

  // The site or VNet with the longest prefix holding `address`, else the router whose id it is.
  std::optional<Endpoint> owner_of(Ipv4Address address) const {
    int best_length = -1;
    std::optional<Endpoint> best;
    const auto consider = [&](const std::vector<Ipv4Prefix>& prefixes) {
      int length = -1;
      for (const Ipv4Prefix& p : prefixes) {
        if (p.contains(address)) {
          length = std::max(length, p.length());
        }
      }
      return length;
    };
    for (std::size_t i = 0; i < t_.sites().size(); ++i) {
      const int length = consider(t_.sites()[i].prefixes);
      if (length > best_length) {
        best_length = length;
        best = site_endpoint(i);
      }
    }
    for (std::size_t i = 0; i < t_.vnets().size(); ++i) {
      const int length = consider(t_.vnets()[i].prefixes);
      if (length > best_length) {
        best_length = length;
        best = vnet_endpoint(i);
      }
    }
    if (best) {
      return best;
    }
    for (std::uint32_t i = 0; i < t_.routers().size(); ++i) {
      if (t_.routers()[i].router_id == address) {
        return router_endpoint(RouterId{i}, "");
      }
    }
    return std::nullopt;
  }

  // Claims the flow's name; finds its return path unless the caller knows it.
  void add_flow(Flow flow, const Node& at) {
    const auto [it, inserted] = flow_marks_.emplace(flow.name, at.mark());
    if (!inserted) {
      r_.fail(at, fmt::format("duplicate flow name '{}' (first defined at {})", flow.name,
                              where(it->second)));
    }
    if (!flow.reply_source) {
      flow.reply_source = owner_of(flow.destination);
    }
    s_.flows.push_back(std::move(flow));
  }

  Endpoint read_endpoint(const Node& node) const {
    MapReader m(r_, node, "from");
    const auto site = m.optional("site");
    const auto vnet = m.optional("vnet");
    const auto router = m.optional("router");
    const auto vrf = m.optional("vrf");
    m.finish();
    if (static_cast<int>(site.has_value()) + static_cast<int>(vnet.has_value()) +
            static_cast<int>(router.has_value()) !=
        1) {
      m.fail("from needs exactly one of site, vnet, router");
    }
    if (vrf && !router) {
      r_.fail(key_of(node, "vrf"), "vrf applies to a router only");
    }
    if (site) {
      return site_endpoint(site_ref(*site));
    }
    if (vnet) {
      return vnet_endpoint(vnet_ref(*vnet));
    }
    const RouterId id = router_ref(*router, "router");
    std::string name = vrf ? r_.string(*vrf, "vrf") : "";
    check_vrf(vrf.value_or(*router), id, name);
    return router_endpoint(id, std::move(name));
  }

  void read_flow(const Node& node) {
    MapReader m(r_, node, "flow");
    const auto name = m.optional("name");
    const Node from = m.required("from");
    const Node to = m.required("to");
    const auto dscp = m.optional("dscp");
    const auto rate = m.optional("rate");
    m.finish();
    Flow f;
    if (rate) {
      f.rate_bps = r_.rate(*rate, "rate", "rate");
    }
    f.source = read_endpoint(from);
    f.destination = r_.address(to, "to");
    if (dscp) {
      f.dscp = static_cast<std::uint8_t>(r_.integer(*dscp, 0, kMaxDscp, "dscp"));
    }
    if (name) {
      f.name = r_.string(*name, "name");
      if (f.name.empty()) {
        r_.fail(*name, "a flow's name must not be empty");
      }
    } else {
      f.name = fmt::format("{} -> {}", f.source.name, f.destination.to_string());
    }
    add_flow(std::move(f), name.value_or(node));
  }

  // Every site to every VNet it can be expected to reach, and back: the pairs that share a
  // circuit (a session of one of the site's routers runs over a circuit the VNet is connected
  // to); a site with no circuit of its own (behind a layer 3 provider, or reaching Azure over
  // its WAN) pairs with every VNet. A generated design of a thousand customers thus watches a
  // thousand pairs, not a million. Site and VNet prefixes do not overlap, so each flow's return
  // path is the other end: no search per flow, which a large design could not afford.
  void default_flows() {
    // The VNets connected to each circuit, so that pairing costs the sessions of the sites,
    // not sites x VNets.
    std::vector<std::vector<std::size_t>> circuit_vnets(t_.circuits().size());
    for (std::size_t v = 0; v < t_.vnets().size(); ++v) {
      for (const topo::Connection& c : t_.vnets()[v].connections) {
        circuit_vnets.at(c.circuit.value).push_back(v);
      }
    }
    std::vector<std::size_t> every_vnet(t_.vnets().size());
    std::iota(every_vnet.begin(), every_vnet.end(), std::size_t{0});
    for (std::size_t s = 0; s < t_.sites().size(); ++s) {
      bool has_circuit = false;
      std::vector<std::size_t> vnets;
      for (const topo::RouterId router : t_.sites()[s].routers) {
        for (const topo::SessionId session : t_.sessions_of(router)) {
          if (const auto& circuit = t_.session(session).circuit) {
            has_circuit = true;
            const std::vector<std::size_t>& connected = circuit_vnets.at(circuit->value);
            vnets.insert(vnets.end(), connected.begin(), connected.end());
          }
        }
      }
      std::sort(vnets.begin(), vnets.end());
      vnets.erase(std::unique(vnets.begin(), vnets.end()), vnets.end());
      for (const std::size_t v : has_circuit ? vnets : every_vnet) {
        const Endpoint site = site_endpoint(s);
        const Endpoint vnet = vnet_endpoint(v);
        Flow out;
        out.name = fmt::format("{} -> {}", site.name, vnet.name);
        out.source = site;
        out.destination = vnet.address;
        if (!t_.vnets()[v].prefixes.empty()) {
          out.reply_source = vnet;
        }
        Flow back;
        back.name = fmt::format("{} -> {}", vnet.name, site.name);
        back.source = vnet;
        back.destination = site.address;
        if (!t_.sites()[s].prefixes.empty()) {
          back.reply_source = site;
        }
        add_flow(std::move(out), file_.root);
        add_flow(std::move(back), file_.root);
      }
    }
  }

  std::size_t flow_ref(const Node& node) const {
    const std::string name = r_.string(node, "flow");
    for (std::size_t i = 0; i < s_.flows.size(); ++i) {
      if (s_.flows[i].name == name) {
        return i;
      }
    }
    std::vector<std::string_view> names;
    for (const Flow& f : s_.flows) {
      names.emplace_back(f.name);
    }
    unknown(node, "flow", name, names);
  }

  // ---- Expectations -------------------------------------------------------------------------

  // " from 20s to 1m", or less when a bound is the run's own.
  static std::string interval_text(SimTime from, SimTime to) {
    std::string text;
    if (from != kTimeZero) {
      text += fmt::format(" from {}", format_duration(from - kTimeZero));
    }
    if (to != kTimeMax) {
      text += fmt::format(" to {}", format_duration(to - kTimeZero));
    }
    return text;
  }

  void read_expectation(const Node& node) {
    MapReader m(r_, node, "expectation");
    std::map<std::string_view, Node> keys;
    for (const std::string_view key : kExpectationKinds) {
      if (const auto n = m.optional(key)) {
        keys.emplace(key, *n);
      }
    }
    for (const std::string_view key : {"flow", "from", "to", "state", "at"}) {
      if (const auto n = m.optional(key)) {
        keys.emplace(key, *n);
      }
    }
    m.finish();
    std::vector<std::string_view> kinds;
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string_view key = node.key(i).scalar();
      if (std::find(kExpectationKinds.begin(), kExpectationKinds.end(), key) !=
          kExpectationKinds.end()) {
        kinds.push_back(key);
      }
    }
    if (kinds.empty()) {
      m.fail(fmt::format("expectation needs one of: {}", fmt::join(kExpectationKinds, ", ")));
    }
    if (kinds.size() > 1) {
      r_.fail(key_of(node, kinds[1]),
              fmt::format("expectation has both '{}' and '{}': write one expectation for each",
                          kinds[0], kinds[1]));
    }
    const std::string_view kind = kinds[0];
    // The other keys each kind takes.
    std::vector<std::string_view> allowed{kind};
    if (kind == "session") {
      allowed.insert(allowed.end(), {"state", "at"});
    } else if (kind != "quiet_by" && kind != "max_utilization") {
      allowed.emplace_back("flow");
    }
    if (kind == "uses" || kind == "symmetric") {
      allowed.insert(allowed.end(), {"from", "to"});
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string_view key = node.key(i).scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        r_.fail(node.key(i),
                fmt::format("key '{}' does not go with '{}' in an expectation", key, kind));
      }
    }
    Expectation x;
    const Node value = keys.at(kind);
    if (kind == "max_utilization") {
      x.kind = ExpectationKind::MaxUtilization;
      x.utilization = r_.percent(value, kMaxUtilizationBound, "max_utilization");
      if (std::none_of(s_.flows.begin(), s_.flows.end(),
                       [](const Flow& f) { return f.rate_bps > 0; })) {
        r_.fail(value, "max_utilization needs a flow with a rate (write 'rate: 500Mbps' on one)");
      }
      x.text = fmt::format("no link or circuit above {}", percent_text(x.utilization));
    } else if (kind == "quiet_by") {
      x.kind = ExpectationKind::QuietBy;
      x.at = time(value, "quiet_by");
      check_in_run(value, x.at, "quiet_by");
      x.text = fmt::format("quiet by {}", format_duration(x.at - kTimeZero));
    } else if (kind == "session") {
      x.kind = ExpectationKind::SessionStateAt;
      x.session = session_ref(value);
      const Node state = keys.contains("state") ? keys.at("state") : m.required("state");
      const Node at = keys.contains("at") ? keys.at("at") : m.required("at");
      x.state = choose(r_, state, "state", kSessionStates);
      x.at = time(at, "at");
      check_in_run(at, x.at, "at");
      x.text = fmt::format("session {} is {} at {}", t_.session(x.session).name,
                           r_.string(state, "state"), format_duration(x.at - kTimeZero));
    } else {
      read_flow_expectation(m, keys, kind, x);
    }
    s_.expectations.push_back(std::move(x));
  }

  void read_flow_expectation(MapReader& m, const std::map<std::string_view, Node>& keys,
                             std::string_view kind, Expectation& x) const {
    const Node flow_node = keys.contains("flow") ? keys.at("flow") : m.required("flow");
    x.flow = flow_ref(flow_node);
    const Flow& flow = s_.flows[x.flow];
    const Node value = keys.at(kind);
    if (kind == "longest_outage" || kind == "total_outage") {
      const bool longest = kind == "longest_outage";
      x.kind = longest ? ExpectationKind::LongestOutageAtMost : ExpectationKind::TotalOutageAtMost;
      x.bound = non_negative(value, kind);
      x.text = fmt::format("{}: {} outage <= {}", flow.name, longest ? "longest" : "total",
                           format_duration(x.bound));
      return;
    }
    if (kind == "never_unreachable") {
      only_true(value, kind);
      x.kind = ExpectationKind::NeverUnreachable;
      x.text = fmt::format("{}: never unreachable", flow.name);
      return;
    }
    x.from = kTimeZero;
    x.to = kTimeMax;
    if (keys.contains("from")) {
      x.from = time(keys.at("from"), "from");
      check_in_run(keys.at("from"), x.from, "from");
    }
    if (keys.contains("to")) {
      const Node to = keys.at("to");
      x.to = time(to, "to");
      check_in_run(to, x.to, "to");
      if (x.to <= x.from) {
        r_.fail(to, fmt::format("to {} is not after from {}", format_duration(x.to - kTimeZero),
                                format_duration(x.from - kTimeZero)));
      }
    }
    if (kind == "symmetric") {
      only_true(value, kind);
      if (!flow.reply_source) {
        r_.fail(value, fmt::format("flow {} has no return path: no site, VNet or router owns {}",
                                   flow.name, flow.destination.to_string()));
      }
      x.kind = ExpectationKind::Symmetric;
      x.text = fmt::format("{}: forward and return on the same circuit{}", flow.name,
                           interval_text(x.from, x.to));
      return;
    }
    x.kind = ExpectationKind::Uses;
    x.uses = read_uses(value);
    x.text = fmt::format("{} uses {} {}{}", flow.name, uses_word(x.uses.kind), x.uses.name,
                         interval_text(x.from, x.to));
  }

  void only_true(const Node& node, std::string_view what) const {
    if (!r_.boolean(node, what)) {
      r_.fail(node, fmt::format("{} takes only true (leave the expectation out instead)", what));
    }
  }

  UsesTarget read_uses(const Node& node) const {
    MapReader m(r_, node, "uses");
    const auto circuit = m.optional("circuit");
    const auto location = m.optional("location");
    const auto link = m.optional("link");
    m.finish();
    if (static_cast<int>(circuit.has_value()) + static_cast<int>(location.has_value()) +
            static_cast<int>(link.has_value()) !=
        1) {
      m.fail("uses needs exactly one of circuit, location, link");
    }
    UsesTarget u;
    if (circuit) {
      u.kind = UsesTarget::Kind::Circuit;
      u.circuit = circuit_ref(*circuit);
      u.name = t_.circuit(*u.circuit).name;
    } else if (location) {
      u.kind = UsesTarget::Kind::Location;
      (void)group_ref(*location, "location");
      u.name = r_.string(*location, "location");
    } else {
      u.kind = UsesTarget::Kind::Link;
      u.link = link_ref(*link);
      u.name = t_.link(*u.link).name;
    }
    return u;
  }

  const YamlFile& file_;
  const topo::Topology& t_;
  Reader r_;
  scenario::Scenario s_;
  std::map<std::string, Mark, std::less<>> flow_marks_;
};

}  // namespace

scenario::Scenario read_scenario(const YamlFile& file, const topo::Topology& topology) {
  return ScenarioReader(file, topology).read();
}

scenario::Scenario default_scenario(const topo::Topology& topology, const std::string& name) {
  nlohmann::json document{{"name", name}};  // JSON is YAML: the name is quoted as it must be
  return read_scenario(load_yaml_string("(default scenario)", document.dump()), topology);
}

std::optional<std::string> scenario_topology(const YamlFile& file) {
  const Node topology = file.root["topology"];
  if (!topology.defined()) {
    return std::nullopt;
  }
  return Reader(file.name).string(topology, "topology");
}

}  // namespace ersim::io
