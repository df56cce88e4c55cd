// HUD drawing (see overlay.h).
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

void add_rect(sf::VertexArray& tris, const Rect& r, sf::Color color) {
  add_quad(tris, px(r.x, r.y), px(r.x + r.w, r.y), px(r.x + r.w, r.y + r.h), px(r.x, r.y + r.h), color);
}

void load_font(sf::Font& font, const std::string& file, const std::string& family, const sf::Font* fallback) {
  const std::string path = find_font(file, family);
  if (!path.empty() && font.loadFromFile(path)) return;
  if (fallback == nullptr) throw std::runtime_error(missing_font_message(file, family));
  font = *fallback;
}

}  // namespace

void load_fonts(Fonts& fonts) {
  load_font(fonts.regular, "DejaVuSans.ttf", "DejaVu Sans", nullptr);
  load_font(fonts.bold, "DejaVuSans-Bold.ttf", "DejaVu Sans:bold", &fonts.regular);
  load_font(fonts.mono, "DejaVuSansMono.ttf", "DejaVu Sans Mono", &fonts.regular);
}

Overlay::Overlay(const Fonts& fonts) : fonts_(fonts), tris_(sf::Triangles) {}

void Overlay::text(sf::RenderTarget& target, const std::string& s, const sf::Font& font, unsigned size,
                   sf::Color color, float x, float y, bool right_aligned) {
  text_.setFont(font);
  text_.setCharacterSize(size);
  text_.setFillColor(color);
  text_.setString(sf::String::fromUtf8(s.begin(), s.end()));
  const float width = right_aligned ? text_.getLocalBounds().width : 0.0f;
  text_.setPosition(std::round(x - width), std::round(y));
  target.draw(text_, states_);
}

void Overlay::box(sf::RenderTarget& target, const Rect& r, sf::Color fill, sf::Color edge) {
  covered_.push_back({r.x - 1.0f, r.y - 1.0f, r.w + 2.0f, r.h + 2.0f});
  tris_.clear();
  add_rect(tris_, {r.x - 1.0f, r.y - 1.0f, r.w + 2.0f, r.h + 2.0f}, edge);
  add_rect(tris_, r, fill);
  target.draw(tris_, states_);
}

float Overlay::panel(sf::RenderTarget& target, const HudPanel& p, float x, float y, float width) {
  const float height = 2.0f * theme::kPadding + (p.title.empty() ? 0.0f : kTitleHeight) +
                       kRowHeight * static_cast<float>(p.rows.size()) - 4.0f;
  box(target, {x, y, width, height}, theme::kPanel, theme::kPanelEdge);
  float row_y = y + theme::kPadding - 2.0f;
  if (!p.title.empty()) {
    text(target, p.title, fonts_.bold, theme::kTitleSize, theme::kText, x + theme::kPadding, row_y);
    row_y += kTitleHeight;
  }
  for (const HudRow& row : p.rows) {
    text(target, row.label, fonts_.regular, theme::kTextSize, theme::kLabel, x + theme::kPadding, row_y);
    text(target, row.value, fonts_.mono, theme::kTextSize, row.highlight ? theme::kWarning : theme::kText,
         x + width - theme::kPadding, row_y, true);
    row_y += kRowHeight;
  }
  return height;
}

