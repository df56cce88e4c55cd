// Adam over the flat parameter vector (Kingma & Ba 2015, as torch.optim.Adam with CleanRL's
// ε = 1e-5). One loop over all parameters; the state is plain data so a checkpoint can store and
// restore it, and the learning rate is a field the trainer sets before each update (annealing).
//
// With gradient g at step t (counted from 1):
//   m ← β1 m + (1 − β1) g
//   v ← β2 v + (1 − β2) g²
//   θ ← θ − lr · (m / (1 − β1^t)) / (√v / √(1 − β2^t) + ε)
// The bias corrections undo the zero initialisation of m and v; ε sits outside the corrected √v
// exactly as in PyTorch, so runs compare with CleanRL's.
#pragma once

#include <Eigen/Core>

#include <cstdint>

namespace agent {

struct Adam {
  float learning_rate = 3e-4f;  ///< set before each update to anneal
  float beta1 = 0.9f;           ///< decay of the first moment
  float beta2 = 0.999f;         ///< decay of the second moment
  float epsilon = 1e-5f;        ///< added to the corrected √v
  Eigen::VectorXf m;            ///< first-moment estimate, one per parameter
  Eigen::VectorXf v;            ///< second-moment estimate, one per parameter
  std::int64_t step = 0;        ///< updates taken so far
};

/// Zero moments for a vector of `size` parameters.
Adam make_adam(Eigen::Index size, float learning_rate);

/// One update of params (in place) from grad, with adam.learning_rate.
void adam_step(Adam& adam, Eigen::Ref<Eigen::VectorXf> params,
               const Eigen::Ref<const Eigen::VectorXf>& grad);

}  // namespace agent
