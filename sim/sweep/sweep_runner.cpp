#include "sim/sweep/sweep_runner.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "core/assert.hpp"
#include "sim/reach/capacity.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/sweep/failure_sets.hpp"
#include "sim/sweep/resiliency.hpp"
#include "sim/sweep/sweep_expectations.hpp"
#include "sim/topo/checklist.hpp"

namespace ersim::sweep {
namespace {

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// Every link and router a flow's timeline crossed.
Detour detour(std::uint32_t flow, const scenario::FlowRun& run) {
  Detour d{flow, {}, {}};
  for (const reach::Interval& i : run.timeline) {
    d.links.insert(d.links.end(), i.trace.links.begin(), i.trace.links.end());
    d.routers.insert(d.routers.end(), i.trace.routers.begin(), i.trace.routers.end());
  }
  sort_unique(d.links);
  sort_unique(d.routers);
  return d;
}

/// Each flow's rate, in flow order.
std::vector<std::uint64_t> rates(const scenario::Scenario& base) {
  std::vector<std::uint64_t> out;
  for (const scenario::Flow& flow : base.flows) {
    out.push_back(flow.rate_bps);
  }
  return out;
}

/// Per element, what a pair must share to be simulated: the flows it touches (dependents) and,
/// when flows carry a rate, the links with a capacity and the circuits that its single failure
/// moved rated flows onto or off, as keys after the flows'. Two failures that each move traffic
/// onto the same link load it together though they touch different flows.
std::vector<std::vector<std::uint32_t>> pair_keys(
    const topo::Topology& topology, const std::vector<std::vector<std::uint32_t>>& dependents,
    const std::vector<SetResult>& singles, const std::vector<std::uint64_t>& flow_rates) {
  std::vector<std::vector<std::uint32_t>> keys = dependents;
  const auto flows = static_cast<std::uint32_t>(flow_rates.size());
  const auto links = static_cast<std::uint32_t>(topology.links().size());
  for (const SetResult& single : singles) {
    std::vector<std::uint32_t>& mine = keys.at(single.set.elements.front());
    for (const Detour& d : single.detours) {
      if (flow_rates.at(d.flow) == 0) {
        continue;
      }
      for (const topo::LinkId l : d.links) {
        const topo::Link& link = topology.link(l);
        if (link.capacity_bps > 0) {
          mine.push_back(flows + l.value);
        }
        if (link.circuit) {
          mine.push_back(flows + links + link.circuit->value);
        }
      }
    }
    sort_unique(mine);
  }
  return keys;
}

/// One worker's simulations, one per run seed: each converged from a cold start when first
/// needed, or copied from another worker's (copy()).
class Worker {
 public:
  Worker(const topo::Topology& topology, const SweepPlan& plan)
      : topology_(topology), plan_(plan) {}

  scenario::Replayer& replayer(std::uint32_t run) {
    return make(run, [&] {
      return std::make_unique<scenario::Replayer>(topology_, plan_.base, plan_.options.seed + run);
    });
  }

  /// The run's simulation, from a copy of `converged` (another worker's of the same run, once
  /// ready) rather than a cold start of its own.
  void copy(std::uint32_t run, const std::shared_future<const scenario::Replayer*>& converged) {
    make(run, [&] {
      return std::make_unique<scenario::Replayer>(topology_, plan_.base, plan_.options.seed + run,
                                                  converged);
    });
  }

  /// The loads of the run's converged network, its flows on their baseline traces.
  reach::LoadTracker& loads(std::uint32_t run) {
    replayer(run);
    return *loads_[run];
  }

