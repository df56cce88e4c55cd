// PPO update (Schulman et al. 2017), clipped-surrogate variant, following CleanRL's
// ppo_continuous_action.py: K epochs over a seeded shuffle of the rollout, each minibatch giving
// one hand-derived gradient of the whole loss, a global-norm clip and one Adam step.
//
// Loss of a minibatch of M valid samples k (all means over k):
//   ρ_k      = exp(log π(a_k|o_k) − log π_old(a_k|o_k))            probability ratio
//   Â_k      = (A_k − mean A) / (std A + 1e-8)                      if norm_adv (per minibatch,
//                                                                   unbiased std, as torch.std)
//   L_pg     = mean max(−Â ρ, −Â clip(ρ, 1−ε, 1+ε))
//   L_v      = ½ mean max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²)   if clip_vloss
//            = ½ mean (V − R)²                                               otherwise
//   H        = Σ_j (½ + ½ log 2π + log σ_j)                         entropy (state-independent)
//   L        = L_pg − c_H H + c_V L_v
//
// Gradient of the clipped surrogate. Per sample, ℓ = max(−Âρ, −Â clip(ρ)). Where the unclipped
// term is the larger (ties included: then clip(ρ) = ρ and both branches agree), ∂ℓ/∂ρ = −Â; where
// the clipped term is strictly larger, clip(ρ) ≠ ρ, so clip is saturated and ∂ℓ/∂ρ = 0 — that
// sample pushes the policy no further. With ∂ρ/∂log π = ρ and the Gaussian derivatives of
// policy.h (∂log π/∂μ_j = z_j/σ_j, ∂log π/∂log σ_j = z_j² − 1):
//   g_k           = (1/M) · ∂ℓ_k/∂ρ · ρ_k                              = ∂L_pg/∂log π_k
//   ∂L/∂μ_jk      = g_k z_jk / σ_j                                     → actor backward
//   ∂L/∂log σ_j   = Σ_k g_k (z_jk² − 1) − c_H
// Value term, per sample: where the unclipped square is the larger, ∂/∂V = c_V (V − R)/M; where
// the clipped square is strictly larger, V_old + clip(V − V_old) ≠ V, the clip is saturated and
// ∂/∂V = 0.                                                           → critic backward
//
// Determinism across thread counts: a minibatch is split into config.gradient_chunks fixed,
// contiguous ranges of its (shuffled) samples. Each chunk computes its part of the gradient into
// its own buffer — on whatever thread the caller's ParallelFor picks — and the buffers are summed
// in chunk order. The result depends on the chunk count, never on the threading.
//
// Data parallel over K ranks (a Communicator): each rank holds its own rollout and cuts its valid
// samples into the same number of minibatches; minibatch m of the update is the union of every
// rank's minibatch m. The advantage statistics of that global minibatch are merged across ranks
// (count, mean, M2; for every minibatch of the update in one gather before it), each rank's gradient is its share of the global mean (every
// term divided by the global M, as the chunks do), and one sum over the ranks of the gradient and
// the loss terms gives every rank the same gradient, hence the same clip and Adam step: the
// parameters stay identical on every rank. A rank whose share of a minibatch is empty still takes
// part. With one rank nothing is exchanged and the update is exactly the single-process one.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "agent/adam.h"
#include "agent/communicator.h"
#include "agent/policy.h"

