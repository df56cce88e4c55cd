// Policy layout, initialisation, forward/backward of actor and critic, Gaussian sampling,
// log-probabilities and entropy.
#include "agent/policy.h"

#include <cassert>
#include <cmath>

namespace agent {
namespace {

/// Gain of CleanRL's hidden layers: the tanh nets are initialised with orthogonal(√2).
constexpr float kHiddenGain = 1.41421356237f;
constexpr float kMeanOutputGain = 0.01f;  ///< near-zero initial means: actions start centred
constexpr float kValueOutputGain = 1.0f;

Mlp make_net(const PolicyConfig& config, int outputs) {
  Mlp net;
  net.sizes.push_back(config.obs_dim);
  for (int width : config.hidden) net.sizes.push_back(width);
  net.sizes.push_back(outputs);
  return net;
}

}  // namespace

std::int64_t policy_param_count(const PolicyConfig& config) {
  return mlp_param_count(make_net(config, config.act_dim)) + config.act_dim +
         mlp_param_count(make_net(config, 1));
}

Policy make_policy(const PolicyConfig& config, std::uint64_t seed) {
  assert(config.obs_dim > 0 && config.act_dim > 0);
  Policy policy;
  policy.obs_dim = config.obs_dim;
  policy.act_dim = config.act_dim;
  policy.actor = make_net(config, config.act_dim);
  policy.critic = make_net(config, 1);

  policy.actor_block = {0, mlp_param_count(policy.actor)};
  policy.log_std_block = {policy.actor_block.offset + policy.actor_block.size, config.act_dim};
  policy.critic_block = {policy.log_std_block.offset + policy.log_std_block.size,
                         mlp_param_count(policy.critic)};
  policy.params = Eigen::VectorXf::Zero(policy.critic_block.offset + policy.critic_block.size);

  // Separate streams, so changing one net's shape does not change the other's initial weights.
  sim::Rng actor_rng(sim::derive_seed(seed, 0));
  sim::Rng critic_rng(sim::derive_seed(seed, 1));
  init_mlp(policy.actor, block_span(policy.params, policy.actor_block), kHiddenGain,
           kMeanOutputGain, actor_rng);
  policy.params.segment(policy.log_std_block.offset, policy.log_std_block.size)
      .setConstant(config.init_log_std);
  init_mlp(policy.critic, block_span(policy.params, policy.critic_block), kHiddenGain,
           kValueOutputGain, critic_rng);
  return policy;
}

PolicyWorkspace make_policy_workspace(const Policy& policy, int max_batch) {
  PolicyWorkspace ws;
  ws.actor = make_mlp_workspace(policy.actor, max_batch);
  ws.critic = make_mlp_workspace(policy.critic, max_batch);
  ws.z = Eigen::MatrixXf::Zero(policy.act_dim, max_batch);
  return ws;
}

std::span<float> block_span(Eigen::VectorXf& flat, ParamBlock block) {
  assert(block.offset + block.size <= flat.size());
  return {flat.data() + block.offset, static_cast<std::size_t>(block.size)};
}

std::span<const float> block_span(const Eigen::VectorXf& flat, ParamBlock block) {
  assert(block.offset + block.size <= flat.size());
  return {flat.data() + block.offset, static_cast<std::size_t>(block.size)};
}

Eigen::Map<const Eigen::VectorXf> log_std(const Policy& policy) {
  return {policy.params.data() + policy.log_std_block.offset, policy.act_dim};
}

PolicyOutputs policy_forward(const Policy& policy, PolicyWorkspace& ws,
                             const Eigen::Ref<const Eigen::MatrixXf>& obs) {
  assert(obs.rows() == policy.obs_dim);
  return {
      mlp_forward(policy.actor, block_span(policy.params, policy.actor_block), ws.actor, obs),
      mlp_forward(policy.critic, block_span(policy.params, policy.critic_block), ws.critic, obs)};
}

void policy_backward(const Policy& policy, PolicyWorkspace& ws,
                     const Eigen::Ref<const Eigen::MatrixXf>& d_mean,
                     const Eigen::Ref<const Eigen::MatrixXf>& d_value, Eigen::VectorXf& grad) {
  assert(grad.size() == policy.params.size());
  mlp_backward(policy.actor, block_span(policy.params, policy.actor_block), ws.actor, d_mean,
               block_span(grad, policy.actor_block));
  mlp_backward(policy.critic, block_span(policy.params, policy.critic_block), ws.critic, d_value,
               block_span(grad, policy.critic_block));
}

void gaussian_log_probs(const Eigen::Ref<const Eigen::MatrixXf>& mean,
                        const Eigen::Ref<const Eigen::VectorXf>& log_std,
                        const Eigen::Ref<const Eigen::MatrixXf>& actions,
                        Eigen::Ref<Eigen::MatrixXf> z, Eigen::Ref<Eigen::VectorXf> log_probs) {
  const Eigen::Index dims = mean.rows();
  const Eigen::Index batch = mean.cols();
  assert(actions.rows() == dims && actions.cols() == batch);
  assert(z.rows() == dims && z.cols() == batch && log_probs.size() == batch);
  // The −log σ − ½ log 2π part is the same for every sample.
  const float constant = -log_std.sum() - static_cast<float>(dims) * kHalfLog2Pi;
  for (Eigen::Index k = 0; k < batch; ++k) {
    float square_sum = 0.0f;
    for (Eigen::Index j = 0; j < dims; ++j) {
      const float zj = (actions(j, k) - mean(j, k)) * std::exp(-log_std(j));
      z(j, k) = zj;
      square_sum += zj * zj;
    }
    log_probs(k) = -0.5f * square_sum + constant;
  }
}

void act(const Policy& policy, PolicyWorkspace& ws, const Eigen::Ref<const Eigen::MatrixXf>& obs,
         sim::Rng& rng, Eigen::Ref<Eigen::MatrixXf> actions, Eigen::Ref<Eigen::VectorXf> log_probs,
         Eigen::Ref<Eigen::VectorXf> values) {
  const Eigen::Index batch = obs.cols();
  assert(actions.rows() == policy.act_dim && actions.cols() == batch);
  assert(values.size() == batch);
  const PolicyOutputs out = policy_forward(policy, ws, obs);
  const Eigen::Map<const Eigen::VectorXf> s = log_std(policy);

  // a = μ + σ ε, ε ~ N(0, I).
  for (Eigen::Index k = 0; k < batch; ++k) {
    for (Eigen::Index j = 0; j < policy.act_dim; ++j) {
      actions(j, k) = out.mean(j, k) + std::exp(s(j)) * rng.normal();
    }
  }
  // Same formula as the PPO update evaluates, so the first ratio is 1 up to rounding.
  gaussian_log_probs(out.mean, s, actions, ws.z.leftCols(batch), log_probs);
  values = out.value.row(0).transpose();
}

void act_deterministic(const Policy& policy, PolicyWorkspace& ws,
                       const Eigen::Ref<const Eigen::MatrixXf>& obs,
                       Eigen::Ref<Eigen::MatrixXf> actions) {
  actions = mlp_forward(policy.actor, block_span(policy.params, policy.actor_block), ws.actor, obs);
}

void evaluate_values(const Policy& policy, PolicyWorkspace& ws,
                     const Eigen::Ref<const Eigen::MatrixXf>& obs,
                     Eigen::Ref<Eigen::VectorXf> values) {
  values =
      mlp_forward(policy.critic, block_span(policy.params, policy.critic_block), ws.critic, obs)
          .row(0)
          .transpose();
}

void evaluate_log_probs(const Policy& policy, PolicyWorkspace& ws,
                        const Eigen::Ref<const Eigen::MatrixXf>& obs,
                        const Eigen::Ref<const Eigen::MatrixXf>& actions,
                        Eigen::Ref<Eigen::VectorXf> log_probs) {
  const Eigen::Map<const Eigen::MatrixXf> mean =
      mlp_forward(policy.actor, block_span(policy.params, policy.actor_block), ws.actor, obs);
  gaussian_log_probs(mean, log_std(policy), actions, ws.z.leftCols(obs.cols()), log_probs);
}

float policy_entropy(const Policy& policy) {
  // H = Σ_j (½ + ½ log 2π + log σ_j).
  return log_std(policy).sum() + static_cast<float>(policy.act_dim) * (0.5f + kHalfLog2Pi);
}

}  // namespace agent
