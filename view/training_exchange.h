// TrainingExchange: everything that crosses between the training thread and the window, under
// one mutex. The trainer publishes after each iteration — a copy of the policy parameters and
// observation statistics (the snapshot the spectator drives with), the iteration's figures, its
// crashes, and plain copies of a few training cars — and waits here while paused. The window
// takes copies when it draws. Neither side ever touches the other's objects: the training envs
// are read only by the training thread, between iterations.
//
// The trainer never waits for the window: it stages what it publishes outside the lock, then
// hands it over with a few swaps if the lock is free, and otherwise keeps it staged (adding the
// next iteration to it) until a later publication finds the lock free. A window that is slow,
// or descheduled while it holds the lock, costs training nothing.
#pragma once

#include <box2d/b2_math.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "agent/policy.h"
#include "agent/running_norm.h"
#include "agent/trainer.h"
#include "sim/episode_file.h"

namespace view {

/// Crash recordings a feed holds at most: the window keeps only the latest few hundred anyway.
inline constexpr std::size_t kFeedRecordings = 64;

/// The policy as of one iteration. version 0: nothing published yet.
struct PolicySnapshot {
  agent::Policy policy;
  agent::RunningNorm obs_norm;
  std::int64_t global_step = 0;
  std::int64_t iteration = 0;
  double published_at = 0.0;        ///< s on the trainer's clock (see TrainingStatus::seconds)
  std::uint64_t version = 0;
};

/// A training env's car as it was at the end of an iteration: plain values, safe to draw.
struct TrainingCar {
  int env = 0;
  b2Vec2 position{0.0f, 0.0f};      ///< m
  float angle = 0.0f;               ///< rad
  float steer_angle = 0.0f;         ///< rad
  float speed = 0.0f;               ///< m/s forward
  float clearance = 0.0f;           ///< m
  bool near_miss = false;
  bool done = false;                ///< its episode ended on the last step
  int episode_length = 0;           ///< steps into its episode
  float episode_return = 0.0f;
};

/// The trainer's progress, as of its last publication.
struct TrainingStatus {
  std::int64_t global_step = 0;
  std::int64_t total_steps = 0;
  std::int64_t iteration = 0;
  double seconds = 0.0;             ///< s spent training (paused time excluded)
  double samples_per_s = 0.0;       ///< env steps per second of training since it started here
  int episodes = 0;                 ///< ended in the last iteration that ended any
  float mean_return = 0.0f;         ///< of those episodes
  float crash_rate = 0.0f;
  float lap_rate = 0.0f;
  std::int64_t crashes = 0;         ///< crashes in training so far (since this process started)
  bool finished = false;            ///< the step budget is spent, or training stopped
};

/// One iteration's figures for the chart.
struct IterationPoint {
  std::int64_t step = 0;
  int episodes = 0;
  float mean_return = 0.0f;
  float crash_rate = 0.0f;
};

/// What the window takes each frame: the status, and what happened since it last took.
struct TrainingFeed {
  TrainingStatus status;
  std::vector<IterationPoint> iterations;
  std::vector<b2Vec2> crashes;      ///< m, crash points of the training envs
  std::vector<sim::EpisodeFile> crash_recordings;  ///< the latest of those crashes' recordings
                                                   ///< (at most kFeedRecordings between takes)
  std::vector<TrainingCar> cars;
};

class TrainingExchange {
 public:
  // ---- trainer side ----
  /// Publishes the trainer's policy, its last iteration and copies of up to `cars` training envs'
  /// cars. Call from the training thread only, between iterations.
  void publish(const agent::Trainer& trainer, const agent::IterationStats& it, double seconds,
               double samples_per_s, int cars);
  /// Publishes a policy alone (the trainer's initial one, or in tests); waits for the lock.
  void publish_policy(const agent::Policy& policy, const agent::RunningNorm& obs_norm, std::int64_t global_step,
                      std::int64_t iteration, double seconds);
  /// Hands over whatever is still staged (waiting for the lock) and marks training finished.
  void set_finished();
  /// Blocks while paused; returns false once a stop was requested.
  bool wait_while_paused();

  // ---- window side ----
  /// Copies the snapshot into `into` if it is newer than into.version; returns whether it did.
  bool take_policy(PolicySnapshot& into) const;
  /// The status, and the iterations, crashes and cars published since the last take.
  void take_feed(TrainingFeed& into);
  void set_paused(bool paused);
  bool paused() const;
  void request_stop();
  bool stop_requested() const;

 private:
  /// With the lock held: moves the staged snapshot and feed into the published ones.
  void hand_over();

  mutable std::mutex mutex_;
  std::condition_variable resume_;
  PolicySnapshot snapshot_;         ///< published
  TrainingFeed feed_;               ///< published, drained by take_feed
  bool paused_ = false;
  bool stop_ = false;

  // The trainer's side, touched only by the training thread (and hand_over, under the lock).
  PolicySnapshot staged_snapshot_;
  TrainingFeed staged_feed_;
  bool staged_ = false;             ///< staged_* hold something not yet handed over
};

}  // namespace view
