// RunConfig: everything `crashcourse train` needs besides the scenario — the algorithm (PPO or
// evolution strategies) and its hyperparameters, evaluation and checkpoint schedule — and its
// TOML file.
//
// A config file is optional and every key in it is too; what it leaves out keeps its default,
// and command-line flags override both. The resolved config (every key, with the values the run
// used) is written as config.toml into each run folder, so the folder alone repeats the run:
// `crashcourse train --print-config` shows it with the defaults. Problems are reported like the
// scenario's, all at once: `file:line:col: ppo.epochs: expected an integer in [1, 1000], got 0`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/es.h"
#include "agent/trainer.h"
#include "sim/diagnostics.h"

namespace app {

/// When and how the deterministic policy is evaluated during training.
struct EvalSchedule {
  std::int64_t every = 500'000;     ///< env steps between evaluations (0: only at the end)
  int episodes = 100;               ///< seeded episodes per evaluation
  std::uint64_t seed = 1000003;     ///< episode i starts from derive_seed(seed, i)
  float solve_threshold = 0.95f;    ///< clean-lap rate that counts as solved
  float gate = 0.8f;                ///< evaluate only once training episodes lap at this rate
  bool stop_when_solved = true;
};

/// The training algorithm: `algo = "ppo"` or `"es"` in the config, `--algo` on the command line.
enum class Algorithm { kPpo, kEs };

/// "ppo" or "es", as the config spells it.
const char* algorithm_name(Algorithm algo);

struct RunConfig {
  std::string scenario = "scenarios/default.toml";
  Algorithm algo = Algorithm::kPpo;
  agent::TrainConfig train;         ///< train.threads = 0 means every core; [ppo] is PPO's only
  agent::EsConfig es;               ///< [es]: evolution strategies only
  EvalSchedule eval;
  std::int64_t checkpoint_every = 1'000'000;  ///< env steps between checkpoints/latest.ckpt
};

/// The defaults (TrainConfig's, with threads = 0: every core).
RunConfig default_run_config();

struct RunConfigResult {
  RunConfig config;
  std::vector<sim::Diagnostic> diagnostics;
  bool ok() const { return diagnostics.empty(); }
};

/// Reads a config over `base`: keys present replace base's values.
RunConfigResult parse_run_config(std::string_view text, const std::string& file, const RunConfig& base);
RunConfigResult load_run_config(const std::string& path, const RunConfig& base);

/// The config as TOML with every key and a comment on each; parse_run_config reads it back to
/// the same values.
std::string run_config_toml(const RunConfig& config);

}  // namespace app
