// PlayMode (`crashcourse play`): a person drives with the keyboard on the same physics, with the
// same crash and near-miss marks, in real time from the fixed-step accumulator.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <SFML/Window/Keyboard.hpp>

#include "sim/scenario_loader.h"
#include "view/drive_session.h"
#include "view/fixed_step.h"
#include "view/input.h"
#include "view/viewer.h"

namespace view {

/// The driving key a keyboard key stands for: arrows and WASD.
std::optional<DriveKey> drive_key(sf::Keyboard::Key key);

class PlayMode : public Mode {
 public:
  PlayMode(const sim::LoadedScenario& scenario, std::uint64_t seed);

  void update(double frame_seconds) override;
  bool key_pressed(sf::Keyboard::Key key, bool shift) override;
  void key_released(sf::Keyboard::Key key) override;
  void fill(Scene& scene) override;
  std::string help_title() const override { return "crashcourse play: keys"; }

  const DriveSession& session() const { return session_; }

 private:
  const sim::LoadedScenario& scenario_;
  DriveSession session_;
  std::vector<float> actions_;      ///< every agent's action: the player's, then the autopilot's
  FixedStepClock clock_;
  DriveKeys keys_;
  bool paused_ = false;
  double wall_ = 0.0;
  double last_crash_at_ = -1e9;
  std::int64_t crashes_seen_ = 0;
};

}  // namespace view
