// Where the training cars crashed, as an SVG figure: the track drawn twice side by side, crashes
// of the first part of training on the left and of the rest on the right, each as a smoothed
// density on the road under one shared colour scale, so the two halves compare at a glance.
// Written headless for the run folder (crash_heatmap.svg).
#pragma once

#include <box2d/b2_math.h>

#include <cstdint>
#include <span>
#include <string>

#include "report/svg.h"
#include "report/track_drawing.h"
#include "sim/track.h"

namespace report {

/// One crash during training.
struct CrashMark {
  float x = 0.0f;                   ///< m, world frame (the car's position at the crash)
  float y = 0.0f;                   ///< m, world frame
  std::int64_t step = 0;            ///< env steps of training done when it happened
};

/// Density estimate: a Gaussian kernel of this standard deviation, evaluated on square cells of
/// about this size (larger on very large tracks, to bound the grid).
inline constexpr float kKernelSigma = 2.0f;  ///< m
inline constexpr float kCellSize = 1.0f;     ///< m

/// The frame of panel 0 (crashes before split_step) or panel 1 (the rest) of crash_heatmap_svg.
PanelFrame panel_frame(const sim::Track& track, int panel);

/// The figure as a complete SVG document: road (grey, between the walls), dashed centreline,
/// obstacles, start line at s = 0 and an arrow in the driving direction, with the crash density
/// (crashes per m², square-root colour scale shared by both panels, clipped to the road) in each
/// panel and a colour bar. Panel titles give the steps and the count ("early (steps < 5M): 812
/// crashes", "late (steps ≥ 5M): no crashes"). Crashes without a finite position are left out.
/// The size depends on the road's area, not on the number of crashes.
std::string crash_heatmap_svg(const sim::Track& track, std::span<const CrashMark> crashes,
                              std::int64_t split_step, const std::string& title);

}  // namespace report
