#!/bin/sh
# Runs a command with an X display, so the viewer's tests pass under plain `ctest` on a machine
# without one: the current display if DISPLAY is set, else a private Xvfb started for the command
# (Xvfb -displayfd picks a free display number itself, so parallel tests do not collide).
# Listing tests needs no display.
set -u
case " $* " in *" --gtest_list_tests "*) exec "$@" ;; esac
if [ -n "${DISPLAY:-}" ]; then exec "$@"; fi
if ! command -v Xvfb >/dev/null 2>&1; then
  echo "with_display.sh: no DISPLAY and no Xvfb (hint: apt-get install xvfb)" >&2
  exit 1
fi
dir=$(mktemp -d) || exit 1
mkfifo "$dir/display"
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset 3>"$dir/display" 2>"$dir/xvfb.log" &
xvfb=$!
read -r number <"$dir/display"
if [ -z "$number" ]; then
  echo "with_display.sh: Xvfb did not start:" >&2
  cat "$dir/xvfb.log" >&2
  kill "$xvfb" 2>/dev/null
  rm -rf "$dir"
  exit 1
fi
DISPLAY=":$number" "$@"
status=$?
kill "$xvfb" 2>/dev/null
wait "$xvfb" 2>/dev/null
rm -rf "$dir"
exit $status
