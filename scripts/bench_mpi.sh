#!/usr/bin/env bash
# Data-parallel training throughput on this machine, and a projection to many ranks.
#
# Trains the oval for STEPS env steps (default 300000) with 32 envs per rank on one thread each:
# 1 rank, then 2 ranks under mpirun; reads samples/s and the time spent in collectives (metrics.csv
# column comm_s) and projects the speed-up at 8, 64 and 512 ranks from the measured compute time
# per iteration and the message sizes, with a ring-allreduce cost model:
#   t_allreduce(K) = 2 (K−1)/K · 4 P bytes / B + 2 (K−1) · α          per minibatch (P+4 floats)
#   t_gather(K)    = (K−1) · s bytes / B + ⌈log2 K⌉ · α               per small all-gather (4 per
#                                                                      iteration, s ≈ 24·16 + 630 B)
#   speed-up(K)    = K · t_iter / (t_iter + t_comm(K))                 (N envs per rank: weak scaling)
# for two networks: α = 2 µs, B = 12.5 GB/s (InfiniBand HDR) and α = 25 µs, B = 1.25 GB/s (10 GbE),
# and again with the latency term of a tree (recursive doubling / Rabenseifner) allreduce,
# 2 ⌈log2 K⌉ · α, which MPI libraries pick for messages this small.
# Usage: bash scripts/bench_mpi.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-300000}
bin=build/app/crashcourse
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=(train --scenario scenarios/oval.toml --steps "$steps" --envs 32 --threads 1 --eval-every 0
        --eval-episodes 1 --no-stop)
mpi=(mpirun --allow-run-as-root --oversubscribe --mca btl_vader_single_copy_mechanism none ${MPI_OPTIONS:-})

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n 10 "$bin" "${common[@]}" --out "$out/one" > /dev/null
echo "load average after 1 rank: $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n 10 "${mpi[@]}" -np 2 "$bin" "${common[@]}" --out "$out/two" > /dev/null
echo "load average after 2 ranks: $(cut -d' ' -f1-3 /proc/loadavg)"

# summary.json: samples_per_s, ranks.params (P); metrics.csv: time per iteration and comm_s
# (iterations after the first, which includes start-up).
json() { sed -n "s/.*\"$2\": \([0-9.e+-]*\).*/\1/p" "$1" | head -1; }
iteration_figures() {  # mean s per iteration, mean comm_s per iteration
  awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
           NR == 2 { t0 = $col["time_s"]; next }
           { n++; t = $col["time_s"]; c += $col["comm_s"] }
           END { printf "%.6f %.6f\n", (t - t0) / n, c / n }' "$1/metrics.csv"
}
sps1=$(json "$out/one/summary.json" samples_per_s)
sps2=$(json "$out/two/summary.json" samples_per_s)
params=$(json "$out/two/summary.json" params)
read -r iter1 comm1 <<< "$(iteration_figures "$out/one")"
read -r iter2 comm2 <<< "$(iteration_figures "$out/two")"
# Messages per iteration with the default PPO config: epochs × minibatches gradient allreduces of
# P + 4 floats; one gather each of the update's advantage moments (3 doubles per minibatch),
# explained variance (6 doubles), the rollout statistics (2·obs_dim + 13 doubles, ≈ 70) and the
# stop decision (3 doubles); the crashes gathered to rank 0 are a few bytes.
minibatch_steps=16
awk -v sps1="$sps1" -v sps2="$sps2" -v iter1="$iter1" -v comm1="$comm1" -v iter2="$iter2" -v comm2="$comm2" \
    -v P="$params" -v m="$minibatch_steps" 'BEGIN {
  printf "\nmeasured (oval, 32 envs per rank, 1 thread per rank)\n"
  printf "  ranks  samples/s  s/iteration  comm s/iteration\n"
  printf "  1      %9.0f  %11.4f  %16.6f\n", sps1, iter1, comm1
  printf "  2      %9.0f  %11.4f  %16.6f\n", sps2, iter2, comm2
  printf "  speed-up of 2 ranks: %.2f\n", sps2 / sps1
  bytes = 4 * (P + 4)
  printf "\nprojection: %d parameters, %d allreduces of %.1f kB per iteration, compute %.4f s per iteration\n", \
         P, m, bytes / 1000, iter1 - comm1
  printf "  ranks  network      comm s/iteration  speed-up  efficiency  | latency 2 log2(K) α: comm s  speed-up\n"
  split("2e-6 25e-6", alpha, " "); split("12.5e9 1.25e9", bw, " "); split("InfiniBand 10GbE", name, " ")
  split("8 64 512", ks, " ")
  for (k = 1; k <= 3; ++k) for (n = 1; n <= 2; ++n) {
    K = ks[k]; a = alpha[n]; B = bw[n]; logk = 0; for (x = 1; x < K; x *= 2) logk++
    allreduce = 2 * (K - 1) / K * bytes / B + 2 * (K - 1) * a
    gathers = (K - 1) * (24 * m + 48 + 560 + 24) / B + 4 * logk * a
    comm = m * allreduce + gathers
    tree = m * (allreduce - 2 * (K - 1) * a + 2 * logk * a) + gathers
    t = iter1 - comm1
    printf "  %-5d  %-11s  %16.5f  %8.1f  %9.0f%%  |  %25.5f  %8.1f\n", K, name[n], comm, K * t / (t + comm), \
           100 * t / (t + comm), tree, K * t / (t + tree)
  }
}'