  SetResult simulate(const FailureSet& set, const std::vector<bool>& delivered_at_start) {
    SetResult result{set, {}, {}, 0, {}, {}, {}};
    const scenario::Event event = failure_event(plan_.elements, set, plan_.options);
    const SimTime until = kTimeZero + plan_.options.horizon;
    std::map<std::uint32_t, FlowHit> hits;
    std::map<std::uint32_t, Duration> total;
    const std::uint32_t runs = plan_.options.runs;
    for (std::uint32_t run = 0; run < runs; ++run) {
      const scenario::Replayer::Played played = replayer(run).play({event}, until);
      result.engine_events += played.engine_events;
      add_loads(run, played, until, result);
      result.storm = run == 0 ? played.storm : scenario::largest(result.storm, played.storm);
      for (const auto& [f, flow_run] : played.flows) {
        const auto flow = static_cast<std::uint32_t>(f);
        if (run == 0 && set.elements.size() == 1) {
          result.detours.push_back(detour(flow, flow_run));
        }
        // A flow lost before the failure is reported once as such, not under every set.
        if (flow_run.outages.empty() || !delivered_at_start[flow]) {
          continue;
        }
        FlowHit& hit = hits[flow];
        hit.flow = flow;
        if (flow_run.outages.back().open) {
          ++hit.partitioned_runs;
        } else {
          ++hit.lost_runs;
        }
        const Duration outage = flow_run.total_outage;
        total[flow] += outage;
        if (hit.lost_runs + hit.partitioned_runs == 1 || outage > hit.worst_outage) {
          hit.worst_outage = outage;
          hit.detection = flow_run.outages.front().cause.detection;
        }
      }
    }
    for (auto& [flow, hit] : hits) {
      hit.mean_outage = total[flow] / static_cast<std::int64_t>(runs);
      result.flows.push_back(std::move(hit));
    }
    return result;
  }

 private:
  // The set's loads in one run, kept when they are the highest utilization of its runs so far.
  void add_loads(std::uint32_t run, const scenario::Replayer::Played& played, SimTime until,
                 SetResult& result) {
    reach::LoadTracker& loads = *loads_[run];
    if (!loads.carries_traffic()) {
      return;
    }
    std::vector<reach::FlowTimeline> changed;
    for (const auto& [f, flow_run] : played.flows) {
      changed.push_back({static_cast<std::uint32_t>(f), flow_run.timeline});
    }
    reach::LoadReport report = loads.analyse(changed, until, reach::Scope::Changes);
    if (report.peaks.empty()) {
      return;
    }
    if (!result.busiest || report.peaks.front().utilization() > result.busiest->utilization()) {
      result.busiest = report.peaks.front();
      result.overloads = std::move(report.overloads);
    }
  }

  template <class Make>
  scenario::Replayer& make(std::uint32_t run, Make make_replayer) {
    if (replayers_.size() <= run) {
      replayers_.resize(run + 1);
      loads_.resize(run + 1);
    }
    if (!replayers_[run]) {
      replayers_[run] = make_replayer();
      loads_[run] = std::make_unique<reach::LoadTracker>(topology_, rates(plan_.base));
      if (loads_[run]->carries_traffic()) {
        std::vector<const reach::Trace*> baseline;
        for (std::size_t f = 0; f < plan_.base.flows.size(); ++f) {
          baseline.push_back(&replayers_[run]->baseline(f));
        }
        loads_[run]->set_baseline(baseline);
      }
    }
    return *replayers_[run];
  }

