// End-to-end: `mpirun -np 2 crashcourse train` — one run folder written by rank 0 with every
// rank's steps and episodes, identical parameters on both ranks, the same run for the same seed,
// SIGTERM stopping every rank with a checkpoint, a resume that continues exactly on the same
// number of ranks and is refused on another, and a rank that fails alone ending the whole job
// with its message instead of leaving it hanging; evolution strategies on two ranks training
// exactly the parameters of one.
// Skipped, visibly, on a machine without mpirun.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/checkpoint.h"
#include "app/run_folder.h"
#include "support/run_binary.h"
#include "support/run_folder_files.h"

namespace {

namespace fs = std::filesystem;
using crashcourse::testing::CommandResult;
using crashcourse::testing::csv;
using crashcourse::testing::deterministic_metrics;
using crashcourse::testing::read;
using crashcourse::testing::run;
using crashcourse::testing::run_shell;
using crashcourse::testing::scenario;
using crashcourse::testing::temp_dir;

bool have_mpirun() { return run_shell("command -v mpirun").status == 0; }

/// mpirun as CI runs it: as root, more ranks than cores allowed, and a hard time limit so a hung
/// job fails the test instead of blocking it (mpirun kills the job and exits non-zero).
std::string mpirun(const std::string& ranks) {
  return "timeout -s KILL 300 mpirun --allow-run-as-root --oversubscribe --timeout 240 "
         "--mca btl_vader_single_copy_mechanism none " + ranks;
}

/// One rank's command line: a small run on the oval, 4 envs × 32 steps per rank and iteration.
std::string train_args(const fs::path& out, int steps, const std::string& extra = "") {
  return std::string(CRASHCOURSE_BINARY) + " train --scenario " + scenario("oval.toml") + " --out " + out.string() +
         " --steps " + std::to_string(steps) + " --envs 4 --threads 1 --eval-every 0 --eval-episodes 4 " + extra;
}

/// Why a test cannot run here ("" when it can): no mpirun, or a build with MPI when the test wants
/// one without (with_mpi = false) or the other way round.
std::string cannot_run(bool with_mpi) {
  if (!have_mpirun()) return "mpirun not found: install openmpi-bin (scripts/setup.sh) to run the MPI tests";
  if (with_mpi && !CRASHCOURSE_HAVE_MPI) return "this build has no MPI (CRASHCOURSE_MPI=OFF): it trains as one process";
  if (!with_mpi && CRASHCOURSE_HAVE_MPI) return "this build has MPI; the test is for one configured with -DCRASHCOURSE_MPI=OFF";
  return "";
}

#define SKIP_WITHOUT_MPIRUN() \
  if (const std::string why = cannot_run(true); !why.empty()) GTEST_SKIP() << why

TEST(DistributedTest, ABuildWithoutMpiRefusesToRunAsSeveralRanks) {
  if (const std::string why = cannot_run(false); !why.empty()) GTEST_SKIP() << why;
  const fs::path out = temp_dir("mpi_without_mpi") / "run";
  const CommandResult r = run_shell(mpirun("-np 2 ") + train_args(out, 1024));
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("started as one of 2 MPI ranks, but this build has no MPI"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out)) << "a rank trained alone";
}

TEST(DistributedTest, TwoRanksTrainIntoOneRunFolderWithIdenticalParameters) {
  SKIP_WITHOUT_MPIRUN();
  const fs::path out = temp_dir("mpi_two_ranks") / "run";
  const CommandResult r = run_shell(mpirun("-np 2 ") + train_args(out, 2048));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("on each of 2 MPI ranks"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("training "), r.output.rfind("training ")) << "printed by more than rank 0:\n" << r.output;

  const nlohmann::json summary = nlohmann::json::parse(read(out / "summary.json"));
  EXPECT_EQ(summary["steps"], 2048);
  EXPECT_EQ(summary["ranks"]["count"], 2);
  ASSERT_EQ(summary["ranks"]["param_hashes"].size(), 2u);
  EXPECT_EQ(summary["ranks"]["param_hashes"][0], summary["ranks"]["param_hashes"][1])
      << "the ranks ended with different parameters";

  // 2 ranks × 4 envs × 32 steps = 256 steps per iteration; every row counts both ranks' steps
  // and records the time spent communicating.
  const auto metrics = csv(out / "metrics.csv", app::kMetricsColumns);
  ASSERT_EQ(metrics.size(), 8u);
  const auto comm_s = static_cast<std::size_t>(
      std::find(app::kMetricsColumns.begin(), app::kMetricsColumns.end(), "comm_s") - app::kMetricsColumns.begin());
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    EXPECT_EQ(metrics[k][1], 256.0 * static_cast<double>(k + 1));
    EXPECT_GT(metrics[k][comm_s], 0.0) << "comm_s of iteration " << k + 1;
  }
  const agent::CheckpointData latest = agent::load_checkpoint((out / "checkpoints" / "latest.ckpt").string());
  ASSERT_TRUE(latest.resume.has_value());
  EXPECT_EQ(latest.resume->episodes.size(), 8u) << "latest.ckpt holds both ranks' envs";
  EXPECT_EQ(latest.resume->rank_action_rngs.size(), 1u);

}

