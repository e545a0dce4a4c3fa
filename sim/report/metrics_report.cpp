#include "sim/report/metrics_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "sim/report/html_page.hpp"
#include "sim/report/paint.hpp"
#include "sim/report/sweep_report.hpp"

namespace ersim::report {

using scenario::duration_text;
using scenario::PrefixHeadroom;
using scenario::RouterChurn;
using scenario::RunMetrics;
using scenario::seconds;
using scenario::Storm;
using scenario::TableSize;

namespace {

std::string esc(std::string_view text) { return html_escaped(text); }

/// "1 session", "2 sessions"; "1 prefix", "2 prefixes".
std::string counted(std::uint64_t n, std::string_view word) {
  const bool es = word.back() == 'x';
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : es ? "es" : "s");
}

/// "first +903.1ms, last +1.204s", or "no route change".
std::string changes_text(const Storm& s) {
  if (!s.last_change) {
    return "no route change";
  }
  return fmt::format("first +{}, last +{}", duration_text(*s.first_change),
                     duration_text(*s.last_change));
}

/// "2 sessions down, 14 UPDATEs (20 prefixes), 22 route changes".
std::string storm_text(const Storm& s) {
  return fmt::format("{} down, {} ({}), {}", counted(s.sessions_down, "session"),
                     counted(s.updates, "UPDATE"), counted(s.prefixes, "prefix"),
                     counted(s.route_changes, "route change"));
}

std::string table_label(const topo::Topology& t, const TableSize& table) {
  const std::string& router = t.router(table.router).name;
  return table.vrf.empty() ? router : fmt::format("{} vrf {}", router, table.vrf);
}

/// "amsterdam-msee1 on er-ams.private.primary".
std::string end_label(const topo::Topology& t, const PrefixHeadroom& h) {
  return fmt::format("{} on {}", t.router(h.router).name, t.session(h.session).name);
}

/// "3,999 (99.9%)", "-1 (over the limit)".
std::string headroom_text(const PrefixHeadroom& h) {
  if (h.headroom() < 0) {
    return fmt::format("{} (over the limit)", h.headroom());
  }
  return fmt::format("{} ({:.1f}%)", h.headroom(),
                     100.0 * static_cast<double>(h.headroom()) / static_cast<double>(h.limit));
}

std::string held_text(const PrefixHeadroom& h) {
  return h.held ? "; session dropped for max-prefix" : "";
}

bool has_churn(const RouterChurn& c) {
  return c.messages() > 0 || c.stats.route_changes > 0 || c.sessions_down > 0;
}

std::size_t churned(const RunMetrics& m) {
  return static_cast<std::size_t>(std::count_if(m.churn.begin(), m.churn.end(), has_churn));
}

std::string churn_text(const RouterChurn& c) {
  return fmt::format("{} sent, {} received, {}, {} down", counted(c.stats.updates_sent, "UPDATE"),
                     c.stats.updates_received, counted(c.stats.route_changes, "route change"),
                     counted(c.sessions_down, "session"));
}

nlohmann::ordered_json seconds_or_null(const std::optional<Duration>& d) {
  return d ? nlohmann::ordered_json(seconds(*d)) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json ns_or_null(const std::optional<Duration>& d) {
  return d ? nlohmann::ordered_json(d->count()) : nlohmann::ordered_json(nullptr);
}

std::size_t widest(const std::vector<std::string>& texts) {
  std::size_t width = 0;
  for (const std::string& t : texts) {
    width = std::max(width, t.size());
  }
  return width;
}

}  // namespace

std::string run_metrics_text(const topo::Topology& topology, const scenario::Scenario& s,
                             const scenario::ScenarioResult& result, bool color) {
  const RunMetrics& m = result.runs.front().metrics;
  std::string out = "\n" + paint("Network metrics (first run)", kAnsiBold, color) + "\n";
  out += fmt::format("  cold start: last route change at {}\n",
                     duration_text(m.cold_start_last_change));
  if (!s.events.empty()) {
    out += "  convergence after each event (route changes until the next event):\n";
    std::vector<std::string> texts;
    for (const scenario::Event& e : s.events) {
      texts.push_back(e.text);
    }
    const std::size_t width = widest(texts);
    for (std::size_t i = 0; i < s.events.size(); ++i) {
      const Storm& storm = m.events.at(i);
      const bool shared = scenario::fails_shared_device(topology, s.events[i]);
      out += fmt::format(
          "  {:>10}  {:<{}}  {}{}{}\n", scenario::time_text(s.events[i].at), texts[i], width,
          changes_text(storm),
          storm.last_change || storm.sessions_down > 0 ? "; " + storm_text(storm) : std::string(),
          shared ? paint(" (storm: a shared device failed)", kAnsiRed, color) : "");
    }
  }

  const std::size_t busy = churned(m);
  if (busy > 0) {
    const std::size_t n = std::min(busy, kMetricsTop);
    out += fmt::format("  churn since time 0 (the top {} of {} routers with any):\n", n, busy);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < n; ++i) {
      names.push_back(topology.router(m.churn[i].router).name);
    }
    const std::size_t width = widest(names);
    for (std::size_t i = 0; i < n; ++i) {
      out += fmt::format("    {:<{}}  {}\n", names[i], width, churn_text(m.churn[i]));
    }
  } else {
    out += "  churn since time 0: none\n";
  }