  const topo::Topology& topology_;
  const SweepPlan& plan_;
  std::vector<std::unique_ptr<scenario::Replayer>> replayers_;
  std::vector<std::unique_ptr<reach::LoadTracker>> loads_;  ///< as replayers_
};

/// Per element, how many BGP sessions its failure takes down or cuts off: the sessions over its
/// links and those of its routers. What a set costs to simulate grows with it (a peering location
/// fails hundreds or thousands of sessions, a link one or two).
std::vector<std::uint64_t> sessions_touched(const topo::Topology& topology,
                                            const std::vector<Element>& elements) {
  std::vector<std::uint64_t> on_link(topology.links().size());
  for (const topo::Session& session : topology.sessions()) {
    ++on_link.at(session.link.value);
  }
  std::vector<std::uint64_t> out;
  out.reserve(elements.size());
  for (const Element& e : elements) {
    std::uint64_t n = 0;
    for (const topo::LinkId l : e.links) {
      n += on_link.at(l.value);
    }
    for (const topo::RouterId r : e.routers) {
      n += topology.sessions_of(r).size();
    }
    out.push_back(n);
  }
  return out;
}

/// Runs `sets` on the workers, each set once, into `results` (as sets); sets found in `resumed`
/// are taken from there.
class Phases {
 public:
  Phases(const topo::Topology& topology, const SweepPlan& plan, const SweepHooks& hooks)
      : hooks_(hooks), weight_(sessions_touched(topology, plan.elements)) {
    // Each worker holds a network of its own: no more of them than there are singles to run.
    const std::size_t threads =
        std::max<std::size_t>(1, std::min<std::size_t>(hooks.threads, plan.elements.size()));
    for (std::size_t i = 0; i < threads; ++i) {
      workers_.push_back(std::make_unique<Worker>(topology, plan));
    }
    for (const SetResult& r : hooks.resumed) {
      resumed_.emplace(r.set.elements, &r);
    }
  }

  Worker& first() { return *workers_.front(); }

  /// Each run's network is converged from a cold start once, by one worker (run r by worker
  /// r mod the workers), and copied by the others once it is ready, rather than each worker
  /// converging its own: a copy costs a fraction of a cold start's CPU time and none of its
  /// engine events. With several runs the workers' cold starts go side by side. Run 0 is the
  /// first worker's own.
  void converge_all(std::uint32_t runs) {
    std::vector<std::promise<const scenario::Replayer*>> ready(runs);
    std::vector<std::shared_future<const scenario::Replayer*>> converged;
    converged.reserve(runs);
    for (auto& promise : ready) {
      converged.push_back(promise.get_future().share());
    }
    const auto workers = static_cast<std::uint32_t>(workers_.size());
    std::atomic<bool> failed{false};
    on_each_worker(failed, [&](Worker& worker, std::size_t w) {
      // Its own cold starts first (runs w, w + workers, ...), so that no worker waits on one
      // that is copying.
      auto run = static_cast<std::uint32_t>(w);
      try {
        for (; run < runs; run += workers) {
          ready[run].set_value(&worker.replayer(run));
        }
      } catch (...) {
        // The workers waiting for this run (and this worker's later ones) fail with it.
        for (; run < runs; run += workers) {
          ready[run].set_exception(std::current_exception());
        }
        throw;
      }
      for (run = 0; run < runs; ++run) {
        if (run % workers != w) {
          worker.copy(run, converged[run]);
        }
      }
    });
  }

  void add_to_total(std::size_t sets) { total_ += sets; }

  std::vector<SetResult> run(const std::vector<FailureSet>& sets,
                             const std::vector<bool>& delivered_at_start) {
    std::vector<SetResult> results(sets.size());
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < sets.size(); ++i) {
      if (const auto it = resumed_.find(sets[i].elements); it != resumed_.end()) {
        results[i] = *it->second;
        ++done_;
      } else {
        todo.push_back(i);
      }
    }
    // The heaviest sets first (longest processing time first), so that the workers do not end
    // with one of them left running a location or a metro alone while the others are done. The
    // results keep the sets' order whatever the order they run in.
    std::vector<std::uint64_t> weight(sets.size());
    for (const std::size_t i : todo) {
      for (const std::uint32_t e : sets[i].elements) {
        weight[i] += weight_.at(e);
      }
    }
    std::stable_sort(todo.begin(), todo.end(),
                     [&](std::size_t a, std::size_t b) { return weight[a] > weight[b]; });
    report_progress();
    const auto body = [&](Worker& worker, std::size_t k) {
      const std::size_t i = todo[k];
      SetResult result = worker.simulate(sets[i], delivered_at_start);
      const std::lock_guard lock(mutex_);
      ++done_;
      if (hooks_.on_result) {
        hooks_.on_result(result);
      }
      results[i] = std::move(result);
      report_progress_locked();
    };
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    on_each_worker(failed, [&](Worker& worker, std::size_t /*index*/) {
      for (std::size_t k = next++; k < todo.size() && !failed; k = next++) {
        body(worker, k);
      }
    });
    return results;
  }

