#!/bin/bash
# Runs a command against a real gnome-keyring of its own: a private D-Bus
# session (dbus-run-session), a private HOME and XDG folders (removed
# afterwards), and gnome-keyring-daemon started unlocked before anything
# asks for org.freedesktop.secrets (ENV-RECIPES §4: D-Bus activation would
# start a locked one that prompts, and hangs under Xvfb).
#
#   with-keyring.sh COMMAND [ARGUMENTS…]
#
# In COMMAND's environment SLUICE_TEST_SANDBOX is the private folder.
# Exits with COMMAND's status, or 77 (skip) when gnome-keyring or
# dbus-run-session is not installed.
set -u

for tool in gnome-keyring-daemon dbus-run-session gdbus; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is not installed (packages gnome-keyring, dbus, libglib2.0-bin)"
    exit 77
  fi
done

if [ -z "${SLUICE_KEYRING_INNER:-}" ]; then
  export SLUICE_KEYRING_INNER=1
  SANDBOX=$(mktemp -d "${TMPDIR:-/tmp}/sluice-keyring.XXXXXX")
  trap 'rm -rf "$SANDBOX"' EXIT
  export SLUICE_TEST_SANDBOX=$SANDBOX
  export HOME=$SANDBOX/home XDG_RUNTIME_DIR=$SANDBOX/run
  export XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config XDG_CACHE_HOME=$HOME/.cache
  mkdir -p "$HOME"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS
  rc=0
  dbus-run-session -- "$0" "$@" || rc=$?
  exit $rc
fi

# A fresh HOME and a non-empty password: login.keyring is created unlocked.
# Not with the tests' G_DEBUG=fatal-warnings: a warning of the daemon's own
# (seen when another gnome-keyring runs on the machine) would kill it.
echo -n 'sluice-test-keyring' | env -u G_DEBUG -u G_MESSAGES_DEBUG gnome-keyring-daemon --unlock --components=secrets >/dev/null
for _ in $(seq 100); do
  # Owned is not enough on a loaded machine: wait for the default collection.
  if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
       --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true &&
     gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
       --method org.freedesktop.Secret.Service.ReadAlias default 2>/dev/null | grep -q collection/; then
    exec "$@"
  fi
  sleep 0.1
done
echo "gnome-keyring did not claim org.freedesktop.secrets"
exit 1