  const std::size_t tables = std::min(m.tables.size(), kMetricsTop);
  out += fmt::format("  tables at the end (the largest {} of {} routing instances):\n", tables,
                     m.tables.size());
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < tables; ++i) {
    labels.push_back(table_label(topology, m.tables[i]));
  }
  const std::size_t table_width = widest(labels);
  for (std::size_t i = 0; i < tables; ++i) {
    out += fmt::format("    {:<{}}  RIB {}, FIB {}\n", labels[i], table_width,
                       counted(m.tables[i].rib_routes, "route"),
                       counted(m.tables[i].fib_prefixes, "prefix"));
  }

  if (!m.headroom.empty()) {
    const std::size_t n = std::min(m.headroom.size(), kMetricsTop);
    out += fmt::format(
        "  prefix limits (the tightest {} of {} session ends; tight under {:.0f}% headroom):\n", n,
        m.headroom.size(), scenario::kTightHeadroom * 100);
    std::vector<std::string> ends;
    for (std::size_t i = 0; i < n; ++i) {
      ends.push_back(end_label(topology, m.headroom[i]));
    }
    const std::size_t width = widest(ends);
    for (std::size_t i = 0; i < n; ++i) {
      const PrefixHeadroom& h = m.headroom[i];
      const std::string line = fmt::format("{} of {} (peak {}), headroom {}{}", h.received, h.limit,
                                           h.peak, headroom_text(h), held_text(h));
      out += fmt::format("    {:<{}}  {}\n", ends[i], width,
                         h.tight() ? paint(line + " TIGHT", kAnsiRed, color) : line);
    }
  }
  return out;
}

nlohmann::ordered_json run_metrics_json(const topo::Topology& topology, const scenario::Scenario& s,
                                        const scenario::ScenarioResult& result) {
  const RunMetrics& m = result.runs.front().metrics;
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const Storm& storm = m.events.at(i);
    events.push_back({{"event", s.events[i].text},
                      {"at_s", seconds(s.events[i].at - kTimeZero)},
                      {"shared_device", scenario::fails_shared_device(topology, s.events[i])},
                      {"first_change_s", seconds_or_null(storm.first_change)},
                      {"last_change_s", seconds_or_null(storm.last_change)},
                      {"sessions_down", storm.sessions_down},
                      {"updates", storm.updates},
                      {"prefixes", storm.prefixes},
                      {"route_changes", storm.route_changes}});
  }
  nlohmann::ordered_json churn = nlohmann::ordered_json::array();
  for (const RouterChurn& c : m.churn) {
    const topo::Router& router = topology.router(c.router);
    churn.push_back({{"router", router.name},
                     {"role", topo::to_string(router.role)},
                     {"updates_sent", c.stats.updates_sent},
                     {"updates_received", c.stats.updates_received},
                     {"prefixes_sent", c.stats.prefixes_sent},
                     {"prefixes_received", c.stats.prefixes_received},
                     {"route_changes", c.stats.route_changes},
                     {"sessions_down", c.sessions_down}});
  }
  nlohmann::ordered_json tables = nlohmann::ordered_json::array();
  for (const TableSize& t : m.tables) {
    tables.push_back({{"router", topology.router(t.router).name},
                      {"vrf", t.vrf},
                      {"rib_routes", t.rib_routes},
                      {"fib_prefixes", t.fib_prefixes}});
  }
  nlohmann::ordered_json limits = nlohmann::ordered_json::array();
  for (const PrefixHeadroom& h : m.headroom) {
    limits.push_back({{"session", topology.session(h.session).name},
                      {"router", topology.router(h.router).name},
                      {"limit", h.limit},
                      {"received", h.received},
                      {"peak", h.peak},
                      {"headroom", h.headroom()},
                      {"tight", h.tight()},
                      {"held", h.held}});
  }
  return {{"cold_start_last_change_s", seconds(m.cold_start_last_change)},
          {"events", std::move(events)},
          {"churn", std::move(churn)},
          {"tables", std::move(tables)},
          {"prefix_limits",
           {{"tight_below", scenario::kTightHeadroom}, {"sessions", std::move(limits)}}}};
}

