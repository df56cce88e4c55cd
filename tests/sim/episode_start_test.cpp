// Env::start_from and VecEnv's episode starts: an episode begun in the middle of a recorded one
// continues exactly as the recorded episode did, replays from its own record, and leaves the
// env's random stream where it was.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/env.h"
#include "sim/vec_env.h"
#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

LoadedScenario jittered_oval() {
  return load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false,
      "[spawn]\ns = 60\ns_jitter = 40\nlateral_jitter = 3\nheading_jitter_deg = 10\n"}));
}

/// A weaving drive that stays on the oval for its first 120 steps.
std::vector<float> weaving(int steps) {
  std::vector<float> actions;
  for (int k = 0; k < steps; ++k) {
    actions.push_back(0.3f * static_cast<float>((k / 20) % 3 - 1));
    actions.push_back(0.6f);
  }
  return actions;
}

struct Snapshot {
  std::uint64_t hash = 0;
  std::vector<float> obs;
};

/// Takes actions [from, to) of `actions` in env, returning the world after each step.
std::vector<Snapshot> drive(Env& env, const std::vector<float>& actions, int from, int to, std::vector<float>& obs) {
  std::vector<Snapshot> out;
  for (int k = from; k < to; ++k) {
    env.step(std::span<const float>(actions).subspan(static_cast<std::size_t>(k) * 2, 2), obs);
    out.push_back({hash_world(env.world()), obs});
  }
  return out;
}

TEST(EpisodeStartTest, AnEpisodeBegunMidwayContinuesAsTheRecordedOne) {
  const LoadedScenario s = jittered_oval();
  const std::vector<float> actions = weaving(120);
  Env recorded(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(recorded.observation_size()));
  recorded.reset(21, obs);
  const std::vector<Snapshot> whole = drive(recorded, actions, 0, 120, obs);
  ASSERT_FALSE(recorded.done());

  Env practice(s.scenario, s.track);
  std::vector<float> practice_obs(obs.size());
  practice.reset(99, practice_obs);  // another env, mid-episode of its own
  drive(practice, weaving(30), 0, 30, practice_obs);
  ASSERT_TRUE(practice.start_from(recorded.record(), 70, practice_obs));
  EXPECT_EQ(hash_world(practice.world()), whole[69].hash);
  EXPECT_EQ(practice_obs, whole[69].obs);
  EXPECT_EQ(practice.episode().handover, 70);
  EXPECT_EQ(practice.episode().length, 70) << "the replayed steps count in the episode's totals";
  const std::vector<Snapshot> rest = drive(practice, actions, 70, 120, practice_obs);
  for (std::size_t k = 0; k < rest.size(); ++k) {
    ASSERT_EQ(rest[k].hash, whole[70 + k].hash) << "step " << 70 + k;
    ASSERT_EQ(rest[k].obs, whole[70 + k].obs) << "step " << 70 + k;
  }
  EXPECT_EQ(practice.episode().handover, 70);
  EXPECT_EQ(practice.record().handover, 70);
  EXPECT_EQ(practice.record().actions, actions) << "the record holds the replayed prefix and what followed";
}

TEST(EpisodeStartTest, TheEnvsOwnStreamGoesOnAfterAnEpisodeBegunMidway) {
  const LoadedScenario s = jittered_oval();
  Env recorded(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(recorded.observation_size()));
  recorded.reset(21, obs);
  drive(recorded, weaving(80), 0, 80, obs);

  // Twin envs on seed 5: one begins an episode midway in between, one resets; the next
  // reset of each draws the same start.
  Env practice(s.scenario, s.track);
  Env plain(s.scenario, s.track);
  std::vector<float> a(obs.size()), b(obs.size());
  practice.reset(5, a);
  plain.reset(5, b);
  ASSERT_TRUE(practice.start_from(recorded.record(), 40, a));
  practice.reset(a);
  plain.reset(b);
  EXPECT_EQ(practice.record().start, plain.record().start);
  EXPECT_EQ(hash_world(practice.world()), hash_world(plain.world()));
  EXPECT_EQ(practice.episode().handover, 0);
  EXPECT_EQ(practice.record().handover, 0);
}

