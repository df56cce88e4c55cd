// Crash density on the track, early training against late. The density is a kernel estimate,
//   f(c) = Σ_k exp(-|c - p_k|² / 2σ²) / (2πσ²)   (crashes per m²),
// evaluated at the centre c of each grid cell, each crash p_k touching only the cells within 3σ.
// Cells are drawn only on and near the road, quantised into kLevels colours and written as one
// path per colour (runs of equal cells merged), then clipped to the exact road outline; so the
// file's size follows the road's area, whatever the number of crashes. Colours follow
// sqrt(f / f_max) with f_max over both panels: a square-root scale keeps the sparse crashes of a
// panel visible next to a hot spot of thousands.
#include "report/crash_heatmap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

namespace report {
namespace {

// Layout, px.
constexpr double kPanelMaxWidth = 460.0;
constexpr double kPanelMaxHeight = 420.0;
constexpr double kSideMargin = 16.0;
constexpr double kPanelGap = 28.0;
constexpr double kTitleHeight = 40.0;      // the figure title
constexpr double kPanelTitleHeight = 26.0; // each panel's title
constexpr double kColourBarHeight = 64.0;  // the colour bar, its ticks and label
constexpr double kColourBarWidth = 260.0;
constexpr float kWorldMargin = 4.0f;       // m of ground shown around the track's bounds

constexpr int kLevels = 24;                // colours of the heat map
constexpr double kMinShown = 0.5 / kLevels;// on the sqrt scale; lower densities are left out
constexpr int kMaxGridCells = 400;         // cells along the longer side, at most


/// ColorBrewer YlOrRd (9 classes), light to dark: readable in print and for colour-blind readers.
constexpr std::array<std::array<int, 3>, 9> kColourStops = {{{255, 255, 204}, {255, 237, 160},
    {254, 217, 118}, {254, 178, 76}, {253, 141, 60}, {252, 78, 42}, {227, 26, 28}, {189, 0, 38},
    {128, 0, 38}}};

/// Below this (sqrt scale) the colours fade into the road, so faint heat has no hard edge.
constexpr double kFadeBelow = 0.15;

/// The opacity at t in [0, 1] of the sequential scale: rising linearly to 1 at kFadeBelow.
std::string opacity_at(double t) { return format_number(std::min(1.0, t / kFadeBelow)); }

/// The colour at t in [0, 1] of the sequential scale, "#rrggbb".
std::string colour_at(double t) {
  const double u = std::clamp(t, 0.0, 1.0) * (kColourStops.size() - 1);
  const std::size_t i = std::min(static_cast<std::size_t>(u), kColourStops.size() - 2);
  const double f = u - static_cast<double>(i);
  std::array<char, 8> hex{};
  int rgb[3];
  for (int c = 0; c < 3; ++c) {
    rgb[c] = static_cast<int>(
        std::lround(kColourStops[i][c] * (1.0 - f) + kColourStops[i + 1][c] * f));
  }
  std::snprintf(hex.data(), hex.size(), "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  return hex.data();
}

/// A square grid over the world box, cells `cell` m wide, row 0 at the bottom (lowest y).
struct Grid {
  b2Vec2 origin;                    ///< m, lower-left corner of cell (0, 0)
  float cell = kCellSize;           ///< m
  int nx = 0, ny = 0;
  b2Vec2 centre(int i, int j) const {
    return {origin.x + (static_cast<float>(i) + 0.5f) * cell,
            origin.y + (static_cast<float>(j) + 0.5f) * cell};
  }
};

/// The cells [i0, i1] × [j0, j1] of a grid that the square of half side `reach` around p touches.
struct CellRange {
  int i0, i1, j0, j1;
};

CellRange cells_near(const Grid& g, b2Vec2 p, float reach) {
  auto index = [&](float v, float origin) {
    return static_cast<int>(std::floor((v - origin) / g.cell));
  };
  return {std::max(0, index(p.x - reach, g.origin.x)),
          std::min(g.nx - 1, index(p.x + reach, g.origin.x)),
          std::max(0, index(p.y - reach, g.origin.y)),
          std::min(g.ny - 1, index(p.y + reach, g.origin.y))};
}

Grid make_grid(b2Vec2 min, b2Vec2 max) {
  const float extent = std::max(max.x - min.x, max.y - min.y);
  Grid g{min, std::max(kCellSize, extent / kMaxGridCells)};
  g.nx = static_cast<int>(std::ceil((max.x - min.x) / g.cell));
  g.ny = static_cast<int>(std::ceil((max.y - min.y) / g.cell));
  return g;
}

/// Cells whose centre lies within half the road width, one cell and half the gap to the next
/// sample of a centreline sample: the whole road (also between samples) and a rim that the clip
/// path trims exactly.
std::vector<bool> road_mask(const sim::Track& track, const Grid& g) {
  std::vector<bool> mask(static_cast<std::size_t>(g.nx) * g.ny, false);
  for (int k = 0; k < sim::sample_count(track); ++k) {
    const b2Vec2 c = track.centre[k];
    const float gap = b2Distance(c, track.centre[sim::next_sample(track, k)]);
    const float r = track.half_width[k] + g.cell + 0.5f * gap;
    const CellRange near = cells_near(g, c, r);
    for (int j = near.j0; j <= near.j1; ++j) {
      for (int i = near.i0; i <= near.i1; ++i) {
        if (b2DistanceSquared(g.centre(i, j), c) <= r * r) mask[j * g.nx + i] = true;
      }
    }
  }
  return mask;
}

/// Kernel density (crashes per m²) at each cell centre.
std::vector<double> crash_density(const Grid& g, const std::vector<CrashMark>& crashes) {
  std::vector<double> density(static_cast<std::size_t>(g.nx) * g.ny, 0.0);
  const double sigma = kKernelSigma;
  const double norm = 1.0 / (2.0 * 3.14159265358979323846 * sigma * sigma);
  const float reach = 3.0f * kKernelSigma;
  for (const CrashMark& crash : crashes) {
    const b2Vec2 p{crash.x, crash.y};
    const CellRange near = cells_near(g, p, reach);
    for (int j = near.j0; j <= near.j1; ++j) {
      for (int i = near.i0; i <= near.i1; ++i) {
        const b2Vec2 d = g.centre(i, j) - p;
        density[j * g.nx + i] += norm * std::exp(-b2Dot(d, d) / (2.0 * sigma * sigma));
      }
    }
  }
  return density;
}

/// The colour level (1..kLevels) of a density on the shared sqrt scale; 0 when too faint to show.
int level_of(double density, double max_density) {
  const double t = std::sqrt(density / max_density);
  if (t < kMinShown) return 0;
  return std::clamp(static_cast<int>(std::ceil(t * kLevels)), 1, kLevels);
}

/// The heat cells of one panel in panel px: per level, one path of rectangles, each a run of
/// neighbouring cells of that level in a row. `data-density` is the level's top on the sqrt scale.
std::string draw_heat(const Grid& g, const std::vector<bool>& mask,
                      const std::vector<double>& density, double max_density,
                      const PanelFrame& local) {
  std::array<std::string, kLevels + 1> paths;
  for (int j = 0; j < g.ny; ++j) {
    int i = 0;
    while (i < g.nx) {
      const std::size_t k = static_cast<std::size_t>(j) * g.nx + i;
      const int level = mask[k] ? level_of(density[k], max_density) : 0;
      int run = 1;
      while (i + run < g.nx && mask[k + run] && level_of(density[k + run], max_density) == level) {
        ++run;
      }
      if (level > 0) {
        const b2Vec2 corner = g.centre(i, j) + b2Vec2{-0.5f * g.cell, 0.5f * g.cell};
        const Point top_left = to_svg(local, corner);
        const double w = run * g.cell * local.scale;
        const double h = g.cell * local.scale;
        std::string& d = paths[level];
        d += 'M';
        d += format_number(top_left.x);
        d += ' ';
        d += format_number(top_left.y);
        d += 'h';
        d += format_number(w);
        d += 'v';
        d += format_number(h);
        d += 'h';
        d += format_number(-w);
        d += 'z';
      }
      i += run;
    }
  }
  std::string out;
  for (int level = 1; level <= kLevels; ++level) {
    if (paths[level].empty()) continue;
    const double t = (level - 0.5) / kLevels;
    out += path(paths[level], {{"fill", colour_at(t)}, {"fill-opacity", opacity_at(t)},
                               {"data-density", format_number(double(level) / kLevels, 3)}});
  }
  return out;
}

/// "12,345": digits grouped by thousands.
std::string format_count(std::size_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

/// "no crashes", "1 crash", "12,345 crashes".
std::string crash_count_text(std::size_t n) {
  if (n == 0) return "no crashes";
  return format_count(n) + (n == 1 ? " crash" : " crashes");
}

/// Colour bar under the panels: the levels left to right over the road's grey (as they are seen),
/// ticks at 0, f_max / 4 and f_max (0, ½ and 1 on the sqrt scale), and the unit.
std::string draw_colour_bar(Point at, double max_density) {
  std::string cells = rect(at.x, at.y, kColourBarWidth, 10.0, {{"fill", kRoad}});
  const double w = kColourBarWidth / kLevels;
  for (int level = 1; level <= kLevels; ++level) {
    const double t = (level - 0.5) / kLevels;
    cells += rect(at.x + (level - 1) * w, at.y, w + 0.3, 10.0,
                  {{"fill", colour_at(t)}, {"fill-opacity", opacity_at(t)}});
  }
  std::string labels;
  for (const double t : {0.0, 0.5, 1.0}) {
    const double value = t * t * max_density;
    // Two significant digits.
    const int decimals =
        value == 0.0 ? 0 : std::max(0, 1 - static_cast<int>(std::floor(std::log10(value))));
    labels += text({at.x + t * kColourBarWidth, at.y + 24.0}, format_number(value, decimals), {});
  }
  return group(cells, {{"shape-rendering", "crispEdges"}}) +
         rect(at.x, at.y, kColourBarWidth, 10.0,
              {{"fill", "none"}, {"stroke", "#999999"}, {"stroke-width", "0.5"}}) +
         group(labels, {{"font-size", "11"}, {"fill", "#555555"}, {"text-anchor", "middle"}}) +
         text({at.x + kColourBarWidth / 2.0, at.y + 42.0},
              "crash density, crashes per m² (square-root scale)",
              {{"font-size", "11"}, {"fill", kInk}, {"text-anchor", "middle"}});
}

}  // namespace

/// The track fitted into one panel, panel 0's top-left corner at `origin`.
TrackFit panel_fit(const sim::Track& track, Point origin) {
  return fit_track(track, kPanelMaxWidth, kPanelMaxHeight, origin, kWorldMargin);
}

PanelFrame panel_frame(const sim::Track& track, int panel) {
  const double width = panel_fit(track, {}).width;
  return panel_fit(track, {kSideMargin + panel * (width + kPanelGap), kTitleHeight + kPanelTitleHeight}).frame;
}

std::string crash_heatmap_svg(const sim::Track& track, std::span<const CrashMark> crashes,
                              std::int64_t split_step, const std::string& title) {
  const TrackFit size = panel_fit(track, {});
  // Each panel is drawn in its own px frame (origin at its top-left corner) and translated into
  // place, so the track and the road clip path are written once per panel from the same code.
  PanelFrame local = panel_frame(track, 0);
  local.origin = {0.0, 0.0};

  // Density of each half on one grid, under one scale.
  const Grid grid = make_grid(size.world_min, size.world_max);
  const std::vector<bool> mask = road_mask(track, grid);
  // Panel 0 takes the crashes before the split, panel 1 the rest; a crash without a finite
  // position is in neither (it cannot be drawn, so it is not counted either).
  std::array<std::vector<CrashMark>, 2> halves;
  for (const CrashMark& c : crashes) {
    if (std::isfinite(c.x) && std::isfinite(c.y)) halves[c.step < split_step ? 0 : 1].push_back(c);
  }
  const std::array<std::vector<double>, 2> density = {crash_density(grid, halves[0]),
                                                      crash_density(grid, halves[1])};
  double max_density = 0.0;
  for (const std::vector<double>& d : density) {
    for (std::size_t k = 0; k < d.size(); ++k) {
      if (mask[k]) max_density = std::max(max_density, d[k]);
    }
  }
  const std::array<std::size_t, 2> counts = {halves[0].size(), halves[1].size()};
  const std::string split = format_si(static_cast<double>(split_step));
  const std::array<std::string, 2> titles = {
      "early (steps < " + split + "): " + crash_count_text(counts[0]),
      "late (steps ≥ " + split + "): " + crash_count_text(counts[1])};

  // What both panels draw over the heat: centreline, walls, obstacles, start and direction.
  const std::string outline = road_outline(track, local);
  const std::string landmarks = draw_landmarks(track, local);

  // Title, the panels side by side (road, heat clipped to it, landmarks), the colour bar.
  std::string body = text({kSideMargin, 26.0}, title,
                          {{"font-size", "16"}, {"font-weight", "bold"}, {"fill", kInk}});
  for (int panel = 0; panel < 2; ++panel) {
    const PanelFrame frame = panel_frame(track, panel);
    const std::string clip_id = "road-" + std::to_string(panel);
    std::string content = clip_path(clip_id, path(outline, {{"clip-rule", "evenodd"}}));
    content += draw_road(track, local);
    if (counts[panel] > 0 && max_density > 0.0) {
      content += group(draw_heat(grid, mask, density[panel], max_density, local),
                       {{"clip-path", "url(#" + clip_id + ")"}, {"shape-rendering", "crispEdges"}});
    }
    content += landmarks;
    body += text({frame.origin.x, frame.origin.y - 10.0}, titles[panel],
                 {{"font-size", "13"}, {"font-weight", "bold"}, {"fill", kInk}});
    body += group(content, {{"transform", "translate(" + format_number(frame.origin.x) + ' ' +
                                              format_number(frame.origin.y) + ')'}});
  }

  const double width = 2.0 * size.width + kPanelGap + 2.0 * kSideMargin;
  const double bar_top = kTitleHeight + kPanelTitleHeight + size.height + 16.0;
  if (max_density > 0.0) {
    body += draw_colour_bar({(width - kColourBarWidth) / 2.0, bar_top}, max_density);
  }
  return document(width, bar_top + kColourBarHeight - 16.0, body);
}

}  // namespace report
