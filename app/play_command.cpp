// `crashcourse play`: drive a scenario yourself with the keyboard, on the same physics the agents
// learn on, with the same crash and near-miss marks — to feel the car, or to try a new scenario.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.h"
#include "app/stop_signal.h"
#include "sim/scenario_loader.h"
#include "view/cli_flags.h"
#include "view/play_mode.h"
#include "view/viewer.h"

namespace app {
namespace {

struct PlayFlags {
  std::string scenario = "scenarios/default.toml";
  std::uint64_t seed = 1;
  view::WindowOptions window;
};

int run_play(const PlayFlags& f) {
  const sim::LoadedScenario scenario = sim::load_scenario(f.scenario);
  if (!scenario.ok()) {
    std::fputs(sim::format_diagnostics(scenario.diagnostics).c_str(), stderr);
    return kExitBadInput;
  }
  view::WindowOptions window = f.window;
  window.title = "crashcourse play: " + scenario.scenario->name;
  window.stop = [] { return stop_requested() != 0; };
  install_stop_handlers();
  std::optional<view::Viewer> viewer;
  if (const std::string error = view::Viewer::open(viewer, window, scenario, "play"); !error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  view::PlayMode mode(scenario, f.seed);
  const int status = viewer->run(mode);
  const view::DriveSession& s = mode.session();
  std::printf("%d episodes: %lld crashes, %lld near-misses, best lap %s\n", s.episode(),
              static_cast<long long>(s.total_crashes()), static_cast<long long>(s.total_near_misses()),
              view::format_lap_time(s.best_lap()).c_str());
  return status;
}

}  // namespace

std::function<int()> add_play_command(CLI::App& cli) {
  auto f = std::make_shared<PlayFlags>();
  CLI::App* cmd = cli.add_subcommand("play", "Drive a scenario yourself with the keyboard (arrows or WASD)");
  cmd->add_option("--scenario", f->scenario, "Scenario file")->capture_default_str();
  cmd->add_option("--seed", f->seed, "Seed of the starts (episode k starts from the k-th seeded spawn)")
      ->capture_default_str();
  view::add_window_flags(cmd, f->window);
  cmd->footer(
      "Keys: arrows or WASD drive, R restarts, Space pauses, H lists them all.\n"
      "Example:\n"
      "  crashcourse play --scenario scenarios/slalom.toml");
  return [f] { return run_play(*f); };
}

}  // namespace app
