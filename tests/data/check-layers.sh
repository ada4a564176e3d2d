#!/bin/bash
# The layer rules of DESIGN.md §8 and STYLE.md, checked on the sources:
#
#  1. only src/ui/ includes GTK, GDK, GSK, libadwaita or GtkSourceView;
#  2. a layer includes no library that its row of the table leaves out
#     (core and codegen: no libsoup, libgit2, libsecret or SQLite; ...);
#  3. a layer includes no sluice-*.h header that lives in a layer it may not
#     use. A header belongs to the src/<layer>/ folder that holds it.
#
#   check-layers.sh SOURCE_ROOT
#
# Prints every offending #include as FILE:LINE and exits 1 if there is one.
set -u
root=${1:?usage: check-layers.sh SOURCE_ROOT}
cd "$root/src" || exit 2
export LC_ALL=C

# Which sluice-*.h headers each layer's sources include, as
# "LAYER FILE:LINE: HEADER" (the layer being the first folder under src/).
includes=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' \
             --include='*.c' --include='*.h' . |
           sed -nE 's|^\./(([^/]+)/[^:]*):([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*([<"][^>"]+[>"]).*|\2 src/\1:\3: \4|p')

# Where each header lives: "HEADER LAYER".
headers=$(find . -mindepth 2 -name 'sluice-*.h' -printf '%f %P\n' | sed -E 's| ([^/]+)/.*| \1|')

awk -v headers="$headers" '
BEGIN {
  n = split(headers, lines, "\n")
  for (i = 1; i <= n; i++) {
    if (split(lines[i], f, " ") != 2)
      continue
    if ((f[1] in owner) && owner[f[1]] != f[2])
      ambiguous[f[1]] = 1
    owner[f[1]] = f[2]
  }

  # Rule 3: the layers each layer may include besides itself.
  may["core"]    = ""
  may["codegen"] = "core"
  may["engines"] = "core codegen"
  may["vcs"]     = "secrets"
  may["secrets"] = "vcs"
  may["cli"]     = "core codegen engines vcs secrets"
  may["ui"]      = "core codegen engines vcs secrets"

  # Rule 2: system headers a layer must not include (its meson dependencies
  # are the rule; this catches headers that happen to be on the default path).
  banned["core"]    = "libsoup/ git2 libsecret/ sqlite3"
  banned["codegen"] = "libsoup/ git2 libsecret/ sqlite3"
  banned["engines"] = "git2 libsecret/"
  banned["vcs"]     = "libsoup/ libsecret/ sqlite3"
  banned["secrets"] = "libsoup/ git2 sqlite3"
  banned["cli"]     = ""
  rc = 0
}
{
  layer = $1; where = $2; inc = $3
  name = substr(inc, 2, length(inc) - 2)

  if (substr(inc, 1, 1) == "<") {
    if (layer != "ui" && name ~ /^(gtk\/|gdk\/|gsk\/|adwaita\.h$|gtksourceview\/)/) {
      printf "%s src/%s includes %s: only src/ui may use GTK\n", where, layer, inc
      rc = 1
    }
    nb = split(banned[layer], b, " ")
    for (i = 1; i <= nb; i++)
      if (index(name, b[i]) == 1) {
        printf "%s src/%s includes %s, a library it does not depend on\n", where, layer, inc
        rc = 1
      }
    next
  }

  if (name !~ /^sluice-.*\.h$/ || !(name in owner))
    next
  if (name in ambiguous) {
    printf "%s %s exists in more than one layer\n", where, name
    rc = 1
    next
  }
  to = owner[name]
  if (to == layer || !(layer in may))
    next
  if ((" " may[layer] " ") !~ (" " to " ")) {
    printf "%s src/%s includes %s from src/%s\n", where, layer, name, to
    rc = 1
  }
}
END {
  if (rc == 0)
    print "layer rules hold"
  exit rc
}' <<<"$includes"
