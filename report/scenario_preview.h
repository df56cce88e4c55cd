// A scenario drawn top-down as SVG, for authoring: the road, obstacles numbered as the file
// lists them (error messages say obstacles[2]), where cars spawn, arc-length marks every 100 m
// (obstacles are placed by s), the start line and driving direction, and a scale bar.
#pragma once

#include <string>

#include "sim/scenario.h"
#include "sim/track.h"

#include "report/track_drawing.h"

namespace report {

/// How the preview maps the world to px (the track sits under the title and the subtitle, whose
/// description is wrapped to the figure's width).
PanelFrame preview_frame(const sim::Scenario& scenario, const sim::Track& track);

std::string scenario_preview_svg(const sim::Scenario& scenario, const sim::Track& track);

}  // namespace report
