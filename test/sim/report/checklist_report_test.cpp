#include "sim/report/checklist_report.hpp"

#include <gtest/gtest.h>

#include "sim/io/topology_yaml.hpp"

namespace ersim::report {
namespace {

topo::Topology flawed() {
  return io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/flawed.yaml");
}

TEST(ChecklistReport, JsonCarriesSchemaFindingsAndSummary) {
  const topo::Topology t = flawed();
  const topo::ChecklistReport r = topo::run_checklist(t);
  const nlohmann::json j = checklist_json(t, r);
  EXPECT_EQ(j["schema"], "ersim.check/1");
  EXPECT_EQ(j["topology"], "flawed");
  EXPECT_EQ(j["summary"]["errors"], 6);
  EXPECT_EQ(j["summary"]["warnings"], 6);
  ASSERT_EQ(j["findings"].size(), r.findings.size());
  EXPECT_EQ(j["findings"][0]["severity"], "error");
  EXPECT_EQ(j["findings"][0]["rule"], "redundant-ce");
  EXPECT_EQ(j["findings"][0]["object"], "er-fra");
  EXPECT_FALSE(j["findings"][0]["advice"].get<std::string>().empty());
  EXPECT_EQ(j["resiliency"][0]["vnet"], "app");
  EXPECT_EQ(j["resiliency"][0]["model"], "standard");
}

TEST(ChecklistReport, TextListsFindingsWithAdviceAndCounts) {
  const topo::Topology t = flawed();
  const std::string text = checklist_text(t, topo::run_checklist(t), false);
  EXPECT_NE(text.find("ExpressRoute checklist for 'flawed'"), std::string::npos);
  EXPECT_NE(text.find("error   the primary and secondary links of the private peering"),
            std::string::npos);
  EXPECT_NE(text.find("        -> Terminate the secondary link"), std::string::npos);
  EXPECT_NE(text.find("6 error(s), 6 warning(s), 0 info"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);  // no colour when not asked
  EXPECT_NE(checklist_text(t, topo::run_checklist(t), true).find("\x1b[1;31m"), std::string::npos);
}

}  // namespace
}  // namespace ersim::report
