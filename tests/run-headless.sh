#!/bin/bash
# Runs `meson test` the way CI does, on a machine with no display and no
# session bus: a private HOME, XDG folders and TMPDIR (removed afterwards),
# Xvfb, a private D-Bus session, and an unlocked gnome-keyring in it.
#
#   tests/run-headless.sh BUILDDIR [meson test arguments…]
#
# Prints what `meson test` prints and exits with its exit status.
set -eu

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: tests/run-headless.sh BUILDDIR [meson test arguments…]" >&2
  exit 2
fi
BUILDDIR=$(realpath "$1")
shift

if [ -z "${SLUICE_HEADLESS_INNER:-}" ]; then
  for tool in xvfb-run dbus-run-session; do
    if ! command -v "$tool" >/dev/null; then
      echo "tests/run-headless.sh: $tool is not installed (packages xvfb and dbus)" >&2
      exit 2
    fi
  done
  export SLUICE_HEADLESS_INNER=1 GDK_BACKEND=x11 GSETTINGS_BACKEND=memory
  SANDBOX=$(mktemp -d "${TMPDIR:-/tmp}/sluice-headless.XXXXXX")
  trap 'rm -rf "$SANDBOX"' EXIT
  export HOME=$SANDBOX/home TMPDIR=$SANDBOX/tmp XDG_RUNTIME_DIR=$SANDBOX/run
  export XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config XDG_CACHE_HOME=$HOME/.cache
  mkdir -p "$HOME" "$TMPDIR"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  # Never the caller's session: tests must not reach a real desktop or keyring.
  unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
  rc=0
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    dbus-run-session -- "$0" "$BUILDDIR" "$@" || rc=$?
  exit $rc
fi

# Inside Xvfb and the private session bus. The keyring must be running and
# unlocked before anything asks for org.freedesktop.secrets; otherwise D-Bus
# activation starts a locked one that wants to prompt, and hangs under Xvfb.
if command -v gnome-keyring-daemon >/dev/null; then
  echo -n 'sluice-ci-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  owned=false
  for _ in $(seq 50); do
    if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
         --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true; then
      owned=true
      break
    fi
    sleep 0.1
  done
  $owned || echo "tests/run-headless.sh: gnome-keyring did not claim org.freedesktop.secrets; tests that use the keyring cannot reach it" >&2
else
  echo "tests/run-headless.sh: gnome-keyring is not installed; tests that use the keyring cannot reach it" >&2
fi

exec meson test -C "$BUILDDIR" --print-errorlogs "$@"
