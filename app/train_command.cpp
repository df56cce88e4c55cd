// `crashcourse train`: turns flags, a config file and the scenario into a checked run setup —
// a new run folder, or an existing one to resume — and hands it to run_training. Every input is
// checked before anything is written, so bad input leaves no half-made run folder behind.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/commands.h"
#include "app/distributed.h"
#include "app/run_config.h"
#include "app/run_folder.h"
#include "app/training_run.h"
#include "sim/hash.h"
#include "sim/scenario_loader.h"

namespace app {
namespace {

namespace fs = std::filesystem;

/// Flags as given; each overrides the config only when it was given.
struct TrainFlags {
  std::string scenario, config_file, out, resume;
  bool force = false, print_config = false, no_stop = false;
  RunConfig values = default_run_config();  ///< flag values land here
  std::vector<std::pair<CLI::Option*, void (*)(const RunConfig&, RunConfig&)>> overrides;
  std::vector<CLI::Option*> fixed_when_resuming;  ///< options a resumed run takes from its folder
};

/// "rank 1 of 2: " on K > 1 ranks, else "".
std::string rank_prefix(const agent::Communicator& comm) {
  if (comm.size() == 1) return "";
  std::string prefix = "rank " + std::to_string(comm.rank());
  prefix += " of " + std::to_string(comm.size()) + ": ";
  return prefix;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return kExitBadInput;
}

/// A refusal every rank reaches together: rank 0 alone says why (K copies of one message help no one).
int fail_on_every_rank(const agent::Communicator& comm, const std::string& message) {
  return comm.rank() == 0 ? fail(message) : kExitBadInput;
}

std::string read_text(const fs::path& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path.string() + ": cannot read";
    return "";
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// "runs/default-20261129-031500" for scenarios/default.toml.
fs::path default_run_dir(const std::string& scenario) {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return fs::path("runs") / (fs::path(scenario).stem().string() + "-" + stamp);
}

void apply_flags(const TrainFlags& f, RunConfig& config) {
  for (const auto& [option, apply] : f.overrides) {
    if (option->count() > 0) apply(f.values, config);
  }
}

/// threads = 0 becomes the number of cores, shared among the ranks on this host.
void resolve_threads(RunConfig& config) {
  if (config.train.threads == 0) {
    config.train.threads =
        std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / ranks_on_this_host());
  }
}

/// On K > 1 ranks, every rank must train the same config (threads aside) and scenario: checked
/// before anything is written. Returns the error, or "".
std::string check_ranks_agree(agent::Communicator& comm, RunConfig config, const sim::LoadedScenario& scenario) {
  if (comm.size() == 1) return "";
  config.train.threads = 0;  // results do not depend on it
  sim::Fnv1a h;
  const std::string text = run_config_toml(config);
  h.add(text.data(), text.size());
  h.add_value(scenario.scenario->fingerprint);
  const int differing = first_rank_differing(comm, h.value());
  if (differing < 0) return "";
  return "rank " + std::to_string(differing) + " of " + std::to_string(comm.size()) +
         ": expected the config and scenario of rank 0, got different ones (hint: start every rank with the "
         "same flags and files, e.g. mpirun -np " + std::to_string(comm.size()) + " crashcourse train …)";
}

int resume_run(const TrainFlags& f, const std::shared_ptr<agent::Communicator>& comm) {
  for (CLI::Option* option : f.fixed_when_resuming) {
    if (option->count() > 0) {
      return fail("--resume " + f.resume + ": " + option->get_name() +
                  " cannot be changed when resuming (hint: a resumed run keeps its config.toml and scenario.toml; "
                  "--steps and --threads may change)");
    }
  }
  const RunFolder run{f.resume};
  for (const fs::path& needed : {run.config(), run.scenario(), run.latest()}) {
    if (!fs::exists(needed)) {
      return fail(needed.string() + ": expected this file of a run folder, got none (hint: --resume takes the folder "
                                    "a `crashcourse train` run wrote)");
    }
  }
  RunConfigResult loaded = load_run_config(run.config().string(), default_run_config());
  if (!loaded.ok()) return fail(sim::format_diagnostics(loaded.diagnostics));
  RunConfig config = loaded.config;
  apply_flags(f, config);
  resolve_threads(config);
  sim::LoadedScenario scenario = sim::load_scenario(run.scenario().string());
  if (!scenario.ok()) return fail(sim::format_diagnostics(scenario.diagnostics));
  std::optional<agent::CheckpointData> checkpoint;
  try {
    checkpoint = agent::load_checkpoint(run.latest().string());
  } catch (const agent::CheckpointError& e) {
    return fail(e.what());
  }
  if (const std::string error = check_ranks_agree(*comm, config, scenario); !error.empty()) {
    return fail_on_every_rank(*comm, error);
  }
  if (comm->rank() == 0) {
    if (const std::string error = write_file_atomically(run.config(), run_config_toml(config)); !error.empty()) {
      return fail(error);
    }
  }
  return run_training({config, std::move(scenario), run, std::move(checkpoint), comm});
}

int new_run(const TrainFlags& f, const std::shared_ptr<agent::Communicator>& comm) {
  RunConfig config = default_run_config();
  if (!f.config_file.empty()) {
    RunConfigResult loaded = load_run_config(f.config_file, config);
    if (!loaded.ok()) return fail(sim::format_diagnostics(loaded.diagnostics));
    config = loaded.config;
  }
  if (!f.scenario.empty()) config.scenario = f.scenario;
  apply_flags(f, config);
  // The curriculum changes where PPO's episodes begin; ES evaluates members on seeded episodes.
  if (config.algo == Algorithm::kEs && config.train.curriculum.enabled) {
    return fail("the crash-driven curriculum is PPO's: expected curriculum off with algo = \"es\", got on (hint: "
                "drop --curriculum on, or set enabled = false in [curriculum])");
  }
  if (f.print_config) {
    if (comm->rank() == 0) std::fputs(run_config_toml(config).c_str(), stdout);
    return 0;
  }
  resolve_threads(config);

  sim::LoadedScenario scenario = sim::load_scenario(config.scenario);
  if (!scenario.ok()) return fail(sim::format_diagnostics(scenario.diagnostics));
  if (config.algo == Algorithm::kEs && scenario.scenario->spawn.agents > 1) {
    return fail(config.scenario + ": evolution strategies drives one car per env: expected spawn.agents = 1 with "
                "algo = \"es\", got " + std::to_string(scenario.scenario->spawn.agents) +
                " (hint: train a multi-agent scenario with PPO, the default)");
  }
  std::string error;
  const std::string scenario_text = read_text(config.scenario, error);
  if (!error.empty()) return fail(error);

  if (const std::string problem = check_ranks_agree(*comm, config, scenario); !problem.empty()) {
    return fail_on_every_rank(*comm, problem);
  }

  // Rank 0 alone writes the run folder (its name is rank 0's clock).
  const RunFolder run{f.out.empty() ? default_run_dir(config.scenario) : fs::path(f.out)};
  if (comm->rank() != 0) return run_training({config, std::move(scenario), run, std::nullopt, comm});
  if (const std::string problem = check_new_run_folder(run.dir, f.force); !problem.empty()) return fail(problem);
  const bool existed = fs::exists(run.dir);
  error = create_run_folder(run, f.force);
  if (error.empty()) error = write_file_atomically(run.config(), run_config_toml(config));
  if (error.empty()) error = write_file_atomically(run.scenario(), scenario_text);
  if (!error.empty()) {
    std::error_code ec;
    if (!existed) fs::remove_all(run.dir, ec);
    return fail(error);
  }
  return run_training({config, std::move(scenario), run, std::nullopt, comm});
}

}  // namespace

std::function<int()> add_train_command(CLI::App& cli) {
  auto f = std::make_shared<TrainFlags>();
  RunConfig& v = f->values;
  agent::TrainConfig& t = v.train;
  CLI::App* cmd = cli.add_subcommand(
      "train", "Train a driver (PPO, or evolution strategies) on a scenario, headless, into a run folder");
  cmd->add_option("--scenario", f->scenario, "Scenario file (default: the config's, else scenarios/default.toml)");
  CLI::Option* config = cmd->add_option("--config", f->config_file, "Training config (TOML); flags override it");
  CLI::Option* out = cmd->add_option("--out", f->out, "Run folder to create (default: runs/<scenario>-<date>-<time>)");
  cmd->add_option("--resume", f->resume, "Continue the run in this folder from its latest checkpoint")
      ->excludes(config)->excludes(out);
  cmd->add_flag("--force", f->force, "Replace an existing run folder given with --out");
  cmd->add_flag("--print-config", f->print_config, "Print the resolved config as TOML and exit");

  auto opt = [&](const std::string& name, auto& field, const std::string& help, auto apply) {
    CLI::Option* o = cmd->add_option(name, field, help)->capture_default_str();
    f->overrides.emplace_back(o, +apply);
    return o;
  };
  opt("--steps", t.total_steps, "Env steps to train for",
      [](const RunConfig& from, RunConfig& to) { to.train.total_steps = from.train.total_steps; })
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 50));
  opt("--threads", t.threads, "Threads (0: every core; results do not depend on it)",
      [](const RunConfig& from, RunConfig& to) { to.train.threads = from.train.threads; })
      ->check(CLI::Range(0, 256));
  const std::vector<CLI::Option*> fixed = {
      cmd->get_option("--scenario"), config,
      opt("--envs", t.envs, "Envs stepped together",
          [](const RunConfig& from, RunConfig& to) { to.train.envs = from.train.envs; })
          ->check(CLI::Range(1, 4096)),
      opt("--seed", t.seed, "Seed of everything",
          [](const RunConfig& from, RunConfig& to) { to.train.seed = from.train.seed; }),
      opt("--rollout", t.rollout_steps, "Steps per env per iteration",
          [](const RunConfig& from, RunConfig& to) { to.train.rollout_steps = from.train.rollout_steps; })
          ->check(CLI::Range(1, 100000)),
      opt("--lr", t.learning_rate, "Adam learning rate",
          [](const RunConfig& from, RunConfig& to) { to.train.learning_rate = from.train.learning_rate; })
          ->check(CLI::Range(1e-8, 1.0)),
      opt("--epochs", t.ppo.epochs, "PPO epochs per iteration",
          [](const RunConfig& from, RunConfig& to) { to.train.ppo.epochs = from.train.ppo.epochs; })
          ->check(CLI::Range(1, 1000)),
      opt("--minibatches", t.ppo.minibatches, "PPO minibatches per epoch",
          [](const RunConfig& from, RunConfig& to) { to.train.ppo.minibatches = from.train.ppo.minibatches; })
          ->check(CLI::Range(1, 100000)),
      opt("--curriculum", t.curriculum.enabled,
          "Crash-driven curriculum: begin some episodes shortly before recent crashes (on/off)",
          [](const RunConfig& from, RunConfig& to) { to.train.curriculum.enabled = from.train.curriculum.enabled; })
          ->check(CLI::IsMember({"on", "off", "true", "false"})),
      opt("--eval-every", v.eval.every, "Env steps between evaluations (0: only at the end)",
          [](const RunConfig& from, RunConfig& to) { to.eval.every = from.eval.every; })
          ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 50)),
      opt("--eval-episodes", v.eval.episodes, "Episodes per evaluation",
          [](const RunConfig& from, RunConfig& to) { to.eval.episodes = from.eval.episodes; })
          ->check(CLI::Range(1, 100000)),
      opt("--checkpoint-every", v.checkpoint_every, "Env steps between checkpoints/latest.ckpt",
          [](const RunConfig& from, RunConfig& to) { to.checkpoint_every = from.checkpoint_every; })
          ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 50)),
  };
  CLI::Option* algo =
      cmd->add_option("--algo", v.algo, "Algorithm: ppo (default) or es (evolution strategies; see [es] in the config)")
          ->transform(CLI::CheckedTransformer(std::map<std::string, Algorithm>{{"ppo", Algorithm::kPpo}, {"es", Algorithm::kEs}}));
  f->overrides.emplace_back(algo, +[](const RunConfig& from, RunConfig& to) { to.algo = from.algo; });
  CLI::Option* no_stop = cmd->add_flag("--no-stop", f->no_stop, "Keep training after the scenario is solved");
  f->overrides.emplace_back(no_stop, +[](const RunConfig&, RunConfig& to) { to.eval.stop_when_solved = false; });
  f->fixed_when_resuming = fixed;
  f->fixed_when_resuming.push_back(no_stop);
  f->fixed_when_resuming.push_back(algo);
  cmd->footer(
      "Examples:\n"
      "  crashcourse train                                   # the default scenario, into runs/default-<date>-<time>\n"
      "  crashcourse train --scenario scenarios/oval.toml --steps 2000000 --out runs/oval\n"
      "  crashcourse train --config my_ppo.toml --seed 3 --out runs/seed3\n"
      "  crashcourse train --algo es --scenario scenarios/oval.toml --out runs/oval-es   # evolution strategies\n"
      "  crashcourse train --resume runs/seed3               # after Ctrl-C, or with more --steps\n"
      "  crashcourse train --print-config > my_ppo.toml      # every setting with its default");
  return [f] {
    std::shared_ptr<agent::Communicator> comm;
    try {
      comm = join_job();
    } catch (const std::exception& e) {
      return fail(e.what());
    }
    int status = 1;
    try {
      status = f->resume.empty() ? new_run(*f, comm) : resume_run(*f, comm);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%serror: %s\n", rank_prefix(*comm).c_str(), e.what());
    }
    // A rank that fails alone must not leave the others waiting in a collective for ever.
    if (comm->size() > 1 && status != 0 && status < 128) {
      std::fprintf(stderr, "%sstopped with status %d (the cause is above); ending every rank of the job\n",
                   rank_prefix(*comm).c_str(), status);
      std::fflush(stderr);
      comm->abort(status);
    }
    return status;
  };
}

}  // namespace app
