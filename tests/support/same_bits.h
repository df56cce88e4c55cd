// Bitwise equality of floats for determinism tests: NaN equals NaN, and 0.0 differs from -0.0.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>

namespace sim::testing {

inline ::testing::AssertionResult same_bits(float a, float b) {
  if (std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " and " << b << " differ in their bits";
}

}  // namespace sim::testing
