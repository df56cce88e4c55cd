// RunConfig: reading and writing the training config file (see run_config.h).
#include "app/run_config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "sim/toml_reader.h"

namespace app {
namespace {

using sim::IntRange;
using sim::TableReader;

constexpr std::int64_t kMaxSteps = std::int64_t{1} << 50;
constexpr std::int64_t kMaxSeed = std::numeric_limits<std::int64_t>::max();

void read_network(TableReader& r, agent::TrainConfig& c) {
  if (const toml::node* node = r.find("hidden")) {
    const toml::array* widths = node->as_array();
    if (!widths || widths->empty() || widths->size() > 8) {
      r.reporter().error(sim::location_of(*node), r.path_of("hidden"),
                         "expected an array of 1 to 8 layer widths, got " + sim::describe_value(*node),
                         "e.g. hidden = [64, 64]");
    } else {
      std::vector<int> hidden;
      for (std::size_t i = 0; i < widths->size(); ++i) {
        const auto w = sim::check_integer(*widths->get(i), r.path_of("hidden") + "[" + std::to_string(i) + "]",
                                          IntRange{1, 4096}, r.reporter());
        if (w) hidden.push_back(static_cast<int>(*w));
      }
      if (hidden.size() == widths->size()) c.hidden = hidden;
    }
  }
  r.read_number("init_log_std", sim::closed(-5.0, 2.0), c.init_log_std);
}

void read_ppo(TableReader& r, agent::TrainConfig& c) {
  r.read_integer("rollout_steps", IntRange{1, 100'000}, c.rollout_steps);
  r.read_number("learning_rate", sim::above_up_to(0.0, 1.0), c.learning_rate);
  r.read_bool("anneal_lr", c.anneal_lr);
  r.read_integer("epochs", IntRange{1, 1000}, c.ppo.epochs);
  r.read_integer("minibatches", IntRange{1, 100'000}, c.ppo.minibatches);
  r.read_number("gamma", sim::closed(0.0, 1.0), c.gae.gamma);
  r.read_number("lambda", sim::closed(0.0, 1.0), c.gae.lambda);
  r.read_number("clip_coef", sim::above_up_to(0.0, 10.0), c.ppo.clip_coef);
  r.read_bool("clip_vloss", c.ppo.clip_vloss);
  r.read_number("vf_coef", sim::at_least(0.0), c.ppo.vf_coef);
  r.read_number("ent_coef", sim::at_least(0.0), c.ppo.ent_coef);
  r.read_number("max_grad_norm", sim::above(0.0), c.ppo.max_grad_norm);
  float target_kl = c.ppo.target_kl.value_or(0.0f);
  if (r.find("target_kl") && r.read_number("target_kl", sim::at_least(0.0), target_kl)) {
    c.ppo.target_kl = target_kl > 0.0f ? std::optional<float>(target_kl) : std::nullopt;
  }
  r.read_bool("norm_adv", c.ppo.norm_adv);
  r.read_bool("normalize_obs", c.normalize_obs);
  r.read_bool("scale_rewards", c.scale_rewards);
}

void read_curriculum(TableReader& r, agent::CurriculumConfig& c) {
  r.read_bool("enabled", c.enabled);
  r.read_number("max_fraction", sim::closed(0.0, 1.0), c.max_fraction);
  r.read_number("rewind_s", sim::above_up_to(0.0, 60.0), c.rewind_seconds);
  r.read_integer("crash_starts", IntRange{0, 4096}, c.crash_starts);
  r.read_integer("near_miss_starts", IntRange{0, 4096}, c.near_miss_starts);
}

void read_es(TableReader& r, agent::EsConfig& es) {
  r.read_integer("pairs", IntRange{1, 100'000}, es.pairs);
  r.read_number("sigma", sim::above_up_to(0.0, 10.0), es.sigma);
  r.read_number("learning_rate", sim::above_up_to(0.0, 1.0), es.learning_rate);
  r.read_integer("episodes_per_member", IntRange{1, 10'000}, es.episodes_per_member);
  r.read_number("weight_decay", sim::closed(0.0, 1.0), es.weight_decay);
}

void read_algorithm(TableReader& r, Algorithm& algo) {
  std::string name = algorithm_name(algo);
  if (!r.read_string("algo", name)) return;
  if (name == "ppo" || name == "es") {
    algo = name == "es" ? Algorithm::kEs : Algorithm::kPpo;
    return;
  }
  std::string got = "\"";
  got += name;
  got += "\"";
  r.reporter().error(sim::location_of(*r.find("algo")), r.path_of("algo"), "expected \"ppo\" or \"es\", got " + got,
                     "ppo: proximal policy optimisation; es: evolution strategies");
}

void read_eval(TableReader& r, EvalSchedule& e) {
  r.read_integer("every", IntRange{0, kMaxSteps}, e.every);
  r.read_integer("episodes", IntRange{1, 100'000}, e.episodes);
  std::int64_t seed = static_cast<std::int64_t>(e.seed);
  if (r.read_integer("seed", IntRange{0, kMaxSeed}, seed)) e.seed = static_cast<std::uint64_t>(seed);
  r.read_number("solve_threshold", sim::closed(0.0, 1.0), e.solve_threshold);
  r.read_number("gate", sim::closed(0.0, 1.0), e.gate);
  r.read_bool("stop_when_solved", e.stop_when_solved);
}

void read_run_config(TableReader& r, RunConfig& c) {
  r.read_string("scenario", c.scenario);
  read_algorithm(r, c.algo);
  std::int64_t seed = static_cast<std::int64_t>(c.train.seed);
  if (r.read_integer("seed", IntRange{0, kMaxSeed}, seed)) c.train.seed = static_cast<std::uint64_t>(seed);
  r.read_integer("steps", IntRange{1, kMaxSteps}, c.train.total_steps);
  r.read_integer("envs", IntRange{1, 4096}, c.train.envs);
  r.read_integer("threads", IntRange{0, 256}, c.train.threads);
  r.read_integer("checkpoint_every", IntRange{1, kMaxSteps}, c.checkpoint_every);
  sim::read_section(r, "network", [&](TableReader& t) { read_network(t, c.train); });
  sim::read_section(r, "ppo", [&](TableReader& t) { read_ppo(t, c.train); });
  sim::read_section(r, "curriculum", [&](TableReader& t) { read_curriculum(t, c.train.curriculum); });
  sim::read_section(r, "es", [&](TableReader& t) { read_es(t, c.es); });
  sim::read_section(r, "eval", [&](TableReader& t) { read_eval(t, c.eval); });
}

std::string boolean(bool b) { return b ? "true" : "false"; }
std::string real(float v) { return sim::format_number(v); }

}  // namespace

const char* algorithm_name(Algorithm algo) { return algo == Algorithm::kEs ? "es" : "ppo"; }

RunConfig default_run_config() {
  RunConfig c;
  c.train.threads = 0;
  return c;
}

RunConfigResult parse_run_config(std::string_view text, const std::string& file, const RunConfig& base) {
  RunConfigResult result{base, {}};
  const std::optional<toml::table> root = sim::parse_toml(text, file, result.diagnostics);
  if (!root) return result;
  sim::SourceMap source;
  const sim::Reporter report{file, &result.diagnostics, &source};
  TableReader reader(*root, "", report);
  read_run_config(reader, result.config);
  reader.report_unknown_keys();
  sim::sort_by_position(result.diagnostics);
  return result;
}

RunConfigResult load_run_config(const std::string& path, const RunConfig& base) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    RunConfigResult result{base, {}};
    result.diagnostics.push_back({path, {}, "", std::string("cannot open config file: ") + std::strerror(errno),
                                  "check the path; `crashcourse train --print-config` shows a complete config"});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_run_config(text.str(), path, base);
}

std::string run_config_toml(const RunConfig& c) {
  const agent::TrainConfig& t = c.train;
  std::string hidden;
  for (const int h : t.hidden) hidden += (hidden.empty() ? "" : ", ") + std::to_string(h);
  std::ostringstream o;
  // One "key = value" per line, comments aligned in one column.
  const auto line = [&o](const std::string& key, const std::string& value, const std::string& comment = "") {
    std::string text = key + " = " + value;
    if (!comment.empty()) text += std::string(text.size() < 30 ? 30 - text.size() : 1, ' ') + "# " + comment;
    o << text << "\n";
  };
  const auto integer = [](auto v) { return std::to_string(v); };
  o << "# crashcourse training config. Every key is optional; command-line flags override it.\n";
  line("scenario", "\"" + c.scenario + "\"");
  line("algo", std::string("\"") + algorithm_name(c.algo) + "\"", "ppo, or es (evolution strategies: [es])");
  line("seed", integer(t.seed), "seeds everything: same seed, same run");
  line("steps", integer(t.total_steps), "env steps to train for (sets the LR annealing)");
  line("envs", integer(t.envs), "envs stepped together (PPO; ES runs one per episode)");
  line("threads", integer(t.threads), "0 = every core; results do not depend on it");
  line("checkpoint_every", integer(c.checkpoint_every), "env steps between checkpoints/latest.ckpt");
  o << "\n[network]\n";
  line("hidden", "[" + hidden + "]", "tanh layers of the actor, and of the critic");
  line("init_log_std", real(t.init_log_std), "initial exploration: sigma = e^init_log_std");
  o << "\n[ppo]\n";
  line("rollout_steps", integer(t.rollout_steps), "steps per env per iteration: batch = envs x this");
  line("learning_rate", real(t.learning_rate), "Adam");
  line("anneal_lr", boolean(t.anneal_lr), "linearly to 0 at `steps`");
  line("epochs", integer(t.ppo.epochs), "passes over each batch");
  line("minibatches", integer(t.ppo.minibatches), "per epoch");
  line("gamma", real(t.gae.gamma), "discount per step (30 steps = 1 s)");
  line("lambda", real(t.gae.lambda), "GAE");
  line("clip_coef", real(t.ppo.clip_coef), "policy ratio clip, and value clip");
  line("clip_vloss", boolean(t.ppo.clip_vloss));
  line("vf_coef", real(t.ppo.vf_coef), "value loss weight");
  line("ent_coef", real(t.ppo.ent_coef), "entropy bonus weight");
  line("max_grad_norm", real(t.ppo.max_grad_norm));
  line("target_kl", real(t.ppo.target_kl.value_or(0.0f)), "stop an update early above this KL; 0 = never");
  line("norm_adv", boolean(t.ppo.norm_adv), "normalise advantages per minibatch");
  line("normalize_obs", boolean(t.normalize_obs), "running mean/std of observations");
  line("scale_rewards", boolean(t.scale_rewards), "rewards / running std of the return");
  o << "\n[curriculum]\n";
  const agent::CurriculumConfig& cur = t.curriculum;
  line("enabled", boolean(cur.enabled), "begin some episodes shortly before recent crashes");
  line("max_fraction", real(cur.max_fraction), "of new episodes, at a crash rate of 1/2 (less either side)");
  line("rewind_s", real(cur.rewind_seconds), "s before the crash or near-miss");
  line("crash_starts", integer(cur.crash_starts), "start points kept from the latest crashes");
  line("near_miss_starts", integer(cur.near_miss_starts), "and from the latest near-misses");
  o << "\n[es]\n";
  line("pairs", integer(c.es.pairs), "antithetic pairs: population 2 x pairs");
  line("sigma", real(c.es.sigma), "noise scale on the actor's parameters");
  line("learning_rate", real(c.es.learning_rate), "Adam");
  line("episodes_per_member", integer(c.es.episodes_per_member), "a member's fitness: its mean return");
  line("weight_decay", real(c.es.weight_decay), "L2 coefficient");
  o << "\n[eval]\n";
  line("every", integer(c.eval.every), "env steps between evaluations; 0 = only at the end");
  line("episodes", integer(c.eval.episodes), "seeded episodes, deterministic policy");
  line("seed", integer(c.eval.seed));
  line("solve_threshold", real(c.eval.solve_threshold), "clean-lap rate that counts as solved");
  line("gate", real(c.eval.gate), "evaluate once training episodes lap at this rate");
  line("stop_when_solved", boolean(c.eval.stop_when_solved));
  return o.str();
}

}  // namespace app
