#!/bin/bash
# Fails when a file with translatable strings is missing from po/POTFILES.in,
# or when POTFILES.in names a file that does not exist.
set -u
root=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$root" || exit 2
listed=$(grep -v '^\s*#' po/POTFILES.in | sed '/^\s*$/d' | sort -u)
rc=0
for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in: $f does not exist"
    rc=1
  fi
done
needed=$( { grep -rlE '\b(N?_|C_|g_dngettext|ngettext)\s*\(' --include='*.c' src 2>/dev/null
            grep -rl 'translatable="yes"' data 2>/dev/null | grep -v '/icons/'
            ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null; } | sort -u)
for f in $needed; do
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "po/POTFILES.in: missing $f (it has translatable strings)"
    rc=1
  fi
done
[ $rc = 0 ] && echo "POTFILES.in lists all $(wc -l <<<"$needed") files with translatable strings"
exit $rc
