#include "sim/reach/capacity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>

#include "core/assert.hpp"

namespace ersim::reach {
namespace {

using topo::RouterRole;

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

double ratio(std::uint64_t load, std::uint64_t capacity) {
  return capacity == 0 ? 0.0 : static_cast<double>(load) / static_cast<double>(capacity);
}

// The interval of a timeline that holds `at`: the last one to start at or before it (an
// instant's last state wins when several intervals start at the same time).
const Interval& interval_at(std::span<const Interval> timeline, SimTime at) {
  ERSIM_ASSERT(!timeline.empty() && timeline.front().start <= at, "no interval at that time");
  const auto it = std::upper_bound(timeline.begin(), timeline.end(), at,
                                   [](SimTime t, const Interval& i) { return t < i.start; });
  return *std::prev(it);
}

}  // namespace

std::string to_string(Channel::Kind kind) {
  return kind == Channel::Kind::Link ? "link" : "circuit";
}

std::string channel_name(const topo::Topology& topology, Channel channel) {
  return channel.kind == Channel::Kind::Link
             ? topology.link(topo::LinkId{channel.index}).name
             : topology.circuit(topo::CircuitId{channel.index}).name;
}

std::string channel_direction(const topo::Topology& topology, Channel channel) {
  if (channel.kind == Channel::Kind::Circuit) {
    return channel.forward ? "to Microsoft" : "from Microsoft";
  }
  const topo::Link& link = topology.link(topo::LinkId{channel.index});
  const std::string& a = topology.router(link.a).name;
  const std::string& b = topology.router(link.b).name;
  return channel.forward ? fmt::format("{} -> {}", a, b) : fmt::format("{} -> {}", b, a);
}

std::string channel_label(const topo::Topology& topology, Channel channel) {
  return fmt::format("{} {} {}", to_string(channel.kind), channel_name(topology, channel),
                     channel_direction(topology, channel));
}

void name_channel(const topo::Topology& topology, Channel channel, ChannelDirectory& directory) {
  if (!directory.contains(channel)) {
    directory.emplace(channel, ChannelNames{channel_name(topology, channel),
                                            channel_direction(topology, channel)});
  }
}

std::string channel_label(const ChannelDirectory& directory, Channel channel) {
  const auto it = directory.find(channel);
  ERSIM_ASSERT(it != directory.end(), "a channel without its names");
  return fmt::format("{} {} {}", to_string(channel.kind), it->second.name, it->second.direction);
}

std::uint64_t channel_capacity(const topo::Topology& topology, Channel channel) {
  return channel.kind == Channel::Kind::Link
             ? topology.link(topo::LinkId{channel.index}).capacity_bps
             : topology.circuit(topo::CircuitId{channel.index}).bandwidth_bps;
}

double ChannelPeak::utilization() const { return ratio(peak_bps, capacity_bps); }

double Overload::utilization() const { return ratio(peak_bps, capacity_bps); }

double LoadReport::peak_utilization() const {
  double most = 0;
  for (const ChannelPeak& p : peaks) {
    most = std::max(most, p.utilization());
  }
  return most;
}

LoadTracker::LoadTracker(const topo::Topology& topology, std::vector<std::uint64_t> rates)
    : topology_(topology),
      rates_(std::move(rates)),
      carries_traffic_(std::any_of(rates_.begin(), rates_.end(), [](auto r) { return r > 0; })) {
  const std::size_t links = topology.links().size();
  const std::size_t circuits = topology.circuits().size();
  circuit_link_.resize(links);
  capacity_.resize(2 * (links + circuits));
  for (std::size_t l = 0; l < links; ++l) {
    const topo::Link& link = topology.links()[l];
    capacity_[2 * l] = capacity_[2 * l + 1] = link.capacity_bps;
    if (!link.circuit) {
      continue;
    }
    // The circuit proper runs from the customer's (or the provider's) edge to one of the
    // circuit's MSEEs; the MSEE's links to VNet gateways carry the circuit's traffic on inside
    // Azure and are not the circuit.
    const topo::Circuit& circuit = topology.circuit(*link.circuit);
    const auto is_msee = [&](topo::RouterId r) {
      return r == circuit.msee_primary || r == circuit.msee_secondary;
    };
    const auto is_gateway = [&](topo::RouterId r) {
      const RouterRole role = topology.router(r).role;
      return role == RouterRole::Gateway || role == RouterRole::VpnGateway;
    };
    if (is_msee(link.b) && !is_gateway(link.a)) {
      circuit_link_[l] = CircuitLink{link.circuit->value, true};
    } else if (is_msee(link.a) && !is_gateway(link.b)) {
      circuit_link_[l] = CircuitLink{link.circuit->value, false};
    }
  }
  for (std::size_t c = 0; c < circuits; ++c) {
    capacity_[2 * links + 2 * c] = capacity_[2 * links + 2 * c + 1] =
        topology.circuits()[c].bandwidth_bps;
  }
  baseline_load_.assign(capacity_.size(), 0);
  load_.assign(capacity_.size(), 0);
  watch_of_.assign(capacity_.size(), kNone);
  changed_.assign(rates_.size(), false);
  touched_.assign(capacity_.size(), false);
  baseline_slots_.resize(rates_.size());
}

Channel LoadTracker::channel_at(std::uint32_t slot) const {
  const auto links = static_cast<std::uint32_t>(topology_.links().size());
  if (slot < 2 * links) {
    return {Channel::Kind::Link, slot / 2, slot % 2 == 0};
  }
  return {Channel::Kind::Circuit, (slot - 2 * links) / 2, slot % 2 == 0};
}

std::uint32_t LoadTracker::slot(Channel channel) const {
  const auto links = static_cast<std::uint32_t>(topology_.links().size());
  const std::uint32_t base = channel.kind == Channel::Kind::Link ? 0 : 2 * links;
  return base + 2 * channel.index + (channel.forward ? 0 : 1);
}

std::vector<std::uint32_t> LoadTracker::slots_of(const Trace& trace) const {
  std::vector<std::uint32_t> slots;
  // A packet sent onto a link that is down is lost there: the link carries nothing of it.
  std::size_t crossed = trace.links.size();
  if (trace.outcome == Outcome::LinkDown && crossed > 0) {
    --crossed;
  }
  const auto links = static_cast<std::uint32_t>(topology_.links().size());
  // The routers and links alternate, except where a VNet's VPN gateway stands beside its
  // gateway in one routing instance (forwarding.cpp): a link is crossed from the router before
  // the first router that is one of its ends.
  std::size_t r = 1;
  for (std::size_t i = 0; i < crossed; ++i) {
    const topo::Link& link = topology_.link(trace.links[i]);
    while (r < trace.routers.size() && trace.routers[r] != link.a && trace.routers[r] != link.b) {
      ++r;
    }
    ERSIM_ASSERT(r < trace.routers.size(), "a trace's link without its far end");
    const bool forward = trace.routers[r] == link.b;
    ++r;
    slots.push_back(2 * trace.links[i].value + (forward ? 0 : 1));
    if (const std::optional<CircuitLink>& c = circuit_link_[trace.links[i].value]) {
      const bool toward_microsoft = forward == c->msee_at_b;
      const std::uint32_t slot = 2 * links + 2 * c->circuit + (toward_microsoft ? 0 : 1);
      if (std::find(slots.begin(), slots.end(), slot) == slots.end()) {
        slots.push_back(slot);
      }
    }
  }
  return slots;
}

std::vector<Channel> LoadTracker::channels_of(const Trace& trace) const {
  std::vector<Channel> channels;
  for (const std::uint32_t slot : slots_of(trace)) {
    channels.push_back(channel_at(slot));
  }
  return channels;
}

void LoadTracker::set_baseline(std::span<const Trace* const> traces) {
  ERSIM_ASSERT(traces.size() == rates_.size(), "one baseline trace per flow");
  std::fill(baseline_load_.begin(), baseline_load_.end(), 0);
  for (std::size_t f = 0; f < traces.size(); ++f) {
    baseline_slots_[f].clear();
    if (rates_[f] == 0) {
      continue;
    }
    baseline_slots_[f] = slots_of(*traces[f]);
    for (const std::uint32_t s : baseline_slots_[f]) {
      baseline_load_[s] += rates_[f];
    }
  }
  load_ = baseline_load_;
  // The flows on each slot, as one array cut by offsets.
  baseline_offsets_.assign(capacity_.size() + 1, 0);
  for (const std::vector<std::uint32_t>& slots : baseline_slots_) {
    for (const std::uint32_t s : slots) {
      ++baseline_offsets_[s + 1];
    }
  }
  for (std::size_t s = 0; s < capacity_.size(); ++s) {
    baseline_offsets_[s + 1] += baseline_offsets_[s];
  }
  baseline_flows_.assign(baseline_offsets_.back(), 0);
  std::vector<std::uint32_t> next(baseline_offsets_.begin(), baseline_offsets_.end() - 1);
  for (std::uint32_t f = 0; f < baseline_slots_.size(); ++f) {
    for (const std::uint32_t s : baseline_slots_[f]) {
      baseline_flows_[next[s]++] = f;
    }
  }
}

std::vector<std::uint32_t> LoadTracker::flows_at(
    std::uint32_t slot, SimTime at, std::span<const FlowTimeline> changed,
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& visits) const {
  std::vector<std::uint32_t> flows;
  // The flows on it before anything changed that did not change...
  const auto first = baseline_flows_.begin() + baseline_offsets_[slot];
  const auto last = baseline_flows_.begin() + baseline_offsets_[slot + 1];
  for (auto it = first; it != last; ++it) {
    if (!changed_[*it]) {
      flows.push_back(*it);
    }
  }
  // ... and the changed flows that crossed it at some time and did at `at`.
  const auto from = std::lower_bound(visits.begin(), visits.end(), std::pair(slot, 0U));
  for (auto it = from; it != visits.end() && it->first == slot; ++it) {
    const FlowTimeline& f = changed[it->second];
    const std::vector<std::uint32_t> slots = slots_of(interval_at(f.timeline, at).trace);
    if (std::find(slots.begin(), slots.end(), slot) != slots.end()) {
      flows.push_back(f.flow);
    }
  }
  std::sort(flows.begin(), flows.end(), [this](std::uint32_t x, std::uint32_t y) {
    return rates_[x] != rates_[y] ? rates_[x] > rates_[y] : x < y;
  });
  return flows;
}

LoadReport LoadTracker::analyse(std::span<const FlowTimeline> changed, SimTime end, Scope scope) {
  LoadReport report;
  if (!carries_traffic_) {
    return report;
  }
  // What is known of each slot that has a capacity and was loaded or changed: its peak, and
  // the overload it is in, if any.
  struct Watch {
    std::uint32_t slot = 0;
    std::uint64_t peak = 0;
    SimTime at{};
    std::optional<std::size_t> open;  ///< into report.overloads
  };
  std::vector<Watch> watches;
  const auto watch = [&](std::uint32_t s) -> Watch& {
    if (watch_of_[s] == kNone) {
      watch_of_[s] = static_cast<std::uint32_t>(watches.size());
      Watch w{s, baseline_load_[s], kTimeZero, std::nullopt};
      if (baseline_load_[s] > capacity_[s]) {
        w.open = report.overloads.size();
        report.overloads.push_back({channel_at(s),
                                    capacity_[s],
                                    baseline_load_[s],
                                    kTimeZero,
                                    kTimeZero,
                                    false,
                                    kTimeZero,
                                    {}});
      }
      watches.push_back(w);
    }
    return watches[watch_of_[s]];
  };
  if (scope == Scope::Whole) {
    for (std::uint32_t s = 0; s < load_.size(); ++s) {
      if (capacity_[s] > 0 && baseline_load_[s] > 0) {
        watch(s);
      }
    }
  }

  // Every interval of every changed flow, in time order.
  std::vector<std::tuple<SimTime, std::size_t, std::size_t>> steps;
  for (std::size_t c = 0; c < changed.size(); ++c) {
    ERSIM_ASSERT(c == 0 || changed[c - 1].flow < changed[c].flow, "changed flows out of order");
    if (rates_.at(changed[c].flow) == 0) {
      continue;
    }
    for (std::size_t i = 0; i < changed[c].timeline.size(); ++i) {
      steps.emplace_back(changed[c].timeline[i].start, c, i);
    }
  }
  std::sort(steps.begin(), steps.end());

  std::vector<std::vector<std::uint32_t>> current(changed.size());
  for (std::size_t c = 0; c < changed.size(); ++c) {
    current[c] = baseline_slots_[changed[c].flow];
  }
  // (slot, changed flow) for every slot a changed flow crossed at some time.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> visits;
  std::vector<std::uint32_t> dirty;    // slots whose load moved, to put back
  std::vector<std::uint32_t> touched;  // at this instant
  for (std::size_t k = 0; k < steps.size();) {
    const SimTime t = std::get<0>(steps[k]);
    for (; k < steps.size() && std::get<0>(steps[k]) == t; ++k) {
      const auto [at, c, i] = steps[k];
      const std::uint64_t rate = rates_[changed[c].flow];
      std::vector<std::uint32_t> next = slots_of(changed[c].timeline[i].trace);
      for (const std::uint32_t s : next) {
        visits.emplace_back(s, static_cast<std::uint32_t>(c));
      }
      for (const std::uint32_t s : current[c]) {
        load_[s] -= rate;
      }
      for (const std::uint32_t s : next) {
        load_[s] += rate;
      }
      for (const std::vector<std::uint32_t>* slots : {&current[c], &next}) {
        for (const std::uint32_t s : *slots) {
          if (!touched_[s]) {
            touched_[s] = true;
            touched.push_back(s);
          }
        }
      }
      current[c] = std::move(next);
    }
    std::sort(touched.begin(), touched.end());
    for (const std::uint32_t s : touched) {
      touched_[s] = false;
      dirty.push_back(s);
      if (capacity_[s] == 0) {
        continue;
      }
      Watch& w = watch(s);
      if (load_[s] > w.peak) {
        w.peak = load_[s];
        w.at = t;
      }
      const bool over = load_[s] > capacity_[s];
      if (over && !w.open) {
        w.open = report.overloads.size();
        report.overloads.push_back({channel_at(s), capacity_[s], load_[s], t, t, false, t, {}});
      } else if (over) {
        Overload& o = report.overloads[*w.open];
        if (load_[s] > o.peak_bps) {
          o.peak_bps = load_[s];
          o.peak_at = t;
        }
      } else if (w.open) {
        report.overloads[*w.open].end = t;
        w.open.reset();
      }
    }
    touched.clear();
  }
  for (const std::uint32_t s : dirty) {
    load_[s] = baseline_load_[s];
  }
  for (const Watch& w : watches) {
    watch_of_[w.slot] = kNone;
  }

  for (const Watch& w : watches) {
    if (w.open) {
      report.overloads[*w.open].end = end;
      report.overloads[*w.open].open = true;
    }
    if (w.peak > 0 && (scope == Scope::Whole || w.peak > baseline_load_[w.slot])) {
      report.peaks.push_back({channel_at(w.slot), capacity_[w.slot], w.peak, w.at});
    }
  }
  if (scope == Scope::Changes) {
    std::erase_if(report.overloads,
                  [&](const Overload& o) { return o.peak_bps <= baseline_load_[slot(o.channel)]; });
  }
  if (!report.overloads.empty()) {
    std::sort(visits.begin(), visits.end());
    visits.erase(std::unique(visits.begin(), visits.end()), visits.end());
    for (const FlowTimeline& f : changed) {
      changed_[f.flow] = true;
    }
    for (Overload& o : report.overloads) {
      o.flows = flows_at(slot(o.channel), o.peak_at, changed, visits);
    }
    for (const FlowTimeline& f : changed) {
      changed_[f.flow] = false;
    }
  }
  std::sort(report.overloads.begin(), report.overloads.end(),
            [](const Overload& x, const Overload& y) {
              return std::tie(x.start, x.channel) < std::tie(y.start, y.channel);
            });
  std::sort(report.peaks.begin(), report.peaks.end(),
            [](const ChannelPeak& x, const ChannelPeak& y) {
              const double ux = x.utilization();
              const double uy = y.utilization();
              return ux != uy ? ux > uy : x.channel < y.channel;
            });
  return report;
}

}  // namespace ersim::reach
