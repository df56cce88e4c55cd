// The processes `crashcourse train` runs on: the ranks of an MPI job when an MPI launcher
// (mpirun, mpiexec, srun) started this process and the build has MPI, else one process. The one
// place the app knows whether MPI was built in.
#pragma once

#include <cstdint>
#include <memory>

#include "agent/communicator.h"

namespace app {

/// The job this process belongs to. Throws std::runtime_error when a launcher started several
/// ranks but this build has no MPI (each would train alone into the same run folder).
std::shared_ptr<agent::Communicator> join_job();

/// Ranks of this job on this host, as the launcher says (1 without a launcher): `threads = 0`
/// shares the cores among them.
int ranks_on_this_host();

/// Collective: the first rank whose fingerprint differs from rank 0's, or -1 (on every rank).
int first_rank_differing(agent::Communicator& comm, std::uint64_t fingerprint);

}  // namespace app
