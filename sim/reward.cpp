// Reward terms from a step's events (see reward.h for each term's definition).
#include "sim/reward.h"

#include <algorithm>

namespace sim {

RewardTerms compute_reward(const CarEvents& ev, const RewardWeights& w, const EpisodeSpec& ep) {
  RewardTerms r;
  r.progress = w.progress * ev.progress_delta;
  r.crash = ev.crashed ? -w.crash : 0.0f;
  if (ev.near_miss) {
    const float depth = std::clamp(1.0f - ev.clearance / ep.near_miss_distance, 0.0f, 1.0f);
    r.near_miss = -w.near_miss * depth * ep.dt;
  }
  r.time = -w.time * ep.dt;
  r.off_track = ev.off_track ? -w.off_track : 0.0f;
  r.lap = w.lap * static_cast<float>(ev.laps_completed + (ev.reached_target ? 1 : 0));
  r.checkpoint = ev.checkpoint_reward;
  return r;
}

}  // namespace sim
