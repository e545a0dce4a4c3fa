#include "sim/report/run_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sim/reach/forwarding.hpp"
#include "sim/report/capacity_report.hpp"
#include "sim/report/metrics_report.hpp"
#include "sim/report/paint.hpp"
#include "sim/report/verdicts.hpp"

namespace ersim::report {

using scenario::Cause;
using scenario::LogEntry;
using scenario::Outage;
using scenario::seconds;

namespace {

/// "  12.345s" aligned on the seconds.
std::string stamp(SimTime at) { return fmt::format("{:>10.3f}s", seconds(at - kTimeZero)); }

/// The timeline, with a burst of route changes at one router and instant folded into one line.
void write_log(std::string& out, const std::vector<LogEntry>& log, bool color) {
  constexpr std::size_t kBurst = 4;
  for (std::size_t i = 0; i < log.size();) {
    const LogEntry& e = log[i];
    std::size_t j = i + 1;
    if (e.kind == LogEntry::Kind::Route) {
      while (j < log.size() && log[j].kind == LogEntry::Kind::Route && log[j].at == e.at &&
             log[j].fields["router"] == e.fields["router"]) {
        ++j;
      }
    }
    if (j - i >= kBurst) {
      out += fmt::format("{}  {:<7}  {} routes changed at {}\n", stamp(e.at),
                         paint("route", kAnsiDim, color), j - i,
                         e.fields["router"].get<std::string>());
      i = j;
      continue;
    }
    for (std::size_t k = i; k < j; ++k) {
      const LogEntry& line = log[k];
      const bool bad = line.kind == LogEntry::Kind::Flow &&
                       line.fields["outcome"] != reach::to_string(reach::Outcome::Delivered);
      const std::string word = fmt::format("{:<7}", scenario::to_string(line.kind));
      out +=
          fmt::format("{}  {}  {}\n", stamp(line.at),
                      paint(word, line.kind == LogEntry::Kind::Event ? kAnsiBold : kAnsiDim, color),
                      bad ? paint(line.text, kAnsiRed, color) : line.text);
    }
    i = j;
  }
}

nlohmann::ordered_json interval_json(const topo::Topology& topology, const reach::Interval& i) {
  nlohmann::ordered_json j{{"start_s", seconds(i.start - kTimeZero)},
                           {"end_s", seconds(i.end - kTimeZero)},
                           {"outcome", reach::to_string(i.trace.outcome)},
                           {"path", reach::path_text(topology, i.trace)}};
  j["circuit"] = i.trace.circuit ? nlohmann::ordered_json(topology.circuit(*i.trace.circuit).name)
                                 : nlohmann::ordered_json(nullptr);
  return j;
}

nlohmann::ordered_json outage_json(const scenario::Scenario& s, const Outage& o) {
  const Cause& c = o.cause;
  nlohmann::ordered_json cause{
      {"event", c.event ? nlohmann::ordered_json(s.events.at(*c.event).text) : nullptr},
      {"event_s",
       c.event ? nlohmann::ordered_json(seconds(s.events.at(*c.event).at - kTimeZero)) : nullptr},
      {"detection", c.detection},
      {"detection_s", seconds(c.detection_time)},
      {"propagation_s", seconds(c.propagation)},
      {"gateway_reconvergence_s", seconds(c.gateway_reconvergence)}};
  return {{"start_s", seconds(o.start - kTimeZero)},
          {"end_s", seconds(o.end - kTimeZero)},
          {"duration_s", seconds(o.duration())},
          {"outcome", reach::to_string(o.outcome)},
          {"where", o.where},
          {"open", o.open},
          {"cause", std::move(cause)}};
}

/// The nearest-rank percentile of sorted values (p in 0..100).
Duration percentile(const std::vector<Duration>& sorted, int p) {
  const std::size_t rank = (sorted.size() * static_cast<std::size_t>(p) + 99) / 100;
  return sorted.at(std::max<std::size_t>(rank, 1) - 1);
}

}  // namespace

std::string cause_text(const scenario::Scenario& s, const Cause& c) {
  std::string out = c.event ? fmt::format("after '{}'", s.events.at(*c.event).text)
                            : std::string("from the start");
  if (c.detection != "none") {
    out += fmt::format("; detected by {} in {}", c.detection,
                       scenario::duration_text(c.detection_time));
  }
  out += fmt::format("; propagation {}", scenario::duration_text(c.propagation));
  if (c.gateway_reconvergence > Duration::zero()) {
    out +=
        fmt::format("; gateway reconvergence {}", scenario::duration_text(c.gateway_reconvergence));
  }
  return out;
}

OutageStatistics outage_statistics(const scenario::ScenarioResult& result, std::size_t flow) {
  OutageStatistics stats;
  for (const scenario::RunResult& r : result.runs) {
    stats.totals.push_back(r.flows.at(flow).total_outage);
  }
  std::sort(stats.totals.begin(), stats.totals.end());
  stats.min = stats.totals.front();
  stats.median = percentile(stats.totals, 50);
  stats.p95 = percentile(stats.totals, 95);
  stats.max = stats.totals.back();
  return stats;
}

std::string run_text(const topo::Topology& topology, const scenario::Scenario& s,
                     const scenario::ScenarioResult& result, bool color) {
  const scenario::RunResult& first = result.runs.front();
  std::string out;
  out += fmt::format("{} on {}: seed {}, {} run{}, until {}\n", paint(s.name, kAnsiBold, color),
                     topology.name(), s.seed, s.runs, s.runs == 1 ? "" : "s", format_time(s.until));
  if (!s.description.empty()) {
    out += fmt::format("{}\n", s.description);
  }
  out += fmt::format("The network converged from a cold start in {}; times count from there.\n\n",
                     scenario::duration_text(first.converged_after));
  out += paint("Timeline", kAnsiBold, color) + "\n";
  write_log(out, first.log, color);

  out += "\n" + paint("Flows", kAnsiBold, color) + "\n";
  for (std::size_t f = 0; f < s.flows.size(); ++f) {
    const scenario::FlowRun& run = first.flows.at(f);
    const std::string summary =
        run.outages.empty()
            ? paint("never out", kAnsiGreen, color)
            : paint(fmt::format("{} outage{}, total {}, longest {}", run.outages.size(),
                                run.outages.size() == 1 ? "" : "s",
                                scenario::duration_text(run.total_outage),
                                scenario::duration_text(run.longest_outage)),
                    kAnsiRed, color);
    out += fmt::format("  {}: {}\n", s.flows[f].name, summary);
    for (const Outage& o : run.outages) {
      out +=
          fmt::format("    {} to {}{}  {} ({}: {})\n", scenario::time_text(o.start),
                      scenario::time_text(o.end), o.open ? " (still out at the end)" : "",
                      scenario::duration_text(o.duration()), reach::to_string(o.outcome), o.where);
      out += fmt::format("      {}\n", cause_text(s, o.cause));
    }
  }
  if (const FlowRates table(s); table.carries_traffic()) {
    out += "\n" + load_text(first.capacity, channel_names(topology, first.capacity), table.rated(),
                            color, kBusiestShown);
  }
  if (s.runs > 1) {
    out += fmt::format("\n{} ({} runs, seeds {}-{})\n",
                       paint("Total outage per run", kAnsiBold, color), s.runs, s.seed,
                       s.seed + s.runs - 1);
    for (std::size_t f = 0; f < s.flows.size(); ++f) {
      const OutageStatistics stats = outage_statistics(result, f);
      out += fmt::format("  {}: min {}, median {}, p95 {}, max {}\n", s.flows[f].name,
                         scenario::duration_text(stats.min), scenario::duration_text(stats.median),
                         scenario::duration_text(stats.p95), scenario::duration_text(stats.max));
    }
  }
  out += run_metrics_text(topology, s, result, color);
  if (!s.expectations.empty()) {
    out += "\n" + verdicts_text(verdict_lines(s.expectations, result.expectations), color);
  }
  return out;
}

nlohmann::ordered_json run_json(const topo::Topology& topology, const scenario::Scenario& s,
                                const scenario::ScenarioResult& result) {
  const scenario::RunResult& first = result.runs.front();
  nlohmann::ordered_json flows = nlohmann::ordered_json::array();
  for (std::size_t f = 0; f < s.flows.size(); ++f) {
    const scenario::Flow& flow = s.flows[f];
    const scenario::FlowRun& run = first.flows.at(f);
    nlohmann::ordered_json outages = nlohmann::ordered_json::array();
    for (const Outage& o : run.outages) {
      outages.push_back(outage_json(s, o));
    }
    nlohmann::ordered_json timeline = nlohmann::ordered_json::array();
    for (const reach::Interval& i : run.timeline) {
      timeline.push_back(interval_json(topology, i));
    }
    const OutageStatistics stats = outage_statistics(result, f);
    flows.push_back({{"name", flow.name},
                     {"source", flow.source.name},
                     {"destination", flow.destination.to_string()},
                     {"dscp", flow.dscp ? nlohmann::ordered_json(*flow.dscp) : nullptr},
                     {"rate_bps", flow.rate_bps > 0 ? nlohmann::ordered_json(flow.rate_bps)
                                                    : nlohmann::ordered_json(nullptr)},
                     {"total_outage_s", seconds(run.total_outage)},
                     {"longest_outage_s", seconds(run.longest_outage)},
                     {"outages", std::move(outages)},
                     {"timeline", std::move(timeline)},
                     {"statistics",
                      {{"min_s", seconds(stats.min)},
                       {"median_s", seconds(stats.median)},
                       {"p95_s", seconds(stats.p95)},
                       {"max_s", seconds(stats.max)}}}});
  }
  nlohmann::ordered_json expectations = nlohmann::ordered_json::array();
  for (std::size_t e = 0; e < s.expectations.size(); ++e) {
    expectations.push_back({{"text", s.expectations[e].text},
                            {"met", result.expectations.at(e).met},
                            {"detail", result.expectations.at(e).detail}});
  }
  nlohmann::ordered_json per_run = nlohmann::ordered_json::array();
  for (const scenario::RunResult& r : result.runs) {
    nlohmann::ordered_json run_flows = nlohmann::ordered_json::array();
    for (std::size_t f = 0; f < s.flows.size(); ++f) {
      run_flows.push_back({{"name", s.flows[f].name},
                           {"total_outage_s", seconds(r.flows.at(f).total_outage)},
                           {"longest_outage_s", seconds(r.flows.at(f).longest_outage)}});
    }
    per_run.push_back(
        {{"seed", r.seed},
         {"converged_after_s", seconds(r.converged_after)},
         {"flows", std::move(run_flows)},
         {"expectations_met", std::all_of(r.expectations.begin(), r.expectations.end(),
                                          [](const scenario::Verdict& v) { return v.met; })}});
  }
  const router::NetworkStats& stats = first.stats;
  const FlowRates table(s);
  nlohmann::ordered_json capacity = nullptr;
  if (table.carries_traffic()) {
    capacity = load_json(first.capacity, channel_names(topology, first.capacity), table.rated());
  }
  nlohmann::ordered_json doc{
      {"schema", kRunSchema},
      {"scenario", s.name},
      {"topology", topology.name()},
      {"seed", s.seed},
      {"runs", s.runs},
      {"until_s", seconds(s.until - kTimeZero)},
      {"flows", std::move(flows)},
      {"expectations", std::move(expectations)},
      {"all_met", result.all_met()},
      {"capacity", std::move(capacity)},
      {"per_run", std::move(per_run)},
      {"network",
       {{"updates_sent", stats.updates_sent},
        {"prefixes_sent", stats.prefixes_sent},
        {"route_changes", stats.route_changes},
        {"gateway_reconvergence_batches", stats.gateway_reconvergence_batches},
        {"engine_events", first.engine_events}}}};
  doc["metrics"] = run_metrics_json(topology, s, result);
  return doc;
}

std::string run_trace(const scenario::ScenarioResult& result) {
  std::string out;
  for (const LogEntry& e : result.runs.front().log) {
    out += e.fields.dump();
    out += '\n';
  }
  return out;
}

}  // namespace ersim::report
