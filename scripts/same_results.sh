#!/usr/bin/env bash
# Does this tree compute exactly what revision BASE computes? For changes meant to be faster and
# nothing else: a fused multiply-add formed in one build and not the other changes last bits, and
# training diverges from there. Builds BASE in a temporary worktree (Release, as build/), runs
# bench/trajectory_dump on both for each scenario (8 envs, STEPS steps each, wandering driver)
# and reports, per scenario, "same" or the first step whose outputs differ. Exit 1 on a difference.
# The dump program and its driver are taken from this tree, so BASE needs only the VecEnv API.
# Usage: bash scripts/same_results.sh BASE [STEPS (default 3000)] [SCENARIO.toml ...]
#   (default: every scenario in scenarios/)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: same_results.sh BASE [STEPS] [SCENARIO.toml ...]}
steps=${2:-3000}
shift $(( $# >= 2 ? 2 : 1 ))
scenarios=("$@")
[[ ${#scenarios[@]} -gt 0 ]] || scenarios=(scenarios/*.toml)
git rev-parse --verify --quiet "$base^{commit}" > /dev/null || { echo "same_results.sh: no revision '$base'" >&2; exit 2; }

work=$(mktemp -d)
trap 'git worktree remove --force "$work/tree" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach --quiet "$work/tree" "$base"
cp bench/trajectory_dump.cpp bench/wandering_driver.h "$work/tree/bench/"
grep -q trajectory_dump "$work/tree/bench/CMakeLists.txt" ||
  printf 'add_executable(trajectory_dump trajectory_dump.cpp)\ntarget_link_libraries(trajectory_dump PRIVATE crashcourse_sim crashcourse_options)\n' >> "$work/tree/bench/CMakeLists.txt"
echo "building $base in a temporary worktree ..."
cmake -S "$work/tree" -B "$work/build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$work/build" -j "$(nproc)" --target trajectory_dump > /dev/null
[[ -x build/bench/trajectory_dump ]] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)" --target trajectory_dump > /dev/null

status=0
for scenario in "${scenarios[@]}"; do
  "$work/build/bench/trajectory_dump" "$scenario" "$steps" > "$work/base.txt"
  build/bench/trajectory_dump "$scenario" "$steps" > "$work/this.txt"
  first=$(cmp "$work/base.txt" "$work/this.txt" 2> /dev/null | sed -n 's/.* line \([0-9]*\).*/\1/p' || true)
  if [[ -z "$first" ]]; then
    echo "same      $scenario ($steps steps)"
  else
    echo "DIFFERENT $scenario: first at step $((first - 1))"
    status=1
  fi
done
exit $status
