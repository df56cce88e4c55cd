// RunConfig: the TOML config file reads back what run_config_toml writes, keeps defaults for
// what it leaves out, and reports every problem with file, line and column.
#include "app/run_config.h"

#include <gtest/gtest.h>

#include <string>

namespace app {
namespace {

std::string errors(const RunConfigResult& r) { return sim::format_diagnostics(r.diagnostics); }

TEST(RunConfigTest, WrittenConfigReadsBackToTheSameValues) {
  RunConfig c = default_run_config();
  c.scenario = "scenarios/oval.toml";
  c.train.seed = 123456789012ull;
  c.train.total_steps = 3'000'000'000ll;
  c.train.envs = 96;
  c.train.hidden = {128, 32, 16};
  c.train.init_log_std = -1.25f;
  c.train.learning_rate = 2.5e-4f;
  c.train.anneal_lr = false;
  c.train.ppo.epochs = 7;
  c.train.ppo.target_kl = 0.015f;
  c.train.gae.gamma = 0.995f;
  c.eval.every = 0;
  c.eval.stop_when_solved = false;
  c.checkpoint_every = 12345;
  c.algo = Algorithm::kEs;
  c.es.pairs = 48;
  c.es.sigma = 0.03f;
  c.es.learning_rate = 0.005f;
  c.es.episodes_per_member = 3;
  c.es.weight_decay = 0.0f;
  const RunConfigResult r = parse_run_config(run_config_toml(c), "c.toml", default_run_config());
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_EQ(run_config_toml(r.config), run_config_toml(c));
  EXPECT_EQ(r.config.train.hidden, c.train.hidden);
  EXPECT_EQ(r.config.train.total_steps, c.train.total_steps);
  EXPECT_EQ(r.config.train.seed, c.train.seed);
  EXPECT_EQ(r.config.train.learning_rate, c.train.learning_rate);
  EXPECT_EQ(r.config.train.ppo.target_kl, c.train.ppo.target_kl);
  EXPECT_EQ(r.config.algo, Algorithm::kEs);
  EXPECT_EQ(r.config.es.pairs, 48);
  EXPECT_EQ(r.config.es.sigma, 0.03f);
  EXPECT_EQ(r.config.es.episodes_per_member, 3);
}

TEST(RunConfigTest, KeysLeftOutKeepTheBaseValues) {
  RunConfig base = default_run_config();
  base.train.envs = 7;
  const RunConfigResult r = parse_run_config("seed = 9\n[ppo]\nepochs = 2\n", "c.toml", base);
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_EQ(r.config.train.seed, 9u);
  EXPECT_EQ(r.config.train.ppo.epochs, 2);
  EXPECT_EQ(r.config.train.envs, 7);
  EXPECT_EQ(r.config.train.ppo.minibatches, base.train.ppo.minibatches);
}

TEST(RunConfigTest, TargetKlZeroMeansNoEarlyStop) {
  RunConfig base = default_run_config();
  base.train.ppo.target_kl = 0.02f;
  const RunConfigResult r = parse_run_config("[ppo]\ntarget_kl = 0\n", "c.toml", base);
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_FALSE(r.config.train.ppo.target_kl.has_value());
}

TEST(RunConfigTest, EveryProblemIsReportedAtOnceInFileOrder) {
  const RunConfigResult r = parse_run_config(
      "envs = 0\nstep = 5\n[network]\nhidden = [64, -1]\n[ppo]\ngamma = 1.5\nanneal_lr = \"yes\"\n[evaluation]\n",
      "c.toml", default_run_config());
  const std::string e = errors(r);
  ASSERT_EQ(r.diagnostics.size(), 6u) << e;
  EXPECT_NE(e.find("c.toml:1:8: envs: expected an integer in [1, 4096], got 0"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:2:1: step: unknown key"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'steps'?"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:4:15: network.hidden[1]: expected an integer in [1, 4096], got -1"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:6:9: ppo.gamma: expected"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:7:13: ppo.anneal_lr: expected true or false"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:8:2: evaluation: unknown table"), std::string::npos) << e;
  EXPECT_LT(e.find("c.toml:1:"), e.find("c.toml:2:")) << "file order";
}

TEST(RunConfigTest, CurriculumKeysAreReadAndChecked) {
  const RunConfigResult good = parse_run_config(
      "[curriculum]\nenabled = true\nmax_fraction = 0.3\nrewind_s = 1.5\ncrash_starts = 8\n", "c.toml",
      default_run_config());
  ASSERT_TRUE(good.ok()) << errors(good);
  EXPECT_TRUE(good.config.train.curriculum.enabled);
  EXPECT_FLOAT_EQ(good.config.train.curriculum.max_fraction, 0.3f);
  EXPECT_FLOAT_EQ(good.config.train.curriculum.rewind_seconds, 1.5f);
  EXPECT_EQ(good.config.train.curriculum.crash_starts, 8);
  // The written config reads back to the same values.
  const RunConfigResult again = parse_run_config(run_config_toml(good.config), "again.toml", default_run_config());
  ASSERT_TRUE(again.ok()) << errors(again);
  EXPECT_FLOAT_EQ(again.config.train.curriculum.max_fraction, 0.3f);

  const RunConfigResult bad = parse_run_config(
      "[curriculum]\nmax_fraction = 1.5\nrewind_s = 0\ncrash_starts = -1\nrewind = 2\n", "c.toml",
      default_run_config());
  const std::string e = errors(bad);
  ASSERT_EQ(bad.diagnostics.size(), 4u) << e;
  EXPECT_NE(e.find("c.toml:2:16: curriculum.max_fraction: expected a number in [0, 1], got 1.5"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:3:12: curriculum.rewind_s: expected"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:4:16: curriculum.crash_starts: expected an integer in [0, 4096], got -1"), std::string::npos)
      << e;
  EXPECT_NE(e.find("did you mean 'rewind_s'?"), std::string::npos) << e;
}

TEST(RunConfigTest, ASyntaxErrorIsReportedWithItsPosition) {
  const RunConfigResult r = parse_run_config("seed = 1\n[ppo\n", "c.toml", default_run_config());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].where.line, 2);
}

