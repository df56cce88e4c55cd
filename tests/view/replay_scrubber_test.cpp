// ReplayScrubber: any step, reached forwards or backwards, is the state the episode had there.
#include "view/replay_scrubber.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/autopilot.h"
#include "support/test_tracks.h"

namespace view {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

struct Recorded {
  sim::EpisodeFile file;
  std::vector<std::uint64_t> hashes;  ///< world hash after k steps, k = 0..length
};

/// A weaving autopilot drive that ends in the wall (or after `steps`), with its world hashes.
Recorded record(const sim::LoadedScenario& s, int steps) {
  sim::Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(21, obs);
  Recorded r;
  r.hashes.push_back(sim::hash_world(env.world()));
  for (int k = 0; k < steps && !env.done(); ++k) {
    const sim::CarControls c =
        sim::autopilot(env.world(), 0, sim::AutopilotSpec{14.0f, 10.0f, 5.0f * std::sin(0.02f * static_cast<float>(k))});
    const float action[2] = {c.steer, c.throttle};
    env.step(action, obs);
    r.hashes.push_back(sim::hash_world(env.world()));
  }
  r.file = sim::episode_from_env(env, "test");
  return r;
}

TEST(ReplayScrubberTest, EveryStepReachedForwardOrBackwardIsTheRecordedState) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  const Recorded r = record(s, 400);
  ReplayScrubber scrubber(s, r.file, "test.episode");
  ASSERT_EQ(scrubber.length(), static_cast<int>(r.hashes.size()) - 1);
  EXPECT_EQ(scrubber.position(), 0);
  EXPECT_EQ(sim::hash_world(scrubber.env().world()), r.hashes[0]);
  const int n = scrubber.length();
  ASSERT_GT(n, 60);
  for (const int k : {5, 6, n - 1, 3, n / 2, n / 2, 0, n, 1}) {
    scrubber.seek(k);
    ASSERT_EQ(scrubber.position(), k);
    EXPECT_EQ(sim::hash_world(scrubber.env().world()), r.hashes[static_cast<std::size_t>(k)]) << k;
  }
  scrubber.seek(10);
  for (int k = 11; k <= 40; ++k) {
    scrubber.step_forward();
    EXPECT_EQ(sim::hash_world(scrubber.env().world()), r.hashes[static_cast<std::size_t>(k)]) << k;
  }
  scrubber.step_back();
  EXPECT_EQ(sim::hash_world(scrubber.env().world()), r.hashes[39]);
}

TEST(ReplayScrubberTest, SeekingIsClampedToTheEpisode) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  ReplayScrubber scrubber(s, record(s, 50).file, "test.episode");
  scrubber.seek(-5);
  EXPECT_EQ(scrubber.position(), 0);
  scrubber.seek(1'000'000);
  EXPECT_EQ(scrubber.position(), 50);
  EXPECT_TRUE(scrubber.at_end());
}

TEST(ReplayScrubberTest, TheTimelineHoldsTheCrashAndTheReturn) {
  const sim::LoadedScenario s =
      load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[spawn]\ns = 50\nheading_jitter_deg = 0\n"}));
  sim::Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(1, obs);
  const float action[2] = {1.0f, 1.0f};
  while (!env.done()) env.step(action, obs);
  ReplayScrubber scrubber(s, sim::episode_from_env(env, "crash"), "crash.episode");
  const std::vector<ReplayStep>& steps = scrubber.steps();
  ASSERT_EQ(static_cast<int>(steps.size()), env.episode().length);
  EXPECT_TRUE(steps.back().crashed);
  EXPECT_FLOAT_EQ(steps.back().total_reward, env.episode().total_reward);
  EXPECT_EQ(steps.back().crash_point.x, env.episode().end_position.x);
}

TEST(ReplayScrubberTest, AnEpisodeOfAnotherScenarioIsRefusedNamingTheFile) {
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{}));
  const sim::LoadedScenario other = load_or_fail(oval_toml(OvalOptions{150.0f, 40.0f, 20.0f, false, ""}));
  try {
    ReplayScrubber scrubber(other, record(s, 20).file, "mine.episode");
    FAIL() << "expected an error";
  } catch (const sim::EpisodeFileError& e) {
    EXPECT_NE(std::string(e.what()).find("mine.episode: field 'fingerprint'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace view