std::string run_metrics_html(const topo::Topology& topology, const scenario::Scenario& s,
                             const scenario::ScenarioResult& result) {
  const RunMetrics& m = result.runs.front().metrics;
  std::string out = "<section id=\"metrics\">\n<h2>Network metrics (first run)</h2>\n";
  out += fmt::format("<p>The cold start's last route change came at {}.</p>\n",
                     duration_text(m.cold_start_last_change));
  if (!s.events.empty()) {
    out +=
        "<h3>Convergence after each event</h3>\n<table class=\"convergence\">\n<tr><th>at</th>"
        "<th>event</th><th>first route change</th><th>last route change</th><th>sessions "
        "down</th><th>UPDATEs</th><th>prefixes</th><th>route changes</th></tr>\n";
    for (std::size_t i = 0; i < s.events.size(); ++i) {
      const Storm& storm = m.events.at(i);
      const bool shared = scenario::fails_shared_device(topology, s.events[i]);
      const auto after = [](const std::optional<Duration>& d) {
        return d ? "+" + duration_text(*d) : std::string("none");
      };
      out += fmt::format(
          "<tr{}><td class=\"num\">{}</td><td>{}{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
          shared ? " class=\"storm\"" : "", scenario::time_text(s.events[i].at),
          esc(s.events[i].text), shared ? " <strong>(storm: a shared device)</strong>" : "",
          after(storm.first_change), after(storm.last_change), storm.sessions_down, storm.updates,
          storm.prefixes, storm.route_changes);
    }
    out += "</table>\n";
  }
  const std::size_t busy = std::min(churned(m), kMetricsTop);
  out += fmt::format(
      "<h3>Churn since time 0</h3>\n<table class=\"churn\">\n<tr><th>router</th><th>UPDATEs "
      "sent</th><th>UPDATEs received</th><th>route changes</th><th>sessions down</th></tr>\n");
  for (std::size_t i = 0; i < busy; ++i) {
    const RouterChurn& c = m.churn[i];
    out += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        esc(topology.router(c.router).name), c.stats.updates_sent, c.stats.updates_received,
        c.stats.route_changes, c.sessions_down);
  }
  out += "</table>\n";
  if (busy == 0) {
    out += "<p class=\"note\">No router sent or changed anything after time 0.</p>\n";
  }
  const std::size_t tables = std::min(m.tables.size(), kMetricsTop);
  out +=
      "<h3>Tables at the end</h3>\n<table class=\"tables\">\n<tr><th>routing instance</th>"
      "<th>RIB routes</th><th>FIB prefixes</th></tr>\n";
  for (std::size_t i = 0; i < tables; ++i) {
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       esc(table_label(topology, m.tables[i])), m.tables[i].rib_routes,
                       m.tables[i].fib_prefixes);
  }
  out += "</table>\n";
  if (!m.headroom.empty()) {
    out += fmt::format(
        "<h3>Prefix limits</h3>\n<p class=\"note\">Tight under {:.0f}% headroom; the tightest {} "
        "of {} session ends.</p>\n<table class=\"prefix-limits\">\n<tr><th>session end</th>"
        "<th>received</th><th>peak</th><th>limit</th><th>headroom</th></tr>\n",
        scenario::kTightHeadroom * 100, std::min(m.headroom.size(), kMetricsTop),
        m.headroom.size());
    for (std::size_t i = 0; i < std::min(m.headroom.size(), kMetricsTop); ++i) {
      const PrefixHeadroom& h = m.headroom[i];
      out += fmt::format(
          "<tr{}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}{}</td></tr>\n",
          h.tight() ? " class=\"tight\"" : "", esc(end_label(topology, h)), h.received, h.peak,
          h.limit, headroom_text(h), held_text(h));
    }
    out += "</table>\n";
  }
  out += "</section>\n";
  return out;
}

