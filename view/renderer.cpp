// Drawing a Scene (see renderer.h).
#include "view/renderer.h"

#include <SFML/Graphics/Sprite.hpp>

#include <algorithm>
#include <cmath>

#include "view/theme.h"

namespace view {
namespace {

constexpr float kPanelWidth = 300.0f;   // px
constexpr float kChartWidth = 380.0f;   // px
constexpr float kChartHeight = 210.0f;  // px
constexpr float kMinimapMax = 300.0f;   // px, longest side of the minimap
constexpr unsigned kBlobSize = 64;      // px, heat blob texture

/// Drawing into the overlay layer keeps premultiplied colour (colour × alpha, alpha accumulated),
/// which is then composited with (One, OneMinusSrcAlpha) — what the plain alpha blend would have
/// given drawing straight onto the frame.
const sf::BlendMode kIntoLayer(sf::BlendMode::SrcAlpha, sf::BlendMode::OneMinusSrcAlpha, sf::BlendMode::Add,
                               sf::BlendMode::One, sf::BlendMode::OneMinusSrcAlpha, sf::BlendMode::Add);
const sf::BlendMode kLayerOver(sf::BlendMode::One, sf::BlendMode::OneMinusSrcAlpha);

sf::Color car_color(CarStyle style) {
  switch (style) {
    case CarStyle::Player: return theme::kPlayerCar;
    case CarStyle::Training: return theme::kTrainingCar;
    case CarStyle::Replay: return theme::kReplayCar;
    case CarStyle::Spectator: break;
  }
  return theme::kSpectatorCar;
}

/// Cars in focus last, so nothing hides the car the HUD describes.
void add_cars(sf::VertexArray& tris, const Scene& scene) {
  for (const bool focused : {false, true}) {
    for (const CarSprite& car : scene.cars) {
      if (car.focused == focused) add_car(tris, car, scene.scenario->car, scene.scenario->episode.near_miss_distance);
    }
  }
}

}  // namespace

Renderer::Renderer(const sim::Scenario& scenario, const sim::Track& track, const Fonts& fonts)
    : scenario_(scenario), track_(track), heat_tris_(sf::Triangles), world_(sf::Triangles), overlay_(fonts) {
  track_mesh_.set(build_track_mesh(track));
  heat_blob_.loadFromImage(heat_blob_image(kBlobSize));
  heat_blob_.setSmooth(true);
}

Rect Renderer::minimap_rect(float width) const {
  const b2Vec2 extent = track_.bounds.upperBound - track_.bounds.lowerBound;
  const float aspect = std::clamp(extent.x / std::max(extent.y, 1.0f), 0.5f, 2.5f);
  const float w = aspect >= 1.0f ? kMinimapMax : kMinimapMax * aspect;
  const float h = aspect >= 1.0f ? kMinimapMax / aspect : kMinimapMax;
  return {width - theme::kMargin - w, theme::kMargin, w, h};
}

void Renderer::draw_world(sf::RenderTarget& target, const Scene& scene, const Camera& camera,
                          const ViewToggles& toggles) {
  target.setView(world_view(camera));
  track_mesh_.draw(target, sf::RenderStates(sf::BlendNone));  // opaque, and most of the frame
  if (toggles.heatmap && scene.heatmap != nullptr) {
    if (scene.heatmap != heat_grid_ || scene.heatmap->version() != heat_version_) {
      build_heatmap_mesh(*scene.heatmap, static_cast<float>(kBlobSize), heat_tris_);
      heat_mesh_.set(heat_tris_);
      heat_grid_ = scene.heatmap;
      heat_version_ = scene.heatmap->version();
    }
    heat_mesh_.draw(target, sf::RenderStates(&heat_blob_));
  }
  const float px = 1.0f / camera.scale;  // one pixel, in metres
  world_.clear();
  add_progress(world_, track_, scene.progress);
  for (const b2Vec2 p : scene.crash_marks) add_crash_mark(world_, p, std::max(1.2f, 10.0f * px), px);
  if (toggles.rays) {
    for (const RayFan& fan : scene.rays) add_rays(world_, fan, scenario_.sensors, scenario_.car.width, px);
  }
  add_cars(world_, scene);
  target.draw(world_);
}

void Renderer::draw_minimap(sf::RenderTarget& target, const Scene& scene, const Camera& camera,
                            const ViewToggles& toggles) {
  const sf::Vector2u size = target.getSize();
  const float w = static_cast<float>(size.x), h = static_cast<float>(size.y);
  const Rect r = minimap_rect(w);
  overlay_.box(target, r, theme::kPanel, theme::kPanelEdge);
  Camera map{{0.0f, 0.0f}, 1.0f, r.w, r.h};
  fit(map, track_.bounds.lowerBound, track_.bounds.upperBound, 8.0f);

  // The whole track in a few hundred pixels is thousands of tiny triangles: drawn into minimap_
  // when the heatmap has changed, at most once a second, and reused in between.
  const std::uint64_t heat = toggles.heatmap && scene.heatmap != nullptr && heat_grid_ == scene.heatmap
                                 ? heat_version_ : 0;
  const sf::Vector2u map_size(static_cast<unsigned>(r.w), static_cast<unsigned>(r.h));
  ++overlays_since_minimap_;
  if (minimap_.getSize() != map_size || (heat != minimap_heat_ && overlays_since_minimap_ >= 15)) {
    if (minimap_.getSize() != map_size && !minimap_.create(map_size.x, map_size.y)) return;
    minimap_.clear(sf::Color::Transparent);
    minimap_.setView(world_view(map));
    track_mesh_.draw(minimap_, sf::RenderStates(kIntoLayer));
    if (heat != 0) heat_mesh_.draw(minimap_, sf::RenderStates(kIntoLayer, sf::Transform::Identity, &heat_blob_, nullptr));
    minimap_.display();
    minimap_heat_ = heat;
    overlays_since_minimap_ = 0;
  }
  sf::Sprite base(minimap_.getTexture());
  base.setPosition(r.x, r.y);
  target.setView(sf::View(sf::FloatRect(0.0f, 0.0f, w, h)));
  target.draw(base, sf::RenderStates(kLayerOver));

  // The main view's outline and a dot per car, live.
  sf::View view = world_view(map);
  view.setViewport(sf::FloatRect(r.x / w, r.y / h, r.w / w, r.h / h));
  target.setView(view);
  const float px = 1.0f / map.scale;
  world_.clear();
  const b2Vec2 lo = screen_to_world(camera, {0.0f, camera.height});
  const b2Vec2 hi = screen_to_world(camera, {camera.width, 0.0f});
  const sf::Color outline(255, 255, 255, 150);
  const b2Vec2 corners[4] = {lo, {hi.x, lo.y}, hi, {lo.x, hi.y}};
  for (int k = 0; k < 4; ++k) add_segment(world_, corners[k], corners[(k + 1) % 4], 1.5f * px, outline);
  for (const CarSprite& car : scene.cars) add_disc(world_, car.position, (car.focused ? 5.0f : 3.5f) * px, car_color(car.style), 12);
  target.draw(world_, sf::RenderStates(kIntoLayer));
}

void Renderer::draw_overlay(sf::RenderTarget& target, const Scene& scene, const Camera& camera,
                            const ViewToggles& toggles, const std::string& help_title,
                            const std::vector<KeyHelp>& common_keys) {
  const sf::Vector2u size = target.getSize();
  const float w = static_cast<float>(size.x), h = static_cast<float>(size.y);
  const sf::View screen(sf::FloatRect(0.0f, 0.0f, w, h));
  target.setView(screen);
  if (toggles.hud) {
    float y = theme::kMargin;
    for (const HudPanel& panel : scene.panels) y += overlay_.panel(target, panel, theme::kMargin, y, kPanelWidth) + 8.0f;
    if (scene.chart != nullptr) {
      const float bottom = h - kStatusHeight - theme::kMargin - (scene.timeline.show ? 48.0f : 0.0f);
      overlay_.chart(target, *scene.chart, scene.chart_note, {theme::kMargin, bottom - kChartHeight, kChartWidth, kChartHeight});
    }
    draw_minimap(target, scene, camera, toggles);
    target.setView(screen);
  }
  overlay_.timeline(target, scene.timeline, timeline_rect(w, h));
  overlay_.banner(target, scene.banner);
  overlay_.status(target, scene.status,
                  std::string(toggles.follow ? "follow-cam" : "free camera") + "   ·   H: help   ·   F12: screenshot");
  if (toggles.help) {
    std::vector<KeyHelp> keys = scene.keys;
    keys.insert(keys.end(), common_keys.begin(), common_keys.end());
    overlay_.help(target, help_title, keys);
  }
}

void Renderer::draw(sf::RenderTarget& target, const Scene& scene, const Camera& camera, const ViewToggles& toggles,
                    const std::string& help_title, const std::vector<KeyHelp>& common_keys, bool refresh_overlay) {
  target.clear(theme::kGrass);
  draw_world(target, scene, camera, toggles);

  const sf::Vector2u size = target.getSize();
  if (layer_.getSize() != size) {
    layer_ready_ = false;
    if (!layer_.create(size.x, size.y)) return;
  }
  if (refresh_overlay || !layer_ready_) {
    layer_.clear(sf::Color::Transparent);
    overlay_.set_blend(kIntoLayer);
    overlay_.clear_covered();
    draw_overlay(layer_, scene, camera, toggles, help_title, common_keys);
    layer_.display();
    layer_ready_ = true;
    // Only what the HUD covers is composited: sampling the whole layer every frame would cost a
    // software renderer more than everything else drawn.
    layer_quads_.clear();
    layer_quads_.setPrimitiveType(sf::Triangles);
    for (const Rect& r : overlay_.covered()) {
      const sf::Vector2f c[4] = {{r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h}};
      for (const int k : {0, 1, 2, 0, 2, 3}) layer_quads_.append(sf::Vertex(c[k], c[k]));
    }
  }
  target.setView(sf::View(sf::FloatRect(0.0f, 0.0f, static_cast<float>(size.x), static_cast<float>(size.y))));
  overlay_.set_blend(sf::BlendAlpha);
  overlay_.flash(target, scene.flash);
  // Every HUD rectangle is opaque: copied without blending.
  target.draw(layer_quads_, sf::RenderStates(sf::BlendNone, sf::Transform::Identity, &layer_.getTexture(), nullptr));
}

}  // namespace view
