// An evaluation's figures as JSON, the same in summary.json and eval.json.
#pragma once

#include <nlohmann/json.hpp>

#include "agent/evaluation.h"
#include "app/run_folder.h"

namespace app {

/// The figures of r, rounded for reading (json_number); lap time is null when no lap was driven.
inline nlohmann::json eval_json(const agent::EvalResult& r) {
  return {{"episodes", r.episodes},
          {"clean_lap_rate", json_number(r.clean_lap_rate)},
          {"crash_rate", json_number(r.crash_rate)},
          {"lap_rate", json_number(r.lap_rate)},
          {"near_misses_per_km", json_number(r.near_misses_per_km)},
          {"mean_lap_time_s", r.lap_rate > 0.0f ? nlohmann::json(json_number(r.mean_lap_time)) : nlohmann::json(nullptr)},
          {"mean_speed_mps", json_number(r.mean_speed)},
          {"mean_return", json_number(r.mean_return)},
          {"env_steps", r.steps}};
}

}  // namespace app
