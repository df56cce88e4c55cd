// Curriculum: crashes and near-misses become start points rewind_s before them, the rings keep
// the latest, the share of practice episodes follows the crash rate, and which episodes practise
// depends on the step alone.
#include "agent/curriculum.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/test_tracks.h"

namespace agent {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;

/// Spawned heading 90° left of the track: full throttle after a left swerve hits the inner wall.
sim::LoadedScenario crash_oval() {
  return load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[spawn]\ns = 50\nheading_jitter_deg = 0\n"}));
}

/// Drives env into the wall; returns the crash step's events and how many steps it took.
sim::CarEvents drive_into_wall(sim::Env& env, std::vector<float>& obs, int& steps) {
  env.reset(1, obs);
  for (steps = 1; steps <= 300; ++steps) {
    const float action[2] = {steps < 15 ? 1.0f : 0.0f, 1.0f};
    const sim::StepResult r = env.step(action, obs);
    if (r.info.events.crashed) return r.info.events;
  }
  ADD_FAILURE() << "the car never crashed";
  return {};
}

CurriculumConfig on(float rewind_seconds) {
  CurriculumConfig c;
  c.enabled = true;
  c.rewind_seconds = rewind_seconds;
  return c;
}

TEST(CurriculumTest, ACrashBecomesAStartPointRewindSecondsBeforeIt) {
  const sim::LoadedScenario s = crash_oval();
  sim::Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  int steps = 0;
  const sim::CarEvents crash = drive_into_wall(env, obs, steps);
  ASSERT_GT(steps, 20);

  Curriculum curriculum(on(0.5f), 1.0f / 30.0f, 1);  // 15 steps back
  curriculum.observe(env, crash);
  ASSERT_EQ(curriculum.state().crashes.slots.size(), 1u);
  EXPECT_TRUE(curriculum.state().near_misses.slots.empty());
  const sim::EpisodeRecord& start = curriculum.state().crashes.slots[0];
  EXPECT_EQ(start.start, env.record().start);
  EXPECT_EQ(start.actions.size(), static_cast<std::size_t>(steps - 15) * 2);
  EXPECT_TRUE(std::equal(start.actions.begin(), start.actions.end(), env.record().actions.begin()));

  // Begun there, the episode drives into the same wall with the same actions.
  sim::Env practice(s.scenario, s.track);
  practice.reset(2, obs);
  ASSERT_TRUE(practice.start_from(start, steps - 15, obs));
  sim::StepResult r;
  for (int k = steps - 15; k < steps; ++k) {
    r = practice.step(std::span<const float>(env.record().actions).subspan(static_cast<std::size_t>(k) * 2, 2), obs);
  }
  EXPECT_TRUE(r.info.events.crashed);
  EXPECT_EQ(r.info.episode.handover, steps - 15);

  // A crash sooner than rewind_s after its episode began leaves nothing to replay.
  Curriculum far_back(on(60.0f), 1.0f / 30.0f, 1);
  far_back.observe(env, crash);
  EXPECT_EQ(far_back.start_points(), 0);
  // Off, it keeps nothing.
  Curriculum off(CurriculumConfig{}, 1.0f / 30.0f, 1);
  off.observe(env, crash);
  EXPECT_EQ(off.start_points(), 0);
}

TEST(CurriculumTest, RingsKeepTheLatestStartPoints) {
  const sim::LoadedScenario s = crash_oval();
  sim::Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  CurriculumConfig config = on(0.1f);
  config.crash_starts = 2;
  config.near_miss_starts = 1;
  Curriculum curriculum(config, 1.0f / 30.0f, 1);
  env.reset(1, obs);
  sim::CarEvents crash;
  crash.crashed = true;
  sim::CarEvents near_miss;
  near_miss.near_miss_entered = true;
  std::vector<std::size_t> lengths;
  for (int k = 0; k < 10; ++k) {
    const float idle[2] = {0.0f, 0.0f};
    env.step(idle, obs);
    if (k >= 5) {
      curriculum.observe(env, crash);  // at 6, 7, 8, 9 and 10 steps, 3 steps back
      lengths.push_back(env.record().actions.size() - 6);
    }
  }
  curriculum.observe(env, near_miss);
  curriculum.observe(env, near_miss);
  const CurriculumState& state = curriculum.state();
  ASSERT_EQ(state.crashes.slots.size(), 2u);
  // Slots 0, 1, 0, 1, 0 were written: slot 0 holds the 10-step crash, slot 1 the 9-step one.
  EXPECT_EQ(state.crashes.slots[0].actions.size(), lengths[4]);
  EXPECT_EQ(state.crashes.slots[1].actions.size(), lengths[3]);
  EXPECT_EQ(state.crashes.next, 1);
  EXPECT_EQ(state.near_misses.slots.size(), 1u);
  EXPECT_EQ(curriculum.start_points(), 3);
}

TEST(CurriculumTest, ThePracticeShareFollowsTheRecentCrashRate) {
  CurriculumConfig config = on(1.0f);
  config.max_fraction = 0.4f;
  Curriculum curriculum(config, 1.0f / 30.0f, 1);
  EXPECT_EQ(curriculum.fraction(), 0.0f) << "no crash seen yet";
  for (int k = 0; k < 300; ++k) curriculum.update_crash_rate(1.0f, 10);
  EXPECT_LT(curriculum.fraction(), 1e-6f) << "crashing everywhere: nothing particular to practise";
  for (int k = 0; k < 300; ++k) curriculum.update_crash_rate(0.5f, 10);
  EXPECT_NEAR(curriculum.fraction(), 0.4f, 1e-4f) << "half the episodes crash: max_fraction";
  for (int k = 0; k < 300; ++k) curriculum.update_crash_rate(0.25f, 10);
  EXPECT_NEAR(curriculum.fraction(), 0.3f, 1e-4f) << "4 · 0.25 · 0.75 of it";
  const float before = curriculum.fraction();
  curriculum.update_crash_rate(1.0f, 0);
  EXPECT_EQ(curriculum.fraction(), before) << "an iteration without episodes says nothing";
  for (int k = 0; k < 300; ++k) curriculum.update_crash_rate(0.0f, 10);
  EXPECT_LT(curriculum.fraction(), 1e-6f) << "no crashes: ordinary episodes only";
  Curriculum off(CurriculumConfig{}, 1.0f / 30.0f, 1);
  off.update_crash_rate(1.0f, 10);
  EXPECT_EQ(off.fraction(), 0.0f);
}

TEST(CurriculumTest, WhichEpisodesPractiseDependsOnTheStepAlone) {
  const sim::LoadedScenario s = crash_oval();
  sim::Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  int steps = 0;
  const sim::CarEvents crash = drive_into_wall(env, obs, steps);
  CurriculumConfig config = on(0.2f);
  config.max_fraction = 0.5f;
  Curriculum curriculum(config, 1.0f / 30.0f, 42);
  curriculum.observe(env, crash);
  for (int k = 0; k < 300; ++k) curriculum.update_crash_rate(0.5f, 10);

  // 64 envs whose episodes have all ended (done after construction).
  sim::VecEnv vec(s.scenario, s.track, 64, 1);
  const auto practising = [&](std::uint64_t first_step) {
    std::vector<sim::EpisodeStart> starts(64);
    curriculum.plan(vec, [&](int i) { return first_step + static_cast<std::uint64_t>(i); }, starts);
    std::vector<int> chosen;
    for (int i = 0; i < 64; ++i) {
      if (starts[static_cast<std::size_t>(i)].from) {
        EXPECT_EQ(starts[static_cast<std::size_t>(i)].from, &curriculum.state().crashes.slots[0]);
        chosen.push_back(i);
      }
    }
    return chosen;
  };
  const std::vector<int> a = practising(1000);
  EXPECT_EQ(practising(1000), a);
  EXPECT_NE(practising(5000), a);
  EXPECT_GT(a.size(), 16u) << "about half of 64 at a share of 0.5";
  EXPECT_LT(a.size(), 48u);
  Curriculum other_seed(config, 1.0f / 30.0f, 43);
  other_seed.restore(curriculum.state());
  std::vector<sim::EpisodeStart> starts(64);
  other_seed.plan(vec, [](int i) { return 1000 + static_cast<std::uint64_t>(i); }, starts);
  int same = 0;
  for (int i = 0; i < 64; ++i) same += (starts[static_cast<std::size_t>(i)].from != nullptr) == (std::find(a.begin(), a.end(), i) != a.end());
  EXPECT_LT(same, 64) << "the seed takes part in the choice";
}

}  // namespace
}  // namespace agent
