// ReplayMode (`crashcourse replay`): a recorded episode with play/pause, single steps, a slow
// motion and fast speeds, and a timeline to scrub along (click or drag), its crashes and
// near-misses marked on it.
#pragma once

#include <SFML/Window/Keyboard.hpp>

#include <string>

#include "sim/scenario_loader.h"
#include "view/fixed_step.h"
#include "view/replay_scrubber.h"
#include "view/viewer.h"

namespace view {

/// Replay speeds (sim s per wall s) on keys 1–4.
inline constexpr double kReplaySpeeds[4] = {1.0, 2.0, 4.0, 0.25};

class ReplayMode : public Mode {
 public:
  /// label: where the episode came from, for the HUD.
  ReplayMode(const sim::LoadedScenario& scenario, ReplayScrubber& scrubber, const std::string& label);

  void update(double frame_seconds) override;
  bool key_pressed(sf::Keyboard::Key key, bool shift) override;
  bool mouse(ScreenPoint p, bool drag, float width, float height) override;
  void fill(Scene& scene) override;
  std::string help_title() const override { return "crashcourse replay: keys"; }

  bool playing() const { return playing_; }
  /// Shows step k and pauses.
  void seek(int k);
  /// Shows step k and plays on from it.
  void play_from(int k);

 private:
  const sim::LoadedScenario& scenario_;
  ReplayScrubber& scrubber_;
  std::string label_;
  FixedStepClock clock_;
  bool playing_ = true;
  int speed_ = 0;
  double wall_ = 0.0;
  double last_crash_at_ = -1e9;
};

}  // namespace view
