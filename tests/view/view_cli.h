// Helpers for the end-to-end tests of the viewer commands: run the real binary (with the display
// the test runs under, or none), and read back the PNG it wrote.
#pragma once

#include <gtest/gtest.h>

#include <SFML/Graphics/Image.hpp>

#include <cstdlib>
#include <string>

#include "support/run_binary.h"
#include "view/hud.h"

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

inline sf::Image load_png(const std::string& path) {
  sf::Image image;
  EXPECT_TRUE(image.loadFromFile(path)) << path;
  return image;
}

/// Pixels of exactly colour c inside r.
inline int count_color(const sf::Image& image, const Rect& r, sf::Color c) {
  int n = 0;
  for (unsigned y = static_cast<unsigned>(r.y); y < static_cast<unsigned>(r.y + r.h); ++y) {
    for (unsigned x = static_cast<unsigned>(r.x); x < static_cast<unsigned>(r.x + r.w); ++x) {
      n += image.getPixel(x, y) == c ? 1 : 0;
    }
  }
  return n;
}

/// Pixels inside r light enough to be HUD text on the dark panel.
inline int text_pixels(const sf::Image& image, const Rect& r) {
  int n = 0;
  for (unsigned y = static_cast<unsigned>(r.y); y < static_cast<unsigned>(r.y + r.h); ++y) {
    for (unsigned x = static_cast<unsigned>(r.x); x < static_cast<unsigned>(r.x + r.w); ++x) {
      const sf::Color c = image.getPixel(x, y);
      n += c.r > 140 && c.g > 140 && c.b > 140 ? 1 : 0;
    }
  }
  return n;
}

}  // namespace view::testing
