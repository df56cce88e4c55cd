// Camera: world ↔ screen round trips, orientation, zoom about a point, pan, fit.
#include "view/camera.h"

#include <gtest/gtest.h>

#include "sim/rng.h"

namespace view {
namespace {

TEST(CameraTest, WorldToScreenAndBackIsTheIdentity) {
  sim::Rng rng(5);
  for (int k = 0; k < 1000; ++k) {
    const Camera c{{rng.uniform(-300.0f, 300.0f), rng.uniform(-300.0f, 300.0f)}, rng.uniform(0.5f, 80.0f),
                   rng.uniform(320.0f, 1920.0f), rng.uniform(240.0f, 1080.0f)};
    const b2Vec2 w(c.center.x + rng.uniform(-100.0f, 100.0f), c.center.y + rng.uniform(-100.0f, 100.0f));
    const b2Vec2 back = screen_to_world(c, world_to_screen(c, w));
    EXPECT_NEAR(back.x, w.x, 1e-3f);
    EXPECT_NEAR(back.y, w.y, 1e-3f);
  }
}

TEST(CameraTest, TheCentreIsMidWindowAndWorldUpIsScreenUp) {
  const Camera c{{10.0f, 20.0f}, 4.0f, 800.0f, 600.0f};
  const ScreenPoint mid = world_to_screen(c, {10.0f, 20.0f});
  EXPECT_FLOAT_EQ(mid.x, 400.0f);
  EXPECT_FLOAT_EQ(mid.y, 300.0f);
  const ScreenPoint up = world_to_screen(c, {10.0f, 21.0f});
  EXPECT_FLOAT_EQ(up.y, 296.0f);  // 1 m up is 4 px toward the top edge
  const ScreenPoint right = world_to_screen(c, {11.0f, 20.0f});
  EXPECT_FLOAT_EQ(right.x, 404.0f);
}

TEST(CameraTest, ZoomKeepsThePointUnderTheCursorStill) {
  Camera c{{0.0f, 0.0f}, 8.0f, 1280.0f, 720.0f};
  const ScreenPoint cursor{1000.0f, 100.0f};
  const b2Vec2 before = screen_to_world(c, cursor);
  zoom_at(c, cursor, 2.5f);
  EXPECT_FLOAT_EQ(c.scale, 20.0f);
  const b2Vec2 after = screen_to_world(c, cursor);
  EXPECT_NEAR(after.x, before.x, 1e-4f);
  EXPECT_NEAR(after.y, before.y, 1e-4f);
}

TEST(CameraTest, ZoomIsClampedAndIgnoresNonsense) {
  Camera c;
  zoom_at(c, {0.0f, 0.0f}, 1e6f);
  EXPECT_FLOAT_EQ(c.scale, kMaxScale);
  zoom_at(c, {0.0f, 0.0f}, 1e-6f);
  EXPECT_FLOAT_EQ(c.scale, kMinScale);
  zoom_at(c, {0.0f, 0.0f}, -2.0f);
  EXPECT_FLOAT_EQ(c.scale, kMinScale);
}

TEST(CameraTest, PanMovesTheWorldWithTheCursor) {
  Camera c{{5.0f, 5.0f}, 10.0f, 640.0f, 480.0f};
  const ScreenPoint grab{100.0f, 100.0f};
  const b2Vec2 under = screen_to_world(c, grab);
  pan(c, 30.0f, -20.0f);
  const ScreenPoint now = world_to_screen(c, under);
  EXPECT_NEAR(now.x, 130.0f, 1e-3f);
  EXPECT_NEAR(now.y, 80.0f, 1e-3f);
}

TEST(CameraTest, FitShowsTheWholeBoxInsideTheMargin) {
  Camera c{{0.0f, 0.0f}, 1.0f, 1000.0f, 500.0f};
  fit(c, {-50.0f, 0.0f}, {150.0f, 40.0f}, 20.0f);
  for (const b2Vec2 corner : {b2Vec2(-50.0f, 0.0f), b2Vec2(150.0f, 40.0f)}) {
    const ScreenPoint p = world_to_screen(c, corner);
    EXPECT_GE(p.x, 19.99f);
    EXPECT_LE(p.x, 980.01f);
    EXPECT_GE(p.y, 19.99f);
    EXPECT_LE(p.y, 480.01f);
  }
  EXPECT_FLOAT_EQ(c.scale, 960.0f / 200.0f);  // width is the tighter fit
}

}  // namespace
}  // namespace view
