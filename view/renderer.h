// Renderer: draws a Scene into any SFML render target (the window, or a texture in tests) —
// the world through the camera, then the HUD and a minimap of the whole track. Owns what is built
// once per scenario (the track's vertex buffer) or only when it changes (the heatmap's).
//
// Software rendering (llvmpipe under Xvfb) pays for every vertex and glyph on the CPU that
// training wants, so the HUD is drawn into an overlay layer only when asked to refresh (the
// viewer does so 15 times a second and on input), and composited each frame in one draw.
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

  /// Where the minimap goes in a window of the given width (px).
  Rect minimap_rect(float width) const;

 private:
  void draw_world(sf::RenderTarget& target, const Scene& scene, const Camera& camera, const ViewToggles& toggles);
  void draw_overlay(sf::RenderTarget& target, const Scene& scene, const Camera& camera, const ViewToggles& toggles,
                    const std::string& help_title, const std::vector<KeyHelp>& common_keys);
  void draw_minimap(sf::RenderTarget& target, const Scene& scene, const Camera& camera, const ViewToggles& toggles);

  const sim::Scenario& scenario_;
  const sim::Track& track_;
  StaticMesh track_mesh_;
  sf::Texture heat_blob_;
  StaticMesh heat_mesh_;
  sf::VertexArray heat_tris_;       ///< scratch for rebuilding heat_mesh_
  const HeatmapGrid* heat_grid_ = nullptr;
  std::uint64_t heat_version_ = 0;
  sf::VertexArray world_;           ///< this frame's cars, rays and marks
  sf::RenderTexture minimap_;       ///< the track and heatmap at minimap scale, premultiplied
  std::uint64_t minimap_heat_ = ~std::uint64_t{0};  ///< heatmap version minimap_ shows
  int overlays_since_minimap_ = 0;  ///< HUD redraws since minimap_ was redrawn
  sf::RenderTexture layer_;         ///< the HUD, premultiplied alpha
  bool layer_ready_ = false;
  sf::VertexArray layer_quads_;     ///< the parts of layer_ the HUD covers, to composite
  Overlay overlay_;
};

}  // namespace view
