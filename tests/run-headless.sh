#!/bin/bash
# Runs `meson test` the way CI does on a machine with no display and no
# session bus: a private HOME and XDG folders, Xvfb, a private D-Bus session
# and an unlocked gnome-keyring in it. Extra arguments go to `meson test`.
#
#   tests/run-headless.sh BUILDDIR [meson test arguments…]
set -eu
BUILDDIR=$(realpath "$1"); shift

if [ -z "${SLUICE_HEADLESS_INNER:-}" ]; then
  export SLUICE_HEADLESS_INNER=1 GDK_BACKEND=x11 GSETTINGS_BACKEND=memory
  SANDBOX=$(mktemp -d "${TMPDIR:-/tmp}/sluice-headless.XXXXXX")
  trap 'rm -rf "$SANDBOX"' EXIT
  export HOME=$SANDBOX/home TMPDIR=$SANDBOX/tmp XDG_RUNTIME_DIR=$SANDBOX/run
  export XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config XDG_CACHE_HOME=$HOME/.cache
  mkdir -p "$HOME" "$TMPDIR"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
  rc=0
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    dbus-run-session -- "$0" "$BUILDDIR" "$@" || rc=$?
  exit $rc
fi

# The keyring must be unlocked before anything asks for org.freedesktop.secrets,
# or D-Bus activation starts one that wants to prompt (and hangs under Xvfb).
if command -v gnome-keyring-daemon >/dev/null; then
  echo -n 'sluice-ci-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  for _ in $(seq 50); do
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true && break
    sleep 0.1
  done
fi

exec meson test -C "$BUILDDIR" --print-errorlogs "$@"
