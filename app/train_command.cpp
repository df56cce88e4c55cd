// `crashcourse train`: PPO on a scenario, headless, on every core, with a live progress line,
// periodic evaluation, and a stop as soon as the scenario is solved (time-to-solve reported).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "agent/evaluation.h"
#include "agent/trainer.h"
#include "app/commands.h"
#include "sim/scenario_loader.h"

namespace app {
namespace {

struct TrainOptions {
  std::string scenario = "scenarios/default.toml";
  agent::TrainConfig config;
  std::int64_t eval_every = 500'000;  ///< env steps between evaluations
  std::string save;                 ///< checkpoint file written at the end ("" = none)
  int eval_episodes = 100;
  float solve_threshold = 0.95f;    ///< clean-lap rate that counts as solved
  float eval_gate = 0.8f;           ///< evaluate only once training episodes lap at this rate
  bool stop_when_solved = true;
};

/// The resolved settings as TOML, stored in checkpoints so a run can be identified and repeated.
std::string config_text(const TrainOptions& o) {
  const agent::TrainConfig& c = o.config;
  std::string hidden;
  for (int h : c.hidden) hidden += (hidden.empty() ? "" : ", ") + std::to_string(h);
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "scenario = \"%s\"\nseed = %llu\nenvs = %d\nrollout_steps = %d\ntotal_steps = %lld\n"
                "hidden = [%s]\ninit_log_std = %g\nlearning_rate = %g\nanneal_lr = %s\n"
                "normalize_obs = %s\nscale_rewards = %s\ngamma = %g\nlambda = %g\nclip_coef = %g\n"
                "vf_coef = %g\nent_coef = %g\nepochs = %d\nminibatches = %d\nmax_grad_norm = %g\n",
                o.scenario.c_str(), static_cast<unsigned long long>(c.seed), c.envs, c.rollout_steps,
                static_cast<long long>(c.total_steps), hidden.c_str(), static_cast<double>(c.init_log_std),
                static_cast<double>(c.learning_rate), c.anneal_lr ? "true" : "false",
                c.normalize_obs ? "true" : "false", c.scale_rewards ? "true" : "false",
                static_cast<double>(c.gae.gamma), static_cast<double>(c.gae.lambda),
                static_cast<double>(c.ppo.clip_coef), static_cast<double>(c.ppo.vf_coef),
                static_cast<double>(c.ppo.ent_coef), c.ppo.epochs, c.ppo.minibatches,
                static_cast<double>(c.ppo.max_grad_norm));
  return buf;
}

void print_eval(const char* label, const agent::EvalResult& r) {
  std::printf("%s: clean laps %.2f  crash rate %.2f  lap rate %.2f  near-misses/km %.2f  "
              "lap time %.1f s  speed %.1f m/s  return %.1f\n",
              label, static_cast<double>(r.clean_lap_rate), static_cast<double>(r.crash_rate),
              static_cast<double>(r.lap_rate), static_cast<double>(r.near_misses_per_km),
              static_cast<double>(r.mean_lap_time), static_cast<double>(r.mean_speed),
              static_cast<double>(r.mean_return));
}

int run_train(const TrainOptions& o) {
  sim::LoadedScenario s = sim::load_scenario(o.scenario);
  if (!s.ok()) {
    std::fputs(sim::format_diagnostics(s.diagnostics).c_str(), stderr);
    return kExitBadInput;
  }
  const agent::TrainConfig& c = o.config;
  std::printf("training on %s (%s, %.0f m): %lld steps, %d envs × %d steps per iteration, %d threads, seed %llu\n",
              o.scenario.c_str(), s.scenario->name.c_str(), static_cast<double>(s.track->length),
              static_cast<long long>(c.total_steps), c.envs, c.rollout_steps, c.threads,
              static_cast<unsigned long long>(c.seed));
  agent::Trainer trainer(s, c);
  const agent::EvalConfig eval{o.eval_episodes, 1000003, c.threads};
  const bool tty = isatty(fileno(stdout)) != 0;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  double last_print = -1.0, eval_seconds = 0.0;
  std::int64_t next_eval = o.eval_every;
  bool solved = false;
  agent::IterationStats shown;  // episode figures of the latest iteration that ended episodes

  while (!trainer.done() && !solved) {
    const agent::IterationStats it = trainer.iterate();
    const agent::IterationStats last_episodes = shown;
    shown = it;
    if (it.episodes == 0) {
      shown.mean_return = last_episodes.mean_return;
      shown.crash_rate = last_episodes.crash_rate;
      shown.near_misses_per_km = last_episodes.near_misses_per_km;
      shown.lap_rate = last_episodes.lap_rate;
    }
    const double now = elapsed();
    if (now - last_print > (tty ? 0.25 : 5.0)) {
      last_print = now;
      const double sps = static_cast<double>(it.global_step) / (now - eval_seconds);
      const double eta = (static_cast<double>(c.total_steps - it.global_step)) / std::max(sps, 1.0);
      std::printf("%sstep %9lld/%lld  %6.0f sps  return %7.2f  crash %.2f  near-miss/km %6.1f  lap %.2f  "
                  "kl %.4f  ent %.2f  %4.0fs  eta %4.0fs%s",
                  tty ? "\r" : "", static_cast<long long>(it.global_step), static_cast<long long>(c.total_steps), sps,
                  static_cast<double>(shown.mean_return), static_cast<double>(shown.crash_rate),
                  static_cast<double>(shown.near_misses_per_km), static_cast<double>(shown.lap_rate),
                  static_cast<double>(it.ppo.approx_kl), static_cast<double>(it.ppo.entropy), now, eta,
                  tty ? "   " : "\n");
      std::fflush(stdout);
    }
    const bool due = o.eval_every > 0 && it.global_step >= next_eval && shown.lap_rate >= o.eval_gate;
    if (due) {
      next_eval = it.global_step + o.eval_every;
      const double t0 = elapsed();
      const agent::EvalResult r = agent::evaluate_policy(s, trainer.policy(), trainer.obs_norm(), eval);
      eval_seconds += elapsed() - t0;
      if (tty) std::printf("\n");
      print_eval("  eval", r);
      if (o.stop_when_solved && agent::is_solved(r, o.solve_threshold)) {
        solved = true;
        std::printf("solved after %lld env steps in %.1f s wall-clock (%.1f s of it evaluating)\n",
                    static_cast<long long>(trainer.global_step()), elapsed(), eval_seconds);
      }
    }
  }
  if (tty) std::printf("\n");
  const agent::EvalResult final_eval = agent::evaluate_policy(s, trainer.policy(), trainer.obs_norm(), eval);
  print_eval("final evaluation", final_eval);
  std::printf("%lld env steps in %.1f s: %.0f samples/s including updates and evaluations\n",
              static_cast<long long>(trainer.global_step()), elapsed(),
              static_cast<double>(trainer.global_step()) / elapsed());
  if (!o.save.empty()) {
    agent::CheckpointData ck = trainer.checkpoint();
    ck.elapsed_seconds = elapsed();
    ck.config_text = config_text(o);
    ck.metrics.push_back({"eval.clean_lap_rate", final_eval.clean_lap_rate});
    ck.metrics.push_back({"eval.crash_rate", final_eval.crash_rate});
    try {
      agent::save_checkpoint(o.save, ck);
    } catch (const agent::CheckpointError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return kExitBadInput;
    }
    std::printf("checkpoint written to %s\n", o.save.c_str());
  }
  return 0;
}

}  // namespace

