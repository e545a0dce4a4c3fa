#include "sim/reach/flow_monitor.hpp"

#include <algorithm>
#include <utility>

namespace ersim::reach {

FlowMonitor::FlowMonitor(Engine& engine, router::Network& network, std::vector<FlowSpec> flows)
    : engine_(engine), network_(network) {
  flows_.reserve(flows.size());
  for (FlowSpec& spec : flows) {
    std::vector<router::InstanceId> sources;
    for (const topo::RouterId r : spec.routers) {
      if (const auto instance = network_.instance(r, spec.vrf)) {
        sources.push_back(*instance);
      }
    }
    flows_.push_back(Watched{std::move(spec), std::move(sources), {}, false, {}});
  }
  network_.on_route_change([this](const router::RouteEvent& event) { on_route_change(event); });
}

void FlowMonitor::start() {
  started_ = true;
  for (Watched& flow : flows_) {
    flow.timeline.clear();
    record(
        flow,
        trace(network_, {flow.spec.routers, flow.spec.vrf, flow.spec.destination, flow.spec.hash}),
        {});
  }
}

void FlowMonitor::on_route_change(const router::RouteEvent& event) {
  if (!started_) {
    return;
  }
  for (std::size_t i = 0; i < flows_.size(); ++i) {
    const Watched& flow = flows_[i];
    const Trace& now = flow.timeline.back().trace;
    const auto has = [&](const std::vector<router::InstanceId>& instances) {
      return std::find(instances.begin(), instances.end(), event.instance) != instances.end();
    };
    if (event.prefix.contains(flow.spec.destination) && (has(now.instances) || has(flow.sources))) {
      mark(i, event.gateway_reconvergence);
    }
  }
}

void FlowMonitor::topology_changed(std::span<const topo::LinkId> links,
                                   std::span<const topo::RouterId> routers) {
  if (!started_) {
    return;
  }
  for (std::size_t i = 0; i < flows_.size(); ++i) {
    const Watched& flow = flows_[i];
    const Trace& now = flow.timeline.back().trace;
    const bool uses_link = std::any_of(links.begin(), links.end(), [&](topo::LinkId l) {
      return std::find(now.links.begin(), now.links.end(), l) != now.links.end();
    });
    // A flow stopped at a down router, or starting from a group, may move when any router
    // comes back: the source group's first router that is up can change.
    const bool uses_router = std::any_of(routers.begin(), routers.end(), [&](topo::RouterId r) {
      return std::find(now.routers.begin(), now.routers.end(), r) != now.routers.end() ||
             std::find(flow.spec.routers.begin(), flow.spec.routers.end(), r) !=
                 flow.spec.routers.end();
    });
    if (uses_link || uses_router) {
      mark(i, {});
    }
  }
}

void FlowMonitor::mark(std::size_t flow, Duration gateway_reconvergence) {
  Watched& watched = flows_[flow];
  if (!watched.dirty) {
    watched.dirty = true;
    watched.pending_gateway = {};
    dirty_.push_back(flow);
  }
  watched.pending_gateway = std::max(watched.pending_gateway, gateway_reconvergence);
  if (!retrace_scheduled_) {
    retrace_scheduled_ = true;
    // Scheduled at now, it runs after everything already due at this instant.
    engine_.schedule_at(engine_.now(), [this] { retrace(); });
  }
}

void FlowMonitor::retrace() {
  retrace_scheduled_ = false;
  std::vector<std::size_t> dirty;
  dirty.swap(dirty_);
  std::sort(dirty.begin(), dirty.end());
  for (const std::size_t i : dirty) {
    Watched& flow = flows_[i];
    flow.dirty = false;
    ++retraces_;
    record(
        flow,
        trace(network_, {flow.spec.routers, flow.spec.vrf, flow.spec.destination, flow.spec.hash}),
        flow.pending_gateway);
  }
}

void FlowMonitor::record(Watched& flow, Trace trace, Duration gateway_reconvergence) {
  const SimTime now = engine_.now();
  std::vector<Interval>& timeline = flow.timeline;
  if (!timeline.empty()) {
    Interval& last = timeline.back();
    if (last.trace == trace) {
      return;  // nothing changed for this flow
    }
    if (last.start == now && timeline.size() > 1) {
      // The last interval lasted no time: drop it, and merge with the one before if the flow
      // is back where it was.
      timeline.pop_back();
      if (timeline.back().trace == trace) {
        timeline.back().end = kTimeMax;
        return;
      }
    } else if (last.start == now) {
      last.trace = std::move(trace);
      last.gateway_reconvergence = std::max(last.gateway_reconvergence, gateway_reconvergence);
      return;
    }
    timeline.back().end = now;
  }
  timeline.push_back(Interval{now, kTimeMax, std::move(trace), gateway_reconvergence});
}

void FlowMonitor::finish() {
  if (retrace_scheduled_) {
    retrace();
  }
  for (Watched& flow : flows_) {
    if (!flow.timeline.empty()) {
      flow.timeline.back().end = engine_.now();
    }
  }
}

}  // namespace ersim::reach
