#!/usr/bin/python3
"""Runs every pipeline of examples/retail with `sluice-cli run` on the Local
fabric and compares the rows with the ones computed here, from the sample
files, with the Python standard library only: nothing of Sluice is reused.

    check-retail.py SLUICE_CLI EXAMPLE_DIR
"""
import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal

failures = []


def fail(message):
    failures.append(message)
    print("not ok: " + message)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(f)]


def dec(v):
    return None if v is None else Decimal(v)


def run(cli, project, pipeline, env):
    args = [cli, "run", project, pipeline, "--format", "json", "--limit", "1000000"]
    p = subprocess.run(args, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        fail("%s exited with %d:\n%s%s" % (" ".join(args), p.returncode, p.stdout, p.stderr))
        return None
    return json.loads(p.stdout)


def close(a, b, tolerance):
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(str(a)) - Decimal(b)) <= tolerance


def compare(name, got, want, numeric, tolerance=Decimal("0.00005")):
    """got: rows from Sluice (dicts); want: rows computed here, same order."""
    if got is None:
        return
    if len(got) != len(want):
        fail("%s: %d rows, expected %d" % (name, len(got), len(want)))
        return
    for i, (g, w) in enumerate(zip(got, want)):
        if list(g.keys()) != list(w.keys()):
            fail("%s: columns %s, expected %s" % (name, list(g.keys()), list(w.keys())))
            return
        for k in w:
            same = close(g[k], w[k], tolerance) if k in numeric else g[k] == w[k]
            if not same:
                fail("%s: row %d, column %s: %r, expected %r" % (name, i, k, g[k], w[k]))
                return
    print("ok: %s (%d rows)" % (name, len(want)))


def month_start(day):
    return day[:8] + "01"


def main():
    cli, example = sys.argv[1], sys.argv[2]
    data = os.path.join(example, "data")
    orders = read_csv(os.path.join(data, "orders.csv"))
    customers = {c["customer_id"]: c for c in read_csv(os.path.join(data, "customers.csv"))}
    legacy = read_csv(os.path.join(data, "legacy_customers.csv"))
    products = {p["product_id"]: p for p in read_csv(os.path.join(data, "products.csv"))}

    def line_total(o):
        return dec(o["quantity"]) * dec(o["unit_price"]) * (1 - (dec(o["discount"]) or 0))

    # orders_enriched: completed lines, left-joined to customers and products.
    enriched = []
    for o in orders:
        if o["status"] != "completed":
            continue
        c = customers.get(o["customer_id"], {})
        p = products.get(o["product_id"], {})
        first, last = c.get("first_name"), c.get("last_name")
        enriched.append({
            "order_id": int(o["order_id"]), "line_no": int(o["line_no"]), "order_date": o["order_date"],
            "order_month": month_start(o["order_date"]), "customer_id": int(o["customer_id"]),
            "customer_name": None if first is None or last is None else first + " " + last,
            "segment": c.get("segment"), "country": c.get("country"), "product_id": int(o["product_id"]),
            "product_name": p.get("product_name"), "category": p.get("category"),
            "quantity": int(o["quantity"]), "line_total": line_total(o),
        })
    enriched.sort(key=lambda r: (r["order_id"], r["line_no"]))

    # revenue_by_month: pivot of the enriched lines by segment, by month.
    by_month = defaultdict(lambda: defaultdict(lambda: None))
    for r in enriched:
        cell = by_month[r["order_month"]]
        if r["segment"] is not None:
            cell[r["segment"]] = (cell[r["segment"]] or 0) + r["line_total"]
        cell["_"] = True
    revenue = [{"order_month": m, "Consumer": by_month[m]["Consumer"], "Corporate": by_month[m]["Corporate"],
                "Home Office": by_month[m]["Home Office"]} for m in sorted(by_month)]

    # top_products: revenue of every line (any status) per product, ranked in its category.
    per_product = defaultdict(Decimal)
    for o in orders:
        per_product[o["product_id"]] += line_total(o)
    per_category = defaultdict(list)
    for pid, rev in per_product.items():
        if pid in products:
            per_category[products[pid]["category"]].append((rev, products[pid]["product_name"]))
    top = []
    for cat in sorted(per_category):
        ranked = sorted(per_category[cat], key=lambda t: -t[0])
        if len(ranked) > 5 and ranked[4][0] == ranked[5][0]:
            fail("top_products: a tie at rank 5 in %s makes the expected rows ambiguous" % cat)
        for i, (rev, name) in enumerate(ranked[:5]):
            top.append({"category": cat, "product_name": name, "revenue": rev, "rank": i + 1})

    # customer_cleanup: both shops, the newest row per e-mail, counted per country.
    newest = {}
    for c in list(customers.values()) + legacy:
        key = c["email"]
        best = newest.get(key)
        day = c["signup_date"]
        if best is None or (day is not None and (best["signup_date"] is None or day > best["signup_date"])):
            newest[key] = c
        elif day == best["signup_date"] and c["country"] != best["country"]:
            fail("customer_cleanup: e-mail %r has two newest rows in different countries" % key)
    counts = defaultdict(int)
    for c in newest.values():
        counts[c["country"]] += 1
    per_country = [{"country": k, "customers": counts[k]} for k in sorted(counts, key=lambda k: (k is None, k))]

    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "retail")
        shutil.copytree(example, project, ignore=shutil.ignore_patterns(".sluice", "code"))
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"))

        got = run(cli, project, "orders_enriched", env)
        if got is not None:
            got.sort(key=lambda r: (r["order_id"], r["line_no"]))
        compare("orders_enriched", got, enriched, {"line_total"})

        # Reads what orders_enriched wrote under .sluice/output.
        compare("revenue_by_month", run(cli, project, "revenue_by_month", env), revenue,
                {"Consumer", "Corporate", "Home Office"}, Decimal("0.005"))

        got = run(cli, project, "top_products", env)
        if got is not None:
            got.sort(key=lambda r: (r["category"], r["rank"]))
        compare("top_products", got, top, {"revenue"}, Decimal("0.005"))

        got = run(cli, project, "customer_cleanup", env)
        if got is not None:
            got.sort(key=lambda r: (r["country"] is None, r["country"] or ""))
        compare("customer_cleanup", got, per_country, set())

        # The Target files are where the README says.
        for name in ("orders_enriched", "revenue_by_month", "top_products", "customers_by_country"):
            path = os.path.join(project, ".sluice", "output", name + ".csv")
            if not os.path.isfile(path):
                fail("no %s" % path)

    if failures:
        print("%d failures" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
