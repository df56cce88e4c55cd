// The HUD as data: panels of labelled rows and the key help, built by each viewer mode from its
// state and drawn by overlay.h. Formatting lives here so it is tested without a window.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "view/camera.h"

namespace view {

struct HudRow {
  std::string label;
  std::string value;
  bool highlight = false;           ///< drawn in the warning colour (a crash, a paused trainer)
};

struct HudPanel {
  std::string title;
  std::vector<HudRow> rows;
};

struct KeyHelp {
  std::string keys;                 ///< "Space", "1 2 3 4", "Arrows / WASD"
  std::string action;
};

/// A screen rectangle, px.
struct Rect {
  float x = 0.0f, y = 0.0f, w = 0.0f, h = 0.0f;
  bool contains(ScreenPoint p) const { return p.x >= x && p.x < x + w && p.y >= y && p.y < y + h; }
};

/// Height (px) of the status line at the bottom of the window.
constexpr float kStatusHeight = 26.0f;

/// Where the replay timeline sits in a window of the given size (px): a bar above the status line.
Rect timeline_rect(float window_width, float window_height);
/// The step a click at x (px) on the timeline means, in [0, length].
int timeline_step_at(const Rect& bar, float x, int length);

/// 1234 → "1234", 98765 → "98.8k", 1234567 → "1.23M".
std::string format_count(double value);
/// Seconds as a lap time: 83.25 → "1:23.3"; negative or non-finite → "–".
std::string format_lap_time(double seconds);
/// A fixed number of decimals: format_fixed(3.14159, 1) → "3.1".
std::string format_fixed(double value, int decimals);
/// Age of a policy snapshot: 0.04 → "0.0 s", 75 → "1 min 15 s".
std::string format_age(double seconds);
/// Spectator speed: 1 → "1×", 0 → "paused", infinite → "max".
std::string format_speed(double speed);

}  // namespace view
