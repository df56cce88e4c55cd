// Autopilot: a scripted driver that follows the centreline at a target speed (pure pursuit on a
// point a fixed distance ahead, proportional speed control). It is the baseline driver of the
// demo and tests today, and the driver of scripted traffic tomorrow.
#pragma once

#include "sim/car.h"
#include "sim/world.h"

namespace sim {

struct AutopilotSpec {
  float target_speed = 12.0f;       ///< m/s
  float lookahead = 10.0f;          ///< m along the centreline to the pursued point
  float lateral = 0.0f;             ///< m, offset of the pursued line from the centreline (left +)
};

/// The controls that steer car i toward the pursued point and its speed toward the target.
CarControls autopilot(const World& world, int car, const AutopilotSpec& spec);

}  // namespace sim