TEST(DistributedTest, RankZeroRecordsTheCrashesOfEveryRankAndEachReplays) {
  SKIP_WITHOUT_MPIRUN();
  const fs::path out = temp_dir("mpi_crashes") / "run";
  const CommandResult r = run_shell(mpirun("-np 2 ") + train_args(out, 16384));
  ASSERT_EQ(r.status, 0) << r.output;
  ASSERT_FALSE(csv(out / "crashes.csv", app::kCrashColumns).empty()) << "an untrained driver crashes on the oval";
  EXPECT_GT(crashcourse::testing::expect_every_recording_replays_into_its_crash(out), 0u);
}

TEST(DistributedTest, SameSeedOnTwoRanksGivesTheSameRun) {
  SKIP_WITHOUT_MPIRUN();
  const fs::path dir = temp_dir("mpi_same_seed");
  const CommandResult a = run_shell(mpirun("-np 2 ") + train_args(dir / "a", 1024));
  const CommandResult b = run_shell(mpirun("-np 2 ") + train_args(dir / "b", 1024, "--seed 1"));
  ASSERT_EQ(a.status, 0) << a.output;
  ASSERT_EQ(b.status, 0) << b.output;
  EXPECT_EQ(deterministic_metrics(dir / "a"), deterministic_metrics(dir / "b"));
  EXPECT_EQ(read(dir / "a" / "crashes.csv"), read(dir / "b" / "crashes.csv"));
  const CommandResult c = run_shell(mpirun("-np 2 ") + train_args(dir / "c", 1024, "--seed 2"));
  ASSERT_EQ(c.status, 0) << c.output;
  EXPECT_NE(deterministic_metrics(dir / "a"), deterministic_metrics(dir / "c"));
}

TEST(DistributedTest, EvolutionStrategiesOnTwoRanksTrainExactlyAsOneRank) {
  SKIP_WITHOUT_MPIRUN();
  const fs::path dir = temp_dir("mpi_es");
  const fs::path config = dir / "es.toml";
  std::ofstream(config) << "algo = \"es\"\n[network]\nhidden = [16, 16]\n[es]\npairs = 5\nepisodes_per_member = 1\n";
  const std::string es = "--config " + config.string();
  const CommandResult one = run_shell(train_args(dir / "one", 40000, es));
  ASSERT_EQ(one.status, 0) << one.output;
  const CommandResult two = run_shell(mpirun("-np 2 ") + train_args(dir / "two", 40000, es));
  ASSERT_EQ(two.status, 0) << two.output;
  EXPECT_NE(two.output.find("on each of 2 MPI ranks"), std::string::npos) << two.output;

  const nlohmann::json summary = nlohmann::json::parse(read(dir / "two" / "summary.json"));
  EXPECT_EQ(summary["algo"], "es");
  ASSERT_EQ(summary["ranks"]["param_hashes"].size(), 2u);
  EXPECT_EQ(summary["ranks"]["param_hashes"][0], summary["ranks"]["param_hashes"][1]);
  // The same generations, steps and figures, and the same parameters bit for bit.
  EXPECT_GE(csv(dir / "one" / "metrics.csv", app::kMetricsColumns).size(), 3u) << "too few generations to show much";
  EXPECT_EQ(deterministic_metrics(dir / "two"), deterministic_metrics(dir / "one"));
  EXPECT_EQ(read(dir / "two" / "crashes.csv"), read(dir / "one" / "crashes.csv")) << "rank 0 logs every rank's crashes";
  const agent::CheckpointData a = agent::load_checkpoint((dir / "one" / "checkpoints" / "latest.ckpt").string());
  const agent::CheckpointData b = agent::load_checkpoint((dir / "two" / "checkpoints" / "latest.ckpt").string());
  EXPECT_EQ(a.params, b.params) << "two ranks trained other parameters than one";
  EXPECT_TRUE(a.obs_norm.mean == b.obs_norm.mean) << "two ranks gathered other observation statistics than one";
}

