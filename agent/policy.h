// Policy: the actor-critic of PPO for continuous actions. An actor MLP gives the mean of a
// diagonal Gaussian over actions, a state-independent log-std vector its spread, and a separate
// critic MLP the state value. Every parameter lives in ONE flat vector, laid out
//   [ actor (Mlp layout) | log_std (act_dim) | critic (Mlp layout) ]
// so one Adam, one gradient-norm clip and (later) one MPI_Allreduce handle everything.
//
// Actions are unbounded samples a = μ(o) + σ ⊙ ε, ε ~ N(0, I), σ = exp(log_std); the environment
// clamps them to its limits, and the log-probability is that of the unclamped sample (as CleanRL).
//
// Gaussian log-density, per action dimension j, with z_j = (a_j − μ_j) / σ_j:
//   log N(a_j; μ_j, σ_j) = −½ z_j² − log σ_j − ½ log 2π
// and log π(a | o) is the sum over j. Its derivatives, used by the PPO backward pass:
//   ∂/∂μ_j       = z_j / σ_j = (a_j − μ_j) / σ_j²
//   ∂/∂log σ_j   = z_j² − 1
// Entropy of the diagonal Gaussian (independent of o here):
//   H = Σ_j (½ + ½ log 2π + log σ_j),   ∂H/∂log σ_j = 1
//
// Batches are column-major, one sample per column: observations obs_dim × B (a row-major
// [B][obs_dim] array is that matrix), actions act_dim × B, log-probs and values of length B.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <span>
#include <vector>

#include "agent/mlp.h"
#include "sim/rng.h"

namespace agent {

/// ½ log 2π.
inline constexpr float kHalfLog2Pi = 0.918938533204672742f;

struct PolicyConfig {
  int obs_dim = 0;                     ///< observation size D (the env's observation layout)
  int act_dim = 0;                     ///< action size A
  std::vector<int> hidden = {64, 64};  ///< widths of the tanh layers, same for actor and critic
  float init_log_std = 0.0f;           ///< initial log σ of every action dimension (σ = 1)
};

/// A contiguous range of the flat parameter (or gradient) vector.
struct ParamBlock {
  std::int64_t offset = 0;
  std::int64_t size = 0;
};

struct Policy {
  int obs_dim = 0;
  int act_dim = 0;
  Mlp actor;               ///< obs_dim → hidden… → act_dim (mean)
  Mlp critic;              ///< obs_dim → hidden… → 1 (value)
  ParamBlock actor_block;  ///< where the actor's parameters sit in params
  ParamBlock log_std_block;
  ParamBlock critic_block;
  Eigen::VectorXf params;  ///< every parameter: actor, log_std, critic
};

/// Activations of actor and critic for batches of up to max_batch samples.
struct PolicyWorkspace {
  MlpWorkspace actor;
  MlpWorkspace critic;
  Eigen::MatrixXf z;  ///< act_dim × max_batch: (a − μ)/σ of the last log-prob evaluation
};

/// Views of one forward pass, valid until the next forward on the same workspace.
struct PolicyOutputs {
  Eigen::Map<const Eigen::MatrixXf> mean;   ///< act_dim × B
  Eigen::Map<const Eigen::MatrixXf> value;  ///< 1 × B
};

/// Builds the layout and initialises as CleanRL: orthogonal weights with gain √2 in hidden layers,
/// 0.01 on the mean output, 1 on the value output; zero biases; log_std = init_log_std.
Policy make_policy(const PolicyConfig& config, std::uint64_t seed);

/// Length of Policy::params for a config: actor, log_std and critic, laid out as make_policy does.
std::int64_t policy_param_count(const PolicyConfig& config);

PolicyWorkspace make_policy_workspace(const Policy& policy, int max_batch);

/// The part of a flat vector (params, a gradient, Adam's moments) that a block covers.
std::span<float> block_span(Eigen::VectorXf& flat, ParamBlock block);
std::span<const float> block_span(const Eigen::VectorXf& flat, ParamBlock block);

/// log σ, one entry per action dimension.
Eigen::Map<const Eigen::VectorXf> log_std(const Policy& policy);

/// Means and values of a batch of observations (obs_dim × B).
PolicyOutputs policy_forward(const Policy& policy, PolicyWorkspace& ws,
                             const Eigen::Ref<const Eigen::MatrixXf>& obs);

/// Backward pass of the last policy_forward on ws: adds the parameter gradient of a loss with
/// dL/dmean = d_mean (act_dim × B) and dL/dvalue = d_value (1 × B) into grad (the flat layout).
/// The log_std block is not touched: its gradient depends on the loss, not on the networks.
void policy_backward(const Policy& policy, PolicyWorkspace& ws,
                     const Eigen::Ref<const Eigen::MatrixXf>& d_mean,
                     const Eigen::Ref<const Eigen::MatrixXf>& d_value, Eigen::VectorXf& grad);

/// Samples a ~ π(·|o) for each column of obs, with its log-probability and the value V(o).
/// The rng is drawn act_dim normals per sample, sample after sample.
void act(const Policy& policy, PolicyWorkspace& ws, const Eigen::Ref<const Eigen::MatrixXf>& obs,
         sim::Rng& rng, Eigen::Ref<Eigen::MatrixXf> actions, Eigen::Ref<Eigen::VectorXf> log_probs,
         Eigen::Ref<Eigen::VectorXf> values);

/// The mean action μ(o), for evaluation.
void act_deterministic(const Policy& policy, PolicyWorkspace& ws,
                       const Eigen::Ref<const Eigen::MatrixXf>& obs,
                       Eigen::Ref<Eigen::MatrixXf> actions);

/// V(o) alone: the bootstrap value of the observations after a rollout's last step.
void evaluate_values(const Policy& policy, PolicyWorkspace& ws,
                     const Eigen::Ref<const Eigen::MatrixXf>& obs,
                     Eigen::Ref<Eigen::VectorXf> values);

/// log π(a | o) = Σ_j (−½ z_j² − log σ_j − ½ log 2π) of each column, given the means, writing
/// z = (a − μ)/σ as well (the PPO backward needs it). The one place log-probs are computed.
void gaussian_log_probs(const Eigen::Ref<const Eigen::MatrixXf>& mean,
                        const Eigen::Ref<const Eigen::VectorXf>& log_std,
                        const Eigen::Ref<const Eigen::MatrixXf>& actions,
                        Eigen::Ref<Eigen::MatrixXf> z, Eigen::Ref<Eigen::VectorXf> log_probs);

/// log π(a | o) of given actions (act_dim × B).
void evaluate_log_probs(const Policy& policy, PolicyWorkspace& ws,
                        const Eigen::Ref<const Eigen::MatrixXf>& obs,
                        const Eigen::Ref<const Eigen::MatrixXf>& actions,
                        Eigen::Ref<Eigen::VectorXf> log_probs);

/// Entropy H of the action distribution (the same for every observation).
float policy_entropy(const Policy& policy);

}  // namespace agent
