// VecEnv: next-step autoreset, and results that do not depend on the number of threads.
#include "sim/vec_env.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "sim/hash.h"
#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

/// Buffers for a VecEnv step, owned by the test as a trainer would own them.
struct Buffers {
  std::vector<float> obs, reward, actions;
  std::vector<std::uint8_t> terminated, truncated, reset;
  std::vector<StepInfo> info;
  explicit Buffers(const VecEnv& v)
      : obs(static_cast<std::size_t>(v.num_envs() * v.observation_size())),
        reward(static_cast<std::size_t>(v.num_envs())),
        actions(static_cast<std::size_t>(v.num_envs() * VecEnv::action_size())),
        terminated(reward.size()), truncated(reward.size()), reset(reward.size()), info(reward.size()) {}
  VecStepOutput out() { return {obs, reward, terminated, truncated, reset, info}; }
};

LoadedScenario scenario(const std::string& extra) {
  return load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false,
      "[spawn]\ns = 100\ns_jitter = 90\nlateral_jitter = 4\nheading_jitter_deg = 25\n" + extra}));
}

/// Runs `steps` steps of seeded pseudo-random actions; returns a hash of every output.
std::uint64_t run(const LoadedScenario& s, int envs, int threads, std::uint64_t seed, int steps) {
  VecEnv vec(s.scenario, s.track, envs, threads);
  Buffers b(vec);
  vec.reset(seed, b.obs);
  Rng rng(seed + 1000);
  Fnv1a h;
  auto mix = [&h](const void* p, std::size_t n) { h.add(p, n); };
  for (int t = 0; t < steps; ++t) {
    for (float& a : b.actions) a = rng.uniform(-1.0f, 1.0f) + 0.3f;
    vec.step(b.actions, b.out());
    mix(b.obs.data(), b.obs.size() * sizeof(float));
    mix(b.reward.data(), b.reward.size() * sizeof(float));
    mix(b.terminated.data(), b.terminated.size());
    mix(b.truncated.data(), b.truncated.size());
  }
  for (int i = 0; i < envs; ++i) {
    const std::uint64_t w = hash_world(vec.env(i).world());
    mix(&w, sizeof w);
  }
  return h.value();
}

TEST(VecEnvTest, SameSeedGivesTheSameResultsOnOneTwoAndThreeThreads) {
  const LoadedScenario s = scenario("[episode]\nmax_steps = 150\n");
  const std::uint64_t one = run(s, 7, 1, 42, 400);
  EXPECT_EQ(run(s, 7, 2, 42, 400), one);
  EXPECT_EQ(run(s, 7, 3, 42, 400), one);
  EXPECT_EQ(run(s, 7, 1, 42, 400), one) << "and again on one thread";
  EXPECT_NE(run(s, 7, 2, 43, 400), one) << "a different seed gives a different run";
}

TEST(VecEnvTest, EnvIOfAVecEnvMatchesALoneEnvSeededWithDeriveSeed) {
  const LoadedScenario s = scenario("");
  VecEnv vec(s.scenario, s.track, 4, 2);
  Buffers b(vec);
  vec.reset(99, b.obs);
  Env lone(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(lone.observation_size()));
  lone.reset(derive_seed(99, 2), obs);
  EXPECT_EQ(hash_world(lone.world()), hash_world(vec.env(2).world()));
}

TEST(VecEnvTest, AutoresetHappensOnTheStepAfterTheEpisodeEnds) {
  const LoadedScenario s = scenario("[episode]\nmax_steps = 5\n");
  VecEnv vec(s.scenario, s.track, 3, 2);
  Buffers b(vec);
  vec.reset(1, b.obs);
  for (int t = 1; t <= 5; ++t) {
    vec.step(b.actions, b.out());
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(b.truncated[static_cast<std::size_t>(i)], t == 5 ? 1 : 0);
      EXPECT_EQ(b.reset[static_cast<std::size_t>(i)], 0);
    }
  }
  EXPECT_EQ(b.info[0].cause, EndCause::TimeLimit);
  EXPECT_EQ(b.info[0].episode.length, 5);
  // The step after the end: action ignored, new episode, zero reward, flags clear, reset marked.
  vec.step(b.actions, b.out());
  for (int i = 0; i < 3; ++i) {
    const std::size_t k = static_cast<std::size_t>(i);
    EXPECT_EQ(b.reset[k], 1);
    EXPECT_EQ(b.truncated[k], 0);
    EXPECT_EQ(b.terminated[k], 0);
    EXPECT_EQ(b.reward[k], 0.0f);
    EXPECT_EQ(vec.env(i).episode().length, 0);
  }
  vec.step(b.actions, b.out());
  EXPECT_EQ(b.reset[0], 0);
  EXPECT_EQ(vec.env(0).episode().length, 1);
}