 private:
  /// Runs `fn(worker, index)` once per worker, each on a thread of its own when there are
  /// several; the first exception stops the others (`failed`) and is rethrown here.
  template <class Fn>
  void on_each_worker(std::atomic<bool>& failed, Fn fn) {
    if (workers_.size() == 1) {
      fn(*workers_.front(), std::size_t{0});
      return;
    }
    boost::asio::thread_pool pool(workers_.size());
    std::exception_ptr failure;
    for (std::size_t i = 0; i < workers_.size(); ++i) {
      boost::asio::post(pool, [&, i] {
        try {
          fn(*workers_[i], i);
        } catch (...) {
          const std::lock_guard lock(mutex_);
          if (!failure) {
            failure = std::current_exception();
          }
          failed = true;
        }
      });
    }
    pool.join();
    if (failure) {
      std::rethrow_exception(failure);
    }
  }

  void report_progress() {
    const std::lock_guard lock(mutex_);
    report_progress_locked();
  }
  void report_progress_locked() {
    if (hooks_.on_progress) {
      hooks_.on_progress(done_, total_);
    }
  }

  const SweepHooks& hooks_;
  std::vector<std::uint64_t> weight_;  ///< per element: sessions_touched()
  std::vector<std::unique_ptr<Worker>> workers_;
  std::map<std::vector<std::uint32_t>, const SetResult*> resumed_;
  std::mutex mutex_;
  std::size_t done_ = 0;
  std::size_t total_ = 0;
};

/// Per element, the flows whose paths it is on: the path each flow took before any failure and
/// every path it took in a single failure's first run.
std::vector<std::vector<std::uint32_t>> dependents(const topo::Topology& topology,
                                                   const std::vector<Element>& elements,
                                                   const std::vector<reach::Trace>& baseline,
                                                   const std::vector<SetResult>& singles) {
  std::vector<std::vector<std::uint32_t>> by_link(topology.links().size());
  std::vector<std::vector<std::uint32_t>> by_router(topology.routers().size());
  const auto add = [&](std::uint32_t flow, const std::vector<topo::LinkId>& links,
                       const std::vector<topo::RouterId>& routers) {
    for (const topo::LinkId l : links) {
      by_link[l.value].push_back(flow);
    }
    for (const topo::RouterId r : routers) {
      by_router[r.value].push_back(flow);
    }
  };
  for (std::uint32_t f = 0; f < baseline.size(); ++f) {
    add(f, baseline[f].links, baseline[f].routers);
  }
  for (const SetResult& s : singles) {
    for (const Detour& d : s.detours) {
      add(d.flow, d.links, d.routers);
    }
  }
  std::vector<std::vector<std::uint32_t>> out(elements.size());
  for (std::size_t e = 0; e < elements.size(); ++e) {
    std::vector<std::uint32_t>& flows = out[e];
    for (const topo::LinkId l : elements[e].links) {
      flows.insert(flows.end(), by_link[l.value].begin(), by_link[l.value].end());
    }
    for (const topo::RouterId r : elements[e].routers) {
      flows.insert(flows.end(), by_router[r.value].begin(), by_router[r.value].end());
    }
    sort_unique(flows);
  }
  return out;
}

/// Names every link and circuit the result's loads mention, for the reports.
void name_channels(const topo::Topology& topology, SweepResult& result) {
  const auto name = [&](reach::Channel c) { reach::name_channel(topology, c, result.channels); };
  for (const reach::ChannelPeak& p : result.capacity.peaks) {
    name(p.channel);
  }
  for (const reach::Overload& o : result.capacity.overloads) {
    name(o.channel);
  }
  for (const SetResult& set : result.sets) {
    if (set.busiest) {
      name(set.busiest->channel);
    }
    for (const reach::Overload& o : set.overloads) {
      name(o.channel);
    }
  }
}

}  // namespace

