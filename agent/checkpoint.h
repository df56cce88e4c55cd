// Checkpoint: everything needed to resume training or to run a trained policy, in one versioned,
// self-checking binary file that is replaced atomically.
//
// Layout (all integers and floats little-endian):
//   0   magic        8 bytes  "CRASHCK\0"
//   8   version      u32      kCheckpointVersion
//   12  file_size    u64      bytes in the whole file, trailer included
//   20  sections…             each: name (u32 length + bytes), u64 payload length, payload
//   end checksum     u64      FNV-1a 64 of every byte before it
// Strings are a u32 length and the bytes; arrays a u64 element count and the raw elements.
// Sections are identity, config, progress, params, adam, obs_norm, metrics, each exactly once,
// and optionally resume (what continues training exactly where it stopped) and, after it, ranks
// (the action streams of ranks 1…K−1 of a data-parallel run on K > 1 ranks) and curriculum (the
// crash-driven curriculum's start points and how each env's episode began), or es (a run of
// evolution strategies: the population that continues it; never with resume).
//
// Compatibility rule: a new kind of data is a new section, which older readers skip (and list in
// CheckpointData::unknown_sections so the caller can say so); changing an existing section's
// contents bumps kCheckpointVersion, and a reader refuses versions newer than its own.
//
// The declared file_size tells truncation apart from corruption: a short file is reported as
// truncated in the section where it ends, any other damage as a checksum mismatch.
//
// Every error is a CheckpointError whose message reads
//   "<path>: <place>: expected <X>, got <Y> (hint: …)"
// naming the file, the byte offset and section, and what was expected.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "agent/adam.h"
#include "agent/curriculum.h"
#include "agent/policy.h"
#include "agent/running_norm.h"
#include "sim/env.h"
#include "sim/rng.h"

namespace agent {

inline constexpr std::uint32_t kCheckpointVersion = 1;

/// The trainer's state between iterations besides the learned parameters: with it a resumed run
/// continues bit for bit as if it had never stopped.
struct ResumeState {
  sim::Rng::State action_rng;       ///< the stream actions are sampled from
  double return_count = 0.0;        ///< reward scaler: running statistics of the discounted return
  double return_mean = 0.0;
  double return_var = 1.0;
  std::vector<double> discounted;   ///< per agent slot (env · K + agent): discounted return of the
                                    ///< current episode so far
  std::vector<float> next_obs;      ///< slots × obs_dim: the normalised observations the next
                                    ///< rollout starts from
  std::vector<sim::EpisodeRecord> episodes;  ///< per env: its current episode, to replay
  /// A run on K > 1 ranks: the action streams of ranks 1…K−1 (action_rng is rank 0's), and
  /// discounted, next_obs and episodes hold every rank's envs, rank after rank. Empty: one rank.
  std::vector<sim::Rng::State> rank_action_rngs;
  /// The crash-driven curriculum, when it is on (section 'curriculum', which also holds each
  /// episode's handover and stream): one per rank, rank after rank. Empty: off.
  std::vector<CurriculumState> curricula;
};

/// The state of an evolution-strategies run besides parameters, Adam and normaliser (each
/// generation starts new episodes from seeds, so nothing else carries over): the population it
/// evaluated, which its continuation must keep. Present only in checkpoints ES wrote.
struct EsState {
  std::int32_t pairs = 0;               ///< antithetic pairs per generation
  std::int32_t episodes_per_member = 0;
};

struct CheckpointData {
  // Identity: what this checkpoint can be used with.
  std::string scenario_name;
  std::uint64_t scenario_fingerprint = 0;  ///< sim::Scenario::fingerprint
  int obs_dim = 0;
  int act_dim = 0;
  std::vector<int> hidden;  ///< PolicyConfig::hidden
  std::string config_text;  ///< the resolved training config (TOML), opaque here

  // Progress.
  std::int64_t iteration = 0;
  std::int64_t global_step = 0;   ///< environment steps taken
  double elapsed_seconds = 0.0;   ///< s of training so far
  std::uint64_t seed = 0;

  // Learned state.
  Eigen::VectorXf params;  ///< Policy::params (actor | log_std | critic)
  Adam adam;               ///< moments, step and hyper-parameters
  RunningNorm obs_norm;    ///< statistics, clip, epsilon; `frozen` is not stored (loads false)

  /// Free-form metrics (e.g. the best evaluation so far), name → value, in order.
  std::vector<std::pair<std::string, double>> metrics;
  /// Present in checkpoints written by a trainer; absent in policy-only files.
  std::optional<ResumeState> resume;
  /// Present in checkpoints written by the evolution-strategies trainer (never with resume).
  std::optional<EsState> es;

  /// Filled by loading: sections this build does not know (written by a newer one) and skipped.
  std::vector<std::string> unknown_sections;
};

/// What went wrong with a checkpoint file, with the file, the place and what was expected.
struct CheckpointError : std::runtime_error {
  CheckpointError(const std::string& path, const std::string& place, const std::string& message,
                  const std::string& hint = "");
  std::string path;     ///< the file as the caller named it
  std::string place;    ///< "byte 4812 in section 'params'", or "" when the whole file is meant
  std::string message;  ///< "expected …, got …"
  std::string hint;     ///< optional advice
};

/// Writes data to path atomically: to "<path>.tmp-<pid>" in the same directory, fsync, then
/// rename over path. Refuses data that load_checkpoint would reject. On any failure the temporary
/// file is removed, an existing file at path is left untouched, and CheckpointError is thrown.
void save_checkpoint(const std::string& path, const CheckpointData& data);

/// Reads and validates a checkpoint; throws CheckpointError on any problem. Never allocates more
/// than the file's size on the strength of a length field.
CheckpointData load_checkpoint(const std::string& path);

/// The file format without file I/O. encode does not validate (save_checkpoint does); decode
/// validates everything load_checkpoint does and names `path` in its errors.
std::vector<std::byte> encode_checkpoint(const CheckpointData& data);
CheckpointData decode_checkpoint(std::span<const std::byte> bytes, const std::string& path);

/// FNV-1a 64 of bytes; a file's trailer is this of every byte before it.
std::uint64_t checkpoint_checksum(std::span<const std::byte> bytes);

/// What a loaded checkpoint is about to be used with.
struct CheckpointUse {
  std::string scenario_name;
  std::uint64_t scenario_fingerprint = 0;
  int obs_dim = 0;
  int act_dim = 0;
  std::vector<int> hidden;
  bool require_same_scenario = true;  ///< false to fine-tune on another scenario of the same shape
};

/// "" when ck fits `use`, else every problem, one per line, in the CheckpointError style
/// (scenario identity, then observation size, action size and hidden layers).
std::string check_compatible(const CheckpointData& ck, const std::string& path,
                             const CheckpointUse& use);

/// The policy stored in ck (its layout from obs_dim, act_dim, hidden; its parameters from params).
Policy make_policy_from_checkpoint(const CheckpointData& ck);

}  // namespace agent
