// Running the real `crashcourse` binary from end-to-end tests, as a user would: to completion
// (run) or in the background (spawn) so a test can signal it mid-run.
#pragma once

#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace crashcourse::testing {

struct CommandResult {
  int status = -1;     ///< exit status; 128 + n when killed by signal n
  std::string output;  ///< stdout and stderr together
};

inline int exit_status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

/// Runs a shell command line to completion, stdout and stderr together.
inline CommandResult run_shell(const std::string& command) {
  const std::string cmd = command + " 2>&1";
  CommandResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) r.output += buf.data();
  r.status = exit_status(pclose(pipe));
  return r;
}

/// Runs `crashcourse <args>` (a shell command line) to completion.
inline CommandResult run(const std::string& args) { return run_shell(std::string(CRASHCOURSE_BINARY) + " " + args); }

/// Starts `crashcourse args...` with stdout and stderr going to `log`; returns its pid.
inline pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log) {
  std::vector<std::string> argv_storage = {CRASHCOURSE_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

/// Waits for a spawned process; returns its exit status.
inline int wait_for(pid_t pid) {
  int raw = 0;
  if (waitpid(pid, &raw, 0) != pid) return -1;
  return exit_status(raw);
}

inline std::string scenario(const std::string& name) {
  return std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/" + name;
}

/// An empty folder for one test, under the test temp dir.
inline std::filesystem::path temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / ("crashcourse_cli_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace crashcourse::testing
