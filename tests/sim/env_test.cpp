// The Gymnasium contract of Env: termination causes, truncation, laps, reward terms, determinism.
#include "sim/env.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <span>
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

// ---- Several agents ----

/// Steps env with per-agent actions from `act(agent, step)` until its episode ends or `steps` run
/// out; returns the results of the last step.
template <class Act>
std::vector<StepResult> drive_agents(Env& env, std::uint64_t seed, int steps, Act act) {
  const std::size_t agents = static_cast<std::size_t>(env.agents());
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()) * agents), actions(2 * agents);
  std::vector<StepResult> results(agents);
  env.reset(seed, obs);
  for (int k = 0; k < steps && !env.done(); ++k) {
    for (std::size_t a = 0; a < agents; ++a) {
      const std::array<float, 2> action = act(static_cast<int>(a), k);
      actions[2 * a] = action[0];
      actions[2 * a + 1] = action[1];
    }
    env.step(actions, obs, results);
  }
  return results;
}

TEST(EnvTest, TwoAgentsDrivingIntoEachOtherBothCrashAndTheOthersAreTruncated) {
  // Agents 12 m apart on the straight: agent 1 runs into the back of agent 0; agent 0 and agent 2
  // (12 m further back) stand still.
  Env env = oval_env("[spawn]\ns = 100\nagents = 3\nagent_spacing = 12\n");
  ASSERT_EQ(env.agents(), 3);
  const std::vector<StepResult> r = drive_agents(env, 1, 300, [](int agent, int) {
    return std::array<float, 2>{0.0f, agent == 1 ? 1.0f : 0.0f};
  });
  ASSERT_TRUE(env.done());
  for (int a : {0, 1}) {
    const StepResult& x = r[static_cast<std::size_t>(a)];
    EXPECT_TRUE(x.terminated) << "agent " << a;
    EXPECT_FALSE(x.truncated) << "agent " << a;
    EXPECT_EQ(x.info.cause, EndCause::Crash) << "agent " << a;
    EXPECT_TRUE(x.info.events.crashed) << "agent " << a;
    EXPECT_EQ(x.info.events.crash_with, BodyKind::Car) << "agent " << a;
    EXPECT_EQ(x.info.events.crash_index, 1 - a) << "each hit the other";
    EXPECT_LT(x.info.terms.crash, 0.0f) << "agent " << a;
    EXPECT_EQ(env.episode(a).crashes, 1);
  }
  EXPECT_FALSE(r[2].terminated);
  EXPECT_TRUE(r[2].truncated);
  EXPECT_EQ(r[2].info.cause, EndCause::OtherAgent);
  EXPECT_EQ(env.episode(2).cause, EndCause::OtherAgent);
  EXPECT_EQ(env.episode(2).crashes, 0);
  EXPECT_EQ(r[2].info.terms.crash, 0.0f);
}

TEST(EnvTest, OneAgentHittingAWallTerminatesItAndTruncatesTheOther) {
  Env env = oval_env("[spawn]\ns = 50\nagents = 2\nagent_spacing = 15\n");
  // Agent 0 turns hard left into the inner wall (as in CrashTerminatesWithTheCrashTerm); agent 1 idles.
  const std::vector<StepResult> r = drive_agents(env, 1, 200, [](int agent, int k) {
    return agent == 0 ? std::array<float, 2>{k < 15 ? 1.0f : 0.0f, 1.0f} : std::array<float, 2>{0.0f, 0.0f};
  });
  ASSERT_TRUE(env.done());
  EXPECT_TRUE(r[0].terminated);
  EXPECT_EQ(r[0].info.cause, EndCause::Crash);
  EXPECT_EQ(r[0].info.events.crash_with, BodyKind::Wall);
  EXPECT_FALSE(r[1].terminated);
  EXPECT_TRUE(r[1].truncated);
  EXPECT_EQ(r[1].info.cause, EndCause::OtherAgent);
  EXPECT_EQ(r[1].info.episode.cause, EndCause::OtherAgent);
  EXPECT_EQ(r[1].info.episode.length, r[0].info.episode.length) << "one episode, one length";
}

TEST(EnvTest, EachAgentsLidarAndClearanceSeeTheOtherCar) {
  // Two cars side by side, 4 m between centres (2.2 m between hulls), 8 m from the walls.
  const std::string side_by_side = "[spawn]\ns = 100\nagent_spacing = 0.001\ngrid_offset = 2\n";
  const std::string episode = "[episode]\nnear_miss_distance = 2\n";
  Env duo = oval_env(side_by_side + "agents = 2\n" + episode);
  Env solo = oval_env(side_by_side + episode);  // agent 0 alone, at the same pose
  const int d = duo.observation_size();
  const int lidar = duo.scenario().sensors.rays + duo.scenario().sensors.corridor_rays;
  const float range = duo.scenario().sensors.range;
  std::vector<float> obs2(static_cast<std::size_t>(2 * d)), obs1(static_cast<std::size_t>(d));
  std::vector<StepResult> results(2);
  const float idle[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  duo.reset(1, obs2);
  solo.reset(1, obs1);
  duo.step(idle, obs2, results);  // clearance is measured by a step (reset reports the cap)
  solo.step(std::span<const float>(idle, 2), obs1);
  const auto nearest = [&](const float* o) { return range * *std::min_element(o, o + lidar); };
  for (int a = 0; a < 2; ++a) {
    const float* o = obs2.data() + a * d;
    EXPECT_LT(nearest(o), 3.5f) << "agent " << a << " sees the other car beside it";
    EXPECT_NEAR(o[lidar + kClearance], 2.2f / 4.0f, 0.02f) << "agent " << a << ": clearance to the other hull";
  }
  EXPECT_GT(nearest(obs1.data()), 7.0f) << "alone, the nearest thing is a wall";
  EXPECT_EQ(obs1[static_cast<std::size_t>(lidar + kClearance)], 1.0f);
}

TEST(EnvTest, AgentsReplayFromTheirRecord) {
  Env env = oval_env("[spawn]\ns = 100\ns_jitter = 50\nlateral_jitter = 3\nagents = 3\n");
  drive_agents(env, 5, 120, [](int agent, int k) {
    return std::array<float, 2>{0.2f * static_cast<float>((k / 15 + agent) % 3 - 1), 0.5f};
  });
  const std::uint64_t driven = hash_world(env.world());
  const EpisodeRecord record = env.record();
  EXPECT_EQ(record.actions.size(), 120u * 3u * 2u) << "every agent's action, every step";
  Env again = oval_env("[spawn]\ns = 100\ns_jitter = 50\nlateral_jitter = 3\nagents = 3\n");
  std::vector<float> obs(static_cast<std::size_t>(3 * again.observation_size()));
  ASSERT_TRUE(again.replay(record, obs));
  EXPECT_EQ(hash_world(again.world()), driven);
  EpisodeRecord odd = record;
  odd.actions.resize(odd.actions.size() - 2);  // one agent's action short of a step
  EXPECT_FALSE(again.replay(odd, obs));
}

}  // namespace
}  // namespace sim
