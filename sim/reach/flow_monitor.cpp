#include "sim/reach/flow_monitor.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "core/assert.hpp"

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
    flows_.push_back(Watched{std::move(spec), std::move(sources), {}, false, {}, {}, false});
  }
  const topo::Topology& topology = network_.topology();
  index_[ByInstance].resize(network_.instance_count());
  index_[ByLink].resize(topology.links().size());
  index_[ByRouter].resize(topology.routers().size());
  network_.on_route_change([this](const router::RouteEvent& event) { on_route_change(event); });
}

void FlowMonitor::start() {
  started_ = true;
  for (std::size_t i = 0; i < flows_.size(); ++i) {
    Watched& flow = flows_[i];
    flow.timeline.clear();
    // A source router's routes pick the first hop, and a source coming back can move the flow.
    for (const router::InstanceId source : flow.sources) {
      file_under(i, ByInstance, source.value);
    }
    for (const topo::RouterId r : flow.spec.routers) {
      file_under(i, ByRouter, r.value);
    }
    record(
        i,
        trace(network_, {flow.spec.routers, flow.spec.vrf, flow.spec.destination, flow.spec.hash}),
        {});
  }
}

void FlowMonitor::file_under(std::size_t flow, Key key, std::uint32_t value) {
  std::vector<std::uint32_t>& filed = flows_[flow].filed[key];
  if (std::find(filed.begin(), filed.end(), value) != filed.end()) {
    return;
  }
  filed.push_back(value);
  index_[key][value].push_back(static_cast<std::uint32_t>(flow));
  if (checkpointed_) {
    filed_since_.push_back({key, value, static_cast<std::uint32_t>(flow)});
  }
}

void FlowMonitor::file(std::size_t flow) {
  const Trace& now = flows_[flow].timeline.back().trace;
  for (const router::InstanceId instance : now.instances) {
    file_under(flow, ByInstance, instance.value);
  }
  for (const topo::LinkId link : now.links) {
    file_under(flow, ByLink, link.value);
  }
  for (const topo::RouterId router : now.routers) {
    file_under(flow, ByRouter, router.value);
  }
}

void FlowMonitor::on_route_change(const router::RouteEvent& event) {
  if (!started_) {
    return;
  }
  for (const std::uint32_t i : index_[ByInstance][event.instance.value]) {
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
  for (const topo::LinkId l : links) {
    for (const std::uint32_t i : index_[ByLink][l.value]) {
      const std::vector<topo::LinkId>& used = flows_[i].timeline.back().trace.links;
      if (std::find(used.begin(), used.end(), l) != used.end()) {
        mark(i, {});
      }
    }
  }
  // A flow stopped at a down router, or starting from a group, may move when any router
  // comes back: the source group's first router that is up can change.
  for (const topo::RouterId r : routers) {
    for (const std::uint32_t i : index_[ByRouter][r.value]) {
      const Watched& flow = flows_[i];
      const std::vector<topo::RouterId>& used = flow.timeline.back().trace.routers;
      if (std::find(used.begin(), used.end(), r) != used.end() ||
          std::find(flow.spec.routers.begin(), flow.spec.routers.end(), r) !=
              flow.spec.routers.end()) {
        mark(i, {});
      }
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
        i,
        trace(network_, {flow.spec.routers, flow.spec.vrf, flow.spec.destination, flow.spec.hash}),
        flow.pending_gateway);
  }
}

void FlowMonitor::record(std::size_t flow, Trace trace, Duration gateway_reconvergence) {
  const SimTime now = engine_.now();
  Watched& watched = flows_[flow];
  std::vector<Interval>& timeline = watched.timeline;
  if (!timeline.empty() && timeline.back().trace == trace) {
    return;  // nothing changed for this flow
  }
  if (checkpointed_ && !watched.changed) {
    watched.changed = true;
    changed_.push_back(flow);
    if (!saved_timelines_[flow]) {
      saved_timelines_[flow] = timeline;
    }
  }
  if (!timeline.empty()) {
    Interval& last = timeline.back();
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
      file(flow);
      return;
    }
    timeline.back().end = now;
  }
  timeline.push_back(Interval{now, kTimeMax, std::move(trace), gateway_reconvergence});
  file(flow);
}

void FlowMonitor::flush() {
  if (retrace_scheduled_) {
    retrace();
  }
}

void FlowMonitor::finish() {
  flush();
  for (Watched& flow : flows_) {
    if (!flow.timeline.empty()) {
      flow.timeline.back().end = engine_.now();
    }
  }
}

void FlowMonitor::checkpoint() {
  ERSIM_ASSERT(started_ && !retrace_scheduled_, "flow monitor checkpoint with traces pending");
  checkpointed_ = true;
  for (const std::size_t i : changed_) {
    flows_[i].changed = false;
  }
  changed_.clear();
  saved_timelines_.assign(flows_.size(), std::nullopt);
  filed_since_.clear();
  saved_retraces_ = retraces_;
}

void FlowMonitor::rollback() {
  ERSIM_ASSERT(checkpointed_, "flow monitor rollback without a checkpoint");
  for (const std::size_t i : changed_) {
    Watched& flow = flows_[i];
    flow.timeline = *saved_timelines_[i];
    flow.changed = false;
  }
  changed_.clear();
  for (const std::size_t i : dirty_) {
    flows_[i].dirty = false;
  }
  dirty_.clear();
  retrace_scheduled_ = false;
  // Entries were appended in this order: undo from the last.
  std::for_each(filed_since_.rbegin(), filed_since_.rend(), [this](const Filed& f) {
    index_[f.key][f.value].pop_back();
    flows_[f.flow].filed[f.key].pop_back();
  });
  filed_since_.clear();
  retraces_ = saved_retraces_;
}

}  // namespace ersim::reach
