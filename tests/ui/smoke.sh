#!/bin/bash
# Starts the real `sluice` on examples/retail under the running X server,
# waits for its window, and keeps a screenshot as a test artifact.
#   smoke.sh SLUICE_BINARY SOURCE_ROOT ARTIFACT_DIR
set -u
app=$1 root=$2 artifacts=$3
[ -n "${DISPLAY:-}" ] || { echo "no display"; exit 77; }
mkdir -p "$artifacts"
log=$artifacts/smoke.log
SLUICE_NON_UNIQUE=1 "$app" "$root/examples/retail" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
# Sanitizer builds on a loaded machine take 15 s and more to map the window.
wid=$(timeout 60 xdotool search --sync --onlyvisible --pid $pid --name 'Retail analytics' | head -1)
if [ -z "$wid" ]; then
  echo "no window titled “Retail analytics” appeared"; cat "$log"; exit 1
fi
# Slow builds (sanitizers) paint later: retry until the window has content.
for _ in $(seq 30); do
  sleep 0.5
  import -window "$wid" "$artifacts/smoke.png" || exit 1
  colours=$(identify -format %k "$artifacts/smoke.png")
  [ "$colours" -gt 50 ] && break
done
echo "screenshot $artifacts/smoke.png: $colours colours"
[ "$colours" -gt 50 ] || { echo "the window looks empty"; exit 1; }
kill -0 $pid || { echo "sluice exited"; cat "$log"; exit 1; }
