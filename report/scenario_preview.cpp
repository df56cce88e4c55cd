// Scenario preview (see scenario_preview.h).
#include "report/scenario_preview.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/track_drawing.h"
#include "sim/actors.h"

namespace report {
namespace {

constexpr double kMaxWidth = 900.0;
constexpr double kMaxHeight = 640.0;
constexpr double kSide = 20.0;
constexpr double kTop = 64.0;          // title and subtitle
constexpr double kBottom = 40.0;       // scale bar and legend
constexpr float kMargin = 6.0f;        // m of ground around the track
const char* const kSpawn = "#2ca02c";
const char* const kTraffic = "#555566";
const char* const kMover = "#d6802f";
const char* const kCheckpoint = "#1f77b4";
const char* const kTarget = "#d62728";

/// The band each agent's car spawns in: the centreline stretch [s − s_jitter, s + s_jitter]
/// around its nominal start (the whole lap when that is longer), as wide as the lateral jitter
/// plus the car, with a dot at the nominal start.
std::string draw_spawn(const sim::Scenario& sc, const sim::Track& track, const PanelFrame& f) {
  const sim::SpawnSpec& sp = sc.spawn;
  const float span = std::min(2.0f * sp.s_jitter, track.length);
  const float half = sp.lateral_jitter + 0.5f * sc.car.width;
  std::string out;
  for (int k = 0; k < sp.agents; ++k) {
    const float centre = sp.agent_lateral(k);
    std::vector<b2Vec2> left, right;
    for (float d = 0.0f;; d = std::min(span, d + 1.0f)) {
      const float s = sp.agent_s(k) - 0.5f * span + d;
      left.push_back(sim::point_at(track, s, centre + half));
      right.push_back(sim::point_at(track, s, centre - half));
      if (d >= span) break;
    }
    std::vector<Point> band = to_svg(f, left);
    const std::vector<Point> back = to_svg(f, right);
    band.insert(band.end(), back.rbegin(), back.rend());
    const b2Vec2 nominal = sim::point_at(track, sp.agent_s(k), centre);
    out += path(path_data(band, true), {{"fill", kSpawn}, {"fill-opacity", "0.18"}, {"fill-rule", "nonzero"}}) +
           circle(to_svg(f, nominal), 3.0, {{"fill", kSpawn}});
  }
  return out;
}

/// Traffic routes (dashed, a dot where the first car starts), mover paths (dotted, a dot at the
/// first point), checkpoints (lines across the road) and the reach target (a ring of its radius).
std::string draw_scripted(const sim::Scenario& sc, const sim::Track& track, const PanelFrame& f) {
  std::string out;
  for (std::size_t k = 0; k < track.traffic_routes.size(); ++k) {
    const sim::Route& route = track.traffic_routes[k];
    out += path(path_data(to_svg(f, route.points), true),
                {{"fill", "none"}, {"stroke", kTraffic}, {"stroke-width", "1.5"}, {"stroke-dasharray", "6 4"}});
    out += circle(to_svg(f, sim::route_point(route, sc.traffic[k].start)), 4.0, {{"fill", kTraffic}});
  }
  for (const sim::Route& route : track.mover_paths) {
    out += path(path_data(to_svg(f, route.points), route.closed),
                {{"fill", "none"}, {"stroke", kMover}, {"stroke-width", "2"}, {"stroke-dasharray", "2 3"}});
    out += circle(to_svg(f, route.points.front()), 4.0, {{"fill", kMover}});
  }
  for (const sim::CheckpointSpec& cp : sc.checkpoints) {
    const float hw = sim::half_width_at(track, cp.s);
    out += line(to_svg(f, sim::point_at(track, cp.s, hw)), to_svg(f, sim::point_at(track, cp.s, -hw)),
                {{"stroke", kCheckpoint}, {"stroke-width", "2.5"}});
  }
  if (sc.episode.goal_reach) {
    out += circle(to_svg(f, sc.episode.target), sc.episode.target_radius * f.scale,
                  {{"fill", "none"}, {"stroke", kTarget}, {"stroke-width", "2"}});
  }
  return out;
}

/// A tick across the road and a label outside it every 100 m of arc length.
std::string draw_distance_marks(const sim::Track& track, const PanelFrame& f) {
  std::string out;
  for (float s = 100.0f; s < track.length - 20.0f; s += 100.0f) {
    const float hw = sim::half_width_at(track, s);
    out += line(to_svg(f, sim::point_at(track, s, hw)), to_svg(f, sim::point_at(track, s, hw + 3.0f)),
                {{"stroke", "#888888"}, {"stroke-width", "1"}});
    const Point at = to_svg(f, sim::point_at(track, s, hw + 7.0f));
    out += text({at.x, at.y + 4.0}, std::to_string(static_cast<int>(s)) + " m",
                {{"font-size", "10"}, {"fill", "#666666"}, {"text-anchor", "middle"}});
  }
  return out;
}

/// "#0", "#1", … beside each obstacle, as the file numbers them.
std::string draw_obstacle_labels(const sim::Track& track, const PanelFrame& f) {
  std::string out;
  for (std::size_t k = 0; k < track.obstacles.size(); ++k) {
    const sim::Obstacle& o = track.obstacles[k];
    const float r = o.shape == sim::ObstacleShape::Circle ? o.radius : 0.5f * std::hypot(o.length, o.width);
    const Point at = to_svg(f, o.position);
    std::string label = std::to_string(k);
    label.insert(0, 1, '#');  // not "#" + …: GCC 12 warns falsely (-Wrestrict) on that
    out += text({at.x + r * f.scale + 3.0, at.y - r * f.scale - 2.0}, label,
                {{"font-size", "10"}, {"fill", kInk}});
  }
  return out;
}

/// A bar of a round length near a fifth of the figure's width.
std::string draw_scale_bar(const PanelFrame& f, Point at, double width_px) {
  const double target = width_px / 5.0 / f.scale;
  double metres = std::pow(10.0, std::floor(std::log10(target)));
  for (const double m : {2.0, 5.0, 10.0}) {
    if (metres * m <= target) metres = std::pow(10.0, std::floor(std::log10(target))) * m;
  }
  const double px = metres * f.scale;
  return line(at, {at.x + px, at.y}, {{"stroke", kInk}, {"stroke-width", "2"}}) +
         line({at.x, at.y - 4.0}, {at.x, at.y + 4.0}, {{"stroke", kInk}, {"stroke-width", "1.5"}}) +
         line({at.x + px, at.y - 4.0}, {at.x + px, at.y + 4.0}, {{"stroke", kInk}, {"stroke-width", "1.5"}}) +
         text({at.x + px + 6.0, at.y + 4.0}, std::to_string(static_cast<int>(metres)) + " m",
              {{"font-size", "11"}, {"fill", kInk}});
}

TrackFit preview_fit(const sim::Track& track) { return fit_track(track, kMaxWidth, kMaxHeight, {kSide, kTop}, kMargin); }

}  // namespace

PanelFrame preview_frame(const sim::Track& track) { return preview_fit(track).frame; }

std::string scenario_preview_svg(const sim::Scenario& sc, const sim::Track& track) {
  const TrackFit fit = preview_fit(track);
  const PanelFrame& f = fit.frame;
  const double width = std::max(fit.width + 2.0 * kSide, 420.0);
  const double height = kTop + fit.height + kBottom;
  const double narrowest = 2.0 * static_cast<double>(*std::min_element(track.half_width.begin(), track.half_width.end()));
  const double widest = 2.0 * static_cast<double>(track.max_half_width);
  char width_text[48];
  if (widest - narrowest < 0.05) {
    std::snprintf(width_text, sizeof width_text, "%.0f m wide", widest);
  } else {
    std::snprintf(width_text, sizeof width_text, "%.0f–%.0f m wide", narrowest, widest);
  }
  char corridor[48] = "";
  if (sc.sensors.corridor_rays > 0) {
    std::snprintf(corridor, sizeof corridor, " + %d corridor rays", sc.sensors.corridor_rays);
  }
  char facts[240];
  std::snprintf(facts, sizeof facts, "%.0f m lap, %s, %zu obstacle%s, %d rays over %.0f°%s",
                static_cast<double>(track.length), width_text, track.obstacles.size(),
                track.obstacles.size() == 1 ? "" : "s", sc.sensors.rays,
                static_cast<double>(sc.sensors.fov) * 180.0 / 3.141592653589793, corridor);
  std::string body = text({kSide, 28.0}, sc.name, {{"font-size", "18"}, {"font-weight", "bold"}, {"fill", kInk}});
  body += text({kSide, 48.0}, sc.description.empty() ? std::string(facts) : sc.description + " — " + facts,
               {{"font-size", "12"}, {"fill", "#555555"}});
  body += draw_road(track, f) + draw_spawn(sc, track, f) + draw_landmarks(track, f) +
          draw_obstacle_labels(track, f) + draw_distance_marks(track, f) + draw_scripted(sc, track, f);
  const double y = kTop + fit.height + 22.0;
  body += draw_scale_bar(f, {kSide, y}, fit.width);
  body += circle({kSide + 170.0, y}, 5.0, {{"fill", kSpawn}, {"fill-opacity", "0.4"}});
  body += text({kSide + 180.0, y + 4.0}, "where cars start", {{"font-size", "11"}, {"fill", kInk}});
  return document(width, height, body);
}

}  // namespace report
