// Evaluation: N seeded episodes of a scenario driven by the deterministic (mean) policy, with the
// observation normaliser frozen. Episode i starts as env i of a VecEnv seeded with `seed` would,
// so the same seed gives the same episodes — the yardstick "solved" is measured with.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "agent/policy.h"
#include "agent/running_norm.h"
#include "sim/episode_file.h"
#include "sim/scenario_loader.h"

namespace agent {

struct EvalConfig {
  int episodes = 100;
  std::uint64_t seed = 1000003;     ///< episode i starts from derive_seed(seed, i)
  int threads = 1;
  bool record_crashes = false;      ///< keep a recording of each episode's first crash
};

struct EvalResult {
  int episodes = 0;
  float mean_return = 0.0f;
  float crash_rate = 0.0f;          ///< fraction of episodes with at least one crash
  float near_misses_per_km = 0.0f;  ///< near-miss zone entries per km driven
  float lap_rate = 0.0f;            ///< fraction that reached the scenario's lap goal
  float clean_lap_rate = 0.0f;      ///< fraction that reached it with zero crashes
  float mean_lap_time = 0.0f;       ///< s per lap, over the episodes that completed laps (0 if none)
  float mean_speed = 0.0f;          ///< m/s, net distance along the track over time
  std::int64_t steps = 0;           ///< env steps the evaluation took
  /// With record_crashes: for each episode that crashed, in episode order, the episode up to its
  /// first crash (a crash recording: sim::replay_episode drives it into that crash), and its index.
  std::vector<std::pair<int, sim::EpisodeFile>> crash_recordings;
};

/// Runs config.episodes episodes, one per env, until each has ended once.
EvalResult evaluate_policy(const sim::LoadedScenario& scenario, const Policy& policy,
                           const RunningNorm& obs_norm, const EvalConfig& config);

/// Solved: at least `threshold` of the episodes completed their laps with zero crashes.
inline bool is_solved(const EvalResult& r, float threshold) { return r.clean_lap_rate >= threshold; }

}  // namespace agent
