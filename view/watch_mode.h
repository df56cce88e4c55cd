// WatchMode (`crashcourse watch`): a spectator car driven by a recent policy snapshot, in real
// time (1×, 2×, 4×) or as fast as the frame allows, while training runs on other threads; the
// training envs' cars as read-only copies; the crash heatmap and the training curve building up.
// Without a trainer it drives a fixed policy (a checkpoint) the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario_loader.h"
#include "view/crash_shelf.h"
#include "view/drive_session.h"
#include "view/fixed_step.h"
#include "view/heatmap.h"
#include "view/policy_driver.h"
#include "view/replay_mode.h"
#include "view/replay_scrubber.h"
#include "view/training_exchange.h"
#include "view/training_history.h"
#include "view/viewer.h"

namespace view {

struct WatchOptions {
  std::uint64_t seed = 1000003;     ///< spectator episode k starts as evaluation episode k - 1
  int speed = 0;                    ///< index into kWatchSpeeds
  std::string policy_label;         ///< without training: where the policy came from
  std::int64_t policy_steps = 0;    ///< without training: steps it was trained for
};

/// Spectator speeds (sim s per wall s); the last is "as fast as the frame allows".
inline constexpr double kWatchSpeeds[4] = {1.0, 2.0, 4.0, 1e300};
/// Wall time (s) per frame the spectator may use at the fastest speed: half a 60 Hz frame.
inline constexpr double kMaxSpeedBudget = 0.008;
/// Training env cars copied out after each iteration and shown.
inline constexpr int kTrainingCarsShown = 4;
/// Crash heatmap cell size, m.
inline constexpr float kHeatmapCell = 1.5f;
/// A right-click opens the recorded crash nearest to it within this distance, m.
inline constexpr float kCrashPickRadius = 4.0f;
/// The spectator takes the latest policy snapshot when an episode starts, and mid-episode once
/// the one it drives with is older than this (s of wall time): each stretch of driving shows one
/// policy, and never a stale one.
inline constexpr double kMaxPolicyAge = 2.0;

class WatchMode : public Mode {
 public:
  /// training: the running trainer's exchange, or nullptr to drive `policy` alone.
  WatchMode(const sim::LoadedScenario& scenario, TrainingExchange* training, const PolicySnapshot& policy,
            const WatchOptions& options);

  void update(double frame_seconds) override;
  bool key_pressed(sf::Keyboard::Key key, bool shift) override;
  void fill(Scene& scene) override;
  std::string help_title() const override;

  /// Training history to start from (a finished run's metrics and crashes), drawn like live data.
  void add_history(const std::vector<IterationPoint>& iterations, const std::vector<b2Vec2>& crashes);
  /// A crash recording a right-click on the heatmap can open (a run folder's crashes/); the live
  /// training's recordings arrive through the exchange.
  void shelve(sim::EpisodeFile recording, const std::string& label);

  bool event(const sf::Event& e, Camera& camera) override;
  bool mouse(ScreenPoint p, bool drag, float width, float height) override;
  /// Opens the recorded crash nearest to p (m) within kCrashPickRadius in the replay view;
  /// returns whether there was one. Esc comes back.
  bool open_crash_near(b2Vec2 p);
  bool replaying() const { return replay_ != nullptr; }
  const CrashShelf& crash_shelf() const { return shelf_; }

  const DriveSession& spectator() const { return session_; }
  int selected_car() const { return selected_; }
  /// Training step of the policy snapshot the spectator drives with.
  std::int64_t driving_step() const { return driving_step_; }
  double speed() const { return kWatchSpeeds[speed_]; }

 private:
  void step_spectator(double frame_seconds);
  void take_latest_policy();
  void take_training();
  void add_training_panel(Scene& scene) const;
  void add_car_panel(Scene& scene) const;

  const sim::LoadedScenario& scenario_;
  TrainingExchange* training_;
  WatchOptions options_;
  PolicySnapshot latest_;           ///< the newest snapshot taken from the trainer
  std::int64_t driving_step_ = 0;   ///< training step of the policy now driving
  double driving_since_ = 0.0;      ///< wall s when the driving policy was published here
  double latest_at_ = 0.0;          ///< wall s when `latest_` arrived
  PolicyDriver driver_;
  DriveSession session_;
  FixedStepClock clock_;
  int speed_ = 0;
  double wall_ = 0.0;               ///< s since the mode started
  double last_crash_at_ = -1e9;
  std::int64_t crashes_seen_ = 0;
  int episode_seen_ = 1;
  TrainingFeed feed_;
  TrainingHistory history_;
  HeatmapGrid heatmap_;
  CrashShelf shelf_;
  std::optional<ReplayScrubber> scrubber_;  ///< the crash being replayed, while replay_ is open
  std::unique_ptr<ReplayMode> replay_;
  std::string note_;                ///< why the last right-click opened nothing
  double note_at_ = -1e9;
  std::vector<TrainingCar> cars_;
  int selected_ = 0;                ///< 0: the spectator; k ≥ 1: training car k - 1
  bool paused_ = false;
};

}  // namespace view
