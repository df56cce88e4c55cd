#include "sim/reward.h"

#include <gtest/gtest.h>

namespace sim {
namespace {

TEST(RewardTest, EachTermHasItsSignAndWeight) {
  RewardWeights w;
  w.progress = 0.5f;
  w.crash = 10.0f;
  w.near_miss = 4.0f;
  w.time = 1.0f;
  w.off_track = 3.0f;
  w.lap = 20.0f;
  EpisodeSpec ep;
  ep.dt = 0.1f;
  ep.near_miss_distance = 2.0f;
  CarEvents ev;
  ev.progress_delta = 3.0f;
  ev.crashed = true;
  ev.near_miss = true;
  ev.clearance = 0.5f;
  ev.off_track = true;
  ev.laps_completed = 1;
  const RewardTerms r = compute_reward(ev, w, ep);
  EXPECT_FLOAT_EQ(r.progress, 1.5f);
  EXPECT_FLOAT_EQ(r.crash, -10.0f);
  EXPECT_FLOAT_EQ(r.near_miss, -4.0f * 0.75f * 0.1f);
  EXPECT_FLOAT_EQ(r.time, -0.1f);
  EXPECT_FLOAT_EQ(r.off_track, -3.0f);
  EXPECT_FLOAT_EQ(r.lap, 20.0f);
  EXPECT_FLOAT_EQ(r.total(), 1.5f - 10.0f - 0.3f - 0.1f - 3.0f + 20.0f);
}

TEST(RewardTest, NearMissPenaltyGrowsAsClearanceShrinks) {
  RewardWeights w;
  EpisodeSpec ep;
  CarEvents ev;
  ev.near_miss = true;
  float previous = 0.0f;
  for (float c : {0.9f, 0.6f, 0.3f, 0.0f}) {
    ev.clearance = c * ep.near_miss_distance;
    const float term = compute_reward(ev, w, ep).near_miss;
    EXPECT_LT(term, previous);
    previous = term;
  }
  ev.near_miss = false;
  EXPECT_EQ(compute_reward(ev, w, ep).near_miss, 0.0f);
}

TEST(RewardTest, BackwardProgressIsPenalised) {
  CarEvents ev;
  ev.progress_delta = -2.0f;
  EXPECT_LT(compute_reward(ev, RewardWeights{}, EpisodeSpec{}).progress, 0.0f);
}

}  // namespace
}  // namespace sim
