// One simulation of a design for the network tests: engine, seed, network, converged from a
// cold start, with a trace of session changes and every route change:
//   Lab lab(example_text("maximum.yaml"));
//   lab.net_.fail_link(lab.link("er-ams.primary"));   lab.run_for(60s);   lab.via("ams-ce1", ...);
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/topology_yaml.hpp"
#include "sim/router/network.hpp"
#include "sim/topo/expand.hpp"

namespace ersim::router::testing {

using namespace std::chrono_literals;

inline std::string example_text(const std::string& name) {
  std::ifstream in(std::string(ERSIM_SOURCE_DIR) + "/topologies/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline topo::Topology load(const std::string& yaml) {
  return topo::expand(io::read_design(io::load_yaml_string("t.yaml", yaml)));
}

inline Ipv4Prefix prefix(const char* text) { return Ipv4Prefix::parse_or_throw(text); }

// maximum.yaml: the gateway's ECMP set to Amsterdam's sites, both legs of the weight-100
// circuit or its secondary alone (Lab::gateway_paths).
inline std::vector<std::string> both_legs() {
  return {"hub-gw.er-ams.primary", "hub-gw.er-ams.secondary"};
}
inline std::vector<std::string> secondary() { return {"hub-gw.er-ams.secondary"}; }

/// Network options with the gateway's reconvergence delay.
inline NetworkOptions with_gateway_reconvergence(DelayDistribution delay) {
  NetworkOptions options;
  options.gateway_reconvergence = delay;
  return options;
}

class Lab {
 public:
  explicit Lab(const std::string& yaml, std::uint64_t seed = 1, NetworkOptions options = {})
      : topology_(load(yaml)), streams_(seed), net_(engine_, streams_, topology_, options) {
    record_changes();
    net_.start();
    // Packet mode is never quiet: keepalives and BFD packets flow for ever.
    if (options.bgp_mode == bgp::BgpTimerMode::Quiet && options.bfd_mode == bfd::BfdMode::Quiet) {
      engine_.run_until_quiet();
    } else {
      run_for(30s);
    }
  }
  /// A copy of `converged`'s network (Network::copy_converged), which must have frozen its
  /// attributes: the same design and seed, without a cold start of its own.
  Lab(const std::string& yaml, const Lab& converged, std::uint64_t seed,
      NetworkOptions options = {})
      : topology_(load(yaml)), streams_(seed), net_(engine_, streams_, topology_, options) {
    record_changes();
    net_.copy_converged(converged.net_);
  }

  [[nodiscard]] topo::RouterId router(const char* name) const {
    return topology_.router_id(name).value();
  }
  [[nodiscard]] topo::SessionId session(const char* name) const {
    return topology_.session_id(name).value();
  }
  [[nodiscard]] topo::LinkId link(const char* name) const {
    return topology_.link_id(name).value();
  }
  [[nodiscard]] InstanceId instance(const char* router, std::string_view vrf = "") const {
    return net_.instance(this->router(router), vrf).value();
  }
  // A session whose peer stays unreachable retries its connection every connect-retry interval
  // for ever, so a run with a lasting failure ends at a time, not when quiet.
  void run_for(Duration d) { engine_.run_until(engine_.now() + d); }
  // The name of the session the router's best route to the prefix came over.
  [[nodiscard]] std::string via(const char* router, const char* to,
                                std::string_view vrf = "") const {
    const bgp::Route* best = net_.best_route(this->router(router), vrf, prefix(to));
    if (best == nullptr) {
      return "(no route)";
    }
    return best->locally_originated() ? "(local)" : topology_.session(best->session).name;
  }
  // The sessions of the ECMP set of hub-gw's route to the prefix, best first.
  [[nodiscard]] std::vector<std::string> gateway_paths(const char* to) const {
    std::vector<std::string> paths;
    if (const bgp::LocRibEntry* entry = net_.rib(instance("hub-gw")).find(prefix(to))) {
      for (const bgp::Route& r : entry->multipath()) {
        paths.push_back(topology_.session(r.session).name);
      }
    }
    return paths;
  }
  // The session changes, then every route change with the delay it waited, one line each: what
  // the determinism tests compare.
  [[nodiscard]] std::vector<std::string> full_trace() const {
    std::vector<std::string> trace = trace_;
    for (const RouteEvent& e : routes_) {
      trace.push_back(fmt::format("{} {} {} {} {}", format_time(e.at), e.instance.value,
                                  e.prefix.to_string(), to_string(e.change),
                                  format_duration(e.gateway_reconvergence)));
    }
    return trace;
  }
  // The route changes of one instance and prefix since `from`.
  [[nodiscard]] std::vector<RouteEvent> changes(InstanceId instance, const char* to,
                                                SimTime from = kTimeZero) const {
    std::vector<RouteEvent> out;
    for (const RouteEvent& e : routes_) {
      if (e.instance == instance && e.prefix == prefix(to) && e.at >= from) {
        out.push_back(e);
      }
    }
    return out;
  }

  Engine engine_;
  topo::Topology topology_;
  RandomStreams streams_;
  Network net_;
  std::vector<std::string> trace_;
  std::vector<RouteEvent> routes_;
  SimTime last_route_change_{};

 private:
  // Keeps every session change and route change, for the traces.
  void record_changes() {
    net_.on_session_change([this](const SessionEvent& e) {
      trace_.push_back(fmt::format("{} {} {} {}->{} ({})", format_time(e.change.at),
                                   topology_.session(e.session).name, to_string(e.change.side),
                                   to_string(e.change.from), to_string(e.change.to),
                                   to_string(e.change.reason)));
    });
    net_.on_route_change([this](const RouteEvent& e) {
      last_route_change_ = e.at;
      routes_.push_back(e);
    });
  }
};

/// The router's route to the prefix that came over `session`, best or not.
inline const bgp::Route* route_over(const Lab& lab, const char* router, const char* to,
                                    const char* session) {
  const bgp::LocRibEntry* entry = lab.net_.rib(lab.instance(router)).find(prefix(to));
  if (entry == nullptr) {
    return nullptr;
  }
  const auto it = std::find_if(
      entry->candidates().begin(), entry->candidates().end(),
      [&](const bgp::Route& r) { return lab.topology_.session(r.session).name == session; });
  return it == entry->candidates().end() ? nullptr : &*it;
}

}  // namespace ersim::router::testing
