// Trainer: bit-identical iterations for a seed whatever the thread count, different runs for
// different seeds, rollouts full of episode ends that train without NaN, and a short seeded run
// that drives better than the untrained policy.
#include "agent/trainer.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "agent/evaluation.h"
#include "support/same_bits.h"
#include "support/same_vector_bits.h"
#include "support/thread_ranks.h"
#include "support/test_tracks.h"

namespace agent {
namespace {

using sim::testing::load_or_fail;
using sim::testing::OvalOptions;
using sim::testing::oval_toml;
using sim::testing::steering_oval;

/// The default test oval with random starts along its first straight, and `extra` TOML ([episode] ...).
sim::LoadedScenario jittered_oval(const std::string& extra) {
  return load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false,
      "[spawn]\ns = 100\ns_jitter = 90\nlateral_jitter = 4\nheading_jitter_deg = 25\n" + extra}));
}

/// A configuration small enough that five iterations take a fraction of a second.
TrainConfig tiny_config(std::uint64_t seed, int threads) {
  TrainConfig c;
  c.seed = seed;
  c.envs = 8;
  c.threads = threads;
  c.rollout_steps = 32;
  c.total_steps = 8 * 32 * 10;  // LR annealing moves within the five iterations run
  c.hidden = {32, 32};
  c.ppo.epochs = 2;
  c.ppo.minibatches = 4;
  return c;
}

using sim::testing::same_bits;

void expect_same_stats(const IterationStats& a, const IterationStats& b) {
  SCOPED_TRACE("iteration " + std::to_string(a.iteration));
  EXPECT_EQ(a.iteration, b.iteration);
  EXPECT_EQ(a.global_step, b.global_step);
  EXPECT_EQ(a.episodes, b.episodes);
  EXPECT_TRUE(same_bits(a.mean_return, b.mean_return));
  EXPECT_TRUE(same_bits(a.mean_length, b.mean_length));
  EXPECT_TRUE(same_bits(a.crash_rate, b.crash_rate));
  EXPECT_TRUE(same_bits(a.near_misses_per_km, b.near_misses_per_km));
  EXPECT_TRUE(same_bits(a.lap_rate, b.lap_rate));
  EXPECT_TRUE(same_bits(a.learning_rate, b.learning_rate));
  EXPECT_TRUE(same_bits(a.ppo.policy_loss, b.ppo.policy_loss));
  EXPECT_TRUE(same_bits(a.ppo.value_loss, b.ppo.value_loss));
  EXPECT_TRUE(same_bits(a.ppo.entropy, b.ppo.entropy));
  EXPECT_TRUE(same_bits(a.ppo.approx_kl, b.ppo.approx_kl));
  EXPECT_TRUE(same_bits(a.ppo.clipfrac, b.ppo.clipfrac));
  EXPECT_TRUE(same_bits(a.ppo.explained_variance, b.ppo.explained_variance));
  EXPECT_TRUE(same_bits(a.ppo.grad_norm, b.ppo.grad_norm));
  EXPECT_EQ(a.ppo.epochs, b.ppo.epochs);
  EXPECT_EQ(a.ppo.minibatch_steps, b.ppo.minibatch_steps);
  EXPECT_EQ(a.ppo.early_stopped, b.ppo.early_stopped);
}

using agent::testing::same_bits;

struct TrainingRun {
  std::vector<IterationStats> stats;
  Eigen::VectorXf params;
  Eigen::VectorXd obs_mean;
  Eigen::VectorXd obs_var;
};

TrainingRun train(const sim::LoadedScenario& s, const TrainConfig& config, int iterations) {
  Trainer trainer(s, config);
  TrainingRun run;
  for (int k = 0; k < iterations; ++k) run.stats.push_back(trainer.iterate());
  run.params = trainer.policy().params;
  run.obs_mean = trainer.obs_norm().mean;
  run.obs_var = trainer.obs_norm().var;
  return run;
}

