#!/bin/bash
# The canary, run inside with-keyring.sh (private HOME, XDG folders, D-Bus
# session and gnome-keyring):
#
#   canary.sh TEST_CANARY
#
# Makes a unique Databricks-looking token, hands it to TEST_CANARY in a
# private file (never in argv or the environment), runs it with
# G_MESSAGES_DEBUG=all, commits the project it used to git, then searches
# HOME, the XDG folders, the runtime folder, the project with every git
# object, and the program's log for the token. Any hit fails.
set -u
exe=$1
sandbox=${SLUICE_TEST_SANDBOX:?run me through with-keyring.sh}
[ -n "${DISPLAY:-}" ] || { echo "no display"; exit 77; }

token="dapi$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
private=$(mktemp -d "${TMPDIR:-/tmp}/sluice-canary-secret.XXXXXX")
trap 'rm -rf "$private"' EXIT
chmod 700 "$private"
printf %s "$token" >"$private/token"
log=$HOME/canary.log

rc=0
SLUICE_CANARY_TOKEN_FILE=$private/token G_MESSAGES_DEBUG=all "$exe" >"$log" 2>&1 || rc=$?
cat "$log"
if [ "$rc" != 0 ]; then
  echo "test-canary failed ($rc)"
  exit 1
fi
if [ -e "$private/token" ]; then
  echo "test-canary did not take the token"
  exit 1
fi

project=$HOME/project
git -C "$project" init -q
git -C "$project" add -A
git -C "$project" -c user.name=Canary -c user.email=canary@example.com commit -qm "canary" || exit 1

# The search must be able to find it: a control copy first.
printf 'x%sx\n' "$token" >"$HOME/control"
if ! grep -rqF "$token" "$HOME"; then
  echo "the search does not work: the control file was not found"
  exit 1
fi
rm -f "$HOME/control"

hits=0
for where in "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" "$sandbox"; do
  if [ -e "$where" ] && grep -rlF "$token" "$where" 2>/dev/null; then
    echo "the token is in a file under $where"
    hits=1
  fi
done
# Git objects are compressed: search what they hold.
n=$(git -C "$project" cat-file --batch-all-objects --batch | grep -caF "$token")
if [ "$n" != 0 ]; then
  echo "the token is in $n git object(s)"
  hits=1
fi
objects=$(git -C "$project" count-objects -v | sed -n 's/^count: //p')
echo "searched $(find "$HOME" -type f | wc -l) files, $objects loose git objects and $(wc -l <"$log") log lines: $([ $hits = 0 ] && echo no hits || echo HITS)"
exit $hits
