// Keyboard driving for `crashcourse play`: which driving keys are held → the env's action.
// No SFML: the play mode maps arrows and WASD onto DriveKey; this decides what they mean.
#pragma once

#include <array>

namespace view {

enum class DriveKey { Left, Right, Up, Down };

struct DriveKeys {
  bool left = false;
  bool right = false;
  bool up = false;
  bool down = false;
};

/// Records a press (pressed = true) or release of one driving key.
void set_key(DriveKeys& keys, DriveKey key, bool pressed);

/// [steer, throttle] as the env takes them: Left steers +1 (left is positive), Right −1, both or
/// neither 0; Up is full throttle, Down brakes (and reverses once stopped), both or neither 0.
/// The car's steering rate limit smooths the all-or-nothing keys into a turn of the wheel.
std::array<float, 2> action_from_keys(const DriveKeys& keys);

}  // namespace view
