// VecEnv: next-step autoreset, results that do not depend on the number of threads, no allocation
// per step.
//
// This file replaces the global operator new and delete with malloc/free to count allocations;
// GCC 12 then warns (falsely) that library code frees what operator new returned.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include "sim/vec_env.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "sim/autopilot.h"
#include "sim/hash.h"
#include "support/test_tracks.h"

// Every C++ allocation of this test program is counted, so a test can check that a stretch of
// code allocates nothing. (Box2D allocates with malloc through its own block allocator, which
// recycles its blocks; that is not counted.)
namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { ::operator delete(p); }

namespace sim {
namespace {

using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

/// Buffers for a VecEnv step, owned by the test as a trainer would own them: a row per agent slot.
struct Buffers {
  std::vector<float> obs, reward, actions;
  std::vector<std::uint8_t> terminated, truncated, reset;
  std::vector<StepInfo> info;
  explicit Buffers(const VecEnv& v)
      : obs(static_cast<std::size_t>(v.num_slots() * v.observation_size())),
        reward(static_cast<std::size_t>(v.num_slots())),
        actions(static_cast<std::size_t>(v.num_slots() * VecEnv::action_size())),
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

/// The same run on 1, 2 and 3 threads (and again on 1), another with a different seed.
void expect_thread_count_does_not_matter(const LoadedScenario& s, int envs) {
  const std::uint64_t one = run(s, envs, 1, 42, 400);
  EXPECT_EQ(run(s, envs, 2, 42, 400), one);
  EXPECT_EQ(run(s, envs, 3, 42, 400), one);
  EXPECT_EQ(run(s, envs, 1, 42, 400), one) << "and again on one thread";
  EXPECT_NE(run(s, envs, 2, 43, 400), one) << "a different seed gives a different run";
}

TEST(VecEnvTest, SameSeedGivesTheSameResultsOnOneTwoAndThreeThreads) {
  expect_thread_count_does_not_matter(scenario("[episode]\nmax_steps = 150\n"), 7);
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

// VecEnv steps each thread's envs in order of their cars' places on the track (cars close
// together share the track's geometry in cache); every env's results must be what the env alone
// gives, stepped in index order, resets included.
TEST(VecEnvTest, EveryEnvStepsAsItWouldAloneWhateverOrderTheyAreSteppedIn) {
  const LoadedScenario s = scenario("[episode]\nmax_steps = 60\n");
  for (const int threads : {1, 2}) {
    constexpr int kEnvs = 6;
    VecEnv vec(s.scenario, s.track, kEnvs, threads);
    Buffers b(vec);
    vec.reset(5, b.obs);
    std::vector<Env> lone;
    const std::size_t d = static_cast<std::size_t>(vec.observation_size());
    std::vector<float> obs(d);
    for (int i = 0; i < kEnvs; ++i) {
      lone.emplace_back(s.scenario, s.track);
      lone.back().reset(derive_seed(5, static_cast<std::uint64_t>(i)), obs);
    }
    Rng rng(17);
    for (int t = 0; t < 200; ++t) {
      for (float& a : b.actions) a = rng.uniform(-1.0f, 1.0f) + 0.3f;
      vec.step(b.actions, b.out());
      for (std::size_t i = 0; i < kEnvs; ++i) {
        Env& env = lone[i];
        float reward = 0.0f;
        if (env.done()) {
          env.reset(obs);
        } else {
          reward = env.step(std::span<const float>(b.actions).subspan(2 * i, 2), obs).reward;
        }
        ASSERT_EQ(b.reward[i], reward) << threads << " threads, step " << t << ", env " << i;
        ASSERT_TRUE(std::equal(obs.begin(), obs.end(), b.obs.begin() + static_cast<std::ptrdiff_t>(i * d)))
            << threads << " threads, step " << t << ", env " << i;
      }
    }
  }
}

// A paused env is neither stepped nor reset and its outputs are left as they were; the others step
// as they would alone, and a paused env, resumed, carries on from where it stopped.
TEST(VecEnvTest, APausedEnvStaysAsItIsWhileTheOthersStep) {
  const LoadedScenario s = scenario("[episode]\nmax_steps = 40\n");
  for (const int threads : {1, 2}) {
    constexpr int kEnvs = 4;
    VecEnv vec(s.scenario, s.track, kEnvs, threads);
    VecEnv reference(s.scenario, s.track, kEnvs, 1);
    Buffers b(vec), r(reference);
    vec.reset(8, b.obs);
    reference.reset(8, r.obs);
    const std::size_t d = static_cast<std::size_t>(vec.observation_size());
    std::vector<std::uint8_t> paused = {0, 1, 0, 1};
    Rng rng(3);
    for (int t = 0; t < 100; ++t) {
      for (float& a : r.actions) a = rng.uniform(-1.0f, 1.0f) + 0.3f;
      b.actions = r.actions;
      const std::uint64_t before = hash_world(vec.env(1).world());
      b.reward[1] = b.reward[3] = -123.0f;
      b.obs[d] = -123.0f;
      vec.step(b.actions, b.out(), {}, paused);
      EXPECT_EQ(hash_world(vec.env(1).world()), before) << threads << " threads, step " << t;
      ASSERT_EQ(b.reward[1], -123.0f) << "not written";
      ASSERT_EQ(b.obs[d], -123.0f) << "not written";
      ASSERT_EQ(b.reward[3], -123.0f) << "not written";
      // The reference steps every env with the same actions; envs 0 and 2 must agree with it.
      reference.step(r.actions, r.out());
      for (const std::size_t i : {std::size_t{0}, std::size_t{2}}) {
        ASSERT_EQ(b.reward[i], r.reward[i]) << threads << " threads, step " << t << ", env " << i;
        ASSERT_EQ(b.reset[i], r.reset[i]);
        ASSERT_TRUE(std::equal(b.obs.begin() + static_cast<std::ptrdiff_t>(i * d),
                               b.obs.begin() + static_cast<std::ptrdiff_t>((i + 1) * d),
                               r.obs.begin() + static_cast<std::ptrdiff_t>(i * d)));
      }
    }
    // Env 1, resumed: the next step is its first since the reset, as env 1 of a fresh VecEnv's.
    VecEnv fresh(s.scenario, s.track, kEnvs, 1);
    Buffers f(fresh);
    fresh.reset(8, f.obs);
    f.actions = b.actions;
    paused = {1, 0, 1, 1};
    vec.step(b.actions, b.out(), {}, paused);
    fresh.step(f.actions, f.out());
    EXPECT_EQ(b.reward[1], f.reward[1]);
    EXPECT_EQ(hash_world(vec.env(1).world()), hash_world(fresh.env(1).world()));
  }
}

TEST(VecEnvTest, ResetEachSeedsEveryEnvWithItsOwnSeedAndEnvsMayShareOne) {
  const LoadedScenario s = scenario("");
  VecEnv vec(s.scenario, s.track, 3, 2);
  Buffers b(vec);
  const std::vector<std::uint64_t> seeds = {derive_seed(5, 0), derive_seed(5, 0), derive_seed(5, 2)};
  vec.reset_each(seeds, b.obs);
  VecEnv plain(s.scenario, s.track, 3, 1);
  Buffers p(plain);
  plain.reset(5, p.obs);
  EXPECT_EQ(hash_world(vec.env(0).world()), hash_world(plain.env(0).world()));
  EXPECT_EQ(hash_world(vec.env(1).world()), hash_world(plain.env(0).world())) << "env 1 shares env 0's seed";
  EXPECT_EQ(hash_world(vec.env(2).world()), hash_world(plain.env(2).world()));
  EXPECT_NE(hash_world(vec.env(1).world()), hash_world(plain.env(1).world()));
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

/// C++ allocations during 300 autopilot steps of 4 envs (every agent of each) on 2 threads, after 30 steps of warm-up
/// (first contacts, wall windows); no episode may end, since a reset allocates by design.
long allocations_while_stepping(const LoadedScenario& s) {
  VecEnv vec(s.scenario, s.track, 4, 2);
  Buffers b(vec);
  const long at_reset = g_allocations.load();
  vec.reset(3, b.obs);
  EXPECT_GT(g_allocations.load() - at_reset, 0) << "the counter sees allocations (a reset builds worlds)";
  const auto step = [&] {
    for (int i = 0; i < vec.num_slots(); ++i) {
      const int k = vec.agents_per_env();
      const CarControls c = autopilot(vec.env(i / k).world(), i % k, AutopilotSpec{8.0f, 10.0f, 0.0f});
      b.actions[static_cast<std::size_t>(2 * i)] = c.steer;
      b.actions[static_cast<std::size_t>(2 * i + 1)] = c.throttle;
    }
    vec.step(b.actions, b.out());
  };
  for (int k = 0; k < 30; ++k) step();
  const long before = g_allocations.load();
  for (int k = 0; k < 300; ++k) step();
  for (int i = 0; i < vec.num_envs(); ++i) EXPECT_FALSE(vec.env(i).done()) << "env " << i;
  return g_allocations.load() - before;
}

TEST(VecEnvTest, StepAllocatesNothing) {
  EXPECT_EQ(allocations_while_stepping(scenario("[episode]\nterminate_on_crash = false\nmax_steps = 100000\n")), 0);
}

TEST(VecEnvTest, StepAllocatesNothingWithTrafficMoversCheckpointsAndRandomisation) {
  const LoadedScenario s = scenario(
      "[[traffic]]\noffset = -5\nspeed = 6\nstart = 300\ncount = 2\nspacing = 100\n"
      "[[movers]]\nshape = \"box\"\npath = [[150, -9], [150, 9]]\nspeed = 3\n"
      "[[checkpoints]]\ns = 120\nreward = 1\n[[checkpoints]]\ns = 400\nreward = 1\n"
      "[randomise]\ntyre_friction = [0.8, 1.1]\ntraffic_speed = [0.8, 1.2]\ntrack_width = [0.9, 1.1]\n"
      "[episode]\nterminate_on_crash = false\nmax_steps = 100000\n");
  EXPECT_EQ(allocations_while_stepping(s), 0);
}

// ---- Several agents per env: slot = env · K + agent ----

TEST(VecEnvTest, MultiAgentResultsAreTheSameOnOneTwoAndThreeThreads) {
  expect_thread_count_does_not_matter(scenario("agents = 3\nagent_spacing = 15\n[episode]\nmax_steps = 150\n"), 5);
}

TEST(VecEnvTest, SlotEnvTimesKPlusAgentHoldsThatAgentOfALoneEnv) {
  const LoadedScenario s = scenario("agents = 3\nagent_spacing = 15\n[episode]\nmax_steps = 20\n");
  VecEnv vec(s.scenario, s.track, 4, 2);
  ASSERT_EQ(vec.agents_per_env(), 3);
  ASSERT_EQ(vec.num_slots(), 12);
  Buffers b(vec);
  vec.reset(99, b.obs);
  Env lone(s.scenario, s.track);
  const std::size_t d = static_cast<std::size_t>(lone.observation_size());
  std::vector<float> obs(3 * d), actions(6);
  std::vector<StepResult> results(3);
  lone.reset(derive_seed(99, 2), obs);
  for (int t = 0; t < 21; ++t) {
    for (std::size_t k = 0; k < b.actions.size(); ++k) b.actions[k] = 0.1f * static_cast<float>(k % 7) - 0.2f;
    std::copy_n(b.actions.begin() + 2 * 6, 6, actions.begin());  // env 2's slots are 6, 7, 8
    vec.step(b.actions, b.out());
    if (lone.done()) {
      lone.reset(obs);
    } else {
      lone.step(actions, obs, results);
    }
    for (std::size_t a = 0; a < 3; ++a) {
      const std::size_t slot = 2 * 3 + a;
      ASSERT_TRUE(std::equal(obs.begin() + static_cast<std::ptrdiff_t>(a * d),
                             obs.begin() + static_cast<std::ptrdiff_t>((a + 1) * d),
                             b.obs.begin() + static_cast<std::ptrdiff_t>(slot * d))) << "step " << t << " agent " << a;
      if (t < 20) {
        ASSERT_EQ(b.reward[slot], results[a].reward);
        ASSERT_EQ(b.truncated[slot], results[a].truncated ? 1 : 0);
      }
    }
    if (t == 19) {
      for (std::size_t slot = 0; slot < 12; ++slot) EXPECT_EQ(b.truncated[slot], 1) << "the time limit ends every agent";
    }
    if (t == 20) {
      for (std::size_t slot = 0; slot < 12; ++slot) EXPECT_EQ(b.reset[slot], 1) << "every slot of an env resets together";
    }
  }
}

TEST(VecEnvTest, StepAllocatesNothingWithSeveralAgents) {
  EXPECT_EQ(allocations_while_stepping(scenario("agents = 3\nagent_spacing = 20\n"
                                                "[episode]\nterminate_on_crash = false\nmax_steps = 100000\n")),
            0);
}

}  // namespace
}  // namespace sim
