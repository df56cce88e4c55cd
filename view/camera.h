// Camera: how the viewer maps world metres to window pixels — a uniform scale with y flipped
// (world y points up, screen y down) around a centre. Follow-cam and free camera are both just a
// centre and a scale; zooming keeps the point under the cursor still. No SFML here, so the
// mapping is unit-tested and the renderer and the tests share it.
#pragma once

#include <box2d/b2_math.h>

namespace view {

struct ScreenPoint {
  float x = 0.0f;                   ///< px from the left edge
  float y = 0.0f;                   ///< px from the top edge
};

struct Camera {
  b2Vec2 center{0.0f, 0.0f};        ///< m, the world point at the middle of the viewport
  float scale = 8.0f;               ///< px per m
  float width = 1280.0f;            ///< px, viewport
  float height = 720.0f;            ///< px
};

/// Bounds on Camera::scale: from a whole large track down to a car filling the window.
constexpr float kMinScale = 0.5f;   ///< px per m
constexpr float kMaxScale = 80.0f;  ///< px per m

ScreenPoint world_to_screen(const Camera& camera, b2Vec2 world);
b2Vec2 screen_to_world(const Camera& camera, ScreenPoint screen);

/// Multiplies the scale by factor (clamped to [kMinScale, kMaxScale]), keeping the world point
/// under `anchor` where it is on screen.
void zoom_at(Camera& camera, ScreenPoint anchor, float factor);

/// Moves the view by a drag of (dx, dy) px: the world follows the cursor.
void pan(Camera& camera, float dx, float dy);

/// Centres the box [lo, hi] (m) and scales it to fill the viewport less `margin` px on each side
/// (not clamped: a minimap of a large track may need less than kMinScale).
void fit(Camera& camera, b2Vec2 lo, b2Vec2 hi, float margin);

}  // namespace view
