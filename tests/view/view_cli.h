// Helpers for the end-to-end tests of the viewer commands: run the real binary (with the display
// the test runs under, or none), and read back the PNG it wrote (image_checks.h).
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "image_checks.h"
#include "support/run_binary.h"

namespace view::testing {

using crashcourse::testing::CommandResult;
using crashcourse::testing::run;
using crashcourse::testing::scenario;
using crashcourse::testing::temp_dir;

/// Runs a shell command line to completion (for `env -u DISPLAY ...` and `xvfb-run ...`).
inline CommandResult shell(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) r.output += buffer;
  r.status = crashcourse::testing::exit_status(pclose(pipe));
  return r;
}

}  // namespace view::testing
