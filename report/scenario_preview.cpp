// Scenario preview (see scenario_preview.h).
#include "report/scenario_preview.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "report/track_drawing.h"
#include "sim/actors.h"

namespace report {
namespace {

constexpr double kMaxWidth = 900.0;
constexpr double kMaxHeight = 640.0;
constexpr double kSide = 20.0;
constexpr double kTitleTop = 28.0;     // baseline of the title
constexpr double kLineHeight = 17.0;   // px between the subtitle's lines (12 px text)
constexpr double kCharWidth = 6.6;     // px, a generous average for 12 px sans-serif
constexpr double kMinWidth = 420.0;
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

/// Words of text as lines of at most max_chars characters (a longer word gets a line of its own).
std::vector<std::string> wrap_words(const std::string& text, std::size_t max_chars) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t start = text.find_first_not_of(' ', at);
    if (start == std::string::npos) break;
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!lines.empty() && lines.back().size() + 1 + word.size() <= max_chars) {
      lines.back() += ' ';
      lines.back() += word;
    } else {
      lines.push_back(word);
    }
    at = end;
  }
  return lines;
}

/// The figure's width (px) for a track fitted at the top-left.
double figure_width(const TrackFit& fit) { return std::max(fit.width + 2.0 * kSide, kMinWidth); }

/// The subtitle under the title: the description (if any) wrapped to the figure's width, then the
/// track's facts on a line of their own.
std::vector<std::string> subtitle_lines(const sim::Scenario& sc, const sim::Track& track, double width) {
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
  const auto max_chars = static_cast<std::size_t>((width - 2.0 * kSide) / kCharWidth);
  std::vector<std::string> lines = wrap_words(sc.description, max_chars);
  for (std::string& line : wrap_words(facts, max_chars)) lines.push_back(std::move(line));
  return lines;
}

/// The track's fit below the title and the subtitle's lines.
struct Layout {
  TrackFit fit;
  std::vector<std::string> subtitle;
  double top = 0.0;  ///< px above the track's panel
};

Layout preview_layout(const sim::Scenario& sc, const sim::Track& track) {
  // The track's size does not depend on where it is placed, so fit it once for its width, wrap the
  // subtitle to that width, and place it under the subtitle.
  const double width = figure_width(fit_track(track, kMaxWidth, kMaxHeight, {kSide, 0.0}, kMargin));
  Layout layout;
  layout.subtitle = subtitle_lines(sc, track, width);
  layout.top = kTitleTop + kLineHeight * static_cast<double>(layout.subtitle.size()) + 6.0;
  layout.fit = fit_track(track, kMaxWidth, kMaxHeight, {kSide, layout.top}, kMargin);
  return layout;
}

}  // namespace

PanelFrame preview_frame(const sim::Scenario& scenario, const sim::Track& track) {
  return preview_layout(scenario, track).fit.frame;
}

std::string scenario_preview_svg(const sim::Scenario& sc, const sim::Track& track) {
  const Layout layout = preview_layout(sc, track);
  const TrackFit& fit = layout.fit;
  const PanelFrame& f = fit.frame;
  const double width = figure_width(fit);
  const double height = layout.top + fit.height + kBottom;
  std::string body = text({kSide, kTitleTop}, sc.name, {{"font-size", "18"}, {"font-weight", "bold"}, {"fill", kInk}});
  for (std::size_t k = 0; k < layout.subtitle.size(); ++k) {
    body += text({kSide, kTitleTop + kLineHeight * static_cast<double>(k + 1) + 3.0}, layout.subtitle[k],
                 {{"font-size", "12"}, {"fill", "#555555"}});
  }
  body += draw_road(track, f) + draw_spawn(sc, track, f) + draw_landmarks(track, f) +
          draw_obstacle_labels(track, f) + draw_distance_marks(track, f) + draw_scripted(sc, track, f);
  const double y = layout.top + fit.height + 22.0;
  body += draw_scale_bar(f, {kSide, y}, fit.width);
  body += circle({kSide + 170.0, y}, 5.0, {{"fill", kSpawn}, {"fill-opacity", "0.4"}});
  body += text({kSide + 180.0, y + 4.0}, "where cars start", {{"font-size", "11"}, {"fill", kInk}});
  return document(width, height, body);
}

}  // namespace report
