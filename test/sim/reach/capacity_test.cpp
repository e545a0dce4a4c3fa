// Link and circuit loads from hand-made traces on the Maximum design: which channels a trace
// loads and which way, overloads opening and closing as traces change, the flows named at an
// overload's peak, and an analysis leaving the loads as it found them.
#include "sim/reach/capacity.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "sim/io/topology_yaml.hpp"

namespace ersim::reach {
namespace {

using namespace std::chrono_literals;

class Capacity : public ::testing::Test {
 protected:
  Capacity() : t_(io::load_topology(std::string(ERSIM_SOURCE_DIR) + "/topologies/maximum.yaml")) {}

  topo::RouterId router(const char* name) const { return *t_.router_id(name); }
  topo::LinkId link(const char* name) const { return *t_.link_id(name); }
  std::uint32_t circuit(const char* name) const { return t_.circuit_id(name)->value; }

  // A delivered trace over the routers and links named.
  Trace delivered(std::initializer_list<const char*> routers,
                  std::initializer_list<const char*> links) const {
    Trace tr;
    tr.outcome = Outcome::Delivered;
    for (const char* r : routers) {
      tr.routers.push_back(router(r));
    }
    for (const char* l : links) {
      tr.links.push_back(link(l));
    }
    return tr;
  }
  // ams-ce1 -> ams-msee1 -> hub-gw: amsterdam-dc to Azure over er-ams's primary.
  Trace ams_to_azure() const {
    return delivered({"ams-ce1", "ams-msee1", "hub-gw"},
                     {"er-ams.primary", "hub-gw.er-ams.primary"});
  }
  // lon-ce1 -> lon-msee1 -> hub-gw: over er-lon's primary.
  Trace lon_to_azure() const {
    return delivered({"lon-ce1", "lon-msee1", "hub-gw"},
                     {"er-lon.primary", "hub-gw.er-lon.primary"});
  }
  // lon-ce1 -> ams-ce1 over wan-1, then er-ams's primary.
  Trace lon_via_ams() const {
    return delivered({"lon-ce1", "ams-ce1", "ams-msee1", "hub-gw"},
                     {"wan-1", "er-ams.primary", "hub-gw.er-ams.primary"});
  }

  const topo::Topology& topology() const { return t_; }