void expect_same_run(const TrainingRun& a, const TrainingRun& b) {
  ASSERT_EQ(a.stats.size(), b.stats.size());
  for (std::size_t k = 0; k < a.stats.size(); ++k) expect_same_stats(a.stats[k], b.stats[k]);
  EXPECT_TRUE(same_bits(a.params, b.params)) << "policy parameters differ";
  EXPECT_TRUE(same_bits(a.obs_mean, b.obs_mean)) << "observation means differ";
  EXPECT_TRUE(same_bits(a.obs_var, b.obs_var)) << "observation variances differ";
}

int total_episodes(const TrainingRun& run) {
  int n = 0;
  for (const IterationStats& s : run.stats) n += s.episodes;
  return n;
}

// Episodes of at most 50 steps end inside the 160-step runs, so episode statistics, resets and
// truncation bootstraps all take part in what is compared.
constexpr const char* kShortEpisodes = "[episode]\nmax_steps = 50\n";

TEST(TrainerTest, SameSeedGivesBitIdenticalIterations) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  const TrainingRun a = train(s, tiny_config(7, 2), 5);
  const TrainingRun b = train(s, tiny_config(7, 2), 5);
  ASSERT_GT(total_episodes(a), 0) << "no episode ended: the comparison would miss episode statistics";
  expect_same_run(a, b);
  EXPECT_FALSE(same_bits(a.params, Trainer(s, tiny_config(7, 2)).policy().params))
      << "training did not change the parameters";
}

TEST(TrainerTest, ResultsDoNotDependOnThreadCount) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  const TrainingRun one = train(s, tiny_config(11, 1), 5);
  ASSERT_GT(total_episodes(one), 0);
  {
    SCOPED_TRACE("2 threads");
    expect_same_run(train(s, tiny_config(11, 2), 5), one);
  }
  {
    SCOPED_TRACE("3 threads");
    expect_same_run(train(s, tiny_config(11, 3), 5), one);
  }
}

TEST(TrainerTest, ARestoredCheckpointContinuesExactlyAsTheUninterruptedRun) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  const TrainingRun whole = train(s, tiny_config(13, 2), 6);

  TrainingRun resumed;
  CheckpointData saved;
  {
    Trainer first(s, tiny_config(13, 2));
    for (int k = 0; k < 3; ++k) resumed.stats.push_back(first.iterate());
    // Through the file format, so everything the resume needs is in it.
    saved = decode_checkpoint(encode_checkpoint(first.checkpoint()), "mid.ckpt");
  }
  Trainer second(s, tiny_config(13, 1));  // another thread count on purpose
  second.restore(saved, "mid.ckpt");
  EXPECT_EQ(second.iteration(), 3);
  for (int k = 0; k < 3; ++k) resumed.stats.push_back(second.iterate());
  resumed.params = second.policy().params;
  resumed.obs_mean = second.obs_norm().mean;
  resumed.obs_var = second.obs_norm().var;
  expect_same_run(resumed, whole);
}

/// tiny_config with the crash-driven curriculum on, scaled to episodes of at most 50 steps.
TrainConfig practice_config(std::uint64_t seed, int threads) {
  TrainConfig c = tiny_config(seed, threads);
  c.curriculum.enabled = true;
  c.curriculum.rewind_seconds = 0.3f;  // 9 steps
  c.curriculum.max_fraction = 0.5f;
  return c;
}

/// A narrow oval entered at 12 m/s up to 60° off the track: most of the untrained policy's
/// episodes crash.
sim::LoadedScenario crashy_oval() {
  return load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 8.0f, false,
      "[spawn]\ns = 100\ns_jitter = 90\nlateral_jitter = 1.5\nheading_jitter_deg = 60\nspeed = 12\n[episode]\nmax_steps = 60\n"}));
}

int practice_episodes(const TrainingRun& run) {
  int n = 0;
  for (const IterationStats& s : run.stats) n += s.practice_episodes;
  return n;
}