TEST(RunConfigTest, AlgoChoosesEvolutionStrategiesAndDefaultsToPpo) {
  EXPECT_EQ(default_run_config().algo, Algorithm::kPpo);
  const RunConfigResult r = parse_run_config("algo = \"es\"\n[es]\npairs = 8\n", "c.toml", default_run_config());
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_EQ(r.config.algo, Algorithm::kEs);
  EXPECT_EQ(r.config.es.pairs, 8);
  EXPECT_EQ(r.config.es.sigma, agent::EsConfig{}.sigma);
}

TEST(RunConfigTest, BadEsValuesAreReportedWithFileKeyExpectedAndGot) {
  const RunConfigResult r = parse_run_config(
      "algo = \"evolution\"\n[es]\npairs = 0\nsigma = -0.1\nlearning_rate = 2\nepisodes_per_member = 1.5\n"
      "weight_decay = -1\npopulation = 10\n",
      "c.toml", default_run_config());
  const std::string e = errors(r);
  ASSERT_EQ(r.diagnostics.size(), 7u) << e;
  EXPECT_NE(e.find("c.toml:1:8: algo: expected \"ppo\" or \"es\", got \"evolution\""), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:3:9: es.pairs: expected an integer in [1, 100000], got 0"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:4:9: es.sigma: expected a number in (0, 10], got -0.1"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:5:17: es.learning_rate: expected a number in (0, 1], got 2"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:6:23: es.episodes_per_member: expected an integer, got 1.5"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:7:16: es.weight_decay: expected"), std::string::npos) << e;
  EXPECT_NE(e.find("c.toml:8:1: es.population: unknown key"), std::string::npos) << e;
}

}  // namespace
}  // namespace app
