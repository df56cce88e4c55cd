// WatchMode without a window: keys, the spectator's fixed-step clock, policy snapshots, and the
// training feed turned into heatmap, chart and cars.
#include "view/watch_mode.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/observation.h"
#include "support/test_tracks.h"

namespace view {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

/// A trainer small enough for an iteration in milliseconds.
agent::TrainConfig small_config() {
  agent::TrainConfig config;
  config.envs = 8;
  config.threads = 1;
  config.rollout_steps = 64;
  config.hidden = {16};
  return config;
}

class WatchModeTest : public ::testing::Test {
 protected:
  WatchModeTest() : scenario_(load_or_fail(oval_toml(OvalOptions{}))) {
    const int d = sim::observation_size(*scenario_.scenario);
    snapshot_.policy = agent::make_policy({d, 2, {16}, 0.0f}, 1);
    snapshot_.obs_norm = agent::make_running_norm(d);
  }

  sim::LoadedScenario scenario_;
  PolicySnapshot snapshot_;
  TrainingExchange exchange_;
};

TEST_F(WatchModeTest, SpacePausesAndResumesTraining) {
  WatchMode mode(scenario_, &exchange_, snapshot_, {});
  EXPECT_TRUE(mode.key_pressed(sf::Keyboard::Space, false));
  EXPECT_TRUE(exchange_.paused());
  mode.key_pressed(sf::Keyboard::Space, false);
  EXPECT_FALSE(exchange_.paused());
}

TEST_F(WatchModeTest, WithoutTrainingSpaceIsNotTaken) {
  WatchMode mode(scenario_, nullptr, snapshot_, {});
  EXPECT_FALSE(mode.key_pressed(sf::Keyboard::Space, false));
}

TEST_F(WatchModeTest, NumberKeysSetTheSpectatorSpeed) {
  WatchMode mode(scenario_, nullptr, snapshot_, {});
  EXPECT_EQ(mode.speed(), 1.0);
  mode.key_pressed(sf::Keyboard::Num2, false);
  EXPECT_EQ(mode.speed(), 2.0);
  mode.key_pressed(sf::Keyboard::Num3, false);
  EXPECT_EQ(mode.speed(), 4.0);
  mode.key_pressed(sf::Keyboard::Num4, false);
  EXPECT_GT(mode.speed(), 1e100);  // as fast as the frame allows
  EXPECT_FALSE(mode.key_pressed(sf::Keyboard::Num5, false));
}

TEST_F(WatchModeTest, TheSpectatorRunsOnSimulatedTimeWhateverTheFrameRate) {
  WatchMode at_60(scenario_, nullptr, snapshot_, {});
  WatchMode at_24(scenario_, nullptr, snapshot_, {});
  for (int k = 0; k < 120; ++k) at_60.update(1.0 / 60.0);  // 2 s
  for (int k = 0; k < 48; ++k) at_24.update(1.0 / 24.0);   // 2 s
  ASSERT_EQ(at_60.spectator().episode(), 1);
  EXPECT_EQ(at_60.spectator().env().episode().length, 60);  // 2 s at 30 Hz
  EXPECT_EQ(sim::hash_world(at_60.spectator().env().world()), sim::hash_world(at_24.spectator().env().world()));
}

TEST_F(WatchModeTest, TheSpectatorTakesTheLatestSnapshotWhenItsEpisodeStarts) {
  WatchMode mode(scenario_, &exchange_, snapshot_, {});
  agent::Policy newer = snapshot_.policy;
  newer.params.setConstant(0.01f);
  exchange_.publish_policy(newer, snapshot_.obs_norm, 5000, 3, 1.0);
  mode.update(0.01);
  EXPECT_EQ(mode.driving_step(), 0);  // the episode under way keeps its policy
  mode.key_pressed(sf::Keyboard::R, false);
  EXPECT_EQ(mode.driving_step(), 5000);
  EXPECT_EQ(mode.spectator().episode(), 2);
}

TEST_F(WatchModeTest, AStaleSnapshotIsReplacedMidEpisode) {
  WatchMode mode(scenario_, &exchange_, snapshot_, {});
  exchange_.publish_policy(snapshot_.policy, snapshot_.obs_norm, 7000, 4, 1.0);
  for (int k = 0; k < static_cast<int>(kMaxPolicyAge * 60.0) + 5; ++k) mode.update(1.0 / 60.0);
  EXPECT_EQ(mode.spectator().episode(), 1);
  EXPECT_EQ(mode.driving_step(), 7000);
}

TEST_F(WatchModeTest, TrainingCrashesBuildTheHeatmapAndIterationsTheChart) {
  agent::Trainer trainer(scenario_, small_config());
  WatchMode mode(scenario_, &exchange_, snapshot_, {});
  std::size_t crashes = 0;
  for (int i = 0; i < 3; ++i) {
    const agent::IterationStats it = trainer.iterate();
    crashes += it.crashes.size();
    exchange_.publish(trainer, it, 1.0, 1000.0, kTrainingCarsShown);
  }
  mode.update(0.01);
  Scene scene;
  mode.fill(scene);
  ASSERT_NE(scene.heatmap, nullptr);
  EXPECT_EQ(scene.heatmap->total(), static_cast<std::int64_t>(crashes));
  ASSERT_NE(scene.chart, nullptr);
  // The training cars and the spectator, the spectator in focus until N moves it on.
  ASSERT_EQ(scene.cars.size(), static_cast<std::size_t>(kTrainingCarsShown) + 1);
  EXPECT_TRUE(scene.cars.back().focused);
  mode.key_pressed(sf::Keyboard::N, false);
  EXPECT_EQ(mode.selected_car(), 1);
  mode.key_pressed(sf::Keyboard::P, false);
  mode.key_pressed(sf::Keyboard::P, false);
  EXPECT_EQ(mode.selected_car(), kTrainingCarsShown);  // wraps around
  Scene following;
  mode.fill(following);
  EXPECT_EQ(following.focus.x, following.cars[static_cast<std::size_t>(kTrainingCarsShown) - 1].position.x);
  EXPECT_NE(following.panels[1].title.find("read-only"), std::string::npos);
}

TEST_F(WatchModeTest, ARightClickOnAHotSpotReplaysTheTrainingCrashRecordedThere) {
  // A narrow oval entered fast and askew: the untrained policy crashes within an iteration.
  const sim::LoadedScenario narrow = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 8.0f, false,
      "[spawn]\ns = 100\ns_jitter = 90\nheading_jitter_deg = 60\nspeed = 12\n"}));
  agent::Trainer trainer(narrow, small_config());
  WatchMode mode(narrow, &exchange_, snapshot_, {});
  agent::IterationStats it;
  for (int i = 0; i < 6 && it.crashes.empty(); ++i) {
    it = trainer.iterate();
    exchange_.publish(trainer, it, 1.0, 1000.0, kTrainingCarsShown);
  }
  ASSERT_FALSE(it.crashes.empty()) << "the untrained policy never crashed";
  mode.update(0.01);
  EXPECT_GT(mode.crash_shelf().size(), 0u);

  // Far from every crash: nothing opens, and the banner says why.
  EXPECT_FALSE(mode.open_crash_near({1e4f, 1e4f}));
  Scene nothing;
  mode.fill(nothing);
  EXPECT_NE(nothing.banner.find("no recorded crash"), std::string::npos) << nothing.banner;

  // Next to the last crash: its recording replays, from 3 s before the crash up to it.
  const agent::CrashEvent& crash = it.crashes.back();
  ASSERT_TRUE(mode.open_crash_near({crash.x + 0.5f, crash.y}));
  EXPECT_TRUE(mode.replaying());
  for (int k = 0; k < 400; ++k) mode.update(1.0 / 30.0);
  Scene replay;
  mode.fill(replay);
  EXPECT_NE(replay.status.find("Esc: back to watching"), std::string::npos);
  EXPECT_FALSE(replay.crash_marks.empty()) << "the replay reached the crash";
  ASSERT_FALSE(replay.cars.empty());
  EXPECT_NEAR(replay.cars[0].position.x, crash.x, 3.0f);
  EXPECT_NEAR(replay.cars[0].position.y, crash.y, 3.0f);

  // Esc comes back to the spectator; the right button opens crashes only outside a replay.
  sf::Event esc{};
  esc.type = sf::Event::KeyPressed;
  esc.key.code = sf::Keyboard::Escape;
  Camera camera;
  EXPECT_TRUE(mode.event(esc, camera));
  EXPECT_FALSE(mode.replaying());
  EXPECT_FALSE(mode.event(esc, camera)) << "outside a replay Esc is the viewer's (quit)";
}

}  // namespace
}  // namespace view
