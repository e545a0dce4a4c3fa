#include "sim/topo/qos.hpp"

#include <gtest/gtest.h>

namespace ersim::topo {
namespace {

TEST(Qos, MicrosoftExpectsTheDocumentedMarkings) {
  EXPECT_EQ(microsoft_dscp(TrafficClass::Voice), 46);
  EXPECT_EQ(microsoft_dscp(TrafficClass::Video), 34);
  EXPECT_EQ(microsoft_dscp(TrafficClass::AppSharing), 18);
  EXPECT_EQ(microsoft_dscp(TrafficClass::FileTransfer), 10);
  EXPECT_EQ(microsoft_dscp(TrafficClass::Other), 0);
}

TEST(Qos, ParseDscpTakesNumbersAndPerHopBehaviourNames) {
  EXPECT_EQ(parse_dscp("EF"), 46);
  EXPECT_EQ(parse_dscp("AF11"), 10);
  EXPECT_EQ(parse_dscp("AF41"), 34);
  EXPECT_EQ(parse_dscp("AF43"), 38);
  EXPECT_EQ(parse_dscp("CS0"), 0);
  EXPECT_EQ(parse_dscp("CS7"), 56);
  EXPECT_EQ(parse_dscp("0"), 0);
  EXPECT_EQ(parse_dscp("63"), 63);
}

TEST(Qos, ParseDscpRefusesWhatIsNoCodePoint) {
  for (const char* bad :
       {"", "64", "-1", "046", "ef", "AF14", "AF51", "AF1", "CS8", "EF1", "4 6"}) {
    EXPECT_FALSE(parse_dscp(bad).has_value()) << bad;
  }
}

TEST(Qos, DscpNamePrintsTheNameOrTheNumber) {
  EXPECT_EQ(dscp_name(46), "EF");
  EXPECT_EQ(dscp_name(34), "AF41");
  EXPECT_EQ(dscp_name(10), "AF11");
  EXPECT_EQ(dscp_name(0), "CS0");
  EXPECT_EQ(dscp_name(48), "CS6");
  EXPECT_EQ(dscp_name(44), "44");
  EXPECT_EQ(dscp_name(1), "1");
  for (int d = 0; d <= 63; ++d) {  // every name reads back as its code point
    EXPECT_EQ(parse_dscp(dscp_name(static_cast<std::uint8_t>(d))), d) << d;
  }
}

TEST(Qos, TrafficClassesPrintAsTheirYamlKeys) {
  EXPECT_EQ(to_string(TrafficClass::AppSharing), "app_sharing");
  EXPECT_EQ(to_string(TrafficClass::FileTransfer), "file_transfer");
}

}  // namespace
}  // namespace ersim::topo
