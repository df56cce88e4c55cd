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

TEST(PlayModeTest, ThePlayerDrivesAgent0AndTheAutopilotTheOtherAgents) {
  const sim::LoadedScenario s =
      load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[spawn]\ns = 100\nagents = 3\nagent_spacing = 20\n"}));
  PlayMode mode(s, 1);
  for (int k = 0; k < 60; ++k) mode.update(1.0 / 60.0);  // no key pressed
  const sim::World& world = mode.session().env().world();
  ASSERT_EQ(world.cars.size(), 3u);
  EXPECT_LT(sim::forward_speed(*world.cars[0].state.body), 0.1f) << "the player has not touched the throttle";
  EXPECT_GT(sim::forward_speed(*world.cars[1].state.body), 2.0f);
  EXPECT_GT(sim::forward_speed(*world.cars[2].state.body), 2.0f);
  Scene scene;
  mode.fill(scene);
  ASSERT_EQ(scene.cars.size(), 3u);
  EXPECT_EQ(scene.cars[0].style, CarStyle::Player);
  EXPECT_TRUE(scene.cars[0].focused);
  EXPECT_EQ(scene.cars[1].style, CarStyle::Spectator);
  EXPECT_FALSE(scene.cars[1].focused);
}

}  // namespace
}  // namespace view
