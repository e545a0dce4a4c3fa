// Compiled with NDEBUG, as a release build is: ERSIM_ASSERT must still check.
#ifndef NDEBUG
#define NDEBUG 1  // NOLINT(cppcoreguidelines-macro-usage,readability-identifier-naming)
#endif

#include "core/assert.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ersim {
namespace {

TEST(ErsimAssert, TrueConditionDoesNothing) { EXPECT_NO_THROW(ERSIM_ASSERT(1 + 1 == 2, "math")); }

TEST(ErsimAssert, FalseConditionThrowsInternalErrorWithPlaceAndMessage) {
  try {
    ERSIM_ASSERT(1 + 1 == 3, "arithmetic broke");
    FAIL() << "ERSIM_ASSERT did not throw";
  } catch (const InternalError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("assert_test.cpp:"), std::string::npos) << what;
    EXPECT_NE(what.find("assertion `1 + 1 == 3` failed: arithmetic broke"), std::string::npos)
        << what;
  }
}

TEST(ErsimAssert, StaysOnWithNdebug) {
  bool evaluated = false;
  EXPECT_THROW(ERSIM_ASSERT((evaluated = true, false), "always checked"), InternalError);
  EXPECT_TRUE(evaluated);
}

}  // namespace
}  // namespace ersim
