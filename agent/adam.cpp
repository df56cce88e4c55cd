// Adam update: one loop over the flat vector.
#include "agent/adam.h"

#include <cassert>
#include <cmath>

namespace agent {

Adam make_adam(Eigen::Index size, float learning_rate) {
  Adam adam;
  adam.learning_rate = learning_rate;
  adam.m = Eigen::VectorXf::Zero(size);
  adam.v = Eigen::VectorXf::Zero(size);
  return adam;
}

void adam_step(Adam& adam, Eigen::Ref<Eigen::VectorXf> params,
               const Eigen::Ref<const Eigen::VectorXf>& grad) {
  assert(params.size() == adam.m.size() && grad.size() == adam.m.size());
  adam.step += 1;
  const double t = static_cast<double>(adam.step);
  // Bias corrections in double: β^t for t in the millions underflows gracefully there.
  const float step_size =
      static_cast<float>(adam.learning_rate / (1.0 - std::pow(static_cast<double>(adam.beta1), t)));
  const float inv_sqrt_correction2 =
      static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(static_cast<double>(adam.beta2), t)));
  const float b1 = adam.beta1;
  const float b2 = adam.beta2;
  for (Eigen::Index i = 0; i < params.size(); ++i) {
    const float g = grad(i);
    adam.m(i) = b1 * adam.m(i) + (1.0f - b1) * g;
    adam.v(i) = b2 * adam.v(i) + (1.0f - b2) * g * g;
    params(i) -=
        step_size * adam.m(i) / (std::sqrt(adam.v(i)) * inv_sqrt_correction2 + adam.epsilon);
  }
}

}  // namespace agent
