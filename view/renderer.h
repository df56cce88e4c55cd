// Renderer: draws a Scene into any SFML render target (the window, or a texture in tests) —
// the world through the camera, then the HUD and a minimap of the whole track. Owns what is built
// once per scenario (the track's vertex buffer) or only when it changes (the heatmap's).
//
// Software rendering (llvmpipe under Xvfb) pays for every draw call and textured pixel on the CPU
// that training wants, so the HUD is laid out only when asked to refresh (the viewer does so ten
// times a second and on input) and drawn each frame from its vertex arrays; the minimap's track
// and heatmap are drawn into a texture at most once a second.
#pragma once

#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Graphics/RenderTexture.hpp>
#include <SFML/Graphics/Texture.hpp>
#include <SFML/Graphics/VertexArray.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/track.h"
#include "view/camera.h"
#include "view/overlay.h"
#include "view/scene.h"
#include "view/world_mesh.h"

namespace view {

/// What the user has switched on or off.
struct ViewToggles {
  bool rays = true;
  bool heatmap = true;
  bool hud = true;
  bool help = false;
  bool follow = true;               ///< follow-cam (else the free camera)
};

class Renderer {
 public:
  Renderer(const sim::Scenario& scenario, const sim::Track& track, const Fonts& fonts);

  /// One frame. help_title and common_keys head the help overlay (the mode's keys follow).
  /// refresh_overlay: redraw the HUD from this scene (else the last HUD drawn is shown again).
  void draw(sf::RenderTarget& target, const Scene& scene, const Camera& camera, const ViewToggles& toggles,
            const std::string& help_title, const std::vector<KeyHelp>& common_keys, bool refresh_overlay = true);

  /// Draws `track` of `scenario` from now on (the meshes are rebuilt). draw() calls it when the
  /// scene's track or track_revision changes.
  void set_track(const sim::Scenario& scenario, const sim::Track& track, int revision);

  /// Where the minimap goes in a window of the given width (px).
  Rect minimap_rect(float width) const;

 private:
  void draw_world(sf::RenderTarget& target, const Scene& scene, const Camera& camera, const ViewToggles& toggles);
  /// Lays out the HUD and the minimap's live marks for a target of size w × h.
  void lay_out(const Scene& scene, const Camera& camera, const ViewToggles& toggles, const std::string& help_title,
               const std::vector<KeyHelp>& common_keys, float w, float h);
  void lay_out_minimap(const Scene& scene, const Camera& camera, const ViewToggles& toggles, float w);
  void draw_minimap(sf::RenderTarget& target) const;

  const sim::Scenario* scenario_;
  const sim::Track* track_;
  int track_revision_ = 0;
  ChunkedMesh road_mesh_;
  ChunkedMesh detail_mesh_;         ///< walls, centreline, start line, obstacles
  sf::Texture heat_blob_;
  ChunkedMesh heat_mesh_;
  MeshChunks heat_tris_;            ///< scratch for rebuilding heat_mesh_
  const HeatmapGrid* heat_grid_ = nullptr;
  std::uint64_t heat_version_ = 0;
  sf::VertexArray world_;           ///< this frame's cars, rays and marks
  Overlay overlay_;
  bool laid_out_ = false;
  bool show_minimap_ = false;
  Rect minimap_box_;                ///< px
  sf::View minimap_view_;           ///< the world in minimap_box_
  sf::RenderTexture minimap_;       ///< the track and heatmap at minimap scale
  std::uint64_t minimap_heat_ = ~std::uint64_t{0};  ///< heatmap version minimap_ shows
  bool minimap_stale_ = false;      ///< the track changed since minimap_ was drawn
  int layouts_since_minimap_ = 0;   ///< HUD layouts since minimap_ was redrawn
  sf::VertexArray minimap_marks_;   ///< the main view's outline and a dot per car, world units
};

}  // namespace view
