// Drawing a track in SVG: the world → px mapping and the parts every top-down figure shares —
// road, walls, dashed centreline, obstacles, the start line and an arrow in the driving
// direction. Used by the crash heatmap and the scenario preview.
#pragma once

#include <box2d/b2_math.h>

#include <string>
#include <vector>

#include "report/svg.h"
#include "sim/track.h"

namespace report {

inline constexpr const char* kInk = "#222222";
inline constexpr const char* kRoad = "#e3e3e3";
inline constexpr const char* kWall = "#707070";
inline constexpr const char* kObstacle = "#303030";

/// How world metres map to SVG px: uniform scale, y flipped (world y points up, SVG y down).
struct PanelFrame {
  b2Vec2 world_min{0.0f, 0.0f};     ///< m, world corner that maps to the panel's left edge, x
  float world_max_y = 0.0f;         ///< m, world y that maps to the panel's top edge
  double scale = 1.0;               ///< px per m
  Point origin;                     ///< px, where (world_min.x, world_max_y) lands
};

/// A track fitted into a panel of at most max_width × max_height px: its bounds with a margin of
/// `margin` m, the size it takes, and the frame with its top-left corner at `origin`.
struct TrackFit {
  b2Vec2 world_min{0.0f, 0.0f};     ///< m
  b2Vec2 world_max{0.0f, 0.0f};     ///< m
  double width = 0.0;               ///< px
  double height = 0.0;              ///< px
  PanelFrame frame;
};
TrackFit fit_track(const sim::Track& track, double max_width, double max_height, Point origin, float margin);

/// World point → SVG px.
Point to_svg(const PanelFrame& frame, b2Vec2 world);
/// Points of a world polyline in px.
std::vector<Point> to_svg(const PanelFrame& frame, const std::vector<b2Vec2>& world);

/// Path data of the road: both walls as closed subpaths, to fill with fill-rule evenodd (or to
/// clip with clip-rule evenodd).
std::string road_outline(const sim::Track& track, const PanelFrame& frame);

/// The road filled grey.
std::string draw_road(const sim::Track& track, const PanelFrame& frame);

/// What goes over the road: dashed centreline, walls, obstacles, a checkered start line at s = 0
/// and an arrow along the centreline after it.
std::string draw_landmarks(const sim::Track& track, const PanelFrame& frame);

}  // namespace report
