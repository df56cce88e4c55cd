// Drawing a track in SVG (see track_drawing.h).
#include "report/track_drawing.h"

#include <algorithm>
#include <cmath>

namespace report {
namespace {

std::string draw_obstacles(const sim::Track& track, const PanelFrame& frame) {
  std::string out;
  for (const sim::Obstacle& o : track.obstacles) {
    if (o.shape == sim::ObstacleShape::Circle) {
      out += circle(to_svg(frame, o.position), o.radius * frame.scale, {});
    } else {
      const std::vector<b2Vec2> corners(o.corners.begin(), o.corners.end());
      out += path(path_data(to_svg(frame, corners), true), {});
    }
  }
  // A white rim keeps a dark obstacle visible on the darkest heat.
  return group(out, {{"fill", kObstacle}, {"stroke", "#ffffff"}, {"stroke-width", "0.8"}});
}

/// A checkered line across the road at s = 0, and an arrow along the centreline after it.
std::string draw_start(const sim::Track& track, const PanelFrame& frame) {
  const float hw = sim::half_width_at(track, 0.0f);
  const Point a = to_svg(frame, sim::point_at(track, 0.0f, -hw));
  const Point b = to_svg(frame, sim::point_at(track, 0.0f, hw));
  std::string out = line(a, b, {{"stroke", "#000000"}, {"stroke-width", "3.5"}}) +
                    line(a, b, {{"stroke", "#ffffff"}, {"stroke-width", "3.5"},
                                {"stroke-dasharray", "1.75 1.75"}});
  // The arrow: from 4 m to 4 m + 8 % of the lap (at most 24 m), through the centreline.
  const float s0 = std::min(4.0f, 0.02f * track.length);
  const float s1 = s0 + std::min(24.0f, 0.08f * track.length);
  std::vector<Point> shaft;
  for (float s = s0; s < s1; s += 1.0f) shaft.push_back(to_svg(frame, sim::point_at(track, s, 0.0f)));
  const Point tip = to_svg(frame, sim::point_at(track, s1, 0.0f));
  shaft.push_back(tip);
  // Arrowhead: a triangle 7 px long, 7 px wide, pointing along the tangent (flipped into SVG y).
  const float heading = sim::heading_at(track, s1);
  const Point dir{std::cos(heading), -std::sin(heading)};
  const Point side{-dir.y, dir.x};
  const std::vector<Point> head = {
      {tip.x + 3.0 * dir.x, tip.y + 3.0 * dir.y},
      {tip.x - 4.0 * dir.x + 3.5 * side.x, tip.y - 4.0 * dir.y + 3.5 * side.y},
      {tip.x - 4.0 * dir.x - 3.5 * side.x, tip.y - 4.0 * dir.y - 3.5 * side.y}};
  out += polyline(shaft, {{"stroke", kInk}, {"stroke-width", "1.6"}, {"stroke-linejoin", "round"}});
  out += path(path_data(head, true), {{"fill", kInk}});
  return out;
}

}  // namespace

TrackFit fit_track(const sim::Track& track, double max_width, double max_height, Point origin, float margin) {
  TrackFit fit;
  fit.world_min = track.bounds.lowerBound - b2Vec2(margin, margin);
  fit.world_max = track.bounds.upperBound + b2Vec2(margin, margin);
  const double w = fit.world_max.x - fit.world_min.x;
  const double h = fit.world_max.y - fit.world_min.y;
  const double scale = std::min(max_width / w, max_height / h);
  fit.width = w * scale;
  fit.height = h * scale;
  fit.frame = {fit.world_min, fit.world_max.y, scale, origin};
  return fit;
}

Point to_svg(const PanelFrame& frame, b2Vec2 world) {
  return {frame.origin.x + (world.x - frame.world_min.x) * frame.scale,
          frame.origin.y + (frame.world_max_y - world.y) * frame.scale};
}

std::vector<Point> to_svg(const PanelFrame& frame, const std::vector<b2Vec2>& world) {
  std::vector<Point> out;
  out.reserve(world.size());
  for (const b2Vec2& p : world) out.push_back(to_svg(frame, p));
  return out;
}

std::string road_outline(const sim::Track& track, const PanelFrame& frame) {
  return path_data(to_svg(frame, track.left_wall), true) + path_data(to_svg(frame, track.right_wall), true);
}

std::string draw_road(const sim::Track& track, const PanelFrame& frame) {
  return path(road_outline(track, frame), {{"fill", kRoad}, {"fill-rule", "evenodd"}});
}

std::string draw_landmarks(const sim::Track& track, const PanelFrame& frame) {
  return path(path_data(to_svg(frame, track.centre), true),
              {{"fill", "none"}, {"stroke", "#ffffff"}, {"stroke-width", "1"}, {"stroke-dasharray", "4 4"}}) +
         path(road_outline(track, frame), {{"fill", "none"}, {"stroke", kWall}, {"stroke-width", "1"}}) +
         draw_obstacles(track, frame) + draw_start(track, frame);
}

}  // namespace report
