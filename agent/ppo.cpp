// PPO update: minibatch loss and hand-written gradient (in fixed chunks), global-norm clipping,
// Adam, seeded shuffles and the statistics CleanRL logs. Derivations in ppo.h and policy.h.
#include "agent/ppo.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

#include "sim/rng.h"

namespace agent {
namespace {

/// A minibatch as the chunks see it: which samples, how advantages are normalised, 1/M.
struct Minibatch {
  std::span<const std::int32_t> indices;
  float adv_mean = 0.0f;   ///< subtracted from A when normalising (0 otherwise)
  float adv_scale = 1.0f;  ///< 1/(std + 1e-8) when normalising (1 otherwise)
  float inv_size = 0.0f;   ///< 1/M: every per-sample term is a mean over the minibatch
};

/// What a chunk job needs; captured by one reference so the std::function stays small.
struct ChunkJob {
  const Policy& policy;
  const PpoConfig& config;
  const PpoBatch& batch;
  const Minibatch& minibatch;
  PpoWorkspace& ws;
};

/// Samples [c·M/C, (c+1)·M/C) of a minibatch of M belong to chunk c of C.
std::span<const std::int32_t> chunk_samples(std::span<const std::int32_t> indices, int chunk,
                                            int chunks) {
  const std::size_t size = indices.size();
  const std::size_t begin =
      size * static_cast<std::size_t>(chunk) / static_cast<std::size_t>(chunks);
  const std::size_t end =
      size * static_cast<std::size_t>(chunk + 1) / static_cast<std::size_t>(chunks);
  return indices.subspan(begin, end - begin);
}

/// Loss terms and gradient of `samples` (a range of the minibatch) into chunk. Every term is
/// already divided by the whole minibatch's M, so the chunks' gradients simply add up.
void compute_chunk_gradient(const Policy& policy, const PpoConfig& config, const PpoBatch& batch,
                            const Minibatch& minibatch, std::span<const std::int32_t> samples,
                            GradientChunk& chunk) {
  chunk.grad.setZero();
  chunk.policy_loss = 0.0;
  chunk.value_loss = 0.0;
  chunk.approx_kl = 0.0;
  chunk.clipped = 0;
  const Eigen::Index n = static_cast<Eigen::Index>(samples.size());
  if (n == 0) return;
  const Eigen::Index obs_dim = policy.obs_dim;
  const Eigen::Index act_dim = policy.act_dim;
  const Eigen::Index batch_size = static_cast<Eigen::Index>(batch.valid.size());
  const float eps = config.clip_coef;
  const float inv_m = minibatch.inv_size;

  // Gather the chunk's samples into contiguous columns.
  const Eigen::Map<const Eigen::MatrixXf> all_obs(batch.obs.data(), obs_dim, batch_size);
  const Eigen::Map<const Eigen::MatrixXf> all_actions(batch.actions.data(), act_dim, batch_size);
  for (Eigen::Index k = 0; k < n; ++k) {
    chunk.obs.col(k) = all_obs.col(samples[k]);
    chunk.actions.col(k) = all_actions.col(samples[k]);
  }

  // Forward: means (A × n), values (1 × n), log π and z = (a − μ)/σ (A × n).
  const PolicyOutputs out = policy_forward(policy, chunk.net, chunk.obs.leftCols(n));
  const Eigen::Map<const Eigen::VectorXf> s = log_std(policy);
  chunk.inv_std = (-s.array()).exp().matrix();
  Eigen::Map<Eigen::MatrixXf> z(chunk.net.z.data(), act_dim, n);
  Eigen::Map<Eigen::VectorXf> log_probs(chunk.log_probs.data(), n);
  gaussian_log_probs(out.mean, s, chunk.actions.leftCols(n), z, log_probs);

  Eigen::Map<Eigen::MatrixXf> d_mean(chunk.d_mean.data(), act_dim, n);
  Eigen::Map<Eigen::MatrixXf> d_value(chunk.d_value.data(), 1, n);
  Eigen::Map<Eigen::VectorXf> d_log_std(chunk.grad.data() + policy.log_std_block.offset, act_dim);

  for (Eigen::Index k = 0; k < n; ++k) {
    const std::int32_t i = samples[k];

    // Clipped surrogate: ℓ = max(−Âρ, −Â clip(ρ, 1−ε, 1+ε)).
    const float log_ratio = log_probs(k) - batch.log_probs[i];
    const float ratio = std::exp(log_ratio);
    const float adv = (batch.advantages[i] - minibatch.adv_mean) * minibatch.adv_scale;
    const float surrogate = -adv * ratio;
    const float surrogate_clipped = -adv * std::clamp(ratio, 1.0f - eps, 1.0f + eps);
    chunk.policy_loss += std::max(surrogate, surrogate_clipped) * inv_m;
    chunk.approx_kl += ((ratio - 1.0f) - log_ratio) * inv_m;
    chunk.clipped += std::abs(ratio - 1.0f) > eps ? 1 : 0;

    // g = ∂L_pg/∂log π = (1/M) ∂ℓ/∂ρ · ρ; zero where the clipped branch wins (clip saturated).
    const float d_ratio = surrogate >= surrogate_clipped ? -adv * inv_m : 0.0f;
    const float g = d_ratio * ratio;
    // ∂log π/∂μ_j = z_j/σ_j;  ∂log π/∂log σ_j = z_j² − 1.
    for (Eigen::Index j = 0; j < act_dim; ++j) {
      const float zj = z(j, k);
      d_mean(j, k) = g * zj * chunk.inv_std(j);
      d_log_std(j) += g * (zj * zj - 1.0f);
    }

    // Value loss: ½ max((V − R)², (V_clipped − R)²), or ½ (V − R)².
    const float v = out.value(0, k);
    const float target = batch.returns[i];
    const float error = v - target;
    float d_v = config.vf_coef * error * inv_m;
    float value_loss = 0.5f * error * error;
    const float v_old = batch.values[i];
    if (config.clip_vloss && std::abs(v - v_old) > eps) {
      // Clip saturated: V_clipped = V_old ± ε no longer moves with V. Inside the clip
      // V_clipped = V, so the branch is decided by |V − V_old| rather than by comparing squares:
      // V_old + (V − V_old) may round away from V and wrongly pick the gradient-free branch.
      const float error_clipped = v_old + std::copysign(eps, v - v_old) - target;
      if (error_clipped * error_clipped > error * error) {
        value_loss = 0.5f * error_clipped * error_clipped;
        d_v = 0.0f;
      }
    }
    chunk.value_loss += value_loss * inv_m;
    d_value(0, k) = d_v;
  }

  // Backward through actor (from ∂L/∂μ) and critic (from ∂L/∂V).
  policy_backward(policy, chunk.net, d_mean, d_value, chunk.grad);
}

/// Scales grad to norm max_norm if it is longer (torch.nn.utils.clip_grad_norm_); returns the
/// norm before clipping.
float clip_grad_norm(Eigen::VectorXf& grad, float max_norm) {
  const float norm = static_cast<float>(std::sqrt(grad.cast<double>().squaredNorm()));
  const float coef = max_norm / (norm + 1e-6f);
  if (coef < 1.0f) grad *= coef;
  return norm;
}

/// 1 − Var(R − V_old)/Var(R) over the valid samples of every rank, in double; NaN if Var(R) = 0
/// (as CleanRL).
float explained_variance(const PpoBatch& batch, std::span<const std::int32_t> valid, Communicator* comm) {
  std::array<Moments, 2> m{};  // of R, and of R − V_old
  if (!valid.empty()) {
    const double n = static_cast<double>(valid.size());
    double sum_r = 0.0;
    double sum_d = 0.0;
    for (std::int32_t i : valid) {
      sum_r += batch.returns[i];
      sum_d += batch.returns[i] - batch.values[i];
    }
    double var_r = 0.0;
    double var_d = 0.0;
    for (std::int32_t i : valid) {
      const double r = batch.returns[i] - sum_r / n;
      const double d = (batch.returns[i] - batch.values[i]) - sum_d / n;
      var_r += r * r;
      var_d += d * d;
    }
    m = {Moments{n, sum_r / n, var_r}, Moments{n, sum_d / n, var_d}};
  }
  if (comm != nullptr) merge_moments_over_ranks(*comm, m);
  if (m[0].count == 0.0 || m[0].m2 == 0.0) return std::numeric_limits<float>::quiet_NaN();
  return static_cast<float>(1.0 - m[1].m2 / m[0].m2);
}

/// Count, mean and M2 (two-pass) of the advantages of `indices`.
Moments advantage_moments(const PpoBatch& batch, std::span<const std::int32_t> indices) {
  Moments adv{static_cast<double>(indices.size()), 0.0, 0.0};
  if (indices.empty()) return adv;
  double sum = 0.0;
  for (std::int32_t i : indices) sum += batch.advantages[i];
  adv.mean = sum / adv.count;
  for (std::int32_t i : indices) adv.m2 += (batch.advantages[i] - adv.mean) * (batch.advantages[i] - adv.mean);
  return adv;
}

/// Fisher–Yates with the project's Rng, so the permutation is the same on every platform.
void shuffle(std::span<std::int32_t> order, sim::Rng& rng) {
  for (std::size_t k = order.size(); k > 1; --k) {
    const std::size_t j = rng.below(static_cast<std::uint32_t>(k));
    std::swap(order[k - 1], order[j]);
  }
}

}  // namespace

void run_sequentially(int count, const std::function<void(int)>& body) {
  for (int k = 0; k < count; ++k) body(k);
}

PpoWorkspace make_ppo_workspace(const Policy& policy, const PpoConfig& config, int max_batch) {
  assert(max_batch > 0 && config.minibatches > 0 && config.gradient_chunks > 0);
  PpoWorkspace ws;
  ws.max_batch = max_batch;
  ws.max_minibatch = (max_batch + config.minibatches - 1) / config.minibatches;
  const int max_chunk = (ws.max_minibatch + config.gradient_chunks - 1) / config.gradient_chunks;
  ws.order.assign(static_cast<std::size_t>(max_batch), 0);
  ws.order_ahead.assign(static_cast<std::size_t>(max_batch), 0);
  ws.advantages.assign(static_cast<std::size_t>(config.epochs) * static_cast<std::size_t>(config.minibatches), Moments{});
  for (int c = 0; c < config.gradient_chunks; ++c) {
    GradientChunk chunk;
    chunk.net = make_policy_workspace(policy, max_chunk);
    chunk.obs = Eigen::MatrixXf::Zero(policy.obs_dim, max_chunk);
    chunk.actions = Eigen::MatrixXf::Zero(policy.act_dim, max_chunk);
    chunk.log_probs = Eigen::VectorXf::Zero(max_chunk);
    chunk.inv_std = Eigen::VectorXf::Zero(policy.act_dim);
    chunk.d_mean = Eigen::MatrixXf::Zero(policy.act_dim, max_chunk);
    chunk.d_value = Eigen::MatrixXf::Zero(1, max_chunk);
    chunk.grad = Eigen::VectorXf::Zero(policy.params.size());
    ws.chunks.push_back(std::move(chunk));
  }
  ws.grad = Eigen::VectorXf::Zero(policy.params.size());
  ws.reduce = Eigen::VectorXf::Zero(policy.params.size() + 4);
  return ws;
}

MinibatchStats compute_minibatch_gradient(const Policy& policy, const PpoConfig& config,
                                          const PpoBatch& batch,
                                          std::span<const std::int32_t> indices, PpoWorkspace& ws,
                                          const ParallelFor& parallel_for, Communicator* comm,
                                          const Moments* global_advantages) {
  const int chunks = static_cast<int>(ws.chunks.size());
  const bool distributed = comm != nullptr && comm->size() > 1;
  assert(chunks == config.gradient_chunks);
  assert((distributed || !indices.empty()) && static_cast<int>(indices.size()) <= ws.max_minibatch);
  MinibatchStats stats;

  // Advantage normalisation over the whole (global) minibatch, before it is split, so every
  // chunk count and every rank normalises identically. Unbiased std as torch.std; one sample
  // keeps its mean of 0. Two-pass moments of this rank's samples, merged over the ranks.
  Moments adv{static_cast<double>(indices.size()), 0.0, 0.0};
  if (global_advantages != nullptr) {
    adv = *global_advantages;
  } else {
    if (config.norm_adv || distributed) adv = advantage_moments(batch, indices);
    if (distributed) merge_moments_over_ranks(*comm, std::span<Moments>(&adv, 1));
  }
  stats.samples = static_cast<int>(adv.count);
  if (stats.samples == 0) return stats;
  Minibatch minibatch;
  minibatch.indices = indices;
  minibatch.inv_size = 1.0f / static_cast<float>(adv.count);
  if (config.norm_adv) {
    const double std_dev = adv.count > 1.0 ? std::sqrt(adv.m2 / (adv.count - 1.0)) : 0.0;
    minibatch.adv_mean = static_cast<float>(adv.mean);
    minibatch.adv_scale = static_cast<float>(1.0 / (std_dev + 1e-8));
  }

  // Each chunk into its own buffer, on whatever thread; then summed in chunk order.
  const ChunkJob job{policy, config, batch, minibatch, ws};
  const std::function<void(int)> body = [&job](int c) {
    compute_chunk_gradient(
        job.policy, job.config, job.batch, job.minibatch,
        chunk_samples(job.minibatch.indices, c, static_cast<int>(job.ws.chunks.size())),
        job.ws.chunks[static_cast<std::size_t>(c)]);
  };
  if (parallel_for) {
    parallel_for(chunks, body);
  } else {
    run_sequentially(chunks, body);
  }

  ws.grad = ws.chunks[0].grad;
  double policy_loss = ws.chunks[0].policy_loss;
  double value_loss = ws.chunks[0].value_loss;
  double approx_kl = ws.chunks[0].approx_kl;
  int clipped = ws.chunks[0].clipped;
  for (int c = 1; c < chunks; ++c) {
    const GradientChunk& chunk = ws.chunks[static_cast<std::size_t>(c)];
    ws.grad += chunk.grad;
    policy_loss += chunk.policy_loss;
    value_loss += chunk.value_loss;
    approx_kl += chunk.approx_kl;
    clipped += chunk.clipped;
  }
  // Every rank's share of the global mean, summed: the same gradient and loss on every rank.
  if (distributed) {
    const Eigen::Index p = ws.grad.size();
    ws.reduce.head(p) = ws.grad;
    ws.reduce.tail(4) << static_cast<float>(policy_loss), static_cast<float>(value_loss),
        static_cast<float>(approx_kl), static_cast<float>(clipped);
    comm->sum(std::span<float>(ws.reduce.data(), static_cast<std::size_t>(ws.reduce.size())));
    ws.grad = ws.reduce.head(p);
    policy_loss = ws.reduce(p);
    value_loss = ws.reduce(p + 1);
    approx_kl = ws.reduce(p + 2);
    clipped = static_cast<int>(std::lround(ws.reduce(p + 3)));
  }
  // Entropy bonus −c_H H: ∂H/∂log σ_j = 1 for every sample, so the mean adds −c_H once.
  ws.grad.segment(policy.log_std_block.offset, policy.act_dim).array() -= config.ent_coef;

  stats.entropy = policy_entropy(policy);
  stats.policy_loss = static_cast<float>(policy_loss);
  stats.value_loss = static_cast<float>(value_loss);
  stats.approx_kl = static_cast<float>(approx_kl);
  stats.clipfrac = static_cast<float>(clipped) / static_cast<float>(stats.samples);
  stats.loss =
      static_cast<float>(policy_loss - config.ent_coef * static_cast<double>(stats.entropy) +
                         config.vf_coef * value_loss);
  return stats;
}

PpoStats ppo_update(Policy& policy, Adam& adam, const PpoConfig& config, const PpoBatch& batch,
                    std::uint64_t seed, PpoWorkspace& ws, const ParallelFor& parallel_for,
                    Communicator* comm) {
  const bool distributed = comm != nullptr && comm->size() > 1;
  const std::size_t batch_size = batch.valid.size();
  assert(static_cast<int>(batch_size) <= ws.max_batch);
  assert(batch.obs.size() == batch_size * static_cast<std::size_t>(policy.obs_dim));
  assert(batch.actions.size() == batch_size * static_cast<std::size_t>(policy.act_dim));
  assert(batch.log_probs.size() == batch_size && batch.advantages.size() == batch_size);
  assert(batch.returns.size() == batch_size && batch.values.size() == batch_size);
  PpoStats stats;

  // 1. Only valid samples are trained on: an autoreset step took no action.
  std::size_t valid_count = 0;
  for (std::size_t i = 0; i < batch_size; ++i) {
    if (batch.valid[i]) ws.order[valid_count++] = static_cast<std::int32_t>(i);
  }
  const std::span<std::int32_t> order(ws.order.data(), valid_count);
  stats.explained_variance = explained_variance(batch, order, comm);

  // 2. Epochs of minibatch steps.
  const std::size_t minibatches = static_cast<std::size_t>(config.minibatches);
  const auto minibatch_of = [&](std::span<std::int32_t> shuffled, std::size_t m) {
    const std::size_t begin = valid_count * m / minibatches;
    const std::size_t end = valid_count * (m + 1) / minibatches;
    return shuffled.subspan(begin, end - begin);
  };

  // On K > 1 ranks the advantage moments of every global minibatch of the update are merged in
  // one exchange before it, not one per minibatch: the shuffles are replayed on a copy of the
  // order (advantages do not change during an update).
  if (distributed) {
    const std::span<std::int32_t> ahead(ws.order_ahead.data(), valid_count);
    std::copy(order.begin(), order.end(), ahead.begin());
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
      sim::Rng rng(sim::derive_seed(seed, static_cast<std::uint64_t>(epoch)));
      shuffle(ahead, rng);
      for (std::size_t m = 0; m < minibatches; ++m) {
        ws.advantages[static_cast<std::size_t>(epoch) * minibatches + m] = advantage_moments(batch, minibatch_of(ahead, m));
      }
    }
    merge_moments_over_ranks(*comm, ws.advantages);
  }

