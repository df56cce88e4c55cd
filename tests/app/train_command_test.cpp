// End-to-end: `crashcourse train` and `crashcourse eval` on real scenario files — the run
// folder's contents, Ctrl-C and resume, evaluation on another scenario, evolution strategies'
// run folder and resume, and every error path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/checkpoint.h"
#include "app/run_folder.h"
#include "support/xml_reader.h"
#include "support/run_binary.h"
#include "support/run_folder_files.h"

namespace {

namespace fs = std::filesystem;
using crashcourse::testing::CommandResult;
using crashcourse::testing::csv;
using crashcourse::testing::deterministic_metrics;
using crashcourse::testing::read;
using crashcourse::testing::run;
using crashcourse::testing::scenario;
using crashcourse::testing::spawn;
using crashcourse::testing::temp_dir;
using crashcourse::testing::wait_for;

/// A small, quick run on the oval: 8 envs × 32 steps per iteration.
std::string small_run(const fs::path& out, int steps) {
  return "train --scenario " + scenario("oval.toml") + " --out " + out.string() + " --steps " +
         std::to_string(steps) + " --envs 8 --threads 2 --eval-every 4096 --eval-episodes 8 --checkpoint-every 2048";
}

report::testing::XmlElement svg(const fs::path& path) {
  SCOPED_TRACE(path.string());
  return report::testing::read_svg_or_fail(read(path));
}

bool contains_text(const report::testing::XmlElement& root, const std::string& needle) {
  for (const std::string& t : report::testing::texts(root)) {
    if (t.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(TrainCommandTest, ARunLeavesEveryFileOfItsRunFolder) {
  const fs::path dir = temp_dir("run_folder");
  const fs::path out = dir / "oval";
  const CommandResult r = run(small_run(out, 8192));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("learning curve  " + (out / "learning_curve.svg").string()), std::string::npos) << r.output;

  // config.toml is the resolved config; scenario.toml the file as trained.
  EXPECT_NE(read(out / "config.toml").find("envs = 8"), std::string::npos);
  EXPECT_EQ(read(out / "scenario.toml"), read(scenario("oval.toml")));

  const auto metrics = csv(out / "metrics.csv", app::kMetricsColumns);
  ASSERT_EQ(metrics.size(), 8192u / 256u) << "one row per iteration";
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    EXPECT_EQ(metrics[k][0], static_cast<double>(k + 1)) << "iteration";
    EXPECT_EQ(metrics[k][1], static_cast<double>((k + 1) * 256)) << "step";
    EXPECT_GT(metrics[k][3], 0.0) << "samples per second";
    EXPECT_GE(metrics[k][7], 0.0);
    EXPECT_LE(metrics[k][7], 1.0) << "crash rate";
  }
  const auto evals = csv(out / "evals.csv", app::kEvalColumns);
  ASSERT_FALSE(evals.empty());
  EXPECT_EQ(evals.back()[0], 8192.0) << "the final evaluation";
  EXPECT_EQ(evals.back()[2], 8.0) << "episodes";
  const auto crashes = csv(out / "crashes.csv", app::kCrashColumns);
  ASSERT_FALSE(crashes.empty()) << "an untrained driver crashes on the oval";
  for (const auto& c : crashes) {
    EXPECT_GT(c[0], 0.0);
    EXPECT_LE(c[0], 8192.0);
  }

  const report::testing::XmlElement curve = svg(out / "learning_curve.svg");
  EXPECT_EQ(curve.name, "svg");
  for (const char* title : {"Episode return", "Crash rate", "Near-misses per km"}) {
    EXPECT_TRUE(contains_text(curve, title)) << title;
  }
  EXPECT_FALSE(report::testing::find_all(curve, "polyline").empty() && report::testing::find_all(curve, "path").empty());
  const report::testing::XmlElement heatmap = svg(out / "crash_heatmap.svg");
  EXPECT_TRUE(contains_text(heatmap, "early")) << "the early/late panels";

  const nlohmann::json summary = nlohmann::json::parse(read(out / "summary.json"));
  EXPECT_EQ(summary["status"], "finished");
  EXPECT_EQ(summary["steps"], 8192);
  EXPECT_EQ(summary["scenario"]["name"], "Oval");
  EXPECT_EQ(summary["final_evaluation"]["episodes"], 8);
  EXPECT_EQ(summary["final_evaluation"]["crash_rate"].get<double>(), evals.back()[4]);

  const agent::CheckpointData latest = agent::load_checkpoint((out / "checkpoints" / "latest.ckpt").string());
  EXPECT_EQ(latest.global_step, 8192);
  EXPECT_TRUE(latest.resume.has_value());
  EXPECT_NO_THROW(agent::load_checkpoint((out / "checkpoints" / "best.ckpt").string()));
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(out)) {
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << "left behind: " << e.path();
  }
}

TEST(TrainCommandTest, CtrlCSavesAResumableCheckpointAndTheResumedRunEqualsAnUninterruptedOne) {
  const fs::path dir = temp_dir("resume");
  constexpr int kSteps = 40960;  // 160 iterations
  const CommandResult whole = run(small_run(dir / "whole", kSteps));
  ASSERT_EQ(whole.status, 0) << whole.output;

  const fs::path cut = dir / "cut";
  std::vector<std::string> args;
  std::istringstream words(small_run(cut, kSteps));
  for (std::string w; words >> w;) args.push_back(w);
  const pid_t pid = spawn(args, dir / "cut.log");
  ASSERT_GT(pid, 0);
  // Interrupt once some iterations are logged, well before the end.
  const auto rows_logged = [&] {
    std::string error;
    return app::read_csv(cut / "metrics.csv", app::kMetricsColumns, error).size();
  };
  for (int k = 0; k < 3000 && rows_logged() < 12; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const int status = wait_for(pid);
  const std::string log = read(dir / "cut.log");
  ASSERT_EQ(status, 130) << log;
  EXPECT_NE(log.find("crashcourse train --resume " + cut.string()), std::string::npos) << log;
  const agent::CheckpointData saved = agent::load_checkpoint((cut / "checkpoints" / "latest.ckpt").string());
  EXPECT_LT(saved.global_step, kSteps) << "the signal arrived after the end; the test proves nothing";
  EXPECT_EQ(nlohmann::json::parse(read(cut / "summary.json"))["status"], "interrupted");

  const CommandResult resumed = run("train --resume " + cut.string());
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming " + cut.string() + " at step " + std::to_string(saved.global_step)),
            std::string::npos) << resumed.output;
  EXPECT_EQ(deterministic_metrics(cut), deterministic_metrics(dir / "whole"));
  EXPECT_EQ(read(cut / "crashes.csv"), read(dir / "whole" / "crashes.csv"));
  // The same crash recordings, byte for byte.
  const auto recordings = [](const fs::path& run_dir) {
    std::map<std::string, std::string> files;
    for (const fs::directory_entry& e : fs::directory_iterator(run_dir / "crashes")) {
      files[e.path().filename().string()] = read(e.path());
    }
    return files;
  };
  const auto whole_recordings = recordings(dir / "whole");
  EXPECT_FALSE(whole_recordings.empty());
  EXPECT_TRUE(recordings(cut) == whole_recordings) << "the crash recordings differ";
  const agent::CheckpointData a = agent::load_checkpoint((dir / "whole" / "checkpoints" / "latest.ckpt").string());
  const agent::CheckpointData b = agent::load_checkpoint((cut / "checkpoints" / "latest.ckpt").string());
  EXPECT_EQ(a.params, b.params) << "the policies differ";
}

TEST(TrainCommandTest, EvalRunsACheckpointOnAnotherScenarioAndWritesEvalJson) {
  const fs::path dir = temp_dir("eval");
  ASSERT_EQ(run(small_run(dir / "oval", 2048)).status, 0);
  const fs::path json = dir / "on_default.json";
  const CommandResult r = run("eval --checkpoint " + (dir / "oval").string() + " --scenario " +
                              scenario("default.toml") + " --episodes 6 --json " + json.string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("not the one it was trained on"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("crash rate"), std::string::npos) << r.output;
  const nlohmann::json j = nlohmann::json::parse(read(json));
  EXPECT_EQ(j["episodes"], 6);
  EXPECT_EQ(j["trained_on"], "Oval");
  EXPECT_EQ(j["scenario"]["name"], "Crashcourse circuit");
  EXPECT_EQ(j["scenario"]["same_as_training"], false);
  EXPECT_GE(j["crash_rate"].get<double>(), 0.0);

  // Its own scenario by default, eval.json into the run folder.
  const CommandResult own = run("eval --checkpoint " + (dir / "oval" / "checkpoints" / "latest.ckpt").string() +
                                " --episodes 4");
  ASSERT_EQ(own.status, 0) << own.output;
  EXPECT_EQ(nlohmann::json::parse(read(dir / "oval" / "eval.json"))["scenario"]["same_as_training"], true);
}

// ---- evolution strategies ------------------------------------------------------------------

/// A small ES run on the oval: 4 pairs × 1 episode per generation, from a config file in `dir`.
std::string small_es_run(const fs::path& dir, const fs::path& out, int steps) {
  const fs::path config = dir / "es.toml";
  std::ofstream(config) << "algo = \"es\"\n[network]\nhidden = [16, 16]\n[es]\npairs = 4\nepisodes_per_member = 1\n";
  return "train --config " + config.string() + " --scenario " + scenario("oval.toml") + " --out " + out.string() +
         " --steps " + std::to_string(steps) + " --threads 2 --eval-every 0 --eval-episodes 4 --checkpoint-every 2048";
}

TEST(TrainCommandTest, EvolutionStrategiesFillTheRunFolderAndEvalAndResumeUseIt) {
  const fs::path dir = temp_dir("es");
  constexpr int kSteps = 30000;  // 3 generations or so: an untrained car rarely ends an episode early
  const CommandResult whole = run(small_es_run(dir, dir / "whole", kSteps));
  ASSERT_EQ(whole.status, 0) << whole.output;
  EXPECT_NE(whole.output.find("evolution strategies, 4 pairs × 1 episodes per generation"), std::string::npos)
      << whole.output;
  EXPECT_NE(read(dir / "whole" / "config.toml").find("algo = \"es\""), std::string::npos);

  // One row per generation: 8 episodes each, steps growing by their lengths, PPO's columns 0.
  const auto metrics = csv(dir / "whole" / "metrics.csv", app::kMetricsColumns);
  ASSERT_GE(metrics.size(), 3u);
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    EXPECT_EQ(metrics[k][0], static_cast<double>(k + 1)) << "iteration = generation";
    EXPECT_GT(metrics[k][1], k == 0 ? 0.0 : metrics[k - 1][1]) << "step";
    EXPECT_EQ(metrics[k][4], 8.0) << "episodes";
    for (std::size_t c = 11; c <= 17; ++c) EXPECT_EQ(metrics[k][c], 0.0) << app::kMetricsColumns[c];
  }
  EXPECT_GE(metrics.back()[1], kSteps);
  const nlohmann::json summary = nlohmann::json::parse(read(dir / "whole" / "summary.json"));
  EXPECT_EQ(summary["algo"], "es");
  EXPECT_EQ(summary["status"], "finished");
  const agent::CheckpointData latest = agent::load_checkpoint((dir / "whole" / "checkpoints" / "latest.ckpt").string());
  ASSERT_TRUE(latest.es.has_value());
  EXPECT_EQ(latest.es->pairs, 4);
  EXPECT_FALSE(latest.resume.has_value());
  // Crashes are logged as PPO's, each stamped with its generation's last step, and replay.
  const auto crashes = csv(dir / "whole" / "crashes.csv", app::kCrashColumns);
  ASSERT_FALSE(crashes.empty()) << "an untrained driver crashes on the oval";
  for (const auto& c : crashes) {
    EXPECT_TRUE(std::any_of(metrics.begin(), metrics.end(), [&](const auto& row) { return row[1] == c[0]; }))
        << "crash at step " << c[0] << " is not a generation's last step";
  }
  EXPECT_GT(crashcourse::testing::expect_every_recording_replays_into_its_crash(dir / "whole"), 0u);

  // eval runs the ES policy like any other.
  const CommandResult eval = run("eval --checkpoint " + (dir / "whole").string() + " --episodes 4");
  ASSERT_EQ(eval.status, 0) << eval.output;
  EXPECT_NE(eval.output.find("crash rate"), std::string::npos) << eval.output;

  // A shorter run resumed to the same budget ends exactly as the whole run.
  const fs::path part = dir / "part";
  ASSERT_EQ(run(small_es_run(dir, part, kSteps / 3)).status, 0);
  const CommandResult resumed = run("train --resume " + part.string() + " --steps " + std::to_string(kSteps));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming " + part.string()), std::string::npos) << resumed.output;
  EXPECT_EQ(deterministic_metrics(part), deterministic_metrics(dir / "whole"));
  EXPECT_EQ(read(part / "crashes.csv"), read(dir / "whole" / "crashes.csv"));
  const agent::CheckpointData b = agent::load_checkpoint((part / "checkpoints" / "latest.ckpt").string());
  EXPECT_EQ(latest.params, b.params) << "the policies differ";
}

TEST(TrainCommandTest, ACheckpointIsNotResumedWithTheOtherAlgorithmNorEsRunWithTheCurriculum) {
  const fs::path dir = temp_dir("es_as_ppo");
  const fs::path out = dir / "run";
  ASSERT_EQ(run(small_es_run(dir, out, 1000)).status, 0);
  const CommandResult flag = run("train --resume " + out.string() + " --algo ppo");
  EXPECT_EQ(flag.status, 2) << flag.output;
  EXPECT_NE(flag.output.find("--algo cannot be changed when resuming"), std::string::npos) << flag.output;

  const CommandResult curriculum = run(small_es_run(dir, dir / "curriculum", 1000) + " --curriculum on");
  EXPECT_EQ(curriculum.status, 2) << curriculum.output;
  EXPECT_NE(curriculum.output.find("the crash-driven curriculum is PPO's: expected curriculum off with algo = \"es\""),
            std::string::npos) << curriculum.output;

  std::string config = read(out / "config.toml");
  const std::size_t at = config.find("algo = \"es\"");
  ASSERT_NE(at, std::string::npos) << config;
  config.replace(at, 11, "algo = \"ppo\"");
  std::ofstream(out / "config.toml") << config;
  const CommandResult r = run("train --resume " + out.string() + " --steps 5000");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("latest.ckpt: expected the state of a run of PPO, got that of a run of evolution strategies"),
            std::string::npos) << r.output;
}

