#include "sim/report/checklist_report.hpp"

#include <fmt/format.h>

#include "sim/report/paint.hpp"

namespace ersim::report {
namespace {

std::string_view severity_colour(topo::Severity severity) {
  switch (severity) {
    case topo::Severity::Error:
      return kAnsiRed;
    case topo::Severity::Warning:
      return "33";
    case topo::Severity::Info:
      return "36";
  }
  return "0";
}

}  // namespace

std::string checklist_text(const topo::Topology& topology, const topo::ChecklistReport& report,
                           bool color) {
  std::string out = fmt::format("ExpressRoute checklist for '{}'\n\n", topology.name());
  for (const topo::VNetResiliency& r : report.resiliency) {
    std::string locations;
    for (const std::string& l : r.locations) {
      locations += locations.empty() ? "" : ", ";
      locations += l;
    }
    out += fmt::format("  {:<24} resiliency {:<11} {}\n", r.vnet, to_string(r.model),
                       locations.empty() ? "" : "(" + locations + ")");
  }
  if (!report.resiliency.empty()) {
    out += '\n';
  }
  for (const topo::Finding& f : report.findings) {
    const std::string label = fmt::format("{:<7}", to_string(f.severity));
    out += fmt::format("{} {} [{}]\n", paint(label, severity_colour(f.severity), color), f.message,
                       f.rule);
    if (!f.advice.empty()) {
      out += fmt::format("        -> {}\n", f.advice);
    }
  }
  out += fmt::format("\n{} error(s), {} warning(s), {} info\n", report.count(topo::Severity::Error),
                     report.count(topo::Severity::Warning), report.count(topo::Severity::Info));
  return out;
}

nlohmann::json checklist_json(const topo::Topology& topology, const topo::ChecklistReport& report) {
  nlohmann::json resiliency = nlohmann::json::array();
  for (const topo::VNetResiliency& r : report.resiliency) {
    resiliency.push_back(
        {{"vnet", r.vnet}, {"model", to_string(r.model)}, {"locations", r.locations}});
  }
  nlohmann::json findings = nlohmann::json::array();
  for (const topo::Finding& f : report.findings) {
    findings.push_back({{"severity", to_string(f.severity)},
                        {"rule", f.rule},
                        {"object", f.object},
                        {"message", f.message},
                        {"advice", f.advice}});
  }
  return {{"schema", kChecklistSchema},
          {"topology", topology.name()},
          {"resiliency", resiliency},
          {"findings", findings},
          {"summary",
           {{"errors", report.count(topo::Severity::Error)},
            {"warnings", report.count(topo::Severity::Warning)},
            {"info", report.count(topo::Severity::Info)}}}};
}

}  // namespace ersim::report
