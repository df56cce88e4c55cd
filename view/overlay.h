// Screen-space drawing of the HUD: panels of labelled rows, the live training chart, the replay
// timeline, the status line, a banner, the crash flash and the help overlay. Pixel coordinates,
// drawn after the world with the window's default view.
#pragma once

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/RenderStates.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Graphics/Text.hpp>
#include <SFML/Graphics/VertexArray.hpp>

#include <string>
#include <vector>

#include "view/hud.h"
#include "view/scene.h"
#include "view/training_history.h"

namespace view {

/// The viewer's fonts. Throws std::runtime_error (missing_font_message) when DejaVu Sans, or a
/// font fontconfig offers for it, cannot be found or loaded.
struct Fonts {
  sf::Font regular;
  sf::Font bold;
  sf::Font mono;                    ///< numbers, so they do not jitter as they change
};
void load_fonts(Fonts& fonts);

class Overlay {
 public:
  explicit Overlay(const Fonts& fonts);

  /// Draws a panel with its top-left corner at (x, y); returns its height.
  float panel(sf::RenderTarget& target, const HudPanel& panel, float x, float y, float width);
  /// Mean return and crash rate against env steps, in two stacked plots filling `box`.
  void chart(sf::RenderTarget& target, const std::vector<ChartPoint>& points, const std::string& note, const Rect& box);
  void timeline(sf::RenderTarget& target, const Timeline& timeline, const Rect& bar);
  void status(sf::RenderTarget& target, const std::string& left, const std::string& right);
  void banner(sf::RenderTarget& target, const std::string& text);
  void flash(sf::RenderTarget& target, float strength);
  void help(sf::RenderTarget& target, const std::string& title, const std::vector<KeyHelp>& keys);

  /// A filled rectangle with a one-pixel edge.
  void box(sf::RenderTarget& target, const Rect& r, sf::Color fill, sf::Color edge);

  /// How everything from now on is blended (the renderer draws the HUD into a layer).
  void set_blend(const sf::BlendMode& blend) { states_.blendMode = blend; }

  /// Every rectangle drawn since the last clear: all the HUD covers (text sits inside them).
  const std::vector<Rect>& covered() const { return covered_; }
  void clear_covered() { covered_.clear(); }

 private:
  void text(sf::RenderTarget& target, const std::string& s, const sf::Font& font, unsigned size, sf::Color color,
            float x, float y, bool right_aligned = false);

  const Fonts& fonts_;
  sf::RenderStates states_;
  std::vector<Rect> covered_;
  sf::Text text_;
  sf::VertexArray tris_;
};

}  // namespace view