void Overlay::chart(sf::RenderTarget& target, const std::vector<ChartPoint>& points, const std::string& note,
                    const Rect& b) {
  box(target, b, theme::kPanel, theme::kPanelEdge);
  const float pad = theme::kPadding;
  text(target, "Training curve", fonts_.bold, theme::kTitleSize, theme::kText, b.x + pad, b.y + pad - 2.0f);
  if (points.empty()) {
    text(target, note, fonts_.regular, theme::kSmallTextSize, theme::kLabel, b.x + pad, b.y + pad + 30.0f);
    return;
  }
  const double first = 0.0, last = std::max(points.back().step, 1.0);
  text(target, "mean of " + std::to_string(TrainingHistory::kWindow) + " iterations", fonts_.regular, 11,
       theme::kLabel, b.x + b.w - pad, b.y + pad + 2.0f, true);
  text(target, "0 … " + format_count(last) + " env steps", fonts_.regular, 11, theme::kLabel, b.x + b.w - pad,
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
  for (int k = 0; k < 2; ++k) {
    const Plot& plot = plots[k];
    const Rect area{b.x + pad + name_w + range_w, top + static_cast<float>(k) * (plot_h + gap),
                    b.w - 2.0f * pad - name_w - range_w, plot_h};
    const auto y_of = [&](float v) { return area.y + area.h * (1.0f - (v - plot.lo) / (plot.hi - plot.lo)); };
    const auto x_of = [&](double step) {
      return area.x + area.w * static_cast<float>((step - first) / (last - first));
    };
    tris_.clear();
    for (const float v : {plot.lo, 0.5f * (plot.lo + plot.hi), plot.hi}) {
      add_rect(tris_, {area.x, std::round(y_of(v)), area.w, 1.0f}, theme::kChartGrid);
    }
    for (std::size_t i = 1; i < points.size(); ++i) {
      add_segment(tris_, px(x_of(points[i - 1].step), y_of(plot.value(points[i - 1]))),
                  px(x_of(points[i].step), y_of(plot.value(points[i]))), 2.0f, plot.color);
    }
    if (points.size() == 1) add_disc(tris_, px(x_of(points[0].step), y_of(plot.value(points[0]))), 2.5f, plot.color);
    target.draw(tris_, states_);
    const int decimals = plot.hi - plot.lo < 10.0f ? 1 : 0;
    text(target, plot.name, fonts_.regular, theme::kSmallTextSize, plot.color, b.x + pad, area.y + 2.0f);
    text(target, format_fixed(plot.value(points.back()), 2), fonts_.mono, theme::kTextSize, theme::kText, b.x + pad,
         area.y + 20.0f);
    text(target, format_fixed(plot.hi, decimals), fonts_.mono, 11, theme::kLabel, area.x - 5.0f, area.y - 7.0f, true);
    text(target, format_fixed(plot.lo, decimals), fonts_.mono, 11, theme::kLabel, area.x - 5.0f, area.y + area.h - 7.0f,
         true);
  }
}

void Overlay::timeline(sf::RenderTarget& target, const Timeline& t, const Rect& bar) {
  if (!t.show || t.length <= 0) return;
  const Rect strip{bar.x - 6.0f, bar.y - 6.0f, bar.w + 12.0f, bar.h + 12.0f};
  covered_.push_back(strip);
  tris_.clear();
  add_rect(tris_, strip, theme::kPanel);
  add_rect(tris_, {bar.x - 1.0f, bar.y - 1.0f, bar.w + 2.0f, bar.h + 2.0f}, theme::kPanelEdge);
  add_rect(tris_, bar, theme::kPanel);
  const auto x_of = [&](int step) { return bar.x + bar.w * static_cast<float>(step) / static_cast<float>(t.length); };
  add_rect(tris_, {bar.x, bar.y + 0.35f * bar.h, x_of(t.position) - bar.x, 0.3f * bar.h}, theme::kTimelineFill);
  for (const int s : t.near_miss_steps) add_rect(tris_, {x_of(s) - 1.0f, bar.y, 2.0f, bar.h}, theme::kNearMissTick);
  for (const int s : t.crash_steps) add_rect(tris_, {x_of(s) - 1.5f, bar.y - 3.0f, 3.0f, bar.h + 6.0f}, theme::kCrashMark);
  add_rect(tris_, {x_of(t.position) - 2.0f, bar.y - 4.0f, 4.0f, bar.h + 8.0f}, theme::kText);
  target.draw(tris_, states_);
}

void Overlay::status(sf::RenderTarget& target, const std::string& left, const std::string& right) {
  const sf::Vector2u size = target.getSize();
  const float w = static_cast<float>(size.x), h = static_cast<float>(size.y);
  covered_.push_back({0.0f, h - kStatusHeight, w, kStatusHeight});
  tris_.clear();
  add_rect(tris_, {0.0f, h - kStatusHeight, w, kStatusHeight}, theme::kPanel);
  target.draw(tris_, states_);
  text(target, left, fonts_.regular, theme::kSmallTextSize, theme::kText, theme::kMargin, h - kStatusHeight + 5.0f);
  text(target, right, fonts_.regular, theme::kSmallTextSize, theme::kLabel, w - theme::kMargin,
       h - kStatusHeight + 5.0f, true);
}

void Overlay::banner(sf::RenderTarget& target, const std::string& s) {
  if (s.empty()) return;
  text_.setFont(fonts_.bold);
  text_.setCharacterSize(24);
  text_.setString(sf::String::fromUtf8(s.begin(), s.end()));
  const float w = text_.getLocalBounds().width;
  const float x = 0.5f * (static_cast<float>(target.getSize().x) - w);
  box(target, {x - 18.0f, 18.0f, w + 36.0f, 44.0f}, theme::kPanel, theme::kWarning);
  text(target, s, fonts_.bold, 24, theme::kWarning, x, 24.0f);
}

void Overlay::flash(sf::RenderTarget& target, float strength) {
  if (strength <= 0.0f) return;
  sf::Color c = theme::kFlash;
  c.a = static_cast<sf::Uint8>(110.0f * std::min(strength, 1.0f));
  tris_.clear();
  const sf::Vector2u size = target.getSize();
  add_rect(tris_, {0.0f, 0.0f, static_cast<float>(size.x), static_cast<float>(size.y)}, c);
  target.draw(tris_, states_);
}

void Overlay::help(sf::RenderTarget& target, const std::string& title, const std::vector<KeyHelp>& keys) {
  // Columns as wide as their widest entry.
  const auto width_of = [&](const std::string& s, const sf::Font& font) {
    text_.setFont(font);
    text_.setCharacterSize(theme::kTextSize);
    text_.setString(sf::String::fromUtf8(s.begin(), s.end()));
    return text_.getLocalBounds().width;
  };
  float keys_w = 0.0f, actions_w = 0.0f;
  for (const KeyHelp& k : keys) {
    keys_w = std::max(keys_w, width_of(k.keys, fonts_.mono));
    actions_w = std::max(actions_w, width_of(k.action, fonts_.regular));
  }
  const float pad = theme::kPadding + 6.0f;
  const float w = std::round(pad + keys_w + 28.0f + actions_w + pad);
  const float h = 2.0f * pad + kTitleHeight + kRowHeight * static_cast<float>(keys.size());
  const sf::Vector2u size = target.getSize();
  const float x = std::round(std::max(4.0f, 0.5f * (static_cast<float>(size.x) - w)));
  const float y = std::round(std::max(4.0f, 0.5f * (static_cast<float>(size.y) - h)));
  box(target, {x, y, w, h}, theme::kPanel, theme::kText);
  text(target, title, fonts_.bold, theme::kTitleSize, theme::kText, x + pad, y + pad - 2.0f);
  float row_y = y + pad + kTitleHeight;
  for (const KeyHelp& k : keys) {
    text(target, k.keys, fonts_.mono, theme::kTextSize, theme::kChartReturn, x + pad, row_y);
    text(target, k.action, fonts_.regular, theme::kTextSize, theme::kText, x + pad + keys_w + 28.0f, row_y);
    row_y += kRowHeight;
  }
}

}  // namespace view
