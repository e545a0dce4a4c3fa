// A failure scenario, as io::read_scenario makes it from a scenario file: what happens to a
// topology at which simulated time, the flows to watch, and what must hold. Every name is
// resolved against the topology when the file is read, so a Scenario only refers to elements
// that exist.
//
//   const topo::Topology t = io::load_topology("topologies/maximum.yaml");
//   const scenario::Scenario s = io::read_scenario(io::load_yaml_file("s.yaml"), t);
//   s.events.front().at;   // 10 s;   s.flows.front().name   // "amsterdam-dc -> hub-westeurope"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/delay_distribution.hpp"
#include "core/time.hpp"
#include "sim/bgp/session.hpp"
#include "sim/router/drain.hpp"
#include "sim/router/network.hpp"
#include "sim/topo/ids.hpp"
#include "sim/topo/ipv4.hpp"
#include "sim/topo/model.hpp"

namespace ersim::scenario {

using namespace std::chrono_literals;

/// What an event does.
enum class Action : std::uint8_t {
  FailLink,       ///< links[]; mode, or each link's own failure mode
  RestoreLink,    ///< links[]
  FailRouter,     ///< routers[]; router_failure
  RestoreRouter,  ///< routers[]
  Drain,          ///< links[] (each with an MSEE end); drain_method
  Undrain,        ///< links[]
  Advertise,      ///< router, vrf, prefixes[]
  Withdraw,       ///< router, vrf, prefixes[]
  /// A policy value of one session end (session, side), applied as a soft reconfiguration.
  SetLocalPreference,  ///< value
  SetPrepend,          ///< value
  /// The weight of the connection between `vnet` and `circuit` (0-32000).
  SetConnectionWeight,  ///< vnet, circuit, value
};

/// One thing that happens at one simulated time. A whole peering location, metro, provider or
/// shared-risk group fails as its routers (devices) and links together, in one event that holds
/// both: a fail (or restore) acts on all its routers and links, and its action is FailLink
/// (RestoreLink) when it holds links, else FailRouter (RestoreRouter). A flap expands into its
/// fail and restore events when the file is read.
struct Event {
  SimTime at{};
  Action action = Action::FailLink;
  /// What the file said, in words, for reports: "fail location amsterdam",
  /// "flap 2/3: restore link er-ams.primary".
  std::string text;

  std::vector<topo::LinkId> links;
  std::vector<topo::RouterId> routers;
  /// FailLink: the failure mode; std::nullopt takes each link's own.
  std::optional<topo::FailureMode> mode;
  router::RouterFailure router_failure = router::RouterFailure::Device;
  router::DrainMethod drain_method = router::DrainMethod::Prepend;

  // Advertise, Withdraw.
  topo::RouterId router{};
  std::string vrf;
  std::vector<Ipv4Prefix> prefixes;

  // SetLocalPreference, SetPrepend.
  topo::SessionId session{};
  bgp::Side side = bgp::Side::A;
  // SetConnectionWeight: an index into topology.vnets() and the circuit.
  std::size_t vnet = 0;
  topo::CircuitId circuit{};
  std::uint32_t value = 0;
};

/// Where a flow starts: a site (its first router that is up and has a route, as a first-hop
/// redundancy group with route tracking would pick; reach::Packet), a VNet (its gateway) or one
/// router.
struct Endpoint {
  enum class Kind : std::uint8_t { Site, VNet, Router };
  Kind kind = Kind::Router;
  std::string name;
  /// The routers that can send the flow, in order of preference, and the instance they send
  /// from (a VRF name, "" for the default table).
  std::vector<topo::RouterId> routers;
  std::string vrf;
  /// The address the flow's packets come from: the first address of the site's or VNet's first
  /// prefix, or the router's id.
  Ipv4Address address;
};

/// A flow to watch: packets from `source` to `destination`.
struct Flow {
  std::string name;  ///< "amsterdam-dc -> hub-westeurope" unless named in the file
  Endpoint source;
  Ipv4Address destination;
  std::optional<std::uint8_t> dscp;
  /// Where the return traffic starts: the site, VNet or router whose prefix holds
  /// `destination` (the longest such prefix); std::nullopt when nothing does.
  std::optional<Endpoint> reply_source;
  /// The traffic it carries, in bits per second; 0 when the file gives no rate: such a flow is
  /// watched for reachability but loads no link (reach/capacity.hpp).
  std::uint64_t rate_bps = 0;
};

enum class ExpectationKind : std::uint8_t {
  TotalOutageAtMost,    ///< flow's outages add up to at most `bound`
  LongestOutageAtMost,  ///< flow's longest outage is at most `bound`
  NeverUnreachable,     ///< flow is delivered at every instant of the run
  Uses,                 ///< flow is delivered over `uses` throughout [from, to]
  SessionStateAt,       ///< session is in `state` (at end a) at time `at`
  QuietBy,              ///< no session or route changes after `at`
  Symmetric,            ///< forward and return traffic take the same circuit throughout [from, to]
  /// no link or circuit with a capacity carries more than `utilization` of it at any instant
  MaxUtilization,
};

/// What a Uses expectation names: a circuit, a peering location or a link.
struct UsesTarget {
  enum class Kind : std::uint8_t { Circuit, Location, Link };
  Kind kind = Kind::Circuit;
  std::string name;
  std::optional<topo::CircuitId> circuit;
  std::optional<topo::LinkId> link;
};

struct Expectation {
  ExpectationKind kind = ExpectationKind::NeverUnreachable;
  /// As written, for reports: "flow amsterdam-dc -> hub-westeurope: longest outage <= 1s".
  std::string text;
  std::size_t flow = 0;  ///< an index into Scenario::flows (flow expectations)
  Duration bound{};
  SimTime from{};
  SimTime to{};  ///< Uses and Symmetric; to == SimTime::max() means the end of the run
  UsesTarget uses;
  topo::SessionId session{};
  bgp::SessionState state = bgp::SessionState::Established;
  SimTime at{};
  double utilization = 0;  ///< MaxUtilization: a fraction of the capacity, 0.8 for 80%
};

struct Scenario {
  std::string name;
  std::string description;
  /// The topology file named in the scenario, relative to the scenario file's directory as
  /// written; empty when the topology is given on the command line only.
  std::string topology;
  /// Scenario time 0 is the converged network: each run starts the network cold, runs it until
  /// it is quiet, and counts every time in the scenario (events, expectations, reports) from
  /// there. The run ends at `until` (default: the last event plus ten minutes, long enough for
  /// a 180 s hold timer and a 60 s gateway reconvergence).
  SimTime until{};
  std::uint64_t seed = 1;
  std::uint32_t runs = 1;
  router::NetworkOptions options;
  std::vector<Event> events;  ///< in time order; equal times in file order
  std::vector<Flow> flows;
  std::vector<Expectation> expectations;
};

}  // namespace ersim::scenario