  double policy_loss = 0.0;
  double value_loss = 0.0;
  double entropy = 0.0;
  double clipfrac = 0.0;
  double grad_norm = 0.0;
  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    sim::Rng rng(sim::derive_seed(seed, static_cast<std::uint64_t>(epoch)));
    shuffle(order, rng);

    for (std::size_t m = 0; m < minibatches; ++m) {
      const std::span<const std::int32_t> indices = minibatch_of(order, m);
      if (indices.empty() && !distributed) continue;  // ranks take part even with no samples

      // Loss and gradient at the current parameters, clip, step.
      const MinibatchStats mb = compute_minibatch_gradient(
          policy, config, batch, indices, ws, parallel_for, comm,
          distributed ? &ws.advantages[static_cast<std::size_t>(epoch) * minibatches + m] : nullptr);
      if (mb.samples == 0) continue;  // empty on every rank
      grad_norm += clip_grad_norm(ws.grad, config.max_grad_norm);
      adam_step(adam, policy.params, ws.grad);

      policy_loss += mb.policy_loss;
      value_loss += mb.value_loss;
      entropy += mb.entropy;
      clipfrac += mb.clipfrac;
      stats.approx_kl = mb.approx_kl;
      stats.minibatch_steps += 1;
    }
    stats.epochs += 1;

    // 3. Early stop once the policy has moved too far from the one that collected the data.
    if (config.target_kl && stats.approx_kl > *config.target_kl) {
      stats.early_stopped = stats.epochs < config.epochs;
      break;
    }
  }

  if (stats.minibatch_steps > 0) {
    const double steps = static_cast<double>(stats.minibatch_steps);
    stats.policy_loss = static_cast<float>(policy_loss / steps);
    stats.value_loss = static_cast<float>(value_loss / steps);
    stats.entropy = static_cast<float>(entropy / steps);
    stats.clipfrac = static_cast<float>(clipfrac / steps);
    stats.grad_norm = static_cast<float>(grad_norm / steps);
  }
  return stats;
}

}  // namespace agent
