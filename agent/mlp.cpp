// Mlp forward, backward and orthogonal initialisation over a caller-owned parameter span.
#include "agent/mlp.h"

#include <Eigen/QR>

#include <algorithm>
#include <cassert>

namespace agent {
namespace {

int layer_count(const Mlp& mlp) { return static_cast<int>(mlp.sizes.size()) - 1; }

/// Floats held by layer l (1-based): W_l then b_l.
std::int64_t layer_param_count(const Mlp& mlp, int l) {
  return static_cast<std::int64_t>(mlp.sizes[l]) * (mlp.sizes[l - 1] + 1);
}

/// Writes gain · (semi-)orthogonal rows × cols matrix into w, as torch.nn.init.orthogonal_:
/// QR of a Gaussian (max × min) matrix, signs of Q's columns fixed by diag(R) so the result is
/// uniformly distributed, transposed when the matrix is wide.
void init_orthogonal(Eigen::Map<Eigen::MatrixXf> w, float gain, sim::Rng& rng) {
  const Eigen::Index rows = w.rows();
  const Eigen::Index cols = w.cols();
  const Eigen::Index tall = std::max(rows, cols);
  const Eigen::Index thin = std::min(rows, cols);
  Eigen::MatrixXd gaussian(tall, thin);
  for (Eigen::Index j = 0; j < thin; ++j) {
    for (Eigen::Index i = 0; i < tall; ++i) gaussian(i, j) = rng.normal();
  }
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(tall, thin);
  const Eigen::MatrixXd r = qr.matrixQR().topRows(thin).triangularView<Eigen::Upper>();
  for (Eigen::Index j = 0; j < thin; ++j) {
    if (r(j, j) < 0.0) q.col(j) *= -1.0;
  }
  if (rows >= cols) {
    w = (gain * q).cast<float>();
  } else {
    w = (gain * q.transpose()).cast<float>();
  }
}

/// Shared body of both mlp_backward overloads; d_x may be null.
void backward(const Mlp& mlp, std::span<const float> params, MlpWorkspace& ws,
              const Eigen::Ref<const Eigen::MatrixXf>& d_y, std::span<float> grad,
              Eigen::Ref<Eigen::MatrixXf>* d_x) {
  const int layers = layer_count(mlp);
  const Eigen::Index batch = d_y.cols();
  assert(batch <= ws.max_batch);
  assert(d_y.rows() == mlp.sizes.back());
  assert(static_cast<std::int64_t>(params.size()) == mlp_param_count(mlp));
  assert(grad.size() == params.size());

  // G_L = dL/dY: the output layer is linear.
  Eigen::Map<Eigen::MatrixXf>(ws.gradients[layers].data(), mlp.sizes[layers], batch) = d_y;

  std::int64_t offset = mlp_param_count(mlp);
  for (int l = layers; l >= 1; --l) {
    const Eigen::Index in = mlp.sizes[l - 1];
    const Eigen::Index out = mlp.sizes[l];
    offset -= layer_param_count(mlp, l);
    const Eigen::Map<const Eigen::MatrixXf> w(params.data() + offset, out, in);
    Eigen::Map<Eigen::MatrixXf> d_w(grad.data() + offset, out, in);
    Eigen::Map<Eigen::VectorXf> d_b(grad.data() + offset + out * in, out);
    const Eigen::Map<const Eigen::MatrixXf> a_prev(ws.activations[l - 1].data(), in, batch);
    const Eigen::Map<const Eigen::MatrixXf> g(ws.gradients[l].data(), out, batch);

    d_w.noalias() += g * a_prev.transpose();  // (out × B)(B × in)
    d_b += g.rowwise().sum();                 // out

    if (l > 1) {
      // G_{l-1} = (W_lᵀ G_l) ⊙ (1 − A_{l-1}²): A_{l-1} is a tanh output.
      Eigen::Map<Eigen::MatrixXf> g_prev(ws.gradients[l - 1].data(), in, batch);
      g_prev.noalias() = w.transpose() * g;  // (in × out)(out × B)
      g_prev.array() *= 1.0f - a_prev.array().square();
    } else if (d_x != nullptr) {
      d_x->noalias() = w.transpose() * g;  // (in × out)(out × B)
    }
  }
}

}  // namespace

std::int64_t mlp_param_count(const Mlp& mlp) {
  std::int64_t count = 0;
  for (int l = 1; l <= layer_count(mlp); ++l) count += layer_param_count(mlp, l);
  return count;
}

MlpWorkspace make_mlp_workspace(const Mlp& mlp, int max_batch) {
  assert(mlp.sizes.size() >= 2);
  MlpWorkspace ws;
  ws.max_batch = max_batch;
  for (std::size_t l = 0; l < mlp.sizes.size(); ++l) {
    ws.activations.emplace_back(Eigen::MatrixXf::Zero(mlp.sizes[l], max_batch));
    // dL/dX goes to the caller's matrix, so the input layer needs no gradient buffer.
    ws.gradients.emplace_back(l == 0 ? Eigen::MatrixXf()
                                     : Eigen::MatrixXf::Zero(mlp.sizes[l], max_batch));
  }
  return ws;
}

void init_mlp(const Mlp& mlp, std::span<float> params, float hidden_gain, float output_gain,
              sim::Rng& rng) {
  assert(static_cast<std::int64_t>(params.size()) == mlp_param_count(mlp));
  const int layers = layer_count(mlp);
  std::int64_t offset = 0;
  for (int l = 1; l <= layers; ++l) {
    const Eigen::Index in = mlp.sizes[l - 1];
    const Eigen::Index out = mlp.sizes[l];
    init_orthogonal(Eigen::Map<Eigen::MatrixXf>(params.data() + offset, out, in),
                    l < layers ? hidden_gain : output_gain, rng);
    Eigen::Map<Eigen::VectorXf>(params.data() + offset + out * in, out).setZero();
    offset += layer_param_count(mlp, l);
  }
}

Eigen::Map<const Eigen::MatrixXf> mlp_forward(const Mlp& mlp, std::span<const float> params,
                                              MlpWorkspace& ws,
                                              const Eigen::Ref<const Eigen::MatrixXf>& x) {
  const int layers = layer_count(mlp);
  const Eigen::Index batch = x.cols();
  assert(batch <= ws.max_batch);
  assert(x.rows() == mlp.sizes.front());
  assert(static_cast<std::int64_t>(params.size()) == mlp_param_count(mlp));

  // A_0 = X, kept for dL/dW_1.
  Eigen::Map<Eigen::MatrixXf>(ws.activations[0].data(), x.rows(), batch) = x;

  std::int64_t offset = 0;
  for (int l = 1; l <= layers; ++l) {
    const Eigen::Index in = mlp.sizes[l - 1];
    const Eigen::Index out = mlp.sizes[l];
    const Eigen::Map<const Eigen::MatrixXf> w(params.data() + offset, out, in);
    const Eigen::Map<const Eigen::VectorXf> b(params.data() + offset + out * in, out);
    const Eigen::Map<const Eigen::MatrixXf> a_prev(ws.activations[l - 1].data(), in, batch);
    Eigen::Map<Eigen::MatrixXf> a(ws.activations[l].data(), out, batch);

    a.noalias() = w * a_prev;  // (out × in)(in × B)
    a.colwise() += b;
    if (l < layers) a = a.array().tanh();
    offset += layer_param_count(mlp, l);
  }
  return Eigen::Map<const Eigen::MatrixXf>(ws.activations[layers].data(), mlp.sizes.back(), batch);
}

void mlp_backward(const Mlp& mlp, std::span<const float> params, MlpWorkspace& ws,
                  const Eigen::Ref<const Eigen::MatrixXf>& d_y, std::span<float> grad) {
  backward(mlp, params, ws, d_y, grad, nullptr);
}

void mlp_backward(const Mlp& mlp, std::span<const float> params, MlpWorkspace& ws,
                  const Eigen::Ref<const Eigen::MatrixXf>& d_y, std::span<float> grad,
                  Eigen::Ref<Eigen::MatrixXf> d_x) {
  assert(d_x.rows() == mlp.sizes.front() && d_x.cols() == d_y.cols());
  backward(mlp, params, ws, d_y, grad, &d_x);
}

}  // namespace agent
