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
    : scenario_(&scenario), track_(&track), world_(sf::Triangles), overlay_(fonts) {
  set_track(scenario, track, 0);
  heat_blob_.loadFromImage(heat_blob_image(kBlobSize));
  heat_blob_.setSmooth(true);
}

void Renderer::set_track(const sim::Scenario& scenario, const sim::Track& track, int revision) {
  scenario_ = &scenario;
  track_ = &track;
  track_revision_ = revision;
  const TrackMesh mesh = build_track_mesh(track);
  road_mesh_.set(mesh.road);
  detail_mesh_.set(mesh.details);
  minimap_stale_ = true;
}

Rect Renderer::minimap_rect(float width) const {
  const b2Vec2 extent = track_->bounds.upperBound - track_->bounds.lowerBound;
  const float aspect = std::clamp(extent.x / std::max(extent.y, 1.0f), 0.5f, 2.5f);
  const float w = aspect >= 1.0f ? kMinimapMax : kMinimapMax * aspect;
  const float h = aspect >= 1.0f ? kMinimapMax / aspect : kMinimapMax;
  return {width - theme::kMargin - w, theme::kMargin, w, h};
}

void Renderer::draw_world(sf::RenderTarget& target, const Scene& scene, const Camera& camera,
                          const ViewToggles& toggles) {
  target.setView(world_view(camera));
  const sf::FloatRect visible = visible_rect(camera);
  // Opaque, and most of the frame: no blending.
  road_mesh_.draw(target, sf::RenderStates(sf::BlendNone), &visible);
  detail_mesh_.draw(target, sf::RenderStates(sf::BlendNone), &visible);
  if (toggles.heatmap && scene.heatmap != nullptr) {
    if (scene.heatmap != heat_grid_ || scene.heatmap->version() != heat_version_) {
      build_heatmap_mesh(*scene.heatmap, static_cast<float>(kBlobSize), heat_tris_);
      heat_mesh_.set(heat_tris_);
      heat_grid_ = scene.heatmap;
      heat_version_ = scene.heatmap->version();
    }
    heat_mesh_.draw(target, sf::RenderStates(&heat_blob_), &visible);
  }
  const float px = 1.0f / camera.scale;  // one pixel, in metres
  world_.clear();
  add_progress(world_, *track_, scene.progress);
  for (const b2Vec2 p : scene.crash_marks) add_crash_mark(world_, p, std::max(1.2f, 10.0f * px), px);
  if (toggles.rays) {
    for (const RayFan& fan : scene.rays) add_rays(world_, fan, scenario_->sensors, scenario_->car.width, px);
  }
  for (const ActorSprite& a : scene.actors) add_actor(world_, a);
  add_cars(world_, scene);
  for (const Mark& m : scene.marks) add_mark(world_, m, px);
  target.draw(world_);
}

void Renderer::lay_out_minimap(const Scene& scene, const Camera& camera, const ViewToggles& toggles, float w) {
  const Rect r = minimap_rect(w);
  minimap_box_ = r;
  overlay_.box(r, theme::kPanel, theme::kPanelEdge);
  Camera map{{0.0f, 0.0f}, 1.0f, r.w, r.h};
  fit(map, track_->bounds.lowerBound, track_->bounds.upperBound, 8.0f);
  minimap_view_ = world_view(map);

  // The whole track in a few hundred pixels is thousands of tiny triangles: drawn into minimap_
  // when the heatmap has changed, at most once a second, and reused in between.
  const std::uint64_t heat = toggles.heatmap && scene.heatmap != nullptr && heat_grid_ == scene.heatmap
                                 ? heat_version_ : 0;
  const sf::Vector2u size(static_cast<unsigned>(r.w), static_cast<unsigned>(r.h));
  ++layouts_since_minimap_;
  if (minimap_.getSize() != size || minimap_stale_ || (heat != minimap_heat_ && layouts_since_minimap_ >= 10)) {
    if (minimap_.getSize() != size && !minimap_.create(size.x, size.y)) return;
    minimap_.clear(theme::kPanel);
    minimap_.setView(minimap_view_);
    road_mesh_.draw(minimap_);
    detail_mesh_.draw(minimap_);
    if (heat != 0) heat_mesh_.draw(minimap_, sf::RenderStates(&heat_blob_));
    minimap_.display();
    minimap_heat_ = heat;
    minimap_stale_ = false;
    layouts_since_minimap_ = 0;
  }

  // The main view's outline and a dot per car.
  const float px = 1.0f / map.scale;
  minimap_marks_.clear();
  minimap_marks_.setPrimitiveType(sf::Triangles);
  const b2Vec2 lo = screen_to_world(camera, {0.0f, camera.height});
  const b2Vec2 hi = screen_to_world(camera, {camera.width, 0.0f});
  const sf::Color outline(255, 255, 255, 150);
  const b2Vec2 corners[4] = {lo, {hi.x, lo.y}, hi, {lo.x, hi.y}};
  for (int k = 0; k < 4; ++k) add_segment(minimap_marks_, corners[k], corners[(k + 1) % 4], 1.5f * px, outline);
  for (const CarSprite& car : scene.cars) {
    add_disc(minimap_marks_, car.position, (car.focused ? 5.0f : 3.5f) * px, car_color(car.style), 12);
  }
  show_minimap_ = true;
}