TEST(TrainerTest, TheCurriculumPractisesApartFromTheHeadlineFigures) {
  const sim::LoadedScenario s = crashy_oval();
  const TrainingRun with = train(s, practice_config(31, 2), 8);
  const TrainingRun without = train(s, tiny_config(31, 2), 8);
  ASSERT_GT(practice_episodes(with), 0) << "no practice episode ended: nothing below is tested";
  EXPECT_EQ(practice_episodes(without), 0);
  // Until a crash has been seen nothing practises: the first iteration is the plain run's.
  expect_same_stats(with.stats[0], without.stats[0]);
  EXPECT_EQ(with.stats[0].practice_fraction, 0.0f);
  bool practised_later = false;
  for (const IterationStats& it : with.stats) {
    practised_later = practised_later || it.practice_fraction > 0.0f;
    for (const CrashEvent& c : it.crashes) {
      EXPECT_EQ(c.recording.record.handover, 0) << "crash at step " << c.step << " is a practice episode's";
    }
  }
  EXPECT_TRUE(practised_later);
}

TEST(TrainerTest, WithTheCurriculumResultsDoNotDependOnThreadsAndACheckpointContinuesExactly) {
  const sim::LoadedScenario s = crashy_oval();
  const TrainingRun whole = train(s, practice_config(32, 2), 8);
  ASSERT_GT(practice_episodes(whole), 0);
  {
    SCOPED_TRACE("1 thread");
    expect_same_run(train(s, practice_config(32, 1), 8), whole);
  }
  TrainingRun resumed;
  CheckpointData saved;
  {
    Trainer first(s, practice_config(32, 2));
    for (int k = 0; k < 5; ++k) resumed.stats.push_back(first.iterate());
    saved = decode_checkpoint(encode_checkpoint(first.checkpoint()), "mid.ckpt");
  }
  ASSERT_EQ(saved.resume->curricula.size(), 1u);
  EXPECT_GT(saved.resume->curricula[0].crashes.slots.size(), 0u);
  int midway = 0;
  for (const sim::EpisodeRecord& e : saved.resume->episodes) midway += e.handover > 0 ? 1 : 0;
  EXPECT_GT(midway, 0) << "no env was in a practice episode at the checkpoint: its resume is not tested";
  Trainer second(s, practice_config(32, 1));
  second.restore(saved, "mid.ckpt");
  for (int k = 0; k < 3; ++k) resumed.stats.push_back(second.iterate());
  resumed.params = second.policy().params;
  resumed.obs_mean = second.obs_norm().mean;
  resumed.obs_var = second.obs_norm().var;
  expect_same_run(resumed, whole);
}

// Three agents per env, 20 m apart on the straight: episodes end (crashes between agents
// included) inside the runs, and every agent slot is a row of the rollout.
constexpr const char* kThreeAgents = "agents = 3\nagent_spacing = 20\n[episode]\nmax_steps = 50\n";

TEST(TrainerTest, AMultiAgentScenarioTrainsOneSharedPolicyOverEveryAgentSlot) {
  const sim::LoadedScenario s = jittered_oval(kThreeAgents);
  Trainer trainer(s, tiny_config(17, 2));
  EXPECT_EQ(trainer.envs().num_slots(), 24);
  const IterationStats first = trainer.iterate();
  EXPECT_EQ(first.global_step, 8 * 3 * 32) << "steps count every agent's steps";
  const TrainingRun one = train(s, tiny_config(17, 1), 4);
  ASSERT_GT(total_episodes(one), 0);
  for (const IterationStats& it : one.stats) {
    ASSERT_TRUE(std::isfinite(it.ppo.policy_loss) && std::isfinite(it.ppo.value_loss));
  }
  SCOPED_TRACE("3 threads");
  expect_same_run(train(s, tiny_config(17, 3), 4), one);
}

