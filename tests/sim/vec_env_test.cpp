// VecEnv: next-step autoreset, and results that do not depend on the number of threads.
#include "sim/vec_env.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sim
