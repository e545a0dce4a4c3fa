#include "core/fifo.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/assert.hpp"

namespace ersim {
namespace {

std::vector<int> contents(const Fifo<int>& fifo) { return {fifo.begin(), fifo.end()}; }

TEST(Fifo, PopsInTheOrderPushed) {
  Fifo<int> fifo;
  EXPECT_TRUE(fifo.empty());
  for (int i = 1; i <= 3; ++i) {
    fifo.push(i);
  }
  EXPECT_EQ(fifo.size(), 3U);
  EXPECT_EQ(fifo.front(), 1);
  EXPECT_EQ(fifo.pop(), 1);
  fifo.push(4);
  EXPECT_EQ(contents(fifo), (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(fifo.pop(), 2);
  EXPECT_EQ(fifo.pop(), 3);
  EXPECT_EQ(fifo.pop(), 4);
  EXPECT_TRUE(fifo.empty());
  EXPECT_THROW((void)fifo.pop(), InternalError);
}

// A queue that never drains compacts what it handed out and keeps its order.
TEST(Fifo, LongStreamThatNeverDrainsKeepsOrder) {
  Fifo<int> fifo;
  fifo.push(0);
  int next_out = 0;
  for (int i = 1; i <= 1000; ++i) {
    fifo.push(i);
    ASSERT_EQ(fifo.pop(), next_out++);
    ASSERT_EQ(fifo.size(), 1U);
  }
  EXPECT_EQ(contents(fifo), std::vector<int>{1000});
}

TEST(Fifo, HoldsMoveOnlyValues) {
  Fifo<std::unique_ptr<int>> fifo;
  fifo.push(std::make_unique<int>(7));
  fifo.push(std::make_unique<int>(8));
  EXPECT_EQ(*fifo.pop(), 7);
  EXPECT_EQ(*fifo.pop(), 8);
}

TEST(Fifo, EraseFirstRemovesTheOldestMatchOnly) {
  Fifo<int> fifo;
  for (const int v : {1, 2, 3, 2}) {
    fifo.push(v);
  }
  (void)fifo.pop();
  EXPECT_TRUE(fifo.erase_first([](int v) { return v == 2; }));
  EXPECT_EQ(contents(fifo), (std::vector<int>{3, 2}));
  EXPECT_FALSE(fifo.erase_first([](int v) { return v == 9; }));
  EXPECT_TRUE(fifo.erase_first([](int v) { return v == 3; }));
  EXPECT_TRUE(fifo.erase_first([](int v) { return v == 2; }));
  EXPECT_TRUE(fifo.empty());
}

TEST(Fifo, RemoveIfKeepsTheOthersInOrder) {
  Fifo<int> fifo;
  for (int i = 0; i < 6; ++i) {
    fifo.push(i);
  }
  (void)fifo.pop();
  fifo.remove_if([](int v) { return v % 2 == 0; });
  EXPECT_EQ(contents(fifo), (std::vector<int>{1, 3, 5}));
  fifo.remove_if([](int /*v*/) { return true; });
  EXPECT_TRUE(fifo.empty());
  fifo.push(9);
  EXPECT_EQ(fifo.pop(), 9);
}

}  // namespace
}  // namespace ersim
