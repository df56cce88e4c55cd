// Helpers every learner shares: parameter hashes across ranks, the other-algorithm error.
#include "agent/learner.h"

#include <cstdio>
#include <cstring>
#include <span>
#include <stdexcept>

#include "sim/hash.h"

namespace agent {
namespace {

/// Crashes as bytes for the gather to rank 0: per crash its step, x, y and speed, then the
/// length and bytes of its recording (sim::encode_episode, checksummed).
std::vector<std::byte> pack_crashes(const std::vector<CrashEvent>& crashes) {
  std::vector<std::byte> out;
  const auto put = [&](const auto& value) {
    const auto* p = reinterpret_cast<const std::byte*>(&value);
    out.insert(out.end(), p, p + sizeof value);
  };
  for (const CrashEvent& c : crashes) {
    put(c.step);
    put(c.x);
    put(c.y);
    put(c.speed);
    const std::vector<std::byte> recording = sim::encode_episode(c.recording);
    put(static_cast<std::uint64_t>(recording.size()));
    out.insert(out.end(), recording.begin(), recording.end());
  }
  return out;
}

/// The inverse of pack_crashes, appending to crashes. The bytes come from this build's ranks.
void unpack_crashes(std::span<const std::byte> bytes, std::vector<CrashEvent>& crashes) {
  std::size_t at = 0;
  const auto get = [&](auto& value) {
    if (bytes.size() - at < sizeof value) throw std::runtime_error("crash gather: message cut short");
    std::memcpy(&value, bytes.data() + at, sizeof value);
    at += sizeof value;
  };
  while (at < bytes.size()) {
    CrashEvent& c = crashes.emplace_back();
    get(c.step);
    get(c.x);
    get(c.y);
    get(c.speed);
    std::uint64_t size = 0;
    get(size);
    if (bytes.size() - at < size) throw std::runtime_error("crash gather: recording cut short");
    c.recording = sim::decode_episode(bytes.subspan(at, static_cast<std::size_t>(size)), "crash gathered from a rank");
    at += static_cast<std::size_t>(size);
  }
}

}  // namespace

void gather_crashes_to_root(Communicator& comm, std::vector<CrashEvent>& crashes) {
  if (comm.size() == 1) return;
  const std::vector<std::vector<std::byte>> parts = comm.gather_to_root(pack_crashes(crashes));
  crashes.clear();
  for (const std::vector<std::byte>& part : parts) unpack_crashes(part, crashes);
}

CheckpointData learned_state(const sim::Scenario& scenario, const std::vector<int>& hidden, std::int64_t iteration,
                             std::int64_t global_step, std::uint64_t seed, const Policy& policy, const Adam& adam,
                             const RunningNorm& obs_norm) {
  CheckpointData c;
  c.scenario_name = scenario.name;
  c.scenario_fingerprint = scenario.fingerprint;
  c.obs_dim = policy.obs_dim;
  c.act_dim = policy.act_dim;
  c.hidden = hidden;
  c.iteration = iteration;
  c.global_step = global_step;
  c.seed = seed;
  c.params = policy.params;
  c.adam = adam;
  c.obs_norm = obs_norm;
  return c;
}

void check_fits(const CheckpointData& c, const std::string& path, const sim::Scenario& scenario, const Policy& policy,
                const std::vector<int>& hidden) {
  const std::string problems = check_compatible(
      c, path, CheckpointUse{scenario.name, scenario.fingerprint, policy.obs_dim, policy.act_dim, hidden, true});
  // Each line of `problems` reads "<path>: …"; the error adds the first line's prefix back.
  if (!problems.empty()) throw CheckpointError(path, "", problems.substr(path.size() + 2));
}

std::uint64_t param_hash(const Eigen::VectorXf& params) {
  return sim::fnv1a(params.data(), static_cast<std::size_t>(params.size()) * sizeof(float));
}

std::string hex(std::uint64_t hash) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

void check_same_params(Communicator& comm, const Eigen::VectorXf& params, const std::string& when) {
  if (comm.size() == 1) return;
  const std::vector<std::uint64_t> hashes = gather_u64(comm, param_hash(params));
  for (std::size_t r = 1; r < hashes.size(); ++r) {
    if (hashes[r] == hashes[0]) continue;
    throw std::runtime_error("rank " + std::to_string(r) + "'s parameters differ from rank 0's " + when + " (hash " +
                             hex(hashes[r]) + ", rank 0: " + hex(hashes[0]) + "): the ranks no longer train one policy");
  }
}

void throw_other_algorithm(const std::string& path, const std::string& mine, const std::string& theirs,
                           const std::string& algo) {
  std::string hint = "resume it with its own algorithm (algo = \"";
  hint += algo;
  hint += "\" in the run's config.toml), or start a new run from it";
  throw CheckpointError(path, "", "expected the state of a run of " + mine + ", got that of a run of " + theirs, hint);
}

}  // namespace agent
