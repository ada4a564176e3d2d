#!/bin/bash
# The Flatpak manifest parses with no unknown keys (flatpak-builder warns about
# those and G_DEBUG=fatal-warnings makes a warning fatal), and it grants exactly
# the permissions we document: network, IPC, Wayland with X11 fallback, and the
# GPU. No D-Bus name is granted: inside the sandbox libsecret talks to the
# Secret portal, so org.freedesktop.secrets is never needed. libgit2 is the only
# bundled module, pinned by checksum, and Sluice itself builds with meson from
# this checkout.
#
#   check-flatpak.sh MANIFEST
#
# Exits 77 (skipped) when flatpak-builder is not installed.
set -u
manifest=${1:?usage: check-flatpak.sh MANIFEST}
if [ ! -f "$manifest" ]; then
  echo "$manifest does not exist"
  exit 1
fi
if ! command -v flatpak-builder >/dev/null; then
  echo "flatpak-builder is not installed"
  exit 77
fi

abs=$(realpath "$manifest")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/sluice-flatpak.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# --show-manifest resolves includes and prints the manifest as flatpak-builder
# understood it; it does not download anything.
if ! (cd "$scratch" && G_DEBUG=fatal-warnings flatpak-builder --show-manifest "$abs") \
     >"$scratch/manifest.json" 2>"$scratch/errors"; then
  cat "$scratch/errors"
  echo "$manifest: flatpak-builder cannot read it"
  exit 1
fi

/usr/bin/python3 - "$manifest" "$scratch/manifest.json" <<'PY'
import json, re, sys

name, path = sys.argv[1], sys.argv[2]
m = json.load(open(path))
problems = []

def expect(key, value):
    if m.get(key) != value:
        problems.append("%s is %r, not %r" % (key, m.get(key), value))

expect("id", "dev.sluice.Sluice")
expect("runtime", "org.gnome.Platform")
expect("sdk", "org.gnome.Sdk")
expect("command", "sluice")
if not re.fullmatch(r"\d+", str(m.get("runtime-version", ""))):
    problems.append("runtime-version %r is not a GNOME release" % m.get("runtime-version"))

want = ["--share=network", "--share=ipc", "--socket=wayland",
        "--socket=fallback-x11", "--device=dri"]
args = m.get("finish-args", [])
if sorted(args) != sorted(want):
    extra = [a for a in args if a not in want]
    lacking = [a for a in want if a not in args]
    if extra:
        problems.append("finish-args grants what it should not: " + " ".join(extra))
    if lacking:
        problems.append("finish-args lacks " + " ".join(lacking))
    if len(args) != len(set(args)):
        problems.append("finish-args repeats an entry")

modules = m.get("modules", [])
names = [mod.get("name") if isinstance(mod, dict) else mod for mod in modules]
if names != ["libgit2", "sluice"]:
    problems.append("modules are %r, not ['libgit2', 'sluice']" % names)
else:
    for src in modules[0].get("sources", []):
        if src.get("type") in ("archive", "file"):
            if not src.get("url", "").startswith("https://"):
                problems.append("libgit2: source %r is not fetched over HTTPS" % src.get("url"))
            if not re.fullmatch(r"[0-9a-f]{64}", src.get("sha256", "")):
                problems.append("libgit2: source %r has no sha256" % src.get("url"))
    app = modules[1]
    if app.get("buildsystem") != "meson":
        problems.append("sluice: buildsystem is %r, not 'meson'" % app.get("buildsystem"))
    if {"type": "dir", "path": ".."} not in app.get("sources", []):
        problems.append("sluice: does not build this checkout (a dir source with path '..')")

for p in problems:
    print("%s: %s" % (name, p))
if problems:
    sys.exit(1)
print("%s: %s %s, modules %s, finish-args %s" % (
    name, m["runtime"], m["runtime-version"], ", ".join(names), " ".join(args)))
PY
