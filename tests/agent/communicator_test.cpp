// Communicator helpers: moments merged over ranks equal the moments of all the data, one rank is
// left bit for bit as it was, 64-bit values survive the trip through doubles, rank 0's seed is
// the single-process seed.
#include "agent/communicator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/rng.h"
#include "support/thread_ranks.h"

namespace agent {
namespace {

Moments moments_of(const std::vector<double>& x) {
  Moments m{static_cast<double>(x.size()), 0.0, 0.0};
  for (double v : x) m.mean += v / m.count;
  for (double v : x) m.m2 += (v - m.mean) * (v - m.mean);
  return m;
}

TEST(CommunicatorTest, MomentsMergedOverRanksAreTheMomentsOfAllTheData) {
  // Three ranks with different counts (one with none), means and spreads.
  const std::vector<std::vector<double>> data = {{1.0, 2.0, 4.0, 8.0}, {}, {-3.0, 0.5, 10.0}};
  std::vector<double> everything;
  for (const auto& part : data) everything.insert(everything.end(), part.begin(), part.end());
  const Moments expected = moments_of(everything);
  std::vector<Moments> merged(3);
  crashcourse::testing::run_ranks(3, [&](std::shared_ptr<Communicator> comm) {
    const std::size_t r = static_cast<std::size_t>(comm->rank());
    Moments m = data[r].empty() ? Moments{} : moments_of(data[r]);
    merge_moments_over_ranks(*comm, std::span<Moments>(&m, 1));
    merged[r] = m;
  });
  for (const Moments& m : merged) {
    EXPECT_EQ(m.count, expected.count);
    EXPECT_NEAR(m.mean, expected.mean, 1e-12);
    EXPECT_NEAR(m.m2, expected.m2, 1e-10 * expected.m2);
    EXPECT_EQ(m.mean, merged[0].mean) << "ranks disagree";
    EXPECT_EQ(m.m2, merged[0].m2) << "ranks disagree";
  }
}

TEST(CommunicatorTest, OneRankKeepsItsMomentsBitForBit) {
  SingleProcess alone;
  Moments m{3.0, 0.1, 0.7};
  merge_moments_over_ranks(alone, std::span<Moments>(&m, 1));
  EXPECT_EQ(m.count, 3.0);
  EXPECT_EQ(m.mean, 0.1);
  EXPECT_EQ(m.m2, 0.7);
}

TEST(CommunicatorTest, SixtyFourBitValuesSurviveTheTripThroughDoubles) {
  const std::vector<std::uint64_t> values = {0, 1, 0xFFFFFFFFull, 0x100000000ull, 0xFFFFFFFFFFFFFFFFull,
                                             0x8000000000000001ull};
  for (std::uint64_t v : values) {
    const std::array<double, 2> halves = u64_as_doubles(v);
    EXPECT_EQ(u64_from_doubles(halves[0], halves[1]), v);
  }
  std::vector<std::vector<std::uint64_t>> gathered(2);
  crashcourse::testing::run_ranks(2, [&](std::shared_ptr<Communicator> comm) {
    gathered[static_cast<std::size_t>(comm->rank())] = gather_u64(*comm, values[4 + static_cast<std::size_t>(comm->rank())]);
  });
  for (const auto& g : gathered) EXPECT_EQ(g, (std::vector<std::uint64_t>{values[4], values[5]}));
}

TEST(CommunicatorTest, RankZeroDrawsTheSingleProcessStreamAndOtherRanksTheirOwn) {
  EXPECT_EQ(rank_seed(42, 0), 42u);
  EXPECT_NE(rank_seed(42, 1), 42u);
  EXPECT_NE(rank_seed(42, 1), rank_seed(42, 2));
  EXPECT_NE(rank_seed(42, 1), rank_seed(43, 1));
}

}  // namespace
}  // namespace agent
