#!/usr/bin/env bash
# Simulation speed against the targets: env-steps/s on the default scenario with 16 lidar rays
# (BM_VecEnvStep/fan16), full step included, for one env on one thread, 32 envs on one thread
# (one core's share of the next), and 64 envs on one thread and on two (the same work, so their
# ratio is what the second thread adds).
#
# This VM's speed drifts by 10–30 % over minutes (its host is shared), and a slow spell costs two
# threads more than one: both must be running for a parallel step to finish. So repetitions of the
# four cases are interleaved at random (a slow spell does not land on one case) and each case is
# reported as its median and its best repetition; the best is what the code can do, the median what
# the VM gave.
# Usage: bash scripts/bench_sim.sh [REPETITIONS (default 15)]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-15}
if [[ ! -x build/bench/sim_bench ]]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build -j "$(nproc)" --target sim_bench > /dev/null
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
build/bench/sim_bench --benchmark_filter='VecEnvStep/fan16/(1/1|32/1|64/1|64/2)/' \
  --benchmark_repetitions="$reps" --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=false > "$out" 2> /dev/null
awk '
  # One line per repetition: BM_VecEnvStep/fan16/64/2/min_time:1.000/real_time ... env_steps/s=443.1k/s
  /^BM_VecEnvStep\/fan16\/[0-9]+\/[0-9]+\/.*real_time / && /env_steps/ {
    if ($1 ~ /_(mean|median|stddev|cv)$/) next
    split($1, part, "/"); name = part[3] " env" (part[3] == "1" ? "" : "s") " / " part[4] " thread" (part[4] == "1" ? "" : "s")
    rate = $NF; sub(/env_steps\/s=/, "", rate); sub(/\/s$/, "", rate)
    scale = 1; if (rate ~ /k$/) scale = 1e3; if (rate ~ /M$/) scale = 1e6; sub(/[kM]$/, "", rate)
    key = part[3] "/" part[4]; n[key]++; v[key, n[key]] = rate * scale; label[key] = name
  }
  function sort_values(key,    i, j, t) {
    for (i = 1; i <= n[key]; ++i) s[i] = v[key, i]
    for (i = 2; i <= n[key]; ++i) for (j = i; j > 1 && s[j - 1] > s[j]; --j) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
  }
  function median(key,    h) {
    sort_values(key); h = int(n[key] / 2)
    if (n[key] % 2 == 1) return s[h + 1]
    return 0.5 * (s[h] + s[h + 1])
  }
  function best(key) { sort_values(key); return s[n[key]] }
  function worst(key) { sort_values(key); return s[1] }
  END {
    if (!n["1/1"] || !n["64/2"]) { print "no benchmark output"; exit 1 }
    printf "%-22s %10s %10s %10s  (%d repetitions each)\n", "fan16, env-steps/s", "median", "best", "worst", n["1/1"]
    split("1/1 32/1 64/1 64/2", keys, " ")
    for (k = 1; k <= 4; ++k) if (n[keys[k]]) printf "%-22s %9.0fk %9.0fk %9.0fk\n", label[keys[k]], median(keys[k]) / 1e3, best(keys[k]) / 1e3, worst(keys[k]) / 1e3
    m1 = median("1/1"); m2 = median("64/2"); b1 = best("1/1"); b2 = best("64/2")
    printf "one thread  >= 250k:              median %s (%.0fk)\n", (m1 >= 250e3 ? "meets it" : "BELOW"), m1 / 1e3
    printf "two threads >= 1.7 x 250k = 425k: median %s (%.0fk)\n", (m2 >= 425e3 ? "meets it" : "BELOW"), m2 / 1e3
    printf "two threads / one thread:         %.2fx of the medians, %.2fx of the bests\n", m2 / m1, b2 / b1
    if (n["64/1"]) printf "the same 64 envs, two threads / one: %.2fx of the medians, %.2fx of the bests\n", m2 / median("64/1"), b2 / best("64/1")
    if (n["32/1"]) printf "one core with 32 envs / one env:   %.2f of the medians, %.2f of the bests (the cache cost of many worlds)\n", median("32/1") / m1, best("32/1") / b1
  }' "$out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