nlohmann::ordered_json storm_json(const Storm& storm) {
  return {{"sessions_down", storm.sessions_down},
          {"updates", storm.updates},
          {"prefixes", storm.prefixes},
          {"route_changes", storm.route_changes},
          {"first_change_ns", ns_or_null(storm.first_change)},
          {"first_change_s", seconds_or_null(storm.first_change)},
          {"last_change_ns", ns_or_null(storm.last_change)},
          {"last_change_s", seconds_or_null(storm.last_change)}};
}

std::vector<std::size_t> largest_storms(const sweep::SweepResult& result) {
  // The keys are gathered first: sorting the indices through the sets themselves took a cache
  // miss per comparison, seconds for the 600,000 sets of 100,000 circuits.
  struct Key {
    std::uint64_t updates;
    std::uint64_t route_changes;
    std::uint32_t sessions_down;
    std::size_t set;
  };
  std::vector<Key> keys;
  for (std::size_t i = 0; i < result.sets.size(); ++i) {
    const Storm& s = result.sets[i].storm;
    if (s.sessions_down > 0 || s.route_changes > 0 || s.updates > 0) {
      keys.push_back({s.updates, s.route_changes, s.sessions_down, i});
    }
  }
  // The most UPDATEs first, then route changes, then sessions down, then the sweep's order.
  std::sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
    return std::tie(y.updates, y.route_changes, y.sessions_down, x.set) <
           std::tie(x.updates, x.route_changes, x.sessions_down, y.set);
  });
  std::vector<std::size_t> out;
  out.reserve(keys.size());
  for (const Key& key : keys) {
    out.push_back(key.set);
  }
  return out;
}

std::string sweep_storms_text(const sweep::SweepResult& result, bool color, std::size_t top) {
  const std::vector<std::size_t> storms = largest_storms(result);
  std::string out = "\n" + paint("Largest convergence storms", kAnsiBold, color);
  if (storms.empty()) {
    return out + ": none, no failure set changed a route or took a session down\n";
  }
  const std::size_t n = top == 0 ? storms.size() : std::min(storms.size(), top);
  out += fmt::format(
      " (the top {} of {} failure sets that set something going; the largest "
      "over the runs)\n",
      n, storms.size());
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < n; ++i) {
    labels.push_back(set_label(result, result.sets[storms[i]].set));
  }
  const std::size_t width = widest(labels);
  for (std::size_t i = 0; i < n; ++i) {
    const Storm& s = result.sets[storms[i]].storm;
    out += fmt::format("  {:<{}}  {}, {}\n", labels[i], width, storm_text(s),
                       s.last_change ? "last route change +" + duration_text(*s.last_change)
                                     : std::string("no route change"));
  }
  return out;
}

std::string sweep_storms_html(const sweep::SweepResult& result) {
  const std::vector<std::size_t> storms = largest_storms(result);
  std::string out = "<section id=\"storms\">\n<h2>Largest convergence storms</h2>\n";
  if (storms.empty()) {
    return out +
           "<p class=\"note\">No failure set changed a route or took a session down.</p>\n"
           "</section>\n";
  }
  const std::size_t n = std::min(storms.size(), kMetricsTop * 5);
  out +=
      "<table class=\"storms\">\n<tr><th>#</th><th>failure set</th><th>sessions down</th>"
      "<th>UPDATEs</th><th>prefixes</th><th>route changes</th><th>last route change</th></tr>\n";
  for (std::size_t i = 0; i < n; ++i) {
    const Storm& s = result.sets[storms[i]].storm;
    out += fmt::format(
        "<tr data-set=\"{}\"><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>\n",
        storms[i], i + 1, esc(set_label(result, result.sets[storms[i]].set)), s.sessions_down,
        s.updates, s.prefixes, s.route_changes,
        s.last_change ? "+" + duration_text(*s.last_change) : std::string("none"));
  }
  out += "</table>\n";
  out += fmt::format(
      "<p class=\"note\">Figure by figure the largest over the runs; {} of {} failure sets set "
      "something going.</p>\n",
      storms.size(), result.sets.size());
  out += "</section>\n";
  return out;
}

}  // namespace ersim::report
