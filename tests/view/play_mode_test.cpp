// PlayMode without a window: the keys drive the car through the fixed-step clock.
#include "view/play_mode.h"

#include <gtest/gtest.h>

#include "sim/car.h"
#include "support/test_tracks.h"

namespace view {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

float speed(const PlayMode& mode) { return sim::forward_speed(*mode.session().env().world().cars[0].state.body); }

TEST(PlayModeTest, UpAcceleratesAndReleasingCoasts) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  PlayMode mode(s, 1);
  EXPECT_TRUE(mode.key_pressed(sf::Keyboard::W, false));
  for (int k = 0; k < 60; ++k) mode.update(1.0 / 60.0);
  const float fast = speed(mode);
  EXPECT_GT(fast, 3.0f);
  mode.key_released(sf::Keyboard::W);
  for (int k = 0; k < 60; ++k) mode.update(1.0 / 60.0);
  EXPECT_LT(speed(mode), fast);  // drag and rolling resistance
  EXPECT_EQ(mode.session().env().episode().length, 60);
}

TEST(PlayModeTest, SpacePausesTheCar) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  PlayMode mode(s, 1);
  mode.key_pressed(sf::Keyboard::Space, false);
  for (int k = 0; k < 30; ++k) mode.update(1.0 / 60.0);
  EXPECT_EQ(mode.session().env().episode().length, 0);
  Scene scene;
  mode.fill(scene);
  EXPECT_EQ(scene.banner, "PAUSED");
}

TEST(PlayModeTest, RStartsANewEpisode) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  PlayMode mode(s, 1);
  mode.update(0.5);
  EXPECT_TRUE(mode.key_pressed(sf::Keyboard::R, false));
  EXPECT_EQ(mode.session().episode(), 2);
  EXPECT_FALSE(mode.key_pressed(sf::Keyboard::H, false));  // the window's help key
}

}  // namespace
}  // namespace view
