// ReplayScrubber: a recorded episode shown at any step k — play, pause, step and scrub. An episode
// is its start state and its actions, and the simulation is deterministic, so step k is reached
// by replaying the first k actions from the start (a few ms for a whole episode): scrubbing
// backwards replays from the start, forwards just steps on. What the timeline shows (return,
// crashes and near-misses at each step) is gathered in one pass when the episode is loaded.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/env.h"
#include "sim/episode_file.h"
#include "sim/scenario_loader.h"

namespace view {

/// One step of the recorded episode, as the timeline and HUD show it.
struct ReplayStep {
  float total_reward = 0.0f;        ///< return after this step
  bool crashed = false;
  b2Vec2 crash_point{0.0f, 0.0f};   ///< m
  bool near_miss_entered = false;
  int laps = 0;                     ///< laps completed after this step
};

class ReplayScrubber {
 public:
  /// Checks that the episode replays on this scenario as recorded (throws sim::EpisodeFileError
  /// naming `path` otherwise), then shows step 0.
  ReplayScrubber(const sim::LoadedScenario& scenario, sim::EpisodeFile episode, const std::string& path);

  int length() const { return episode_.length; }
  /// Steps taken so far: 0 is the start of the episode, length() its end.
  int position() const { return position_; }
  bool at_end() const { return position_ >= episode_.length; }

  /// Shows step k (clamped to [0, length()]).
  void seek(int k);
  void step_forward() { seek(position_ + 1); }
  void step_back() { seek(position_ - 1); }

  const sim::Env& env() const { return env_; }
  std::span<const float> observation() const { return obs_; }
  const sim::EpisodeFile& episode() const { return episode_; }
  /// Step i (0-based: the step that took the episode from i to i + 1 steps).
  const std::vector<ReplayStep>& steps() const { return steps_; }
  /// Arc length (m) where the episode's car started.
  float start_s() const { return start_s_; }
  /// The agent the recording is about (its crash; agent 0 otherwise): steps() describe it.
  int agent() const { return episode_.agent(); }

 private:
  /// Floats of one step's actions: every agent's.
  std::size_t action_stride() const { return sim::Env::kActionSize * static_cast<std::size_t>(env_.agents()); }

  sim::Env env_;
  sim::EpisodeFile episode_;
  sim::EpisodeRecord prefix_;       ///< scratch: the record cut at the position sought
  std::vector<float> obs_;          ///< every agent's observation
  std::vector<sim::StepResult> results_;  ///< per agent, of the last step
  std::vector<ReplayStep> steps_;
  int position_ = 0;
  float start_s_ = 0.0f;
};

}  // namespace view
