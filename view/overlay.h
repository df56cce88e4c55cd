// The HUD as geometry: panels of labelled rows, the live training chart, the replay timeline,
// the status line, a banner and the help overlay, laid out in pixels into vertex arrays — the
// opaque shapes in one, the glyphs in one per font and size — rebuilt only when the HUD changes
// and drawn every frame with a handful of draw calls. A software renderer (llvmpipe under Xvfb)
// pays per draw call and per textured pixel on the CPU that training wants; this keeps both few.
#pragma once

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
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
  /// Layers are drawn in order, each its shapes then its text: the help box hides the panels.
  enum Layer { kHud = 0, kTop = 1, kLayers = 2 };

  explicit Overlay(const Fonts& fonts);

  /// Starts a new HUD: everything laid out before is dropped.
  void clear();
  /// Where the following calls lay out (kHud until told otherwise).
  void set_layer(Layer layer) { layer_ = layer; }

  /// A panel with its top-left corner at (x, y); returns its height.
  float panel(const HudPanel& panel, float x, float y, float width);
  /// Mean return and crash rate against env steps, in two stacked plots filling `box`.
  void chart(const std::vector<ChartPoint>& points, const std::string& note, const Rect& box);
  void timeline(const Timeline& timeline, const Rect& bar);
  /// The status line along the bottom of a width × height window.
  void status(const std::string& left, const std::string& right, float width, float height);
  void banner(const std::string& text, float width);
  void help(const std::string& title, const std::vector<KeyHelp>& keys, float width, float height);
  /// A filled rectangle with a one-pixel edge.
  void box(const Rect& r, sf::Color fill, sf::Color edge);

  /// Draws one layer (in pixel coordinates: the target's view must be the default one).
  void draw(sf::RenderTarget& target, Layer layer) const;

  /// A translucent red over the whole target, drawn at once (the crash flash).
  void flash(sf::RenderTarget& target, float strength);

  /// Width (px) of s set in font at size.
  float text_width(const std::string& s, const sf::Font& font, unsigned size) const;

 private:
  struct Glyphs {
    const sf::Font* font;
    unsigned size;
    sf::VertexArray quads;
  };
  struct Geometry {
    sf::VertexArray shapes{sf::Triangles};  ///< opaque: drawn without blending
    std::vector<Glyphs> glyphs;
  };

  void rect(const Rect& r, sf::Color color);
  /// Lays out s with its top-left at (x, y) (or its top-right, right_aligned); returns its width.
  float text(const std::string& s, const sf::Font& font, unsigned size, sf::Color color, float x, float y,
             bool right_aligned = false);

  const Fonts& fonts_;
  Geometry layers_[kLayers];
  Layer layer_ = kHud;
  sf::VertexArray flash_{sf::Triangles};
};

}  // namespace view
