#!/bin/bash
# The Flatpak manifest parses with no unknown keys (flatpak-builder warns and
# fatal-warnings makes that an error), has the finish-args we promise, and
# never talks to the Secret Service directly (libsecret uses the portal).
set -u
manifest=${1:?usage: check-flatpak.sh MANIFEST}
if ! command -v flatpak-builder >/dev/null; then
  echo "flatpak-builder is not installed"; exit 77
fi
out=$(G_DEBUG=fatal-warnings flatpak-builder --show-manifest "$manifest" 2>&1) || {
  echo "$manifest does not parse:"; echo "$out"; exit 1; }
rc=0
for arg in --share=network --share=ipc --socket=wayland --socket=fallback-x11 --device=dri; do
  grep -q -- "\"$arg\"" <<<"$out" || { echo "$manifest: finish-args lacks $arg"; rc=1; }
done
if grep -q 'org.freedesktop.secrets' <<<"$out"; then
  echo "$manifest: must not talk to org.freedesktop.secrets (the Secret portal serves libsecret)"; rc=1
fi
n=$(grep -c '"name"' <<<"$out")
[ "$n" = 2 ] || { echo "$manifest: expected 2 modules (libgit2, sluice), found $n"; rc=1; }
[ $rc = 0 ] && echo "flatpak manifest ok"
exit $rc
