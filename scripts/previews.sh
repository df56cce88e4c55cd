#!/usr/bin/env bash
# Redraws assets/scenarios/NAME.svg, the preview of every scenarios/NAME.toml (after a build).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p assets/scenarios
for f in scenarios/*.toml; do
  build/app/crashcourse preview "$f" -o "assets/scenarios/$(basename "$f" .toml).svg"
done