namespace agent {

struct PpoConfig {
  float clip_coef = 0.2f;          ///< ε: trust region of the ratio, and of the value clip
  float vf_coef = 0.5f;            ///< c_V: weight of the value loss
  float ent_coef = 0.0f;           ///< c_H: weight of the entropy bonus
  int epochs = 10;                 ///< passes over the rollout per update
  int minibatches = 32;            ///< minibatches per epoch (of near-equal size)
  float max_grad_norm = 0.5f;      ///< global L2 norm the gradient is clipped to
  std::optional<float> target_kl;  ///< stop after an epoch whose last approx_kl exceeds it
  bool norm_adv = true;            ///< normalise advantages per minibatch
  bool clip_vloss = true;          ///< clip the value update around the old value
  int gradient_chunks = 2;         ///< fixed split of each minibatch for parallel gradients
};

/// One rollout flattened to B = T·N samples ([T][N] order, sample t*N + i). Spans, not copies:
/// the trainer's rollout buffers are passed as they are.
struct PpoBatch {
  std::span<const float> obs;           ///< [B][obs_dim], already normalised
  std::span<const float> actions;       ///< [B][act_dim], as sampled (unclamped)
  std::span<const float> log_probs;     ///< [B] log π_old(a|o) at collection
  std::span<const float> advantages;    ///< [B] from compute_gae
  std::span<const float> returns;       ///< [B] value targets from compute_gae
  std::span<const float> values;        ///< [B] V_old(o): rows 0 … T−1 of the GAE values
  std::span<const std::uint8_t> valid;  ///< [B] 0 = autoreset step: never trained on
};

/// Runs body(k) for every k in [0, count) — in any order, on any threads — and returns when all
/// have finished. An empty ParallelFor means run_sequentially.
using ParallelFor = std::function<void(int count, const std::function<void(int)>& body)>;

void run_sequentially(int count, const std::function<void(int)>& body);

/// Loss terms of one minibatch, at the parameters before its step.
struct MinibatchStats {
  float loss = 0.0f;         ///< L
  float policy_loss = 0.0f;  ///< L_pg
  float value_loss = 0.0f;   ///< L_v
  float entropy = 0.0f;      ///< H
  float approx_kl = 0.0f;    ///< mean (ρ − 1) − log ρ (Schulman's k3 estimator, ≥ 0)
  float clipfrac = 0.0f;     ///< fraction of samples with |ρ − 1| > ε
  int samples = 0;           ///< M
};

/// What an update reports for logging.
struct PpoStats {
  float policy_loss = 0.0f;         ///< mean over the minibatches run
  float value_loss = 0.0f;          ///< mean over the minibatches run
  float entropy = 0.0f;             ///< mean over the minibatches run
  float approx_kl = 0.0f;           ///< of the last minibatch: what target_kl is tested against
  float clipfrac = 0.0f;            ///< mean over the minibatches run
  float explained_variance = 0.0f;  ///< 1 − Var(R − V_old)/Var(R), valid samples; NaN if Var(R)=0
  float grad_norm = 0.0f;           ///< mean global gradient norm before clipping
  int epochs = 0;                   ///< epochs completed
  int minibatch_steps = 0;          ///< Adam steps taken
  bool early_stopped = false;       ///< target_kl ended the update before config.epochs
};

/// Scratch of one gradient chunk: gathered samples, activations, loss derivatives, gradient.
struct GradientChunk {
  PolicyWorkspace net;
  Eigen::MatrixXf obs;        ///< obs_dim × max_chunk, gathered from the shuffled indices
  Eigen::MatrixXf actions;    ///< act_dim × max_chunk
  Eigen::VectorXf log_probs;  ///< max_chunk: log π under the current parameters
  Eigen::VectorXf inv_std;    ///< act_dim: 1/σ
  Eigen::MatrixXf d_mean;     ///< act_dim × max_chunk: ∂L/∂μ
  Eigen::MatrixXf d_value;    ///< 1 × max_chunk: ∂L/∂V
  Eigen::VectorXf grad;       ///< this chunk's share of ∂L/∂θ (flat layout)
  double policy_loss = 0.0;   ///< Σ over the chunk's samples of ℓ_k / M
  double value_loss = 0.0;    ///< Σ of the per-sample value loss / M
  double approx_kl = 0.0;     ///< Σ ((ρ − 1) − log ρ) / M
  int clipped = 0;            ///< samples with |ρ − 1| > ε
};

/// Everything an update touches, allocated once for batches of up to max_batch samples.
struct PpoWorkspace {
  int max_batch = 0;
  int max_minibatch = 0;
  std::vector<std::int32_t> order;    ///< valid sample indices, shuffled each epoch
  std::vector<std::int32_t> order_ahead;  ///< K > 1 ranks: the shuffles replayed ahead of the update
  std::vector<Moments> advantages;    ///< K > 1 ranks: advantage moments of each global minibatch
  std::vector<GradientChunk> chunks;  ///< config.gradient_chunks of them
  Eigen::VectorXf grad;               ///< the minibatch's gradient, summed over chunks
  Eigen::VectorXf reduce;             ///< gradient and 4 loss terms, summed over ranks at once
};

/// Sizes every buffer for batches of up to max_batch samples split as config says.
PpoWorkspace make_ppo_workspace(const Policy& policy, const PpoConfig& config, int max_batch);

/// Loss of the samples `indices` of batch (at most ws.max_minibatch of them) and its gradient
/// with respect to every parameter, left in ws.grad (unclipped). Chunks run through parallel_for.
/// With a communicator of K > 1 ranks, indices are this rank's share of a global minibatch (may
/// be empty) and the loss and gradient are the global minibatch's, the same on every rank;
/// samples = 0 when the global minibatch is empty. A null communicator means one process.
/// global_advantages: the global minibatch's advantage count, mean and M2 when already known
/// (ppo_update merges those of a whole update at once); else they are computed and merged here.
MinibatchStats compute_minibatch_gradient(const Policy& policy, const PpoConfig& config,
                                          const PpoBatch& batch,
                                          std::span<const std::int32_t> indices, PpoWorkspace& ws,
                                          const ParallelFor& parallel_for = {},
                                          Communicator* comm = nullptr,
                                          const Moments* global_advantages = nullptr);

/// The PPO update: config.epochs passes over the valid samples of batch, each shuffled with
/// Rng(derive_seed(seed, epoch)) and cut into config.minibatches minibatches; per minibatch a
/// gradient, a clip to max_grad_norm and one adam_step (at adam.learning_rate) on policy.params.
/// The trainer passes a fresh seed per update, e.g. derive_seed(run_seed, iteration), so a
/// resumed run shuffles as the uninterrupted one would. No allocation. With a communicator of
/// K > 1 ranks, batch is this rank's rollout and the update is data parallel (see the top of
/// this file); every rank must pass its own seed (rank_seed) and call it at the same time.
PpoStats ppo_update(Policy& policy, Adam& adam, const PpoConfig& config, const PpoBatch& batch,
                    std::uint64_t seed, PpoWorkspace& ws, const ParallelFor& parallel_for = {},
                    Communicator* comm = nullptr);

}  // namespace agent