TEST(TrainerTest, AMultiAgentRunResumesExactly) {
  const sim::LoadedScenario s = jittered_oval(kThreeAgents);
  const TrainingRun whole = train(s, tiny_config(19, 2), 6);
  ASSERT_GT(total_episodes(whole), 0);
  TrainingRun resumed;
  CheckpointData saved;
  {
    Trainer first(s, tiny_config(19, 2));
    for (int k = 0; k < 3; ++k) resumed.stats.push_back(first.iterate());
    saved = decode_checkpoint(encode_checkpoint(first.checkpoint()), "multi.ckpt");
  }
  ASSERT_EQ(saved.resume->episodes.size(), 8u) << "one episode record per env";
  ASSERT_EQ(saved.resume->discounted.size(), 24u) << "one discounted return per agent slot";
  Trainer second(s, tiny_config(19, 1));
  second.restore(saved, "multi.ckpt");
  for (int k = 0; k < 3; ++k) resumed.stats.push_back(second.iterate());
  resumed.params = second.policy().params;
  resumed.obs_mean = second.obs_norm().mean;
  resumed.obs_var = second.obs_norm().var;
  expect_same_run(resumed, whole);
}

TEST(TrainerTest, CrashRecordingsOfAMultiAgentRunNameTheAgentAndReplayIntoTheCrash) {
  // A 10 m wide oval and starts up to 40° off the road's direction: untrained agents crash.
  const sim::LoadedScenario s = load_or_fail(oval_toml(OvalOptions{
      200.0f, 40.0f, 10.0f, false,
      "[spawn]\ns = 100\ns_jitter = 90\nlateral_jitter = 2\nheading_jitter_deg = 40\nagents = 3\nagent_spacing = 20\n"}));
  Trainer trainer(s, tiny_config(23, 2));
  std::vector<CrashEvent> crashes;
  for (int k = 0; k < 12 && crashes.size() < 12; ++k) {
    IterationStats it = trainer.iterate();
    for (CrashEvent& c : it.crashes) crashes.push_back(std::move(c));
  }
  ASSERT_FALSE(crashes.empty());
  bool other_agent = false;
  for (const CrashEvent& c : crashes) {
    const sim::EpisodeFile file = sim::decode_episode(sim::encode_episode(c.recording), "crash.episode");
    ASSERT_TRUE(file.crash.has_value());
    EXPECT_EQ(file.agents, 3);
    other_agent = other_agent || file.crash->agent != 0;
    sim::Env env(s.scenario, s.track);
    std::vector<float> obs(static_cast<std::size_t>(3 * env.observation_size()));
    sim::replay_episode(env, file, "crash.episode", obs);  // throws unless the agent crashes on the last step
    EXPECT_EQ(env.episode(file.crash->agent).crashes, file.crash->crashes);
  }
  EXPECT_TRUE(other_agent) << "some crash was of agent 1 or 2";
}

TEST(TrainerTest, RestoreRefusesACheckpointThatDoesNotFit) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  Trainer source(s, tiny_config(13, 2));
  source.iterate();
  const CheckpointData good = source.checkpoint();
  const auto restore_error = [&](const sim::LoadedScenario& scenario, const TrainConfig& config,
                                 const CheckpointData& c) -> std::string {
    Trainer t(scenario, config);
    try {
      t.restore(c, "run/latest.ckpt");
    } catch (const CheckpointError& e) {
      return e.what();
    }
    return "";
  };
  TrainConfig more_envs = tiny_config(13, 2);
  more_envs.envs = 9;
  EXPECT_EQ(restore_error(s, more_envs, good),
            "run/latest.ckpt: section 'resume': expected the state of 9 envs, got 8 (hint: resume "
            "with the run's own config (its number of envs))");
  CheckpointData policy_only = good;
  policy_only.resume.reset();
  EXPECT_NE(restore_error(s, tiny_config(13, 2), policy_only).find("expected a section 'resume'"),
            std::string::npos);
  EXPECT_NE(restore_error(jittered_oval("[episode]\nmax_steps = 51\n"), tiny_config(13, 2), good)
                .find("run/latest.ckpt: section 'identity'"),
            std::string::npos)
      << "another scenario";
}

TEST(TrainerTest, DifferentSeedsGiveDifferentRuns) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  const TrainingRun a = train(s, tiny_config(7, 2), 5);
  const TrainingRun b = train(s, tiny_config(8, 2), 5);
  EXPECT_FALSE(same_bits(a.params, b.params));
  EXPECT_FALSE(same_bits(a.obs_mean, b.obs_mean)) << "the envs started the same way";
  bool returns_differ = false;
  for (std::size_t k = 0; k < a.stats.size(); ++k) {
    returns_differ = returns_differ || !same_bits(a.stats[k].mean_return, b.stats[k].mean_return);
  }
  EXPECT_TRUE(returns_differ) << "every iteration reported the same mean return";
}