scenario::Event failure_event(const std::vector<Element>& elements, const FailureSet& set,
                              const SweepOptions& options) {
  scenario::Event e;
  e.at = kTimeZero;
  std::vector<std::string> labels;
  for (const std::uint32_t i : set.elements) {
    const Element& element = elements.at(i);
    e.links.insert(e.links.end(), element.links.begin(), element.links.end());
    e.routers.insert(e.routers.end(), element.routers.begin(), element.routers.end());
    labels.push_back(element.label());
  }
  sort_unique(e.links);
  sort_unique(e.routers);
  e.action = e.links.empty() ? scenario::Action::FailRouter : scenario::Action::FailLink;
  e.mode = options.mode;
  e.router_failure = router::RouterFailure::Device;
  e.text = fmt::format("fail {}", fmt::join(labels, " + "));
  return e;
}

SweepResult run_sweep(const topo::Topology& topology, const SweepPlan& plan,
                      const SweepHooks& hooks) {
  ERSIM_ASSERT(plan.options.k == 1 || plan.options.k == 2, "a sweep's k is 1 or 2");
  ERSIM_ASSERT(plan.options.runs >= 1, "a sweep runs at least once");
  SweepResult result;
  result.options = plan.options;
  result.elements = plan.elements;
  result.expectations = plan.expectations;
  for (const scenario::Flow& flow : plan.base.flows) {
    result.flows.push_back(flow.name);
  }
  result.rates = rates(plan.base);
  const auto phase = [&hooks](std::string_view name, std::size_t sets = 0) {
    if (hooks.on_phase) {
      hooks.on_phase(name, sets);
    }
  };
  phase("converge");
  Phases phases(topology, plan, hooks);
  phases.converge_all(plan.options.runs);
  result.capacity =
      phases.first().loads(0).analyse({}, kTimeZero + plan.options.horizon, reach::Scope::Whole);
  // The flows before any failure, from the first worker's network (every worker's is the same).
  std::vector<reach::Trace> baseline;
  std::vector<bool> delivered_at_start;
  scenario::Replayer& reference = phases.first().replayer(0);
  for (std::size_t f = 0; f < plan.base.flows.size(); ++f) {
    baseline.push_back(reference.baseline(f));
    delivered_at_start.push_back(baseline.back().outcome == reach::Outcome::Delivered);
    if (!delivered_at_start.back()) {
      result.unreachable.push_back(static_cast<std::uint32_t>(f));
    }
  }
  const std::vector<FailureSet> singles = single_sets(plan.elements.size());
  phases.add_to_total(singles.size());
  phase("singles", singles.size());
  std::vector<SetResult> single_results = phases.run(singles, delivered_at_start);
  phase("analysis");
  result.dependents = dependents(topology, plan.elements, baseline, single_results);
  result.resiliency = resiliency_index(topology, topo::run_checklist(topology), single_results,
                                       result.flows.size(), plan.elements);
  result.sets = std::move(single_results);
  if (plan.options.k == 2) {
    PairPlan pairs = classify_pairs(
        plan.elements, pair_keys(topology, result.dependents, result.sets, result.rates));
    result.pairs = pairs.counts;
    phases.add_to_total(pairs.simulated.size());
    phase("pairs", pairs.simulated.size());
    std::vector<SetResult> pair_results = phases.run(pairs.simulated, delivered_at_start);
    result.sets.insert(result.sets.end(), std::make_move_iterator(pair_results.begin()),
                       std::make_move_iterator(pair_results.end()));
  }
  phase("verdicts");
  for (const SetResult& set : result.sets) {
    result.engine_events += set.engine_events;
  }
  name_channels(topology, result);
  result.verdicts = judge(result);
  return result;
}

}  // namespace ersim::sweep
