// Env: one episode loop around a World, following Gymnasium's contract.
//   reset(seed) → observation;  step(action) → reward, terminated, truncated, info.
// terminated = the task ended (crash, off-track, wrong way, lap goal, numerical failure);
// truncated = the time limit (episode.max_steps). A learner bootstraps on truncation only.
// The env drives the scenario's spawn.agents cars (agents); agent k is car k of its world. Each
// agent's action is [steer, throttle], clamped in exactly one place (controls_from_action); each
// has its own observation, reward terms, events and episode statistics, and sees the others by
// lidar and clearance like any car. No exception leaves step(): numerical trouble ends the episode.
//
// Several agents share one episode, as highway-env's multi-agent mode does: the world's episode
// ends when any agent's episode ends. That agent is terminated with its cause (or truncated on the
// time limit); every other agent is truncated with cause OtherAgent, so a learner bootstraps its
// value — nothing it did ended its episode. With one agent this is the single-agent contract.
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
/// OtherAgent: truncated because another agent's episode ended (multi-agent scenarios only).
enum class EndCause : std::uint8_t { None, Crash, OffTrack, WrongWay, LapGoal, NonFinite, TimeLimit, OtherAgent };
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
  std::vector<float> actions;       ///< agents × Env::kActionSize per step taken, as passed to step()
  /// An episode begun by Env::start_from: how many of the steps were replayed from the other
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

  /// Floats in one agent's observation; obs spans hold agents() of them, agent after agent.
  int observation_size() const;
  /// Agent-controlled cars (scenario spawn.agents); actions hold agents() × kActionSize floats.
  int agents() const { return static_cast<int>(episode_.size()); }
  /// Floats a step's actions take (agents() × kActionSize), in step() and in an EpisodeRecord.
  std::size_t actions_per_step() const { return episode_.size() * kActionSize; }

  /// Reseeds the env's random stream with `seed`, then starts a new episode.
  void reset(std::uint64_t seed, std::span<float> obs);
  /// Starts a new episode, continuing the env's random stream.
  void reset(std::span<float> obs);

  /// Starts a new episode in the middle of another: replays `source`'s first `steps` steps (its
  /// random start included), then hands over. Used to practise where episodes went wrong (a
  /// crash-driven curriculum). The new episode's record is the replayed prefix plus what follows,
  /// so it replays like any other; every agent's episode().handover = steps. The env's own random
  /// stream is left where it was: the next reset() continues it, not `source`'s. Returns false,
  /// with the env done(), if `source` has fewer than `steps` steps or its episode ends within them.
  bool start_from(const EpisodeRecord& source, int steps, std::span<float> obs);

  /// Advances one step: every agent's action in, every agent's observation and result out
  /// (results has agents() entries). Must not be called again after the episode ended, before a
  /// reset.
  void step(std::span<const float> actions, std::span<float> obs, std::span<StepResult> results);
  /// The one-agent step (asserts agents() == 1).
  StepResult step(std::span<const float> action, std::span<float> obs);

  /// The current episode so far (the last one, complete, once it has ended).
  const EpisodeRecord& record() const { return record_; }
  /// Replays `record` from its start, leaving the env exactly as it was when the record was taken
  /// (done() if that episode had ended) with its latest observations in obs. Returns false if the
  /// record does not fit this env: an action count that is not a whole number of steps, or actions
  /// left over after the episode ended (a record from another scenario or build).
  bool replay(const EpisodeRecord& record, std::span<float> obs);

  const World& world() const { return world_; }
  const Scenario& scenario() const { return *world_.scenario; }
  /// Agent's episode so far.
  const EpisodeStats& episode(int agent = 0) const { return episode_[static_cast<std::size_t>(agent)]; }
  bool done() const { return done_; }

 private:
  CarPose sample_spawn(int agent);
  /// Agent's own end cause after a step (None: its episode goes on).
  EndCause end_cause(int agent, const CarEvents& ev) const;
  /// Resets with `record`'s random start and takes its first `steps` steps (every agent's
  /// actions); false if the episode ends before they are all taken.
  bool replay_steps(const EpisodeRecord& record, std::size_t steps, std::span<float> obs);
  /// Marks the episode as begun `steps` steps into another, continuing the stream `stream` after.
  void hand_over(int steps, const Rng::State& stream);

  std::shared_ptr<const Track> track_;  ///< the scenario's track; its variants are picked per episode
  World world_;
  Rng rng_;
  std::vector<EpisodeStats> episode_;   ///< per agent
  EpisodeRecord record_;
  std::vector<CarEvents> events_;
  bool done_ = true;
};

}  // namespace sim
