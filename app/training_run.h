// TrainingRun: one headless training run — PPO or evolution strategies, whichever the config's
// `algo` names (agent/learner.h) — that keeps its run folder up to date — metrics and
// crashes logged every iteration, evaluations on schedule, checkpoints, plots and a summary —
// stops early once the scenario is solved, and on SIGINT/SIGTERM finishes the iteration, saves,
// and says how to resume. A resumed run continues bit for bit: it drops what was logged after
// its checkpoint and carries on, so its logs equal those of a run never interrupted.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "agent/checkpoint.h"
#include "agent/communicator.h"
#include "app/run_config.h"
#include "app/run_folder.h"
#include "sim/scenario_loader.h"

namespace app {

struct TrainingRunSetup {
  RunConfig config;                 ///< threads resolved (≥ 1)
  sim::LoadedScenario scenario;
  RunFolder run;                    ///< exists, with config.toml and scenario.toml written
  std::optional<agent::CheckpointData> resume;  ///< the checkpoint to continue from
  std::shared_ptr<agent::Communicator> comm;    ///< the ranks of the job (null: one process)
};

/// Trains until the step budget is spent, the scenario is solved (if configured) or a stop
/// signal arrives. On K > 1 ranks every rank calls it; rank 0 alone writes the run folder,
/// prints and evaluates, and the ranks agree after every iteration whether to stop (a signal
/// on any rank, a write error or a solved evaluation on rank 0), so they stop together. Returns the process exit status: 0 done, 128 + signal when stopped, 1 when a
/// file of the run could not be written, 2 for a checkpoint that does not fit.
int run_training(const TrainingRunSetup& setup);

}  // namespace app
