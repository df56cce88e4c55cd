// Keys → action (see input.h).
#include "view/input.h"

namespace view {

void set_key(DriveKeys& keys, DriveKey key, bool pressed) {
  switch (key) {
    case DriveKey::Left: keys.left = pressed; break;
    case DriveKey::Right: keys.right = pressed; break;
    case DriveKey::Up: keys.up = pressed; break;
    case DriveKey::Down: keys.down = pressed; break;
  }
}

std::array<float, 2> action_from_keys(const DriveKeys& keys) {
  const float steer = (keys.left ? 1.0f : 0.0f) - (keys.right ? 1.0f : 0.0f);
  const float throttle = (keys.up ? 1.0f : 0.0f) - (keys.down ? 1.0f : 0.0f);
  return {steer, throttle};
}

}  // namespace view
