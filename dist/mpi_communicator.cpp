// MpiCommunicator (see mpi_communicator.h): the collectives as MPI calls, timed.
#include "dist/mpi_communicator.h"

#include <mpi.h>

#include <cstdint>
#include <cstdlib>

namespace dist {
namespace {

/// Adds the time from construction to destruction to a counter.
class Timed {
 public:
  explicit Timed(double& total) : total_(total), start_(MPI_Wtime()) {}
  ~Timed() { total_ += MPI_Wtime() - start_; }
  Timed(const Timed&) = delete;
  Timed& operator=(const Timed&) = delete;

 private:
  double& total_;
  double start_;
};

}  // namespace

MpiCommunicator::MpiCommunicator() {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiCommunicator::~MpiCommunicator() { MPI_Finalize(); }

void MpiCommunicator::sum(std::span<float> values) {
  const Timed timed(seconds_);
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}

std::span<const double> MpiCommunicator::gather_all(std::span<const double> mine) {
  const Timed timed(seconds_);
  gathered_.resize(mine.size() * static_cast<std::size_t>(size_));
  MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, gathered_.data(),
                static_cast<int>(mine.size()), MPI_DOUBLE, MPI_COMM_WORLD);
  return gathered_;
}

void MpiCommunicator::broadcast(std::span<double> values, int root) {
  const Timed timed(seconds_);
  MPI_Bcast(values.data(), static_cast<int>(values.size()), MPI_DOUBLE, root, MPI_COMM_WORLD);
}

std::vector<std::vector<std::byte>> MpiCommunicator::gather_to_root(std::span<const std::byte> mine) {
  const Timed timed(seconds_);
  const int count = static_cast<int>(mine.size());
  std::vector<int> counts(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(counts.size());
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    offsets[r] = static_cast<int>(total);
    total += static_cast<std::size_t>(counts[r]);
  }
  std::vector<std::byte> all(total);
  MPI_Gatherv(mine.data(), count, MPI_BYTE, all.data(), counts.data(), offsets.data(), MPI_BYTE, 0,
              MPI_COMM_WORLD);
  std::vector<std::vector<std::byte>> parts;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    parts.emplace_back(all.begin() + offsets[r], all.begin() + offsets[r] + counts[r]);
  }
  return parts;
}

void MpiCommunicator::abort(int status) {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);  // MPI_Abort does not return; should it, this process still ends
}

}  // namespace dist
