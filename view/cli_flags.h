// The window flags `crashcourse watch`, `play` and `replay` share, registered on a CLI11
// subcommand, and the headless check they share (--screenshot needs --frames).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "view/viewer.h"

namespace view {

inline void add_window_flags(CLI::App* cmd, WindowOptions& o) {
  cmd->add_option("--width", o.width, "Window width, px")->capture_default_str()->check(CLI::Range(320u, 7680u));
  cmd->add_option("--height", o.height, "Window height, px")->capture_default_str()->check(CLI::Range(240u, 4320u));
  cmd->add_option("--fps", o.fps, "Frame-rate cap (0: 60, or 20 when OpenGL renders in software, as under Xvfb)")
      ->capture_default_str()->check(CLI::Range(0, 1000));
  cmd->add_option("--zoom", o.zoom, "Follow-cam zoom at start, px per m")->capture_default_str()->check(
      CLI::Range(kMinScale, kMaxScale));
  CLI::Option* frames = cmd->add_option("--frames", o.frames, "Close after this many frames (headless runs)")
                            ->check(CLI::Range(1, 100'000'000));
  cmd->add_option("--screenshot", o.screenshot, "Save the last frame as a PNG (with --frames)")->needs(frames);
}

}  // namespace view