TEST(DistributedTest, ARankThatFailsAloneEndsTheJobWithItsMessage) {
  SKIP_WITHOUT_MPIRUN();
  const fs::path dir = temp_dir("mpi_rank_fails");
  // Rank 1 alone is given a scenario that does not exist (mpirun's "A : B" starts different
  // command lines as different ranks).
  const std::string missing = (dir / "missing.toml").string();
  const std::string bad = std::string(CRASHCOURSE_BINARY) + " train --scenario " + missing + " --out " +
                          (dir / "run").string() + " --steps 2048 --envs 4 --threads 1";
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r = run_shell(mpirun("-np 1 ") + train_args(dir / "run", 2048) + " : -np 1 " + bad);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(missing), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rank 1 of 2: stopped with status 2"), std::string::npos) << r.output;
  EXPECT_LT(seconds, 200.0) << "the job waited for its time limit instead of ending";
}

TEST(DistributedTest, RanksWithDifferentConfigsAreRefusedBeforeTraining) {
  SKIP_WITHOUT_MPIRUN();
  const fs::path dir = temp_dir("mpi_configs_differ");
  const CommandResult r = run_shell(mpirun("-np 1 ") + train_args(dir / "run", 2048) + " : -np 1 " +
                                    train_args(dir / "run", 2048, "--seed 5"));
  EXPECT_NE(r.status, 0) << r.output;
  const std::string message = "rank 1 of 2: expected the config and scenario of rank 0, got different ones";
  const std::size_t at = r.output.find(message);
  EXPECT_NE(at, std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(message, at + 1), std::string::npos) << "said more than once:\n" << r.output;
  EXPECT_FALSE(fs::exists(dir / "run")) << "a run folder was made";
}

TEST(DistributedTest, SigtermStopsEveryRankWithACheckpointAndTheResumeContinuesExactlyOnAsManyRanks) {
  SKIP_WITHOUT_MPIRUN();
  constexpr int kSteps = 16384;  // 64 iterations: seconds, so SIGTERM comes long before the end
  const fs::path dir = temp_dir("mpi_ctrl_c");
  const CommandResult whole = run_shell(mpirun("-np 2 ") + train_args(dir / "whole", kSteps));
  ASSERT_EQ(whole.status, 0) << whole.output;

  // mpirun in the background; once the first iteration is logged, SIGTERM to both ranks (its
  // children, by pid), as a batch scheduler sends when a job is cancelled or out of time.
  const fs::path cut = dir / "cut";
  const std::string script = mpirun("-np 2 ") + train_args(cut, kSteps) + " > " + (dir / "log").string() +
                             " 2>&1 & job=$!; "
                             "until [ \"$(cat " + (cut / "metrics.csv").string() + " 2>/dev/null | wc -l)\" -ge 2 ]; "
                             "do sleep 0.05; done; kill -TERM $(pgrep -P \"$(pgrep -P $job)\"); wait $job";
  const CommandResult r = run_shell("bash -c '" + script + "'");
  const std::string log = read(dir / "log");
  EXPECT_NE(r.status, 0) << log;
  EXPECT_NE(log.find("checkpoint saved. Continue with:\n  mpirun -np 2 crashcourse train --resume"), std::string::npos)
      << log;
  const nlohmann::json summary = nlohmann::json::parse(read(cut / "summary.json"));
  EXPECT_EQ(summary["status"], "interrupted");
  const agent::CheckpointData latest = agent::load_checkpoint((cut / "checkpoints" / "latest.ckpt").string());
  EXPECT_EQ(latest.global_step, summary["steps"]);
  ASSERT_LT(latest.global_step, kSteps) << "the run ended before Ctrl-C: nothing is resumed";
  EXPECT_EQ(latest.resume->rank_action_rngs.size(), 1u);

  const std::string resume = " train --resume " + cut.string();
  const CommandResult alone = run(resume);
  EXPECT_EQ(alone.status, 2) << alone.output;
  EXPECT_NE(alone.output.find("latest.ckpt: section 'resume': expected the state of a run on 1 rank (as this job "
                              "runs), got one of 2 (hint: a run resumes on the number of ranks it was started on: "
                              "run it with mpirun -np 2)"),
            std::string::npos)
      << alone.output;

  const CommandResult resumed = run_shell(mpirun("-np 2 ") + CRASHCOURSE_BINARY + resume);
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_EQ(deterministic_metrics(cut), deterministic_metrics(dir / "whole"));
  EXPECT_EQ(read(cut / "crashes.csv"), read(dir / "whole" / "crashes.csv"));
}

}  // namespace