TEST(TrainerTest, EpisodesEndingEveryFewStepsTrainOnlyOnRealTransitions) {
  // max_steps = 3: each env runs 3 steps, then spends one step resetting (action ignored, not a
  // transition), so a quarter of the rollout is invalid and every row holds episode ends.
  constexpr int kMaxSteps = 3;
  const sim::LoadedScenario s = jittered_oval("[episode]\nmax_steps = 3\n");
  const TrainConfig config = tiny_config(5, 2);
  Trainer trainer(s, config);
  for (int k = 0; k < 6; ++k) {
    const IterationStats it = trainer.iterate();
    SCOPED_TRACE("iteration " + std::to_string(it.iteration));
    // Every episode is cut by the time limit after exactly max_steps learnable steps.
    EXPECT_EQ(it.episodes, config.envs * config.rollout_steps / (kMaxSteps + 1));
    EXPECT_EQ(it.mean_length, static_cast<float>(kMaxSteps));
    EXPECT_EQ(it.crash_rate, 0.0f);
    EXPECT_TRUE(std::isfinite(it.mean_return));
    EXPECT_TRUE(std::isfinite(it.ppo.policy_loss));
    EXPECT_TRUE(std::isfinite(it.ppo.value_loss));
    EXPECT_TRUE(std::isfinite(it.ppo.approx_kl));
    EXPECT_TRUE(std::isfinite(it.ppo.grad_norm));
    EXPECT_TRUE(std::isfinite(it.ppo.explained_variance));
    EXPECT_EQ(it.ppo.minibatch_steps, config.ppo.epochs * config.ppo.minibatches);
  }
  EXPECT_TRUE(trainer.policy().params.allFinite());
}

/// 200k steps of 16 envs that learn steering_oval.
TrainConfig steering_config() {
  TrainConfig config;
  config.seed = 1;
  config.envs = 16;
  config.threads = 2;
  config.rollout_steps = 64;
  config.total_steps = 200'000;
  config.hidden = {32, 32};
  config.init_log_std = -0.5f;
  config.learning_rate = 1e-3f;
  config.ppo.epochs = 4;
  config.ppo.minibatches = 4;
  return config;
}

TEST(TrainerTest, LearningBeatsTheUntrainedPolicy) {
  const sim::LoadedScenario s = steering_oval();
  const TrainConfig config = steering_config();
  const EvalConfig eval{32, 12345, 2};

  Trainer trainer(s, config);
  const EvalResult untrained = evaluate_policy(s, trainer.policy(), trainer.obs_norm(), eval);
  while (!trainer.done()) trainer.iterate();
  const EvalResult trained = evaluate_policy(s, trainer.policy(), trainer.obs_norm(), eval);

  // Measured (seeds 1–7, 150k–250k steps): untrained return 21–24 with crash rate 0.94–1.0;
  // trained return 172–214 with crash rate 0. A 100 m margin is some 30 standard errors of a
  // 32-episode mean of returns that are metres driven before a wall.
  ASSERT_GT(untrained.crash_rate, 0.75f) << "the scenario no longer needs steering: the test shows nothing";
  EXPECT_GT(trained.mean_return, untrained.mean_return + 100.0f);
  EXPECT_LT(trained.crash_rate, 0.25f);
  EXPECT_GT(trained.mean_speed, untrained.mean_speed);
}

// ---- data parallel over ranks (threads standing in for MPI ranks) ----------------------------

/// What each rank of a run on `ranks` thread-ranks ended with.
struct RankedRun {
  std::vector<TrainingRun> ranks;
  std::optional<CheckpointData> checkpoint;  ///< rank 0's gather_checkpoint after the iterations
};