void Renderer::draw_minimap(sf::RenderTarget& target) const {
  if (!show_minimap_ || minimap_.getSize().x == 0) return;
  sf::Sprite base(minimap_.getTexture());
  base.setPosition(minimap_box_.x, minimap_box_.y);
  target.draw(base, sf::RenderStates(sf::BlendNone));
  const sf::Vector2u size = target.getSize();
  const float w = static_cast<float>(size.x), h = static_cast<float>(size.y);
  sf::View view = minimap_view_;
  const Rect& r = minimap_box_;
  view.setViewport(sf::FloatRect(r.x / w, r.y / h, r.w / w, r.h / h));
  target.setView(view);
  target.draw(minimap_marks_);
  target.setView(sf::View(sf::FloatRect(0.0f, 0.0f, w, h)));
}

void Renderer::lay_out(const Scene& scene, const Camera& camera, const ViewToggles& toggles,
                       const std::string& help_title, const std::vector<KeyHelp>& common_keys, float w, float h) {
  overlay_.clear();
  show_minimap_ = false;
  if (toggles.hud) {
    float y = theme::kMargin;
    for (const HudPanel& panel : scene.panels) y += overlay_.panel(panel, theme::kMargin, y, kPanelWidth) + 8.0f;
    if (scene.chart != nullptr) {
      const float bottom = h - kStatusHeight - theme::kMargin - (scene.timeline.show ? 48.0f : 0.0f);
      overlay_.chart(*scene.chart, scene.chart_note, {theme::kMargin, bottom - kChartHeight, kChartWidth, kChartHeight});
    }
    if (scene.minimap) lay_out_minimap(scene, camera, toggles, w);
  }
  overlay_.timeline(scene.timeline, timeline_rect(w, h));
  overlay_.banner(scene.banner, w);
  overlay_.status(scene.status, std::string(toggles.follow ? "follow-cam" : "free camera") +
                                    "   ·   H: help   ·   F12: screenshot", w, h);
  if (toggles.help) {
    overlay_.set_layer(Overlay::kTop);
    std::vector<KeyHelp> keys = scene.keys;
    keys.insert(keys.end(), common_keys.begin(), common_keys.end());
    overlay_.help(help_title, keys, w, h);
  }
}

void Renderer::draw(sf::RenderTarget& target, const Scene& scene, const Camera& camera, const ViewToggles& toggles,
                    const std::string& help_title, const std::vector<KeyHelp>& common_keys, bool refresh_overlay) {
  target.clear(theme::kGrass);
  if (scene.track != nullptr && scene.scenario != nullptr &&
      (scene.track != track_ || scene.track_revision != track_revision_)) {
    set_track(*scene.scenario, *scene.track, scene.track_revision);
  }
  draw_world(target, scene, camera, toggles);

  const sf::Vector2u size = target.getSize();
  const float w = static_cast<float>(size.x), h = static_cast<float>(size.y);
  if (refresh_overlay || !laid_out_) {
    lay_out(scene, camera, toggles, help_title, common_keys, w, h);
    laid_out_ = true;
  }
  target.setView(sf::View(sf::FloatRect(0.0f, 0.0f, w, h)));
  overlay_.flash(target, scene.flash);
  overlay_.draw(target, Overlay::kHud);
  draw_minimap(target);
  overlay_.draw(target, Overlay::kTop);
}

}  // namespace view