std::function<int()> add_train_command(CLI::App& cli) {
  auto o = std::make_shared<TrainOptions>();
  o->config.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  CLI::App* cmd = cli.add_subcommand("train", "Train a PPO driver on a scenario, headless");
  cmd->add_option("--scenario", o->scenario, "Scenario file")->capture_default_str()->check(CLI::ExistingFile);
  cmd->add_option("--steps", o->config.total_steps, "Env steps to train for")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--envs", o->config.envs, "Envs stepped together")->capture_default_str()->check(CLI::Range(1, 4096));
  cmd->add_option("--rollout", o->config.rollout_steps, "Steps per env per iteration")->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--threads", o->config.threads, "Threads (default: every core)")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--seed", o->config.seed, "Seed of everything")->capture_default_str();
  cmd->add_option("--lr", o->config.learning_rate, "Adam learning rate")->capture_default_str();
  cmd->add_option("--epochs", o->config.ppo.epochs, "PPO epochs per iteration")->capture_default_str();
  cmd->add_option("--minibatches", o->config.ppo.minibatches, "PPO minibatches per epoch")->capture_default_str();
  cmd->add_option("--eval-every", o->eval_every, "Env steps between evaluations (0 = only at the end)")->capture_default_str();
  cmd->add_option("--save", o->save, "Write the final checkpoint to this file");
  cmd->add_option("--eval-episodes", o->eval_episodes, "Episodes per evaluation")->capture_default_str()->check(CLI::Range(1, 10000));
  cmd->add_flag("!--no-stop", o->stop_when_solved, "Keep training after the scenario is solved");
  cmd->footer("Example:\n  crashcourse train --scenario scenarios/default.toml --steps 3000000");
  return [o] { return run_train(*o); };
}

}  // namespace app
