// DriveSession: seeded episodes, crash marks and counters, the end hold, lap times.
#include "view/drive_session.h"

#include <gtest/gtest.h>

#include "sim/autopilot.h"
#include "support/test_tracks.h"

namespace view {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

/// Spawned heading 90° left of the track: full left lock and throttle hit the inner wall.
const char* kCrashSpawn = "[spawn]\ns = 50\nheading_jitter_deg = 0\n";

TEST(DriveSessionTest, EpisodeKStartsAsEvaluationEpisodeKMinusOne) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[spawn]\ns_jitter = 100\n"}));
  DriveSession session(s, 77, 0);
  for (int k = 0; k < 3; ++k) {
    sim::Env env(s.scenario, s.track);
    std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
    env.reset(sim::derive_seed(77, static_cast<std::uint64_t>(k)), obs);
    EXPECT_EQ(session.episode(), k + 1);
    EXPECT_EQ(sim::hash_world(session.env().world()), sim::hash_world(env.world())) << k;
    session.restart();
  }
}

TEST(DriveSessionTest, ACrashLeavesAMarkCountsOnceAndIsHeldBeforeTheNextEpisode) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, kCrashSpawn}));
  DriveSession session(s, 1, 5);
  const float action[2] = {1.0f, 1.0f};
  int steps = 0;
  while (!session.holding() && steps < 300) {
    session.step(action);
    ++steps;
  }
  ASSERT_TRUE(session.holding());
  EXPECT_EQ(session.env().episode().cause, sim::EndCause::Crash);
  EXPECT_EQ(session.total_crashes(), 1);
  ASSERT_EQ(session.crash_marks().size(), 1u);
  EXPECT_EQ(session.crash_marks()[0].episode, 1);
  EXPECT_EQ(session.last_episode().cause, sim::EndCause::Crash);
  EXPECT_EQ(session.last_episode().length, steps);
  for (int k = 0; k < 5; ++k) {
    session.step(action);
    EXPECT_TRUE(session.holding()) << k;  // the crash stays on screen
  }
  session.step(action);
  EXPECT_FALSE(session.holding());
  EXPECT_EQ(session.episode(), 2);
  EXPECT_EQ(session.crash_marks().size(), 1u);  // the mark stays
}

TEST(DriveSessionTest, ALapIsTimedFromTheStart) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[episode]\nlaps = 2\n"}));
  DriveSession session(s, 3, 0);
  EXPECT_LT(session.last_lap(), 0.0);
  int steps = 0;
  while (session.last_lap() < 0.0 && steps < 5000) {
    const sim::CarControls c = sim::autopilot(session.env().world(), 0, sim::AutopilotSpec{});
    const float action[2] = {c.steer, c.throttle};
    session.step(action);
    ++steps;
  }
  ASSERT_GT(session.last_lap(), 0.0);
  EXPECT_NEAR(session.last_lap(), steps * s.scenario->episode.dt, 1e-3);
  EXPECT_EQ(session.best_lap(), session.last_lap());
  EXPECT_NEAR(session.lap_time(), 0.0, 1e-6);  // the next lap has just started
}

}  // namespace
}  // namespace view
