// Env: one episode loop around a World, following Gymnasium's contract.
//   reset(seed) → observation;  step(action) → reward, terminated, truncated, info.
// terminated = the task ended (crash, off-track, wrong way, lap goal, numerical failure);
// truncated = the time limit (episode.max_steps). A learner bootstraps on truncation only.
// The env drives car 0 of its world; the action is [steer, throttle], clamped in exactly one
// place (controls_from_action). No exception leaves step(): numerical trouble ends the episode.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/reward.h"
#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/track.h"
#include "sim/world.h"

namespace sim {

/// Why an episode ended. LapGoal is the scenario's goal, whichever it is: the laps completed, or
/// the target reached (episode.goal = "reach").
enum class EndCause : std::uint8_t { None, Crash, OffTrack, WrongWay, LapGoal, NonFinite, TimeLimit };
const char* to_string(EndCause cause);

/// Running totals of the current episode (complete when the episode has ended).
struct EpisodeStats {
  float total_reward = 0.0f;        ///< undiscounted return
  int length = 0;                   ///< env steps
  int crashes = 0;
  int near_misses = 0;              ///< entries into the near-miss zone
  float near_miss_time = 0.0f;      ///< s spent inside the zone
  int laps = 0;
  float distance = 0.0f;            ///< m of net progress along the track
  EndCause cause = EndCause::None;
  b2Vec2 end_position{0.0f, 0.0f};  ///< m, where the car was at the end (the crash point on a crash)
  int handover = 0;                 ///< steps replayed from another episode before the policy took
                                    ///< over (Env::start_from); 0 for an episode started by reset.
                                    ///< The totals above include the replayed steps.
};

/// Everything a step reports besides reward and flags. Plain data: VecEnv fills arrays of these.
struct StepInfo {
  RewardTerms terms;
  CarEvents events;
  EndCause cause = EndCause::None;  ///< set on the step that ends the episode
  EpisodeStats episode;             ///< totals so far; final when the episode ended this step
};

/// An episode as data. The simulation is deterministic and each episode builds a fresh world, so
/// the random state an episode started from and the actions taken since replay it bit for bit:
/// this is how a run resumes with its envs mid-episode, and how an episode is recorded.
struct EpisodeRecord {
  Rng::State start;                 ///< the env's random state before the episode's reset
  std::vector<float> actions;       ///< Env::kActionSize per step taken, as passed to step()
  /// An episode begun by Env::start_from: how many of the actions were replayed from the other
  /// episode, and the env's own random state, which the next episode continues (the replay left
  /// the other episode's). 0 and unused for an episode begun by reset.
  int handover = 0;
  Rng::State stream;
};

struct StepResult {
  float reward = 0.0f;
  bool terminated = false;
  bool truncated = false;
  StepInfo info;
};

class Env {
 public:
  static constexpr int kActionSize = 2;  ///< [steer, throttle]

  Env(std::shared_ptr<const Scenario> scenario, std::shared_ptr<const Track> track);

  int observation_size() const;

  /// Reseeds the env's random stream with `seed`, then starts a new episode.
  void reset(std::uint64_t seed, std::span<float> obs);
  /// Starts a new episode, continuing the env's random stream.
  void reset(std::span<float> obs);

  /// Starts a new episode in the middle of another: replays `source`'s first `steps` steps (its
  /// random start included), then hands over. Used to practise where episodes went wrong (a
  /// crash-driven curriculum). The new episode's record is the replayed prefix plus what follows,
  /// so it replays like any other; episode().handover = steps. The env's own random stream is left
  /// where it was: the next reset() continues it, not `source`'s. Returns false, with the env
  /// done(), if `source` has fewer than `steps` steps or its episode ends within them.
  bool start_from(const EpisodeRecord& source, int steps, std::span<float> obs);

  /// Advances one step. Must not be called again after the episode ended, before a reset.
  StepResult step(std::span<const float> action, std::span<float> obs);

  /// The current episode so far (the last one, complete, once it has ended).
  const EpisodeRecord& record() const { return record_; }
  /// Replays `record` from its start, leaving the env exactly as it was when the record was taken
  /// (done() if that episode had ended) with its latest observation in obs. Returns false if the
  /// record does not fit this env: an odd action count, or actions left over after the episode
  /// ended (a record from another scenario or build).
  bool replay(const EpisodeRecord& record, std::span<float> obs);

  const World& world() const { return world_; }
  const Scenario& scenario() const { return *world_.scenario; }
  const EpisodeStats& episode() const { return episode_; }
  bool done() const { return done_; }

 private:
  CarPose sample_spawn();
  /// Resets with `record`'s random start and takes its first `steps` actions; false if the
  /// episode ends before they are all taken.
  bool replay_steps(const EpisodeRecord& record, std::size_t steps, std::span<float> obs);

  std::shared_ptr<const Track> track_;  ///< the scenario's track; its variants are picked per episode
  World world_;
  Rng rng_;
  EpisodeStats episode_;
  EpisodeRecord record_;
  std::vector<CarEvents> events_;
  bool done_ = true;
};

}  // namespace sim
