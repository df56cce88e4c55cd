// Joining an MPI job, or running alone (see distributed.h).
#include "app/distributed.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

#ifdef CRASHCOURSE_HAVE_MPI
#include "dist/mpi_communicator.h"
#endif

namespace app {
namespace {

/// The first of these environment variables that is set, as a positive integer, or 0.
int env_count(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (const char* value = std::getenv(name)) return std::max(0, std::atoi(value));
  }
  return 0;
}

}  // namespace

std::shared_ptr<agent::Communicator> join_job() {
  // Open MPI, MPICH/Hydra and PMIx each set these in every rank's environment.
  const int world = env_count({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"});
#ifdef CRASHCOURSE_HAVE_MPI
  if (world > 0) return std::make_shared<dist::MpiCommunicator>();
#else
  if (world > 1) {
    throw std::runtime_error("started as one of " + std::to_string(world) +
                             " MPI ranks, but this build has no MPI: every rank would train alone into the same "
                             "run folder (hint: install libopenmpi-dev and configure with -DCRASHCOURSE_MPI=ON)");
  }
#endif
  return std::make_shared<agent::SingleProcess>();
}

int ranks_on_this_host() {
  return std::max(1, env_count({"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "PMIX_LOCAL_SIZE"}));
}

int first_rank_differing(agent::Communicator& comm, std::uint64_t fingerprint) {
  const std::vector<std::uint64_t> all = agent::gather_u64(comm, fingerprint);
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (all[r] != all[0]) return static_cast<int>(r);
  }
  return -1;
}

}  // namespace app