TEST(EpisodeStartTest, ReplayingItsRecordRestoresAnEpisodeBegunMidway) {
  const LoadedScenario s = jittered_oval();
  const std::vector<float> actions = weaving(100);
  Env recorded(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(recorded.observation_size()));
  recorded.reset(21, obs);
  drive(recorded, actions, 0, 100, obs);

  Env practice(s.scenario, s.track);
  std::vector<float> practice_obs(obs.size());
  practice.reset(8, practice_obs);
  ASSERT_TRUE(practice.start_from(recorded.record(), 50, practice_obs));
  drive(practice, weaving(100), 50, 60, practice_obs);

  // A checkpoint's way back: replay the record into another env.
  Env restored(s.scenario, s.track);
  std::vector<float> restored_obs(obs.size());
  restored.reset(1234, restored_obs);
  ASSERT_TRUE(restored.replay(practice.record(), restored_obs));
  EXPECT_EQ(hash_world(restored.world()), hash_world(practice.world()));
  EXPECT_EQ(restored_obs, practice_obs);
  EXPECT_EQ(restored.episode().handover, 50);
  // ...and the next episode of both draws from env 8's stream, not from the recorded episode's.
  practice.reset(practice_obs);
  restored.reset(restored_obs);
  EXPECT_EQ(restored.record().start, practice.record().start);
  EXPECT_EQ(restored_obs, practice_obs);
}

TEST(EpisodeStartTest, AStartPastTheRecordedEpisodeIsRefused) {
  const LoadedScenario s = jittered_oval();
  Env recorded(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(recorded.observation_size()));
  recorded.reset(21, obs);
  drive(recorded, weaving(30), 0, 30, obs);
  Env practice(s.scenario, s.track);
  practice.reset(3, obs);
  EXPECT_FALSE(practice.start_from(recorded.record(), 31, obs));
  EXPECT_TRUE(practice.done()) << "a refused start leaves the env to be reset";
}

TEST(EpisodeStartTest, VecEnvBeginsOnlyEndedEpisodesAtTheirStarts) {
  const LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false,
      "[spawn]\ns = 60\ns_jitter = 40\n[episode]\nmax_steps = 5\n"}));
  Env source(s.scenario, s.track);
  std::vector<float> source_obs(static_cast<std::size_t>(source.observation_size()));
  source.reset(77, source_obs);
  const std::vector<float> actions = weaving(4);
  const std::vector<Snapshot> path = drive(source, actions, 0, 4, source_obs);

  for (const int threads : {1, 2}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    VecEnv vec(s.scenario, s.track, 3, threads);
    const std::size_t d = static_cast<std::size_t>(vec.observation_size());
    std::vector<float> obs(3 * d), reward(3);
    std::vector<std::uint8_t> terminated(3), truncated(3), reset(3);
    std::vector<StepInfo> info(3);
    const VecStepOutput out{obs, reward, terminated, truncated, reset, info};
    vec.reset(4, obs);
    const std::vector<float> idle(6, 0.0f);
    // Env 0 starts at step 3 of source, env 1 from a start too long (a plain reset), env 2 as usual.
    const std::vector<EpisodeStart> starts = {{&source.record(), 3}, {&source.record(), 9}, {}};
    for (int k = 0; k < 5; ++k) vec.step(idle, out, starts);  // ignored: no episode had ended
    EXPECT_EQ(vec.env(0).episode().handover, 0);
    ASSERT_TRUE(truncated[0] && truncated[1] && truncated[2]);
    vec.step(idle, out, starts);
    EXPECT_TRUE(reset[0] && reset[1] && reset[2]);
    EXPECT_EQ(vec.env(0).episode().handover, 3);
    EXPECT_EQ(hash_world(vec.env(0).world()), path[2].hash);
    EXPECT_EQ(std::vector<float>(obs.begin(), obs.begin() + static_cast<std::ptrdiff_t>(d)), path[2].obs);
    EXPECT_EQ(vec.env(1).episode().handover, 0);
    EXPECT_EQ(vec.env(1).episode().length, 0);
    EXPECT_EQ(vec.env(2).episode().handover, 0);
  }
}

}  // namespace
}  // namespace sim
