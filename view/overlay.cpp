// HUD layout into vertex arrays (see overlay.h).
#include "view/overlay.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "view/fonts.h"
#include "view/theme.h"
#include "view/world_mesh.h"

namespace view {
namespace {

constexpr float kRowHeight = 21.0f;   // px
constexpr float kTitleHeight = 26.0f; // px

/// A screen pixel as a point for the world primitives: they negate y (world_mesh.h), so passing
/// −y gives back y on screen under the default view.
b2Vec2 px(float x, float y) { return {x, -y}; }

void load_font(sf::Font& font, const std::string& file, const std::string& family, const sf::Font* fallback) {
  const std::string path = find_font(file, family);
  if (!path.empty() && font.loadFromFile(path)) return;
  if (fallback == nullptr) throw std::runtime_error(missing_font_message(file, family));
  font = *fallback;
}

sf::String utf32(const std::string& s) { return sf::String::fromUtf8(s.begin(), s.end()); }

}  // namespace

void load_fonts(Fonts& fonts) {
  load_font(fonts.regular, "DejaVuSans.ttf", "DejaVu Sans", nullptr);
  load_font(fonts.bold, "DejaVuSans-Bold.ttf", "DejaVu Sans:bold", &fonts.regular);
  load_font(fonts.mono, "DejaVuSansMono.ttf", "DejaVu Sans Mono", &fonts.regular);
}

Overlay::Overlay(const Fonts& fonts) : fonts_(fonts) {}

void Overlay::clear() {
  for (Geometry& g : layers_) {
    g.shapes.clear();
    for (Glyphs& glyphs : g.glyphs) glyphs.quads.clear();
  }
  layer_ = kHud;
}

void Overlay::rect(const Rect& r, sf::Color color) {
  add_quad(layers_[layer_].shapes, px(r.x, r.y), px(r.x + r.w, r.y), px(r.x + r.w, r.y + r.h), px(r.x, r.y + r.h),
           color);
}

float Overlay::text_width(const std::string& s, const sf::Font& font, unsigned size) const {
  float width = 0.0f;
  sf::Uint32 previous = 0;
  for (const sf::Uint32 c : utf32(s)) {
    width += font.getKerning(previous, c, size) + font.getGlyph(c, size, false).advance;
    previous = c;
  }
  return width;
}

float Overlay::text(const std::string& s, const sf::Font& font, unsigned size, sf::Color color, float x, float y,
                    bool right_aligned) {
  // As sf::Text lays out a line: the baseline `size` px below the top, each glyph's quad at its
  // bounds from the pen, the pen moved on by kerning and advance.
  std::vector<Glyphs>& batches = layers_[layer_].glyphs;
  auto batch = std::find_if(batches.begin(), batches.end(),
                            [&](const Glyphs& g) { return g.font == &font && g.size == size; });
  if (batch == batches.end()) {
    batches.push_back({&font, size, sf::VertexArray(sf::Triangles)});
    batch = batches.end() - 1;
  }
  const float width = text_width(s, font, size);
  float pen = std::round(right_aligned ? x - width : x);
  const float baseline = std::round(y) + static_cast<float>(size);
  sf::Uint32 previous = 0;
  for (const sf::Uint32 c : utf32(s)) {
    pen += font.getKerning(previous, c, size);
    previous = c;
    const sf::Glyph& g = font.getGlyph(c, size, false);
    const float x0 = pen + g.bounds.left, y0 = baseline + g.bounds.top;
    const float x1 = x0 + g.bounds.width, y1 = y0 + g.bounds.height;
    const auto u0 = static_cast<float>(g.textureRect.left), v0 = static_cast<float>(g.textureRect.top);
    const float u1 = u0 + static_cast<float>(g.textureRect.width), v1 = v0 + static_cast<float>(g.textureRect.height);
    const sf::Vertex quad[6] = {{{x0, y0}, color, {u0, v0}}, {{x1, y0}, color, {u1, v0}}, {{x1, y1}, color, {u1, v1}},
                                {{x0, y0}, color, {u0, v0}}, {{x1, y1}, color, {u1, v1}}, {{x0, y1}, color, {u0, v1}}};
    for (const sf::Vertex& v : quad) batch->quads.append(v);
    pen += g.advance;
  }
  return width;
}

void Overlay::box(const Rect& r, sf::Color fill, sf::Color edge) {
  rect({r.x - 1.0f, r.y - 1.0f, r.w + 2.0f, r.h + 2.0f}, edge);
  rect(r, fill);
}

float Overlay::panel(const HudPanel& p, float x, float y, float width) {
  const float height = 2.0f * theme::kPadding + (p.title.empty() ? 0.0f : kTitleHeight) +
                       kRowHeight * static_cast<float>(p.rows.size()) - 4.0f;
  box({x, y, width, height}, theme::kPanel, theme::kPanelEdge);
  float row_y = y + theme::kPadding - 2.0f;
  if (!p.title.empty()) {
    text(p.title, fonts_.bold, theme::kTitleSize, theme::kText, x + theme::kPadding, row_y);
    row_y += kTitleHeight;
  }
  for (const HudRow& row : p.rows) {
    text(row.label, fonts_.regular, theme::kTextSize, theme::kLabel, x + theme::kPadding, row_y);
    text(row.value, fonts_.mono, theme::kTextSize, row.highlight ? theme::kWarning : theme::kText,
         x + width - theme::kPadding, row_y, true);
    row_y += kRowHeight;
  }
  return height;
}

void Overlay::chart(const std::vector<ChartPoint>& points, const std::string& note, const Rect& b) {
  box(b, theme::kPanel, theme::kPanelEdge);
  const float pad = theme::kPadding;
  text("Training curve", fonts_.bold, theme::kTitleSize, theme::kText, b.x + pad, b.y + pad - 2.0f);
  if (points.empty()) {
    text(note, fonts_.regular, theme::kSmallTextSize, theme::kLabel, b.x + pad, b.y + pad + 30.0f);
    return;
  }
  const double first = 0.0, last = std::max(points.back().step, 1.0);
  text("mean of " + std::to_string(TrainingHistory::kWindow) + " iterations", fonts_.regular, 11, theme::kLabel,
       b.x + b.w - pad, b.y + pad + 2.0f, true);
  text("0 … " + format_count(last) + " env steps", fonts_.regular, 11, theme::kLabel, b.x + b.w - pad,
       b.y + b.h - pad - 10.0f, true);

  // Two plots one above the other: name and latest value on the left, then the range, the curve.
  const float name_w = 72.0f, range_w = 36.0f;
  const float top = b.y + pad + 30.0f;
  const float gap = 16.0f;
  const float plot_h = (b.y + b.h - pad - 16.0f - top - gap) / 2.0f;
  const AxisRange returns = return_range(points);
  struct Plot {
    const char* name;
    float lo, hi;
    sf::Color color;
    float (*value)(const ChartPoint&);
  };
  const Plot plots[2] = {
      {"return", returns.lo, returns.hi, theme::kChartReturn, [](const ChartPoint& p) { return p.mean_return; }},
      {"crash rate", 0.0f, 1.0f, theme::kChartCrash, [](const ChartPoint& p) { return p.crash_rate; }}};
  sf::VertexArray& shapes = layers_[layer_].shapes;
  for (int k = 0; k < 2; ++k) {
    const Plot& plot = plots[k];
    const Rect area{b.x + pad + name_w + range_w, top + static_cast<float>(k) * (plot_h + gap),
                    b.w - 2.0f * pad - name_w - range_w, plot_h};
    const auto y_of = [&](float v) { return area.y + area.h * (1.0f - (v - plot.lo) / (plot.hi - plot.lo)); };
    const auto x_of = [&](double step) {
      return area.x + area.w * static_cast<float>((step - first) / (last - first));
    };
    for (const float v : {plot.lo, 0.5f * (plot.lo + plot.hi), plot.hi}) {
      rect({area.x, std::round(y_of(v)), area.w, 1.0f}, theme::kChartGrid);
    }
    for (std::size_t i = 1; i < points.size(); ++i) {
      add_segment(shapes, px(x_of(points[i - 1].step), y_of(plot.value(points[i - 1]))),
                  px(x_of(points[i].step), y_of(plot.value(points[i]))), 2.0f, plot.color);
    }
    if (points.size() == 1) add_disc(shapes, px(x_of(points[0].step), y_of(plot.value(points[0]))), 2.5f, plot.color);
    const int decimals = plot.hi - plot.lo < 10.0f ? 1 : 0;
    text(plot.name, fonts_.regular, theme::kSmallTextSize, plot.color, b.x + pad, area.y + 2.0f);
    text(format_fixed(plot.value(points.back()), 2), fonts_.mono, theme::kTextSize, theme::kText, b.x + pad,
         area.y + 20.0f);
    text(format_fixed(plot.hi, decimals), fonts_.mono, 11, theme::kLabel, area.x - 5.0f, area.y - 7.0f, true);
    text(format_fixed(plot.lo, decimals), fonts_.mono, 11, theme::kLabel, area.x - 5.0f, area.y + area.h - 7.0f, true);
  }
}

void Overlay::timeline(const Timeline& t, const Rect& bar) {
  if (!t.show || t.length <= 0) return;
  rect({bar.x - 6.0f, bar.y - 6.0f, bar.w + 12.0f, bar.h + 12.0f}, theme::kPanel);
  box(bar, theme::kPanel, theme::kPanelEdge);
  const auto x_of = [&](int step) { return bar.x + bar.w * static_cast<float>(step) / static_cast<float>(t.length); };
  rect({bar.x, bar.y + 0.35f * bar.h, x_of(t.position) - bar.x, 0.3f * bar.h}, theme::kTimelineFill);
  for (const int s : t.near_miss_steps) rect({x_of(s) - 1.0f, bar.y, 2.0f, bar.h}, theme::kNearMissTick);
  for (const int s : t.crash_steps) rect({x_of(s) - 1.5f, bar.y - 3.0f, 3.0f, bar.h + 6.0f}, theme::kCrashMark);
  rect({x_of(t.position) - 2.0f, bar.y - 4.0f, 4.0f, bar.h + 8.0f}, theme::kText);
}

void Overlay::status(const std::string& left, const std::string& right, float width, float height) {
  rect({0.0f, height - kStatusHeight, width, kStatusHeight}, theme::kPanel);
  text(left, fonts_.regular, theme::kSmallTextSize, theme::kText, theme::kMargin, height - kStatusHeight + 5.0f);
  text(right, fonts_.regular, theme::kSmallTextSize, theme::kLabel, width - theme::kMargin,
       height - kStatusHeight + 5.0f, true);
}

void Overlay::banner(const std::string& s, float width) {
  if (s.empty()) return;
  const float w = text_width(s, fonts_.bold, 24);
  const float x = std::round(0.5f * (width - w));
  box({x - 18.0f, 18.0f, w + 36.0f, 44.0f}, theme::kPanel, theme::kWarning);
  text(s, fonts_.bold, 24, theme::kWarning, x, 24.0f);
}

void Overlay::help(const std::string& title, const std::vector<KeyHelp>& keys, float width, float height) {
  // Columns as wide as their widest entry.
  float keys_w = 0.0f, actions_w = 0.0f;
  for (const KeyHelp& k : keys) {
    keys_w = std::max(keys_w, text_width(k.keys, fonts_.mono, theme::kTextSize));
    actions_w = std::max(actions_w, text_width(k.action, fonts_.regular, theme::kTextSize));
  }
  const float pad = theme::kPadding + 6.0f;
  const float w = std::round(pad + keys_w + 28.0f + actions_w + pad);
  const float h = 2.0f * pad + kTitleHeight + kRowHeight * static_cast<float>(keys.size());
  const float x = std::round(std::max(4.0f, 0.5f * (width - w)));
  const float y = std::round(std::max(4.0f, 0.5f * (height - h)));
  box({x, y, w, h}, theme::kPanel, theme::kText);
  text(title, fonts_.bold, theme::kTitleSize, theme::kText, x + pad, y + pad - 2.0f);
  float row_y = y + pad + kTitleHeight;
  for (const KeyHelp& k : keys) {
    text(k.keys, fonts_.mono, theme::kTextSize, theme::kChartReturn, x + pad, row_y);
    text(k.action, fonts_.regular, theme::kTextSize, theme::kText, x + pad + keys_w + 28.0f, row_y);
    row_y += kRowHeight;
  }
}

void Overlay::draw(sf::RenderTarget& target, Layer layer) const {
  const Geometry& g = layers_[layer];
  target.draw(g.shapes, sf::RenderStates(sf::BlendNone));  // every HUD shape is opaque
  for (const Glyphs& glyphs : g.glyphs) {
    if (glyphs.quads.getVertexCount() > 0) target.draw(glyphs.quads, &glyphs.font->getTexture(glyphs.size));
  }
}

void Overlay::flash(sf::RenderTarget& target, float strength) {
  if (strength <= 0.0f) return;
  sf::Color c = theme::kFlash;
  c.a = static_cast<sf::Uint8>(110.0f * std::min(strength, 1.0f));
  const sf::Vector2u size = target.getSize();
  const float w = static_cast<float>(size.x), h = static_cast<float>(size.y);
  flash_.clear();
  add_quad(flash_, px(0.0f, 0.0f), px(w, 0.0f), px(w, h), px(0.0f, h), c);
  target.draw(flash_);
}

}  // namespace view
