#!/bin/bash
# Extracts the messages of every file in po/POTFILES.in the way `meson
# compile sluice-pot` does (xgettext with meson's glib preset), into a
# scratch folder, and fails on any warning: a file xgettext cannot read, or
# a msgid that is not a valid C format string (such as one built with
# G_GINT64_FORMAT, which xgettext cannot expand and translators never see).
#
#   check-pot.sh SOURCE_ROOT
set -u
root=${1:?usage: check-pot.sh SOURCE_ROOT}
cd "$root" || exit 2
if ! command -v xgettext >/dev/null; then
  echo "xgettext is not installed"
  exit 77
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/sluice-pot.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# The arguments of meson's i18n.gettext(preset: 'glib').
xgettext --package-name=sluice --files-from=po/POTFILES.in --directory=. \
  --output="$scratch/sluice.pot" \
  --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  2>"$scratch/warnings"
status=$?
if [ $status != 0 ] || [ -s "$scratch/warnings" ]; then
  cat "$scratch/warnings"
  echo "xgettext failed or warned (exit status $status)"
  exit 1
fi
if [ ! -s "$scratch/sluice.pot" ]; then
  echo "xgettext found no messages"
  exit 1
fi
# The header's msgid "" is not a message.
echo "$(($(grep -c '^msgid ' "$scratch/sluice.pot") - 1)) messages extracted"
