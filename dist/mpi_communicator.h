// MpiCommunicator: agent::Communicator over MPI_COMM_WORLD. Built only when CMake finds MPI
// (option CRASHCOURSE_MPI). Constructing it initialises MPI, destroying it finalises MPI; abort
// ends every rank of the job at once (MPI_Abort), which is how a rank that fails alone stops the
// others instead of leaving them waiting in a collective for ever. Time inside collectives is
// measured with MPI_Wtime and reported by seconds().
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "agent/communicator.h"

namespace dist {

class MpiCommunicator final : public agent::Communicator {
 public:
  MpiCommunicator();   ///< MPI_Init
  ~MpiCommunicator() override;  ///< MPI_Finalize
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::span<float> values) override;
  std::span<const double> gather_all(std::span<const double> mine) override;
  void broadcast(std::span<double> values, int root) override;
  std::vector<std::vector<std::byte>> gather_to_root(std::span<const std::byte> mine) override;
  double seconds() const override { return seconds_; }
  [[noreturn]] void abort(int status) override;

 private:
  int rank_ = 0;
  int size_ = 1;
  double seconds_ = 0.0;
  std::vector<double> gathered_;
};

}  // namespace dist
