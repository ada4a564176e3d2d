#!/bin/bash
# The layer rules of DESIGN.md §8: only src/ui may include GTK, libadwaita or
# GtkSourceView, and no layer includes a header of a layer above it.
set -u
root=${1:?usage: check-layers.sh SOURCE_ROOT}
cd "$root/src" || exit 2
rc=0

bad=$(grep -rnE '#\s*include\s*<(gtk/|gdk/|adwaita\.h|gtksourceview/)' --include='*.[ch]' . | grep -v '^\./ui/')
if [ -n "$bad" ]; then
  echo "GTK outside src/ui:"; echo "$bad"; rc=1
fi

# Which layer holds each sluice-*.h
declare -A layer_of
for h in */sluice-*.h; do layer_of[$(basename "$h")]=${h%%/*}; done

# What each layer may include (besides itself).
declare -A allowed=(
  [core]=""
  [codegen]="core"
  [engines]="core codegen"
  [vcs]=""
  [secrets]=""
  [cli]="core codegen engines vcs secrets"
  [ui]="core codegen engines vcs secrets"
)
for layer in "${!allowed[@]}"; do
  [ -d "$layer" ] || continue
  while IFS=: read -r file line inc; do
    header=$(sed -E 's/.*"([^"]+)".*/\1/' <<<"$inc")
    owner=${layer_of[$header]:-}
    [ -z "$owner" ] || [ "$owner" = "$layer" ] && continue
    if ! grep -qw "$owner" <<<"${allowed[$layer]}"; then
      echo "$file:$line: src/$layer includes $header from src/$owner"
      rc=1
    fi
  done < <(grep -rnE '#\s*include\s*"sluice-[^"]+\.h"' --include='*.[ch]' "$layer")
done
[ $rc = 0 ] && echo "layer rules hold"
exit $rc
