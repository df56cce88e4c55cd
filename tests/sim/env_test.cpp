// The Gymnasium contract of Env: termination causes, truncation, laps, reward terms, determinism.
#include "sim/env.h"

#include <gtest/gtest.h>

#include <vector>

#include "sim/autopilot.h"
#include "sim/observation.h"
#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

Env oval_env(const std::string& extra) {
  LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, extra}));
  return Env(s.scenario, s.track);
}

TEST(EnvTest, CrashTerminatesWithTheCrashTerm) {
  // Spawned heading 90° left of the track: full throttle runs straight into the inner wall.
  Env env = oval_env("[spawn]\ns = 50\nheading_jitter_deg = 0\n[reward]\ncrash = 7.5\n");
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(1, obs);
  StepResult r;
  for (int k = 0; k < 200; ++k) {
    const float steer = k < 15 ? 1.0f : 0.0f;
    const float action[2] = {steer, 1.0f};
    r = env.step(action, obs);
    if (r.terminated || r.truncated) break;
  }
  EXPECT_TRUE(r.terminated);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.info.cause, EndCause::Crash);
  EXPECT_FLOAT_EQ(r.info.terms.crash, -7.5f);
  EXPECT_EQ(r.info.episode.crashes, 1);
  EXPECT_EQ(r.info.episode.cause, EndCause::Crash);
  EXPECT_TRUE(env.done());
}

TEST(EnvTest, TimeLimitTruncatesAndDoesNotTerminate) {
  Env env = oval_env("[episode]\nmax_steps = 10\n");
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(3, obs);
  const float idle[2] = {0.0f, 0.0f};
  for (int k = 0; k < 9; ++k) {
    const StepResult r = env.step(idle, obs);
    ASSERT_FALSE(r.terminated || r.truncated) << "step " << k;
  }
  const StepResult last = env.step(idle, obs);
  EXPECT_TRUE(last.truncated);
  EXPECT_FALSE(last.terminated);
  EXPECT_EQ(last.info.cause, EndCause::TimeLimit);
  EXPECT_EQ(last.info.episode.length, 10);
}

/// Drives the episode with the autopilot until it ends or `steps` run out; returns the last step
/// and adds every step's reward terms to `sum`.
StepResult drive_autopilot(Env& env, std::uint64_t seed, const AutopilotSpec& spec, int steps, RewardTerms& sum) {
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(seed, obs);
  StepResult r;
  for (int k = 0; k < steps && !env.done(); ++k) {
    const CarControls c = autopilot(env.world(), 0, spec);
    const float action[2] = {c.steer, c.throttle};
    r = env.step(action, obs);
    sum.lap += r.info.terms.lap;
    sum.checkpoint += r.info.terms.checkpoint;
  }
  return r;
}

TEST(EnvTest, AFullLapCountsOneLapAndEndsTheEpisode) {
  Env env = oval_env("[episode]\nlaps = 1\n[reward]\nlap = 4\n");
  RewardTerms sum;
  const StepResult r = drive_autopilot(env, 5, AutopilotSpec{}, 3000, sum);
  const float lap_reward = sum.lap;
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.info.cause, EndCause::LapGoal);
  EXPECT_EQ(r.info.episode.laps, 1);
  EXPECT_FLOAT_EQ(lap_reward, 4.0f);
  EXPECT_NEAR(r.info.episode.distance, env.world().track->length, 2.0f);
  EXPECT_EQ(r.info.episode.crashes, 0);
}

TEST(EnvTest, DrivingTheWrongWayTerminates) {
  Env env = oval_env("[spawn]\ns = 100\n[episode]\nwrong_way_limit = 15\n");
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(7, obs);
  StepResult r;
  for (int k = 0; k < 600 && !env.done(); ++k) {
    const float reverse[2] = {0.0f, -1.0f};  // brake, then reverse down the straight
    r = env.step(reverse, obs);
  }
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.info.cause, EndCause::WrongWay);
  EXPECT_LT(r.info.episode.distance, -14.0f);
}