/// `iterations` iterations on `ranks` thread-ranks, each from `start` if given.
RankedRun train_on_ranks(const sim::LoadedScenario& s, const TrainConfig& config, int ranks, int iterations,
                         const CheckpointData* start = nullptr) {
  RankedRun run;
  run.ranks.resize(static_cast<std::size_t>(ranks));
  crashcourse::testing::run_ranks(ranks, [&](std::shared_ptr<Communicator> comm) {
    Trainer trainer(s, config, comm);
    if (start) trainer.restore(*start, "ranks.ckpt");
    TrainingRun& mine = run.ranks[static_cast<std::size_t>(comm->rank())];
    for (int k = 0; k < iterations; ++k) mine.stats.push_back(trainer.iterate());
    mine.params = trainer.policy().params;
    mine.obs_mean = trainer.obs_norm().mean;
    mine.obs_var = trainer.obs_norm().var;
    std::optional<CheckpointData> c = trainer.gather_checkpoint();
    if (c) run.checkpoint = decode_checkpoint(encode_checkpoint(*c), "ranks.ckpt");  // through the format
  });
  return run;
}

TEST(TrainerTest, RanksHoldIdenticalParametersNormalisersAndFigures) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  const RankedRun run = train_on_ranks(s, tiny_config(21, 1), 3, 4);
  ASSERT_GT(total_episodes(run.ranks[0]), 0);
  EXPECT_FALSE(same_bits(run.ranks[0].params, Trainer(s, tiny_config(21, 1)).policy().params))
      << "training did not change the parameters";
  for (std::size_t r = 1; r < run.ranks.size(); ++r) {
    SCOPED_TRACE("rank " + std::to_string(r));
    TrainingRun other = run.ranks[r];
    for (std::size_t k = 0; k < other.stats.size(); ++k) {
      EXPECT_TRUE(other.stats[k].crashes.empty()) << "crashes are rank 0's to log";
      other.stats[k].crashes = run.ranks[0].stats[k].crashes;
    }
    expect_same_run(other, run.ranks[0]);
  }
  // Steps and episodes count every rank's envs.
  const IterationStats& last = run.ranks[0].stats.back();
  EXPECT_EQ(last.global_step, 4 * 3 * 8 * 32);
  for (const IterationStats& it : run.ranks[0].stats) {
    for (std::size_t k = 1; k < it.crashes.size(); ++k) EXPECT_LT(it.crashes[k - 1].step, it.crashes[k].step);
  }
}

TEST(TrainerTest, RankRHoldsTheEnvsOfAOneRankRunWithEveryRanksEnvs) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  TrainConfig all = tiny_config(22, 1);
  all.envs = 8;
  const std::vector<sim::EpisodeRecord> one = Trainer(s, all).envs().records();
  TrainConfig half = all;
  half.envs = 4;
  std::vector<std::vector<sim::EpisodeRecord>> ranks(2);
  crashcourse::testing::run_ranks(2, [&](std::shared_ptr<Communicator> comm) {
    ranks[static_cast<std::size_t>(comm->rank())] = Trainer(s, half, comm).envs().records();
  });
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_TRUE(ranks[i / 4][i % 4].start == one[i].start) << "env " << i;
  }
  EXPECT_FALSE(ranks[0][0].start == ranks[1][0].start);
}

TEST(TrainerTest, SameSeedOnTheSameRanksGivesTheSameRunAndOtherRankCountsAnother) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  const RankedRun a = train_on_ranks(s, tiny_config(23, 1), 2, 3);
  const RankedRun b = train_on_ranks(s, tiny_config(23, 2), 2, 3);  // threads do not matter
  expect_same_run(a.ranks[0], b.ranks[0]);
  TrainConfig doubled = tiny_config(23, 1);
  doubled.envs = 16;
  const TrainingRun one = train(s, doubled, 3);
  EXPECT_EQ(one.stats.back().global_step, a.ranks[0].stats.back().global_step);
  EXPECT_FALSE(same_bits(one.params, a.ranks[0].params))
      << "2 ranks × 8 envs draw their own action noise: not the run of 1 rank × 16 envs";
}