/// Steps `vec` with actions[t] for t in [from, to); returns a hash of every output and, at the
/// end, of every world.
std::uint64_t steps_hash(VecEnv& vec, Buffers& b, const std::vector<std::vector<float>>& actions,
                         int from, int to) {
  Fnv1a h;
  for (int t = from; t < to; ++t) {
    vec.step(actions[static_cast<std::size_t>(t)], b.out());
    h.add(b.obs.data(), b.obs.size() * sizeof(float));
    h.add(b.reward.data(), b.reward.size() * sizeof(float));
    h.add(b.terminated.data(), b.terminated.size());
    h.add(b.truncated.data(), b.truncated.size());
    h.add(b.reset.data(), b.reset.size());
  }
  for (int i = 0; i < vec.num_envs(); ++i) h.add_value(hash_world(vec.env(i).world()));
  return h.value();
}

TEST(VecEnvTest, RestoringTheEpisodeRecordsContinuesEveryEnvExactly) {
  // Short episodes, so at the split some envs are mid-episode, some just ended, some just reset.
  const LoadedScenario s = scenario("[episode]\nmax_steps = 70\n");
  constexpr int kEnvs = 6, kSplit = 141, kEnd = 260;  // 141: uncrashed envs end their 2nd episode
  Rng rng(5);
  std::vector<std::vector<float>> actions(kEnd, std::vector<float>(kEnvs * VecEnv::action_size()));
  for (auto& row : actions) {
    for (float& a : row) a = rng.uniform(-1.0f, 1.0f) + 0.4f;
  }
  VecEnv whole(s.scenario, s.track, kEnvs, 2);
  Buffers wb(whole);
  whole.reset(17, wb.obs);
  steps_hash(whole, wb, actions, 0, kSplit);
  const std::vector<EpisodeRecord> records = whole.records();
  const std::vector<float> obs_at_split = wb.obs;
  std::vector<bool> done_at_split;
  for (int i = 0; i < kEnvs; ++i) done_at_split.push_back(whole.env(i).done());
  ASSERT_NE(std::count(done_at_split.begin(), done_at_split.end(), true), 0) << "test needs an ended episode at the split";
  const std::uint64_t continued = steps_hash(whole, wb, actions, kSplit, kEnd);

  VecEnv resumed(s.scenario, s.track, kEnvs, 1);  // another thread count on purpose
  Buffers rb(resumed);
  ASSERT_EQ(resumed.restore(records, rb.obs), -1);
  EXPECT_EQ(rb.obs, obs_at_split);
  for (int i = 0; i < kEnvs; ++i) EXPECT_EQ(resumed.env(i).done(), done_at_split[static_cast<std::size_t>(i)]) << i;
  EXPECT_EQ(steps_hash(resumed, rb, actions, kSplit, kEnd), continued);
}

TEST(VecEnvTest, ARecordThatOutlastsItsEpisodeIsRefused) {
  const LoadedScenario s = scenario("[episode]\nmax_steps = 5\n");
  VecEnv vec(s.scenario, s.track, 3, 1);
  Buffers b(vec);
  vec.reset(3, b.obs);
  std::vector<EpisodeRecord> records = vec.records();
  records[1].actions.assign(2 * 6, 0.5f);  // six steps of an episode that ends after five
  EXPECT_EQ(vec.restore(records, b.obs), 1);
  records[1].actions.assign(3, 0.5f);      // not a whole number of actions
  EXPECT_EQ(vec.restore(records, b.obs), 1);
  records.pop_back();
  EXPECT_EQ(vec.restore(records, b.obs), 0) << "one record per env";
}

}  // namespace
}  // namespace sim
