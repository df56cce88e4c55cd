#!/usr/bin/env bash
# Cost of one env step in instructions and cache misses, counted by cachegrind: exact and
# repeatable, where wall time on this VM drifts by tens of percent. For comparing two builds.
# Simulates a 32 KB L1 data cache and a 512 KB last level (one core's L2 here), runs
# build/bench/sim_probe twice (STEPS and 3 × STEPS VecEnv steps) and reports the difference per env
# step, which leaves out loading and set-up.
# Usage: bash scripts/step_cost.sh [ENVS (default 32)] [STEPS (default 600)] [BUILD_DIR (default build)]
#   ENVS 1: everything stays in cache; ENVS 32: one core's share of 64 envs on two threads.
set -euo pipefail
cd "$(dirname "$0")/.."
envs=${1:-32}
steps=${2:-600}
build=${3:-build}
command -v valgrind > /dev/null || { echo "step_cost.sh needs valgrind (apt-get install valgrind)" >&2; exit 2; }
[[ -x "$build/bench/sim_probe" ]] || cmake --build "$build" --target sim_probe > /dev/null
count() {  # instructions, data references, L1 data misses, last-level data misses
  valgrind --tool=cachegrind --cache-sim=yes --D1=32768,8,64 --LL=524288,8,64 --cachegrind-out-file=/dev/null \
    "$build/bench/sim_probe" "$envs" 1 "$1" 2>&1 |
    awk '/I +refs/ {gsub(",", "", $4); i = $4} /D +refs/ {gsub(",", "", $4); d = $4}
         /D1 +misses/ {gsub(",", "", $4); m1 = $4} /LLd +misses/ {gsub(",", "", $4); ll = $4}
         END {print i, d, m1, ll}'
}
read -r i1 d1 m1 l1 < <(count "$steps")
read -r i2 d2 m2 l2 < <(count $((3 * steps)))
awk -v n=$((2 * steps * envs)) -v e="$envs" -v i=$((i2 - i1)) -v d=$((d2 - d1)) -v m=$((m2 - m1)) -v l=$((l2 - l1)) \
  'BEGIN {printf "%d envs, per env step: %.0f instructions, %.0f data references, %.1f L1 misses, %.1f L2 misses\n", e, i / n, d / n, m / n, l / n}'
