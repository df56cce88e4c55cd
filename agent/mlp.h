// Mlp: a multilayer perceptron with tanh hidden layers and a linear output, whose parameters live
// in a span the caller owns (so the actor, the critic and the log-std share one flat vector, one
// Adam and one all-reduce). Forward and a hand-written backward on column-major batches.
//
// Layout of one net's span, layer by layer (l = 1 .. L, n_0 = inputs, n_L = outputs):
//   W_l  n_l × n_{l-1}, column-major   (Eigen::Map view)
//   b_l  n_l
// Batches are column-major: X is n_0 × B, one sample per column. A row-major [B][n_0] array of
// observations is exactly that matrix, so rollout buffers map without copying.
//
// Forward, keeping every activation in the workspace for the backward pass:
//   A_0 = X
//   A_l = tanh(W_l A_{l-1} + b_l 1ᵀ)      l < L
//   Y   = A_L = W_L A_{L-1} + b_L 1ᵀ
// Backward, from G_L = dL/dY (n_L × B), with G_l = dL/d(pre-activation of layer l):
//   dL/dW_l     += G_l A_{l-1}ᵀ            (n_l × B)(B × n_{l-1})
//   dL/db_l     += G_l 1                   row sums of G_l
//   dL/dA_{l-1}  = W_lᵀ G_l                (n_{l-1} × n_l)(n_l × B)
//   G_{l-1}      = dL/dA_{l-1} ⊙ (1 − A_{l-1}²)   since tanh' = 1 − tanh²
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <span>
#include <vector>

#include "sim/rng.h"

namespace agent {

/// Shape of a net: layer widths, inputs first, outputs last (e.g. {26, 64, 64, 2}).
struct Mlp {
  std::vector<int> sizes;
};

/// Activations (and their gradients) of one net for batches of up to max_batch samples.
/// Allocated once; forward and backward never allocate.
struct MlpWorkspace {
  int max_batch = 0;
  std::vector<Eigen::MatrixXf> activations;  ///< A_l, sizes[l] × max_batch, l = 0 .. L
  std::vector<Eigen::MatrixXf> gradients;    ///< G_l, same shapes, l = 1 .. L ([0] is empty)
};

/// Number of floats the net's span must hold: Σ_l n_l (n_{l-1} + 1).
std::int64_t mlp_param_count(const Mlp& mlp);

MlpWorkspace make_mlp_workspace(const Mlp& mlp, int max_batch);

/// Orthogonal initialisation as in CleanRL's layer_init: each W_l is a (semi-)orthogonal matrix
/// times a gain — hidden_gain for tanh layers, output_gain for the last layer (√2 and 0.01 for a
/// policy mean, √2 and 1 for a value) — and every bias is zero.
void init_mlp(const Mlp& mlp, std::span<float> params, float hidden_gain, float output_gain,
              sim::Rng& rng);

/// Y = net(X) for X of shape sizes.front() × B, B ≤ max_batch. Returns a view of the outputs
/// (sizes.back() × B) inside the workspace, valid until the next forward on it.
Eigen::Map<const Eigen::MatrixXf> mlp_forward(const Mlp& mlp, std::span<const float> params,
                                              MlpWorkspace& ws,
                                              const Eigen::Ref<const Eigen::MatrixXf>& x);

/// Backward pass of the last forward (batch B = d_y.cols()): adds dL/dθ into grad (same layout as
/// params). The workspace's gradient buffers are overwritten.
void mlp_backward(const Mlp& mlp, std::span<const float> params, MlpWorkspace& ws,
                  const Eigen::Ref<const Eigen::MatrixXf>& d_y, std::span<float> grad);

/// Same, and also writes dL/dX (sizes.front() × B) into d_x.
void mlp_backward(const Mlp& mlp, std::span<const float> params, MlpWorkspace& ws,
                  const Eigen::Ref<const Eigen::MatrixXf>& d_y, std::span<float> grad,
                  Eigen::Ref<Eigen::MatrixXf> d_x);

}  // namespace agent