TEST(TrainerTest, ACheckpointOfTwoRanksContinuesExactlyOnTwoRanks) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  const RankedRun whole = train_on_ranks(s, tiny_config(24, 1), 2, 6);
  const RankedRun first = train_on_ranks(s, tiny_config(24, 1), 2, 3);
  ASSERT_TRUE(first.checkpoint.has_value());
  ASSERT_EQ(first.checkpoint->resume->episodes.size(), 16u) << "every rank's envs";
  ASSERT_EQ(first.checkpoint->resume->rank_action_rngs.size(), 1u);
  const RankedRun second = train_on_ranks(s, tiny_config(24, 1), 2, 3, &*first.checkpoint);
  for (std::size_t r = 0; r < 2; ++r) {
    SCOPED_TRACE("rank " + std::to_string(r));
    TrainingRun resumed = first.ranks[r];
    resumed.stats.insert(resumed.stats.end(), second.ranks[r].stats.begin(), second.ranks[r].stats.end());
    resumed.params = second.ranks[r].params;
    resumed.obs_mean = second.ranks[r].obs_mean;
    resumed.obs_var = second.ranks[r].obs_var;
    expect_same_run(resumed, whole.ranks[r]);
  }
}

TEST(TrainerTest, RestoreRefusesACheckpointOfAnotherNumberOfRanks) {
  const sim::LoadedScenario s = jittered_oval(kShortEpisodes);
  const RankedRun two = train_on_ranks(s, tiny_config(25, 1), 2, 1);
  Trainer alone(s, tiny_config(25, 1));
  try {
    alone.restore(*two.checkpoint, "run/latest.ckpt");
    ADD_FAILURE() << "a 2-rank checkpoint was restored on 1 rank";
  } catch (const CheckpointError& e) {
    EXPECT_STREQ(e.what(), "run/latest.ckpt: section 'resume': expected the state of a run on 1 rank (as this job "
                           "runs), got one of 2 (hint: a run resumes on the number of ranks it was started on: run "
                           "it with mpirun -np 2)");
  }
  Trainer source(s, tiny_config(25, 1));
  source.iterate();
  const CheckpointData one = source.checkpoint();
  EXPECT_THROW(train_on_ranks(s, tiny_config(25, 1), 2, 1, &one), CheckpointError);
}

TEST(TrainerTest, TwoRanksLearnAsOneRankWithAsManyEnvs) {
  // LearningBeatsTheUntrainedPolicy's scenario and config, with its 16 envs on 2 ranks of 8.
  const sim::LoadedScenario s = steering_oval();
  TrainConfig config = steering_config();
  config.envs = 8;
  config.threads = 1;
  const EvalConfig eval{32, 12345, 2};

  Eigen::VectorXf params;
  RunningNorm norm;
  crashcourse::testing::run_ranks(2, [&](std::shared_ptr<Communicator> comm) {
    Trainer trainer(s, config, comm);
    while (!trainer.done()) trainer.iterate();
    if (comm->rank() == 0) {
      params = trainer.policy().params;
      norm = trainer.obs_norm();
    }
  });
  Trainer reference(s, steering_config());
  const EvalResult untrained = evaluate_policy(s, reference.policy(), reference.obs_norm(), eval);
  while (!reference.done()) reference.iterate();
  const EvalResult alone = evaluate_policy(s, reference.policy(), reference.obs_norm(), eval);
  Policy policy = reference.policy();
  policy.params = params;
  norm.frozen = true;
  const EvalResult ranks = evaluate_policy(s, policy, norm, eval);

  ::testing::Test::RecordProperty("return_2_ranks", std::to_string(ranks.mean_return));
  ::testing::Test::RecordProperty("return_1_rank", std::to_string(alone.mean_return));
  // Trained returns of 1 rank × 16 envs span 172–214 over seeds 1–7 (LearningBeatsTheUntrainedPolicy).
  EXPECT_GT(ranks.mean_return, untrained.mean_return + 100.0f);
  EXPECT_LT(ranks.crash_rate, 0.25f);
  EXPECT_NEAR(ranks.mean_return, alone.mean_return, 50.0f);
}

}  // namespace
}  // namespace agent

