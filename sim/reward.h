// Reward: a struct of named terms, each the scenario's weight times one fact of the step.
// Every term is reported separately (StepInfo::terms) and logged; the reward is their sum.
#pragma once

#include "sim/scenario.h"
#include "sim/world.h"

namespace sim {

struct RewardTerms {
  float progress = 0.0f;   ///< + weight · metres gained along the centreline (negative backwards)
  float crash = 0.0f;      ///< − weight, on the step a crash happens
  float near_miss = 0.0f;  ///< − weight · (1 − clearance / near_miss_distance) · dt, inside the zone
  float time = 0.0f;       ///< − weight · dt, every step
  float off_track = 0.0f;  ///< − weight, on the step the car leaves the track
  float lap = 0.0f;        ///< + weight per lap completed this step, and on reaching the target
                           ///<   (episode.goal = "reach")
  float checkpoint = 0.0f; ///< + each checkpoint's own reward when passed (− when passed backwards)

  float total() const { return progress + crash + near_miss + time + off_track + lap + checkpoint; }
};

RewardTerms compute_reward(const CarEvents& events, const RewardWeights& weights,
                           const EpisodeSpec& episode);

}  // namespace sim
