// Evaluation: seeded episodes that repeat for a seed and change with it, counts that add up, and
// a policy that drives into the wall scored as crashing and unsolved.
#include "agent/evaluation.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>

#include "sim/observation.h"
#include "support/same_bits.h"
#include "support/test_tracks.h"

namespace agent {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

/// An oval `width` m wide with random starts along its first straight, and `extra` TOML ([episode] ...).
sim::LoadedScenario jittered_oval(float width, const std::string& extra) {
  return load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, width, false,
      "[spawn]\ns = 100\ns_jitter = 90\nlateral_jitter = 1.5\nheading_jitter_deg = 20\n" + extra}));
}

/// A policy whose mean action is [steer, throttle] whatever it observes: the actor's output
/// layer has zero weights and the action as its bias (the last act_dim floats of the actor block,
/// by the Mlp layout W_1 b_1 … W_L b_L).
Policy constant_policy(int obs_dim, float steer, float throttle) {
  Policy p = make_policy(PolicyConfig{obs_dim, 2, {8}, 0.0f}, 3);
  const std::int64_t bias = p.actor_block.offset + p.actor_block.size - 2;
  const std::int64_t weights = bias - 2 * 8;  // W_L is 2 × 8
  p.params.segment(weights, 2 * 8).setZero();
  p.params[bias] = steer;
  p.params[bias + 1] = throttle;
  return p;
}

int observation_size(const sim::LoadedScenario& s) { return sim::observation_size(*s.scenario); }

using sim::testing::same_bits;

void expect_same_result(const EvalResult& a, const EvalResult& b) {
  EXPECT_EQ(a.episodes, b.episodes);
  EXPECT_TRUE(same_bits(a.mean_return, b.mean_return));
  EXPECT_TRUE(same_bits(a.crash_rate, b.crash_rate));
  EXPECT_TRUE(same_bits(a.near_misses_per_km, b.near_misses_per_km));
  EXPECT_TRUE(same_bits(a.lap_rate, b.lap_rate));
  EXPECT_TRUE(same_bits(a.clean_lap_rate, b.clean_lap_rate));
  EXPECT_TRUE(same_bits(a.mean_lap_time, b.mean_lap_time));
  EXPECT_TRUE(same_bits(a.mean_speed, b.mean_speed));
  EXPECT_EQ(a.steps, b.steps);
}

TEST(EvaluationTest, SameSeedGivesTheSameEpisodesAndADifferentSeedDifferentOnes) {
  const sim::LoadedScenario s = jittered_oval(20.0f, "[episode]\nmax_steps = 120\n");
  // Half throttle, slightly left: how far each car gets depends on where and how it started.
  const Policy policy = constant_policy(observation_size(s), 0.1f, 0.5f);
  const RunningNorm norm = make_running_norm(observation_size(s));
  const EvalConfig config{16, 77, 1};
  const EvalResult a = evaluate_policy(s, policy, norm, config);
  ASSERT_GT(a.mean_speed, 0.0f) << "the cars did not move: the seed could not show";
  {
    SCOPED_TRACE("same seed");
    expect_same_result(evaluate_policy(s, policy, norm, config), a);
  }
  {
    SCOPED_TRACE("same seed on 2 threads");
    expect_same_result(evaluate_policy(s, policy, norm, EvalConfig{16, 77, 2}), a);
  }
  const EvalResult b = evaluate_policy(s, policy, norm, EvalConfig{16, 78, 1});
  EXPECT_FALSE(same_bits(a.mean_return, b.mean_return)) << "a different seed gave the same episodes";
  EXPECT_FALSE(same_bits(a.mean_speed, b.mean_speed));
}

TEST(EvaluationTest, EpisodesCutByTheTimeLimitCountAsNeitherLapsNorCrashes) {
  constexpr int kMaxSteps = 5;
  const sim::LoadedScenario s = jittered_oval(20.0f, "[episode]\nmax_steps = 5\n");
  const RunningNorm norm = make_running_norm(observation_size(s));
  const EvalConfig config{12, 5, 2};
  for (const float throttle : {0.0f, 1.0f}) {
    SCOPED_TRACE("throttle " + std::to_string(throttle));
    const EvalResult r = evaluate_policy(s, constant_policy(observation_size(s), 0.0f, throttle), norm, config);
    EXPECT_EQ(r.episodes, config.episodes);
    EXPECT_EQ(r.steps, static_cast<std::int64_t>(config.episodes) * kMaxSteps);
    EXPECT_EQ(r.lap_rate, 0.0f);
    EXPECT_EQ(r.clean_lap_rate, 0.0f);
    EXPECT_EQ(r.crash_rate, 0.0f);
    EXPECT_EQ(r.mean_lap_time, 0.0f);
    EXPECT_GE(r.mean_speed, 0.0f);
  }
}

TEST(EvaluationTest, FullThrottleAndFullLockCrashesAndIsNotSolved) {
  const sim::LoadedScenario s = jittered_oval(8.0f, "[episode]\nmax_steps = 300\n");
  const RunningNorm norm = make_running_norm(observation_size(s));
  const EvalResult r = evaluate_policy(s, constant_policy(observation_size(s), 1.0f, 1.0f), norm,
                                       EvalConfig{32, 9, 2});
  EXPECT_GT(r.crash_rate, 0.9f);
  EXPECT_LT(r.mean_return, 0.0f) << "crash penalties outweigh the little progress made";
  EXPECT_LE(r.clean_lap_rate, r.lap_rate);
  EXPECT_FALSE(is_solved(r, 0.5f));
}

}  // namespace
}  // namespace agent