TEST(EnvTest, RewardIsTheSumOfItsTerms) {
  Env env = oval_env("");
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(9, obs);
  float total = 0.0f;
  for (int k = 0; k < 100 && !env.done(); ++k) {
    const float action[2] = {0.0f, 1.0f};
    const StepResult r = env.step(action, obs);
    EXPECT_FLOAT_EQ(r.reward, r.info.terms.total());
    EXPECT_GT(r.info.terms.progress, -1e-6f);
    total += r.reward;
  }
  EXPECT_FLOAT_EQ(env.episode().total_reward, total);
}

TEST(EnvTest, SameSeedSameEpisodeDifferentSeedDifferentStart) {
  Env env = oval_env("[spawn]\ns = 60\ns_jitter = 40\nlateral_jitter = 3\nheading_jitter_deg = 10\n");
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  auto run = [&](std::uint64_t seed) {
    env.reset(seed, obs);
    for (int k = 0; k < 200 && !env.done(); ++k) {
      const float action[2] = {0.3f * static_cast<float>((k / 20) % 3 - 1), 0.6f};
      env.step(action, obs);
    }
    return hash_world(env.world());
  };
  const std::uint64_t a = run(11);
  run(12);  // a different episode in between must not change what seed 11 gives
  EXPECT_EQ(run(11), a);
  EXPECT_NE(run(12), a);
}

TEST(EnvTest, RandomStartsAvoidObstacles) {
  // An obstacle in the middle of the spawn range: no sampled start may overlap it.
  Env env = oval_env(
      "[[obstacles]]\nshape = \"circle\"\nposition = [100.0, 0.0]\nradius = 3.0\n"
      "[spawn]\ns = 40\ns_jitter = 80\nlateral_jitter = 5\n");
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    env.reset(seed, obs);
    const b2Vec2 p = env.world().cars[0].state.body->GetPosition();
    EXPECT_GT(b2Distance(p, b2Vec2(100.0f, 0.0f)), 3.0f + 0.9f) << "seed " << seed;
  }
}

TEST(EnvTest, ReachingTheTargetEndsTheEpisodeWithTheGoalAndTheLapTerm) {
  Env env = oval_env("[[checkpoints]]\ns = 60\nreward = 2.5\n[spawn]\ns = 10\n"
                     "[episode]\ngoal = \"reach\"\ntarget = [120, 0]\ntarget_radius = 3\n[reward]\nlap = 6\n");
  RewardTerms sum;
  const StepResult r = drive_autopilot(env, 3, AutopilotSpec{10.0f, 10.0f, 0.0f}, 600, sum);
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.info.cause, EndCause::LapGoal);
  EXPECT_FLOAT_EQ(r.info.terms.lap, 6.0f);
  EXPECT_FLOAT_EQ(sum.lap, 6.0f);
  EXPECT_FLOAT_EQ(sum.checkpoint, 2.5f);
  EXPECT_LE(b2Distance(env.world().cars[0].state.body->GetPosition(), b2Vec2(120.0f, 0.0f)), 3.0f);
}

TEST(EnvTest, ALapThroughEveryCheckpointPaysEachOnceAndCounts) {
  Env env = oval_env("[[checkpoints]]\ns = 100\nreward = 1\n[[checkpoints]]\ns = 300\nreward = 2\n"
                     "[[checkpoints]]\ns = 500\nreward = 4\n[spawn]\ns = 200\n[episode]\nlaps = 1\n");
  RewardTerms sum;
  const StepResult r = drive_autopilot(env, 2, AutopilotSpec{}, 3000, sum);
  EXPECT_EQ(r.info.cause, EndCause::LapGoal);
  EXPECT_EQ(r.info.episode.laps, 1);
  EXPECT_FLOAT_EQ(sum.checkpoint, 7.0f);
  EXPECT_EQ(env.world().cars[0].checkpoints_passed, 3);
  EXPECT_EQ(env.world().cars[0].next_checkpoint, 1);  // from s = 200 the first ahead was s = 300
}

}  // namespace
}  // namespace sim
