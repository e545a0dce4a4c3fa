#include "sim/io/sweep_journal.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <utility>

#include "sim/io/config_error.hpp"

namespace ersim::io {
namespace {

// 2: sets carry their convergence storm ("storm") and, when flows have a rate, their loads
// ("busiest", "overloads").
constexpr const char* kFormat = "ersim.sweep-journal/2";

template <class Id>
std::vector<std::uint32_t> values(const std::vector<Id>& ids) {
  std::vector<std::uint32_t> out;
  out.reserve(ids.size());
  for (const Id id : ids) {
    out.push_back(id.value);
  }
  return out;
}

template <class Id>
std::vector<Id> ids(const nlohmann::json& array) {
  std::vector<Id> out;
  for (const auto& v : array) {
    out.push_back(Id{v.get<std::uint32_t>()});
  }
  return out;
}

// A channel as [kind, index, forward], kind 0 for a link, 1 for a circuit.
nlohmann::json channel_json(reach::Channel c) {
  return {c.kind == reach::Channel::Kind::Link ? 0 : 1, c.index, c.forward};
}

reach::Channel channel_of(const nlohmann::json& j) {
  return {j.at(0).get<int>() == 0 ? reach::Channel::Kind::Link : reach::Channel::Kind::Circuit,
          j.at(1).get<std::uint32_t>(), j.at(2).get<bool>()};
}

SimTime time_of(const nlohmann::json& j) { return SimTime(Duration(j.get<std::int64_t>())); }

std::int64_t nanoseconds(SimTime t) { return (t - kTimeZero).count(); }

// A duration that may be absent: nanoseconds, or null.
nlohmann::json optional_json(const std::optional<Duration>& d) {
  return d ? nlohmann::json(d->count()) : nlohmann::json(nullptr);
}

std::optional<Duration> optional_duration(const nlohmann::json& j) {
  return j.is_null() ? std::nullopt : std::optional(Duration(j.get<std::int64_t>()));
}

}  // namespace

std::string journal_line(const sweep::SetResult& result) {
  nlohmann::json flows = nlohmann::json::array();
  for (const sweep::FlowHit& h : result.flows) {
    flows.push_back({h.flow, h.lost_runs, h.partitioned_runs, h.worst_outage.count(),
                     h.mean_outage.count(), h.detection});
  }
  nlohmann::json detours = nlohmann::json::array();
  for (const sweep::Detour& d : result.detours) {
    detours.push_back({d.flow, values(d.links), values(d.routers)});
  }
  const scenario::Storm& s = result.storm;
  nlohmann::json line{{"set", result.set.elements},
                      {"flows", std::move(flows)},
                      {"detours", std::move(detours)},
                      {"events", result.engine_events},
                      {"storm",
                       {s.sessions_down, s.updates, s.prefixes, s.route_changes,
                        optional_json(s.first_change), optional_json(s.last_change)}}};
  if (result.busiest) {
    const reach::ChannelPeak& p = *result.busiest;
    line["busiest"] = {channel_json(p.channel), p.capacity_bps, p.peak_bps, nanoseconds(p.at)};
  }
  if (!result.overloads.empty()) {
    nlohmann::json overloads = nlohmann::json::array();
    for (const reach::Overload& o : result.overloads) {
      overloads.push_back({channel_json(o.channel), o.capacity_bps, o.peak_bps,
                           nanoseconds(o.start), nanoseconds(o.end), o.open, nanoseconds(o.peak_at),
                           o.flows});
    }
    line["overloads"] = std::move(overloads);
  }
  return line.dump();
}

bool parse_journal_line(const std::string& line, sweep::SetResult& result) {
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("set") || !j.contains("flows") || !j.contains("detours") ||
      !j.contains("events") || !j.contains("storm")) {
    return false;
  }
  try {
    sweep::SetResult r;
    r.set.elements = j.at("set").get<std::vector<std::uint32_t>>();
    r.engine_events = j.at("events").get<std::uint64_t>();
    for (const auto& f : j.at("flows")) {
      r.flows.push_back({f.at(0).get<std::uint32_t>(), f.at(1).get<std::uint32_t>(),
                         f.at(2).get<std::uint32_t>(), Duration(f.at(3).get<std::int64_t>()),
                         Duration(f.at(4).get<std::int64_t>()), f.at(5).get<std::string>()});
    }
    const nlohmann::json& storm = j.at("storm");
    r.storm = {storm.at(0).get<std::uint32_t>(), storm.at(1).get<std::uint64_t>(),
               storm.at(2).get<std::uint64_t>(), storm.at(3).get<std::uint64_t>(),
               optional_duration(storm.at(4)),   optional_duration(storm.at(5))};
    for (const auto& d : j.at("detours")) {
      r.detours.push_back(
          {d.at(0).get<std::uint32_t>(), ids<topo::LinkId>(d.at(1)), ids<topo::RouterId>(d.at(2))});
    }
    if (j.contains("busiest")) {
      const nlohmann::json& p = j.at("busiest");
      r.busiest = reach::ChannelPeak{channel_of(p.at(0)), p.at(1).get<std::uint64_t>(),
                                     p.at(2).get<std::uint64_t>(), time_of(p.at(3))};
    }
    if (j.contains("overloads")) {
      for (const auto& o : j.at("overloads")) {
        r.overloads.push_back({channel_of(o.at(0)), o.at(1).get<std::uint64_t>(),
                               o.at(2).get<std::uint64_t>(), time_of(o.at(3)), time_of(o.at(4)),
                               o.at(5).get<bool>(), time_of(o.at(6)),
                               o.at(7).get<std::vector<std::uint32_t>>()});
      }
    }
    result = std::move(r);
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

SweepJournal SweepJournal::open(const std::string& path, const std::string& fingerprint,
                                bool resume) {
  SweepJournal journal;
  journal.path_ = path;
  const nlohmann::json header{{"format", kFormat}, {"fingerprint", fingerprint}};
  std::uintmax_t keep = 0;  // bytes of whole lines to keep
  if (resume && std::filesystem::exists(path)) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    int number = 0;
    std::uintmax_t offset = 0;
    while (std::getline(in, line)) {
      ++number;
      if (in.eof()) {
        break;  // no newline: cut short by the interruption, dropped
      }
      const std::uintmax_t end = offset + line.size() + 1;
      if (number == 1) {
        const nlohmann::json h = nlohmann::json::parse(line, nullptr, false);
        if (!h.is_object() || h.value("format", "") != kFormat) {
          throw ConfigError(path, 1, 1, "not a sweep journal (ersim sweep --results writes one)");
        }
        if (h.value("fingerprint", "") != fingerprint) {
          throw ConfigError(path, 1, 1,
                            "this journal is of another sweep (another topology, scenario or "
                            "options): resume with the same ones, or start afresh without "
                            "--resume");
        }
      } else {
        sweep::SetResult r;
        if (!parse_journal_line(line, r)) {
          throw ConfigError(path, number, 1, "malformed sweep journal line");
        }
        journal.results_.push_back(std::move(r));
      }
      offset = end;
    }
    keep = offset;
  }
  if (keep > 0) {
    std::filesystem::resize_file(path, keep);
    journal.out_.open(path, std::ios::binary | std::ios::app);
  } else {
    journal.out_.open(path, std::ios::binary | std::ios::trunc);
    journal.out_ << header.dump() << '\n';
    journal.out_.flush();
  }
  if (!journal.out_) {
    throw ConfigError(path, 1, 1, "cannot write the sweep journal");
  }
  return journal;
}

void SweepJournal::append(const sweep::SetResult& result) {
  out_ << journal_line(result) << '\n';
  out_.flush();
}

}  // namespace ersim::io