 private:
  topo::Topology t_;
};

TEST_F(Capacity, ATraceLoadsItsLinksAndItsCircuitInItsDirection) {
  LoadTracker loads(topology(), {1});
  const std::vector<Channel> out = loads.channels_of(ams_to_azure());
  // The circuit's link toward the MSEE, the circuit toward Microsoft, the gateway's link from
  // the MSEE (b) to the gateway (a): backward. The gateway's link is not the circuit.
  const Channel primary{Channel::Kind::Link, link("er-ams.primary").value, true};
  const Channel ams{Channel::Kind::Circuit, circuit("er-ams"), true};
  const Channel gateway_link{Channel::Kind::Link, link("hub-gw.er-ams.primary").value, false};
  EXPECT_EQ(out, (std::vector<Channel>{primary, ams, gateway_link}));
  EXPECT_EQ(channel_label(topology(), primary), "link er-ams.primary ams-ce1 -> ams-msee1");
  EXPECT_EQ(channel_label(topology(), ams), "circuit er-ams to Microsoft");
  EXPECT_EQ(channel_capacity(topology(), primary), 1'000'000'000U);
  EXPECT_EQ(channel_capacity(topology(), ams), 1'000'000'000U);
  EXPECT_EQ(channel_capacity(topology(), gateway_link), 0U);

  // The way back: the other direction of each.
  Trace back = ams_to_azure();
  std::reverse(back.routers.begin(), back.routers.end());
  std::reverse(back.links.begin(), back.links.end());
  const std::vector<Channel> in = loads.channels_of(back);
  ASSERT_EQ(in.size(), 3U);
  EXPECT_TRUE(in[0].forward);  // hub-gw (a) -> ams-msee1
  EXPECT_FALSE(in[1].forward);
  EXPECT_EQ(in[2], (Channel{Channel::Kind::Circuit, circuit("er-ams"), false}));
  EXPECT_EQ(channel_label(topology(), in[2]), "circuit er-ams from Microsoft");
}

TEST_F(Capacity, APacketSentOntoALinkThatIsDownDoesNotLoadIt) {
  LoadTracker loads(topology(), {1});
  Trace tr;
  tr.outcome = Outcome::LinkDown;
  tr.routers = {router("lon-ce1"), router("ams-ce1")};
  tr.links = {link("wan-1"), link("er-ams.primary")};
  EXPECT_EQ(loads.channels_of(tr),
            (std::vector<Channel>{{Channel::Kind::Link, link("wan-1").value, false}}));
}

TEST_F(Capacity, OverloadsOpenAndCloseAsTracesMove) {
  // Two flows of 600 Mbps: London's moves onto er-ams at 10 s and back at 20 s.
  LoadTracker loads(topology(), {600'000'000, 600'000'000});
  const Trace ams = ams_to_azure();
  const Trace lon = lon_to_azure();
  const Trace via = lon_via_ams();
  const std::vector<const Trace*> baseline{&ams, &lon};
  loads.set_baseline(baseline);
  const std::vector<Interval> ams_timeline{{kTimeZero, kTimeZero + 30s, ams, {}}};
  const std::vector<Interval> lon_timeline{{kTimeZero, kTimeZero + 10s, lon, {}},
                                           {kTimeZero + 10s, kTimeZero + 20s, via, {}},
                                           {kTimeZero + 20s, kTimeZero + 30s, lon, {}}};
  const std::vector<FlowTimeline> changed{{0, ams_timeline}, {1, lon_timeline}};

  const LoadReport whole = loads.analyse(changed, kTimeZero + 30s, Scope::Whole);
  ASSERT_EQ(whole.overloads.size(), 2U);  // er-ams's primary and er-ams itself
  const Overload& o = whole.overloads[0];
  EXPECT_EQ(o.channel, (Channel{Channel::Kind::Link, link("er-ams.primary").value, true}));
  EXPECT_EQ(o.start, kTimeZero + 10s);
  EXPECT_EQ(o.end, kTimeZero + 20s);
  EXPECT_FALSE(o.open);
  EXPECT_EQ(o.peak_bps, 1'200'000'000U);
  EXPECT_EQ(o.excess_bps(), 200'000'000U);
  EXPECT_EQ(o.flows, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(whole.overloads[1].channel, (Channel{Channel::Kind::Circuit, circuit("er-ams"), true}));
  EXPECT_DOUBLE_EQ(whole.peak_utilization(), 1.2);
  // Every loaded channel with a capacity is listed, the busiest first; wan-1 (10 Gbps) last.
  ASSERT_FALSE(whole.peaks.empty());
  EXPECT_EQ(whole.peaks.front().peak_bps, 1'200'000'000U);
  EXPECT_EQ(whole.peaks.front().at, kTimeZero + 10s);
  // wan-1 runs from ams-ce1 (a) to lon-ce1 (b): London's traffic crosses it backward.
  EXPECT_EQ(whole.peaks.back().channel, (Channel{Channel::Kind::Link, link("wan-1").value, false}));
  EXPECT_DOUBLE_EQ(whole.peaks.back().utilization(), 0.06);

  // The same analysis again gives the same: the loads went back to the baseline.
  const LoadReport again = loads.analyse(changed, kTimeZero + 30s, Scope::Whole);
  EXPECT_EQ(again.overloads, whole.overloads);
  EXPECT_EQ(again.peaks, whole.peaks);

  // Only what rose: er-lon's load fell, so it is not among the changes.
  const std::vector<FlowTimeline> only_london{{1, lon_timeline}};
  const LoadReport changes = loads.analyse(only_london, kTimeZero + 30s, Scope::Changes);
  EXPECT_EQ(changes.overloads, whole.overloads);
  for (const ChannelPeak& p : changes.peaks) {
    EXPECT_NE(p.channel.index, link("er-lon.primary").value)
        << channel_label(topology(), p.channel);
  }
  // er-ams's primary, er-ams, wan-1: the gateway's link has no capacity.
  EXPECT_EQ(changes.peaks.size(), 3U);
}

TEST_F(Capacity, AnOverloadStillOnAtTheEndIsOpen) {
  LoadTracker loads(topology(), {700'000'000, 0, 400'000'000});
  const Trace ams = ams_to_azure();
  const Trace lon = lon_to_azure();
  const Trace via = lon_via_ams();
  const std::vector<const Trace*> baseline{&ams, &lon, &lon};
  loads.set_baseline(baseline);
  const std::vector<Interval> moved{{kTimeZero, kTimeZero + 5s, lon, {}},
                                    {kTimeZero + 5s, kTimeZero + 60s, via, {}}};
  const std::vector<FlowTimeline> changed{{2, moved}};
  const LoadReport r = loads.analyse(changed, kTimeZero + 60s, Scope::Changes);
  ASSERT_EQ(r.overloads.size(), 2U);
  EXPECT_TRUE(r.overloads[0].open);
  EXPECT_EQ(r.overloads[0].end, kTimeZero + 60s);
  // The flow without a rate is on none of them; the largest rate is named first.
  EXPECT_EQ(r.overloads[0].flows, (std::vector<std::uint32_t>{0, 2}));
}

TEST_F(Capacity, FlowsWithoutARateCarryNothing) {
  LoadTracker loads(topology(), {0, 0});
  EXPECT_FALSE(loads.carries_traffic());
  const Trace ams = ams_to_azure();
  const std::vector<const Trace*> baseline{&ams, &ams};
  loads.set_baseline(baseline);
  const LoadReport r = loads.analyse({}, kTimeZero + 1s, Scope::Whole);
  EXPECT_TRUE(r.peaks.empty());
  EXPECT_TRUE(r.overloads.empty());
}

}  // namespace
}  // namespace ersim::reach
