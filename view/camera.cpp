// Camera mapping (see camera.h).
#include "view/camera.h"

#include <algorithm>
#include <cmath>

namespace view {

ScreenPoint world_to_screen(const Camera& c, b2Vec2 w) {
  return {(w.x - c.center.x) * c.scale + 0.5f * c.width, (c.center.y - w.y) * c.scale + 0.5f * c.height};
}

b2Vec2 screen_to_world(const Camera& c, ScreenPoint s) {
  return {c.center.x + (s.x - 0.5f * c.width) / c.scale, c.center.y - (s.y - 0.5f * c.height) / c.scale};
}

void zoom_at(Camera& c, ScreenPoint anchor, float factor) {
  if (!std::isfinite(factor) || factor <= 0.0f) return;
  const b2Vec2 before = screen_to_world(c, anchor);
  c.scale = std::clamp(c.scale * factor, kMinScale, kMaxScale);
  const b2Vec2 after = screen_to_world(c, anchor);
  c.center += before - after;
}

void pan(Camera& c, float dx, float dy) {
  c.center.x -= dx / c.scale;
  c.center.y += dy / c.scale;
}

void fit(Camera& c, b2Vec2 lo, b2Vec2 hi, float margin) {
  c.center = 0.5f * (lo + hi);
  const float w = std::max(hi.x - lo.x, 1e-3f);
  const float h = std::max(hi.y - lo.y, 1e-3f);
  const float sx = std::max(c.width - 2.0f * margin, 1.0f) / w;
  const float sy = std::max(c.height - 2.0f * margin, 1.0f) / h;
  c.scale = std::min(sx, sy);
}

}  // namespace view
