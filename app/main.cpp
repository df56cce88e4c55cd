// crashcourse: the command-line entry point. Parses the subcommand and hands over to it.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App cli{"crashcourse — a 2D driving simulator where agents learn from crashes and near-misses"};
  cli.require_subcommand(1);
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands;
  auto add = [&](std::function<int()> (*make)(CLI::App&)) {
    const std::size_t before = cli.get_subcommands({}).size();
    std::function<int()> run = make(cli);
    commands.emplace_back(cli.get_subcommands({})[before], std::move(run));
  };
  add(app::add_train_command);
  add(app::add_eval_command);
  add(app::add_bench_command);
  add(app::add_generate_command);
  add(app::add_preview_command);
  add(app::add_validate_command);
  add(app::add_drive_command);
  add(app::add_watch_command);
  add(app::add_play_command);
  add(app::add_replay_command);
  add(app::add_crashes_command);
  add(app::add_compare_command);
  add(app::add_edit_command);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e);
    return code == 0 ? 0 : app::kExitBadInput;
  }
  for (auto& [sub, run] : commands) {
    if (sub->parsed()) return run();
  }
  return app::kExitBadInput;
}
