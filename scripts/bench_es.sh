#!/usr/bin/env bash
# Evolution strategies' throughput on this machine: 1 rank, then 2 ranks under mpirun.
#
# Trains the oval for STEPS env steps (default 200000) with 16 pairs × 1 episode per generation on
# one thread per rank, and prints samples/s (summary.json) and the mean seconds per generation spent
# in collectives (metrics.csv column comm_s, generations after the first). The load average is
# printed around each run: on a shared machine it says what the figures are worth.
# Usage: bash scripts/bench_es.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-200000}
bin=build/app/crashcourse
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'algo = "es"\n[es]\npairs = 16\nepisodes_per_member = 1\n' > "$out/es.toml"
common=(train --config "$out/es.toml" --scenario scenarios/oval.toml --steps "$steps" --threads 1 --eval-every 0
        --eval-episodes 1 --no-stop)
mpi=(mpirun --allow-run-as-root --oversubscribe --mca btl_vader_single_copy_mechanism none ${MPI_OPTIONS:-})

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" "${common[@]}" --out "$out/one" > /dev/null
echo "load average after 1 rank: $(cut -d' ' -f1-3 /proc/loadavg)"
"${mpi[@]}" -np 2 "$bin" "${common[@]}" --out "$out/two" > /dev/null
echo "load average after 2 ranks: $(cut -d' ' -f1-3 /proc/loadavg)"

json() { sed -n "s/.*\"$2\": \([0-9.e+-]*\).*/\1/p" "$1" | head -1; }
comm() {  # mean comm_s per generation after the first, and the number of generations
  awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
           NR > 2 { n++; c += $col["comm_s"] } END { printf "%.6f %d\n", c / n, n + 1 }' "$1/metrics.csv"
}
read -r comm1 gens1 <<< "$(comm "$out/one")"
read -r comm2 gens2 <<< "$(comm "$out/two")"
printf "\nranks  samples/s  generations  comm s/generation\n"
printf "1      %9s  %11s  %17s\n" "$(json "$out/one/summary.json" samples_per_s)" "$gens1" "$comm1"
printf "2      %9s  %11s  %17s\n" "$(json "$out/two/summary.json" samples_per_s)" "$gens2" "$comm2"
