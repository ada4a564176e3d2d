#!/bin/bash
# po/POTFILES.in lists every file with translatable strings, and only files
# that exist:
#  - C sources and headers under src/ that mark strings with _(), N_(), C_(),
#    NC_(), ngettext() or g_dngettext() (the keywords of meson's glib preset);
#  - GtkBuilder files under data/ with translatable="yes";
#  - the desktop file, the metainfo file and the GSettings schema.
#
#   check-potfiles.sh SOURCE_ROOT
#
# Prints every problem and exits 1 if there is one.
set -u
root=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$root" || exit 2
export LC_ALL=C

# Entries, without comments, blank lines, CRs or surrounding blanks.
listed=$(sed -e 's/\r$//' -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' \
           po/POTFILES.in | sed '/^$/d')
rc=0

while IFS= read -r f; do
  [ -n "$f" ] || continue
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in: $f does not exist"
    rc=1
  fi
done <<<"$listed"

dups=$(sort <<<"$listed" | uniq -d)
if [ -n "$dups" ]; then
  while IFS= read -r f; do
    echo "po/POTFILES.in: listed twice: $f"
  done <<<"$dups"
  rc=1
fi

needed=$(
  { grep -rlE '(^|[^[:alnum:]_])(_|N_|C_|NC_|ngettext|g_dngettext)[[:space:]]*\(' \
      --include='*.c' --include='*.h' src
    grep -rl --include='*.ui' 'translatable="yes"' data
    find data -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml'
  } 2>/dev/null | sed 's|^\./||' | sort -u)

missing=$(comm -23 <(sed '/^$/d' <<<"$needed") <(sort -u <<<"$listed"))
if [ -n "$missing" ]; then
  sed 's|^|po/POTFILES.in: missing |; s|$| (it has translatable strings)|' <<<"$missing"
  rc=1
fi

[ $rc = 0 ] && echo "po/POTFILES.in lists all $(grep -c . <<<"$needed") files with translatable strings"
exit $rc
