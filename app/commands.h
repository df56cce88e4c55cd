// The crashcourse subcommands. Each registers its options on the CLI and runs when chosen;
// each returns the process exit status (0 ok, 1 failure of the job, 2 bad input).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace app {

/// Exit status for bad input (scenario, config, checkpoint, flag).
constexpr int kExitBadInput = 2;

/// Registers a subcommand; the returned function runs it (valid once the CLI has parsed).
std::function<int()> add_validate_command(CLI::App& cli);
std::function<int()> add_drive_command(CLI::App& cli);
std::function<int()> add_train_command(CLI::App& cli);
std::function<int()> add_eval_command(CLI::App& cli);
std::function<int()> add_bench_command(CLI::App& cli);
std::function<int()> add_generate_command(CLI::App& cli);
std::function<int()> add_preview_command(CLI::App& cli);
std::function<int()> add_watch_command(CLI::App& cli);
std::function<int()> add_play_command(CLI::App& cli);
std::function<int()> add_replay_command(CLI::App& cli);
std::function<int()> add_crashes_command(CLI::App& cli);
std::function<int()> add_edit_command(CLI::App& cli);
std::function<int()> add_compare_command(CLI::App& cli);

}  // namespace app
