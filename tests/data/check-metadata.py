#!/usr/bin/python3
# What the validators do not check but a software centre needs, on the merged
# files: the metainfo names the app and its desktop file, has a developer with
# an id, an OARS rating, an HTTPS screenshot, the licenses, and a dated
# release for the version being built; the desktop file starts the installed
# binary with the app's icon; the app icon has a 128x128 canvas and the
# symbolic icon is 16x16 and drawn in #2e3436 only.
#
#   check-metadata.py METAINFO DESKTOP_FILE APP_ID VERSION ICON_DIR
import configparser
import datetime
import os
import re
import sys
import xml.etree.ElementTree as ET

metainfo, desktop, app_id, version, icon_dir = sys.argv[1:6]
problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


# The metainfo.
m = ET.parse(metainfo).getroot()
where = os.path.basename(metainfo)


def text(path):
    node = m.find(path)
    return (node.text or "").strip() if node is not None else None


check(m.get("type") == "desktop-application", "%s: not a desktop-application" % where)
check(text("id") == app_id, "%s: <id> is %r, not %r" % (where, text("id"), app_id))
check(text("metadata_license") == "CC0-1.0", "%s: metadata_license is not CC0-1.0" % where)
check(text("project_license") == "GPL-3.0-or-later",
      "%s: project_license is not GPL-3.0-or-later" % where)
launchables = [(l.get("type"), (l.text or "").strip()) for l in m.findall("launchable")]
check(("desktop-id", app_id + ".desktop") in launchables,
      "%s: no <launchable type=\"desktop-id\">%s.desktop</launchable>" % (where, app_id))
dev = m.find("developer")
check(dev is not None and dev.get("id") and text("developer/name"),
      "%s: no <developer id=\"…\"> with a <name>" % where)
rating = m.find("content_rating")
check(rating is not None and rating.get("type", "").startswith("oars-"),
      "%s: no OARS <content_rating>" % where)
check((text("url[@type='homepage']") or "").startswith("https://"),
      "%s: no https homepage <url>" % where)
images = [(i.text or "").strip() for i in m.findall("screenshots/screenshot/image")]
check(images and all(i.startswith("https://") for i in images),
      "%s: needs a screenshot, every image on https" % where)
check(m.find("screenshots/screenshot[@type='default']") is not None,
      "%s: no default screenshot" % where)

releases = m.findall("releases/release")
check(releases, "%s: no <release>" % where)
for r in releases:
    try:
        datetime.date.fromisoformat(r.get("date") or "")
    except ValueError:
        problems.append("%s: release %s has no valid date" % (where, r.get("version")))
if releases:
    check(releases[0].get("version") == version,
          "%s: the newest <release> is %s, but meson builds %s (add its release notes)"
          % (where, releases[0].get("version"), version))
    dates = [r.get("date") or "" for r in releases]
    check(dates == sorted(dates, reverse=True), "%s: releases are not newest first" % where)

# The desktop file.
d = configparser.ConfigParser(interpolation=None, strict=False)
d.optionxform = str
d.read(desktop, encoding="utf-8")
entry = d["Desktop Entry"] if d.has_section("Desktop Entry") else {}
check(entry.get("Icon") == app_id, "%s: Icon is not %s" % (os.path.basename(desktop), app_id))
check((entry.get("Exec") or "").split(" ")[0] == "sluice",
      "%s: Exec does not start sluice" % os.path.basename(desktop))

# The icons.
SVG = "{http://www.w3.org/2000/svg}"


def svg(path, size):
    name = os.path.relpath(path, icon_dir)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        problems.append("%s: %s" % (name, e))
        return None
    check(root.tag == SVG + "svg", "%s: not an SVG" % name)
    check(root.get("viewBox") == "0 0 %d %d" % (size, size)
          and root.get("width") == str(size) and root.get("height") == str(size),
          "%s: the canvas is not %dx%d" % (name, size, size))
    return root


svg(os.path.join(icon_dir, "scalable", "apps", app_id + ".svg"), 128)
symbolic = os.path.join(icon_dir, "symbolic", "apps", app_id + "-symbolic.svg")
root = svg(symbolic, 16)
if root is not None:
    colours = set()
    for el in root.iter():
        for attr in ("fill", "stroke", "stop-color"):
            if el.get(attr) not in (None, "none"):
                colours.add(el.get(attr).lower())
        for prop in re.findall(r"(?:fill|stroke|stop-color)\s*:\s*([^;]+)", el.get("style") or ""):
            if prop.strip() != "none":
                colours.add(prop.strip().lower())
    check(colours <= {"#2e3436"},
          "%s: symbolic icons use #2e3436 only, found %s"
          % (os.path.basename(symbolic), ", ".join(sorted(colours - {"#2e3436"}))))
    check(not root.findall(".//" + SVG + "image") and not root.findall(".//" + SVG + "text"),
          "%s: symbolic icons are paths only" % os.path.basename(symbolic))

for p in problems:
    print(p)
if problems:
    sys.exit(1)
print("metainfo, desktop file and icons hold what a software centre needs")
