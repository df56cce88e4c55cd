// HUD formatting (see hud.h).
#include "view/hud.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace view {

Rect timeline_rect(float window_width, float window_height) {
  const float margin = 24.0f;
  return {margin, window_height - kStatusHeight - 34.0f, std::max(window_width - 2.0f * margin, 1.0f), 18.0f};
}

int timeline_step_at(const Rect& bar, float x, int length) {
  const float t = std::clamp((x - bar.x) / bar.w, 0.0f, 1.0f);
  return static_cast<int>(std::lround(t * static_cast<float>(length)));
}

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "–";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string format_count(double value) {
  if (!std::isfinite(value)) return "–";
  const double a = std::fabs(value);
  if (a < 10'000.0) return format_fixed(value, 0);
  if (a < 1'000'000.0) return format_fixed(value / 1e3, a < 100'000.0 ? 1 : 0) + "k";
  if (a < 1e9) return format_fixed(value / 1e6, a < 1e7 ? 2 : a < 1e8 ? 1 : 0) + "M";
  return format_fixed(value / 1e9, 2) + "G";
}

std::string format_lap_time(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0.0) return "–";
  const double tenths = std::round(seconds * 10.0);
  const long minutes = static_cast<long>(tenths / 600.0);
  const double rest = (tenths - static_cast<double>(minutes) * 600.0) / 10.0;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%ld:%04.1f", minutes, rest);
  return buffer;
}

std::string format_age(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0.0) return "–";
  if (seconds < 60.0) return format_fixed(seconds, 1) + " s";
  const long whole = static_cast<long>(seconds);
  return std::to_string(whole / 60) + " min " + std::to_string(whole % 60) + " s";
}

std::string format_speed(double speed) {
  if (std::isinf(speed)) return "max";
  if (!(speed > 0.0)) return "paused";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g×", speed);
  return buffer;
}

}  // namespace view
