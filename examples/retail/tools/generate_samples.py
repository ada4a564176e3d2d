#!/usr/bin/env python3
"""Writes the retail example's sample data, deterministically.

Only the standard library; the same files on every run and every machine
(fixed seed, no clock, LF line endings, UTF-8). Run from anywhere:

    python3 examples/retail/tools/generate_samples.py
"""
import csv
import datetime
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")

rng = random.Random(20261124)

FIRST = ["Anna", "Ben", "Chloé", "Dmitri", "Émile", "Fatima", "Grace", "Hiroshi", "Ingrid", "José",
         "Karin", "Liam", "Łukasz", "María", "Noah", "Olivia", "Priya", "Quentin", "Rosa", "Søren",
         "Tomás", "Uma", "Viktor", "Wei", "Xavier", "Yasmin", "Zoë", "Ada", "Björn", "Clara"]
LAST = ["Smith", "O'Brien", "Müller", "García", "Nguyen", "Kowalski", "Rossi", "Dubois", "Johansson",
        "Tanaka", "Silva", "Novák", "Kim", "Schmidt", "D'Angelo", "van der Berg", "Papadopoulos",
        "Ivanova", "Murphy", "Öztürk", "Lefèvre", "Hansen", "Costa", "Horvát", "Brown", "Wilson"]
COUNTRIES = [("DE", "Berlin"), ("DE", "München"), ("FR", "Paris"), ("FR", "Lyon"), ("GB", "London"),
             ("ES", "Madrid"), ("IT", "Milano"), ("NL", "Amsterdam"), ("PL", "Kraków"), ("SE", "Malmö"),
             ("US", "New York"), ("US", "San Francisco"), ("JP", "Tōkyō")]
SEGMENTS = ["Consumer", "Corporate", "Home Office"]
CATEGORIES = {
    "Furniture": ["Chairs", "Tables", "Bookcases", "Furnishings"],
    "Office Supplies": ["Paper", "Binders", "Art", "Storage", "Labels"],
    "Technology": ["Phones", "Accessories", "Machines", "Copiers"],
}
ADJECTIVES = ["Classic", "Ergonomic", "Compact", "Deluxe", "Eco", "Heavy-Duty", "Slim", "Premium"]
CHANNELS = ["web", "store", "phone", "partner"]
STATUSES = ["completed"] * 8 + ["returned", "cancelled"]

START = datetime.date(2023, 1, 1)
END = datetime.date(2025, 6, 30)


def write_csv(name, header, rows):
    path = os.path.join(DATA, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def customers(n):
    rows = []
    for i in range(1, n + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        country, city = rng.choice(COUNTRIES)
        email = "%s.%s%d@example.com" % (first.lower(), last.lower().replace(" ", "").replace("'", ""), i)
        if i % 97 == 0:
            email = None                                   # a few unknown e-mails
        signup = START + datetime.timedelta(days=rng.randrange((END - START).days))
        note = None
        if i % 53 == 0:
            note = 'Prefers "express", ships to 2nd address'  # quotes and commas in a field
        rows.append([i, first, last, email, rng.choice(SEGMENTS), country, city, signup.isoformat(),
                     "true" if rng.random() < 0.3 else "false", note])
    return rows


def products(n):
    rows = []
    for i in range(1, n + 1):
        category = rng.choice(sorted(CATEGORIES))
        sub = rng.choice(CATEGORIES[category])
        name = "%s %s %d" % (rng.choice(ADJECTIVES), sub.rstrip("s"), i)
        if i % 41 == 0:
            name += " 🚀"
        if i % 59 == 0:
            name = "筆記用具 " + name                       # CJK in a product name
        price = round(rng.uniform(1.5, 900.0), 2)
        rows.append([i, name, category, sub, "%.2f" % price, "%.2f" % round(price * rng.uniform(0.4, 0.8), 2)])
    return rows


def orders(n_orders, customer_count, product_rows):
    rows = []
    order_id = 100000
    while len(rows) < n_orders:
        order_id += 1
        customer = rng.randrange(1, customer_count + 1)
        day = START + datetime.timedelta(days=rng.randrange((END - START).days + 1))
        status = rng.choice(STATUSES)
        channel = rng.choice(CHANNELS)
        for line in range(1, rng.randrange(1, 5) + 1):
            product = rng.choice(product_rows)
            quantity = rng.randrange(1, 8)
            discount = rng.choice([None, None, None, "0.05", "0.10", "0.20"])
            rows.append([order_id, line, customer, product[0], day.isoformat(), quantity,
                         product[4], discount, status, channel])
    return rows[:n_orders]


def main():
    os.makedirs(DATA, exist_ok=True)
    c = customers(2000)
    write_csv("customers.csv", ["customer_id", "first_name", "last_name", "email", "segment", "country",
                                "city", "signup_date", "newsletter", "note"], c)
    p = products(300)
    write_csv("products.csv", ["product_id", "product_name", "category", "sub_category", "list_price",
                               "unit_cost"], p)
    o = orders(12000, len(c), p)
    write_csv("orders.csv", ["order_id", "line_no", "customer_id", "product_id", "order_date", "quantity",
                             "unit_price", "discount", "status", "channel"], o)

    # Customers of the shop the company bought: same shape, some overlap by e-mail.
    legacy = []
    for i in range(1, 301):
        base = c[rng.randrange(len(c))] if i % 3 == 0 else None
        first, last = (base[1], base[2]) if base else (rng.choice(FIRST), rng.choice(LAST))
        country, city = (base[5], base[6]) if base else rng.choice(COUNTRIES)
        email = base[3] if base else "%s.%s.legacy%d@example.org" % (first.lower(), last.lower().replace(" ", "").replace("'", ""), i)
        signup = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(1400))
        legacy.append([900000 + i, first, last, email, rng.choice(SEGMENTS), country, city, signup.isoformat(),
                       "false", None])
    write_csv("legacy_customers.csv", ["customer_id", "first_name", "last_name", "email", "segment", "country",
                                       "city", "signup_date", "newsletter", "note"], legacy)

    # Returns as JSON lines, as a web shop's event feed would send them.
    returned = [r for r in o if r[8] == "returned"]
    with open(os.path.join(DATA, "returns.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for k, r in enumerate(returned[:600]):
            day = datetime.date.fromisoformat(r[4]) + datetime.timedelta(days=rng.randrange(1, 30))
            event = {"return_id": k + 1, "order_id": r[0], "line_no": r[1], "returned_at":
                     "%sT%02d:%02d:00" % (day.isoformat(), rng.randrange(8, 20), rng.randrange(60)),
                     "reason": rng.choice(["damaged", "wrong size", "changed mind", "late delivery", None]),
                     "refund": float("%.2f" % (float(r[6]) * r[5]))}
            f.write(json.dumps(event, ensure_ascii=False, sort_keys=False) + "\n")


if __name__ == "__main__":
    main()
