// DriveSession: one car driving episode after episode in the viewer — the watch spectator, the
// person in `play` — with what the viewer shows about it besides the world: episode number,
// counters, lap times and the crash marks that stay on the track. Whoever drives passes the
// action; the session steps its Env (never a training env) and starts the next episode itself
// after holding the last frame of an ended one for a moment, so the crash can be seen.
// In a multi-agent scenario the session drives every agent (one action each); the counters, lap
// times and episode summary are agent 0's, the car the viewer follows; crash marks are everyone's.
#pragma once

#include <box2d/b2_math.h>

#include <cstdint>
#include <span>
#include <vector>

#include "sim/env.h"
#include "sim/scenario_loader.h"

namespace view {

/// Where a crash happened, kept after its episode is over.
struct CrashMark {
  b2Vec2 position{0.0f, 0.0f};      ///< m, contact point
  int episode = 0;
};

/// A finished episode, as the HUD reports it.
struct EpisodeSummary {
  int episode = 0;
  float total_reward = 0.0f;
  int length = 0;
  sim::EndCause cause = sim::EndCause::None;
};

class DriveSession {
 public:
  static constexpr std::size_t kMaxCrashMarks = 400;  ///< the oldest marks go first

  /// Episode k (1-based) starts from derive_seed(seed, k - 1): spectator episode k starts as
  /// evaluation episode k - 1 with that seed would. end_hold_steps: steps an ended episode stays
  /// on screen before the next starts.
  DriveSession(const sim::LoadedScenario& scenario, std::uint64_t seed, int end_hold_steps);

  /// One env step with actions (agents × Env::kActionSize values, agent after agent); while an
  /// ended episode is being held, counts down instead, then starts the next episode.
  void step(std::span<const float> actions);
  /// Ends the current episode and starts the next one now.
  void restart();

  const sim::Env& env() const { return env_; }
  /// Every agent's observation, agent after agent (env().observation_size() floats each).
  std::span<const float> observation() const { return obs_; }
  bool holding() const { return env_.done(); }

  int episode() const { return episode_; }
  std::int64_t total_crashes() const { return total_crashes_; }
  std::int64_t total_near_misses() const { return total_near_misses_; }
  const std::vector<CrashMark>& crash_marks() const { return marks_; }
  const EpisodeSummary& last_episode() const { return last_; }  ///< episode 0 until one ends

  /// s into the current lap (from the spawn, or from the last lap line crossed).
  double lap_time() const;
  /// s of the last and best completed laps; negative when none yet.
  double last_lap() const { return last_lap_; }
  double best_lap() const { return best_lap_; }
  /// Arc length (m) where the current episode's car started: the progress line starts here.
  float start_s() const { return start_s_; }

 private:
  void start_episode();

  sim::Env env_;
  std::uint64_t seed_;
  int end_hold_steps_;
  std::vector<float> obs_;
  std::vector<sim::StepResult> results_;  ///< per agent, of the last step
  int episode_ = 0;
  int hold_left_ = 0;
  int lap_start_step_ = 0;
  int laps_seen_ = 0;
  double last_lap_ = -1.0;
  double best_lap_ = -1.0;
  float start_s_ = 0.0f;
  std::int64_t total_crashes_ = 0;
  std::int64_t total_near_misses_ = 0;
  std::vector<CrashMark> marks_;
  EpisodeSummary last_;
};

}  // namespace view
