// Reading back what the viewer drew: PNG files and pixels in a screen rectangle.
#pragma once

#include <gtest/gtest.h>

#include <SFML/Graphics/Image.hpp>

#include <string>

#include "view/hud.h"

namespace view::testing {

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