// ---- errors: one clear message, exit status 2, nothing half-written ------------------------

void expect_bad_input(const CommandResult& r, const std::string& message) {
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << "expected: " << message << "\ngot: " << r.output;
}

TEST(TrainCommandTest, AMissingOrInvalidScenarioIsNamedAndNoRunFolderIsMade) {
  const fs::path dir = temp_dir("bad_scenario");
  expect_bad_input(run("train --scenario " + (dir / "none.toml").string() + " --out " + (dir / "r").string()),
                   (dir / "none.toml").string() + ": cannot open scenario file");
  const fs::path bad = dir / "bad.toml";
  std::ofstream(bad) << "[track]\npoints = [[0, 0], [50, 0], [50, 40]]\nwidth = -3\n";
  expect_bad_input(run("train --scenario " + bad.string() + " --out " + (dir / "r").string()),
                   bad.string() + ":3:9: track.width: expected");
  EXPECT_FALSE(fs::exists(dir / "r"));
}

TEST(TrainCommandTest, AnInvalidConfigIsReportedWithFileLineAndColumn) {
  const fs::path dir = temp_dir("bad_config");
  const fs::path config = dir / "ppo.toml";
  std::ofstream(config) << "seed = 3\n[ppo]\nepochs = 0\nlearning_rat = 0.001\n";
  const CommandResult r = run("train --config " + config.string() + " --out " + (dir / "r").string());
  expect_bad_input(r, config.string() + ":3:10: ppo.epochs: expected an integer in [1, 1000], got 0");
  EXPECT_NE(r.output.find(config.string() + ":4:1: ppo.learning_rat: unknown key"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'learning_rate'?"), std::string::npos) << r.output;
  expect_bad_input(run("train --config " + (dir / "none.toml").string()), (dir / "none.toml").string() + ": cannot open config file");
  EXPECT_FALSE(fs::exists(dir / "r"));
}

TEST(TrainCommandTest, AnExistingRunFolderIsNotOverwrittenUnlessForced) {
  const fs::path dir = temp_dir("existing");
  fs::create_directories(dir / "mine");
  std::ofstream(dir / "mine" / "notes.txt") << "precious";
  expect_bad_input(run(small_run(dir / "mine", 256)), "the run folder already exists");
  expect_bad_input(run(small_run(dir / "mine", 256) + " --force"), "not a crashcourse run");
  EXPECT_EQ(read(dir / "mine" / "notes.txt"), "precious");

  ASSERT_EQ(run(small_run(dir / "run", 256)).status, 0);
  expect_bad_input(run(small_run(dir / "run", 256)), "--resume");
  const CommandResult forced = run(small_run(dir / "run", 512) + " --force");
  ASSERT_EQ(forced.status, 0) << forced.output;
  EXPECT_EQ(nlohmann::json::parse(read(dir / "run" / "summary.json"))["steps"], 512);
}

TEST(TrainCommandTest, AnUnwritableOutputFolderIsRefusedBeforeTraining) {
  const fs::path dir = temp_dir("unwritable");
  std::ofstream(dir / "file") << "x";
  expect_bad_input(run(small_run(dir / "file" / "run", 256)), "is not a folder");
  expect_bad_input(run(small_run(dir / "file", 256)), "expected a folder for the run, got a file");
}

TEST(TrainCommandTest, ABadCheckpointOnResumeIsNamedAndLeftAsItWas) {
  const fs::path dir = temp_dir("bad_resume");
  const fs::path out = dir / "run";
  ASSERT_EQ(run(small_run(out, 512)).status, 0);
  const fs::path latest = out / "checkpoints" / "latest.ckpt";
  std::string bytes = read(latest);
  bytes.resize(bytes.size() / 2);
  std::ofstream(latest, std::ios::binary | std::ios::trunc) << bytes;
  const std::string metrics_before = read(out / "metrics.csv");
  expect_bad_input(run("train --resume " + out.string()), latest.string() + ": ");
  EXPECT_NE(run("train --resume " + out.string()).output.find("truncated"), std::string::npos);
  EXPECT_EQ(read(latest), bytes) << "the checkpoint was modified";
  EXPECT_EQ(read(out / "metrics.csv"), metrics_before) << "the logs were modified";

  expect_bad_input(run("train --resume " + (dir / "nothing").string()), "expected this file of a run folder");
  expect_bad_input(run("eval --checkpoint " + latest.string()), latest.string() + ": ");
}

TEST(TrainCommandTest, AResumedRunKeepsItsConfigAndMayTrainLonger) {
  const fs::path dir = temp_dir("resume_flags");
  const fs::path out = dir / "run";
  ASSERT_EQ(run(small_run(out, 256)).status, 0);
  expect_bad_input(run("train --resume " + out.string() + " --seed 4"), "--seed cannot be changed when resuming");
  const std::string evals = read(out / "evals.csv");
  const CommandResult again = run("train --resume " + out.string());
  EXPECT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("is complete: 256 of 256 steps"), std::string::npos) << again.output;
  EXPECT_EQ(read(out / "evals.csv"), evals) << "a complete run is left as it was";
  const CommandResult longer = run("train --resume " + out.string() + " --steps 768");
  ASSERT_EQ(longer.status, 0) << longer.output;
  EXPECT_EQ(nlohmann::json::parse(read(out / "summary.json"))["steps"], 768);
  EXPECT_EQ(csv(out / "metrics.csv", app::kMetricsColumns).size(), 3u);
  EXPECT_NE(read(out / "config.toml").find("steps = 768"), std::string::npos);
}

TEST(TrainCommandTest, AMultiAgentScenarioTrainsResumesAndEvaluatesWithNoOtherFlags) {
  const fs::path out = temp_dir("multi_agent") / "run";
  // 4 envs of 3 agents × 32 steps: 384 agent steps per iteration.
  const std::string train = "train --scenario " + scenario("multi_agent.toml") + " --out " + out.string() +
                            " --envs 4 --threads 2 --eval-every 0 --eval-episodes 2 --checkpoint-every 384";
  const CommandResult first = run(train + " --steps 1536");
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("4 envs of 3 agents"), std::string::npos) << first.output;
  const auto metrics = csv(out / "metrics.csv", app::kMetricsColumns);
  ASSERT_EQ(metrics.size(), 4u);
  EXPECT_EQ(metrics.back()[1], 1536.0) << "steps count every agent's steps";
  const CommandResult longer = run("train --resume " + out.string() + " --steps 3072");
  ASSERT_EQ(longer.status, 0) << longer.output;
  EXPECT_EQ(nlohmann::json::parse(read(out / "summary.json"))["steps"], 3072);
  const CommandResult eval = run("eval --checkpoint " + out.string() + " --episodes 3");
  ASSERT_EQ(eval.status, 0) << eval.output;
  EXPECT_NE(eval.output.find("9 episodes"), std::string::npos) << "3 envs of 3 agents: " << eval.output;
}

TEST(TrainCommandTest, PrintConfigShowsEveryDefaultAndReadsBack) {
  const CommandResult r = run("train --print-config");
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* key : {"seed = 1", "steps = 10000000", "envs = 64", "[ppo]", "learning_rate = ", "[eval]"}) {
    EXPECT_NE(r.output.find(key), std::string::npos) << key;
  }
  const fs::path dir = temp_dir("print_config");
  std::ofstream(dir / "c.toml") << r.output;
  const CommandResult again = run("train --config " + (dir / "c.toml").string() + " --print-config");
  EXPECT_EQ(again.output, r.output);
}

}  // namespace
