// ReplayMode without a window: play, step, scrub on the timeline, speeds.
#include "view/replay_mode.h"

#include <gtest/gtest.h>

#include "support/test_tracks.h"

namespace view {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

sim::EpisodeFile coast(const sim::LoadedScenario& s, int steps) {
  sim::Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(5, obs);
  const float action[2] = {0.0f, 0.3f};
  for (int k = 0; k < steps; ++k) env.step(action, obs);
  return sim::episode_from_env(env, "coast");
}

TEST(ReplayModeTest, PlaysAtSimulatedTimeAndStopsAtTheEnd) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  ReplayScrubber scrubber(s, coast(s, 90), "coast.episode");
  ReplayMode mode(s, scrubber, "coast");
  EXPECT_TRUE(mode.playing());
  for (int k = 0; k < 60; ++k) mode.update(1.0 / 60.0);  // 1 s: 30 steps
  EXPECT_EQ(scrubber.position(), 30);
  mode.key_pressed(sf::Keyboard::Num2, false);           // 2×
  for (int k = 0; k < 120; ++k) mode.update(1.0 / 60.0);
  EXPECT_EQ(scrubber.position(), 90);
  EXPECT_FALSE(mode.playing());
  mode.key_pressed(sf::Keyboard::Space, false);          // at the end: from the start
  EXPECT_EQ(scrubber.position(), 0);
  EXPECT_TRUE(mode.playing());
}

TEST(ReplayModeTest, ArrowsStepAndPause) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  ReplayScrubber scrubber(s, coast(s, 90), "coast.episode");
  ReplayMode mode(s, scrubber, "coast");
  mode.key_pressed(sf::Keyboard::Right, false);
  EXPECT_EQ(scrubber.position(), 1);
  EXPECT_FALSE(mode.playing());
  mode.key_pressed(sf::Keyboard::Right, true);  // Shift: one second
  EXPECT_EQ(scrubber.position(), 31);
  mode.key_pressed(sf::Keyboard::Left, false);
  EXPECT_EQ(scrubber.position(), 30);
  mode.key_pressed(sf::Keyboard::End, false);
  EXPECT_EQ(scrubber.position(), 90);
  mode.key_pressed(sf::Keyboard::Home, false);
  EXPECT_EQ(scrubber.position(), 0);
}

TEST(ReplayModeTest, AClickOnTheTimelineScrubsThere) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  ReplayScrubber scrubber(s, coast(s, 100), "coast.episode");
  ReplayMode mode(s, scrubber, "coast");
  const Rect bar = timeline_rect(1280.0f, 720.0f);
  EXPECT_TRUE(mode.mouse({bar.x + 0.75f * bar.w, bar.y + 0.5f * bar.h}, false, 1280.0f, 720.0f));
  EXPECT_EQ(scrubber.position(), 75);
  EXPECT_TRUE(mode.mouse({bar.x + 0.25f * bar.w, 100.0f}, true, 1280.0f, 720.0f));  // a drag follows x
  EXPECT_EQ(scrubber.position(), 25);
  EXPECT_FALSE(mode.mouse({640.0f, 300.0f}, false, 1280.0f, 720.0f));  // elsewhere: the camera's
  Scene scene;
  mode.fill(scene);
  EXPECT_TRUE(scene.timeline.show);
  EXPECT_EQ(scene.timeline.position, 25);
  EXPECT_EQ(scene.timeline.length, 100);
}

}  // namespace
}  // namespace view
