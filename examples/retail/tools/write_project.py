#!/usr/bin/env python3
"""Writes the retail example's manifest, datasets, pipelines and job in
Sluice's canonical form (docs/file-format.md), so they load and save back
byte for byte. Standard library only.

    python3 examples/retail/tools/write_project.py
"""
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
INLINE_IN_ARRAY = {"edges", "schema"}


def scalar(v):
    return json.dumps(v, ensure_ascii=False)


def is_scalar(v):
    return not isinstance(v, (dict, list))


def emit(v, indent=0, member=None, in_array=False):
    pad = "  " * indent
    if isinstance(v, dict):
        if not v:
            return "{}"
        inline = ((member == "position" and not in_array) or (in_array and member in INLINE_IN_ARRAY)) \
            and all(is_scalar(x) for x in v.values())
        if inline:
            return "{" + ", ".join("%s: %s" % (scalar(k), scalar(x)) for k, x in v.items()) + "}"
        lines = ["%s  %s: %s" % (pad, scalar(k), emit(x, indent + 1, k)) for k, x in v.items()]
        return "{\n" + ",\n".join(lines) + "\n" + pad + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        if all(is_scalar(x) for x in v):
            return "[" + ", ".join(scalar(x) for x in v) + "]"
        lines = ["%s  %s" % (pad, emit(x, indent + 1, member, True)) for x in v]
        return "[\n" + ",\n".join(lines) + "\n" + pad + "]"
    return scalar(v)


def write(relative, obj):
    path = os.path.join(ROOT, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(emit(obj) + "\n")


def col(name, type_, nullable=True, description=None):
    c = {"name": name, "type": type_, "nullable": nullable}
    if description:
        c["description"] = description
    return c


def dataset(description, fmt, location, schema, sample=None, options=None):
    d = {"format_version": 1, "description": description, "format": fmt, "location": location}
    if sample:
        d["sample"] = sample
    if options:
        d["options"] = options
    d["schema"] = schema
    return d


CSV = {"header": True, "delimiter": ",", "quote": "\"", "null_value": ""}

CUSTOMER_COLUMNS = [
    col("customer_id", "bigint", False), col("first_name", "string"), col("last_name", "string"),
    col("email", "string"), col("segment", "string", description="Consumer, Corporate or Home Office"),
    col("country", "string", description="ISO 3166 alpha-2"), col("city", "string"),
    col("signup_date", "date"), col("newsletter", "boolean"), col("note", "string"),
]


def gem(id_, type_, label, x, y, config, inputs=None):
    g = {"id": id_, "type": type_, "label": label, "position": {"x": x, "y": y}}
    if inputs is not None:
        g["inputs"] = inputs
    g["config"] = config
    return g


def named(name, expression):
    return {"name": name, "expression": expression}


def edge(a, b):
    return {"from": a, "to": b}


def pipeline(description, gems, edges):
    return {"format_version": 1, "description": description, "gems": gems, "edges": edges}


def main():
    write("sluice.json", {
        "format_version": 1,
        "name": "Retail analytics",
        "description": "Orders, customers and products of a small web shop",
        "code_targets": ["pyspark", "spark-sql", "snowflake-sql"],
    })

    write("datasets/customers.json", dataset(
        "One row per customer", "csv", "retail.customers", CUSTOMER_COLUMNS, "data/customers.csv", CSV))
    write("datasets/legacy_customers.json", dataset(
        "Customers of the shop bought in 2024, not yet migrated", "csv", "retail.legacy_customers",
        CUSTOMER_COLUMNS, "data/legacy_customers.csv", CSV))
    write("datasets/products.json", dataset(
        "The product catalogue", "csv", "retail.products", [
            col("product_id", "bigint", False), col("product_name", "string", False),
            col("category", "string"), col("sub_category", "string"),
            col("list_price", "decimal(10,2)"), col("unit_cost", "decimal(10,2)"),
        ], "data/products.csv", CSV))
    write("datasets/orders.json", dataset(
        "One row per order line", "csv", "retail.orders", [
            col("order_id", "bigint", False), col("line_no", "int", False), col("customer_id", "bigint", False),
            col("product_id", "bigint", False), col("order_date", "date", False),
            col("quantity", "int", False), col("unit_price", "decimal(10,2)", False, "gross, per unit"),
            col("discount", "decimal(4,2)", description="share of the price, empty when none"),
            col("status", "string", False, "completed, returned or cancelled"), col("channel", "string"),
        ], "data/orders.csv", CSV))
    write("datasets/returns.json", dataset(
        "Return events from the shop's feed", "jsonl", "retail.returns", [
            col("return_id", "bigint", False), col("order_id", "bigint", False), col("line_no", "int", False),
            col("returned_at", "timestamp", False), col("reason", "string"), col("refund", "double"),
        ], "data/returns.jsonl"))
    write("datasets/orders_enriched.json", dataset(
        "Completed order lines with their customer and product", "delta", "retail.orders_enriched", [
            col("order_id", "bigint", False), col("line_no", "int", False), col("order_date", "date", False),
            col("order_month", "date"), col("customer_id", "bigint"), col("customer_name", "string"),
            col("segment", "string"), col("country", "string"), col("product_id", "bigint"),
            col("product_name", "string"), col("category", "string"), col("quantity", "int"),
            col("line_total", "decimal(20,4)"),
        ]))
    write("datasets/revenue_by_month.json", dataset(
        "Revenue per month, one column per segment", "delta", "retail.revenue_by_month", [
            col("order_month", "date", False), col("Consumer", "decimal(30,4)"),
            col("Corporate", "decimal(30,4)"), col("Home Office", "decimal(30,4)"),
        ]))
    write("datasets/top_products.json", dataset(
        "The five best-selling products of each category", "delta", "retail.top_products", [
            col("category", "string"), col("product_name", "string"), col("revenue", "decimal(30,4)"),
            col("rank", "int"),
        ]))
    write("datasets/customers_by_country.json", dataset(
        "Deduplicated customers of both shops, counted per country", "delta", "retail.customers_by_country", [
            col("country", "string"), col("customers", "bigint", False),
        ]))

    write("pipelines/orders_enriched.json", pipeline(
        "Completed order lines joined to their customer and product", [
            gem("orders", "Source", "Orders", 80, 80, {"dataset": "orders"}),
            gem("customers", "Source", "Customers", 80, 240, {"dataset": "customers"}),
            gem("products", "Source", "Products", 80, 400, {"dataset": "products"}),
            gem("completed_orders", "Filter", "Completed orders", 320, 80,
                {"condition": "status = 'completed'"}),
            gem("join_customers_products", "Join", "Join customers and products", 560, 240, {
                "joins": [
                    {"input": "in1", "type": "left", "condition": "in0.customer_id = in1.customer_id"},
                    {"input": "in2", "type": "left", "condition": "in0.product_id = in2.product_id"},
                ],
                "columns": [
                    named("order_id", "in0.order_id"), named("line_no", "in0.line_no"),
                    named("order_date", "in0.order_date"), named("customer_id", "in0.customer_id"),
                    named("first_name", "in1.first_name"), named("last_name", "in1.last_name"),
                    named("segment", "in1.segment"), named("country", "in1.country"),
                    named("product_id", "in0.product_id"), named("product_name", "in2.product_name"),
                    named("category", "in2.category"), named("quantity", "in0.quantity"),
                    named("unit_price", "in0.unit_price"), named("discount", "in0.discount"),
                ],
            }, inputs=["in0", "in1", "in2"]),
            gem("line_totals", "Reformat", "Line totals", 800, 240, {"columns": [
                named("order_id", "order_id"), named("line_no", "line_no"), named("order_date", "order_date"),
                named("order_month", "to_date(date_trunc('MONTH', order_date))"), named("customer_id", "customer_id"),
                named("customer_name", "concat(first_name, ' ', last_name)"), named("segment", "segment"),
                named("country", "country"), named("product_id", "product_id"),
                named("product_name", "product_name"), named("category", "category"),
                named("quantity", "quantity"),
                named("line_total", "quantity * unit_price * (1 - coalesce(discount, 0))"),
            ]}),
            gem("write_orders_enriched", "Target", "Write orders_enriched", 1040, 240,
                {"dataset": "orders_enriched", "mode": "overwrite"}),
        ], [
            edge("orders.out", "completed_orders.in0"),
            edge("completed_orders.out", "join_customers_products.in0"),
            edge("customers.out", "join_customers_products.in1"),
            edge("products.out", "join_customers_products.in2"),
            edge("join_customers_products.out", "line_totals.in0"),
            edge("line_totals.out", "write_orders_enriched.in0"),
        ]))

    write("pipelines/revenue_by_month.json", pipeline(
        "Monthly revenue with one column per customer segment", [
            gem("orders_enriched", "Source", "Orders enriched", 80, 120, {"dataset": "orders_enriched"}),
            gem("revenue_per_segment", "Aggregate", "Revenue per segment", 320, 120, {
                "group_by": [named("order_month", "order_month")],
                "aggregates": [named("revenue", "sum(line_total)")],
                "pivot_column": "segment",
                "pivot_values": ["Consumer", "Corporate", "Home Office"],
            }),
            gem("by_month", "OrderBy", "By month", 560, 120,
                {"keys": [{"expression": "order_month", "direction": "asc", "nulls": "default"}]}),
            gem("write_revenue_by_month", "Target", "Write revenue_by_month", 800, 120,
                {"dataset": "revenue_by_month", "mode": "overwrite"}),
        ], [
            edge("orders_enriched.out", "revenue_per_segment.in0"),
            edge("revenue_per_segment.out", "by_month.in0"),
            edge("by_month.out", "write_revenue_by_month.in0"),
        ]))

    write("pipelines/top_products.json", pipeline(
        "The five products with the most revenue in each category", [
            gem("orders", "Source", "Orders", 80, 80, {"dataset": "orders"}),
            gem("products", "Source", "Products", 80, 240, {"dataset": "products"}),
            gem("revenue_per_product", "Aggregate", "Revenue per product", 320, 80, {
                "group_by": [named("product_id", "product_id")],
                "aggregates": [named("revenue", "sum(quantity * unit_price * (1 - coalesce(discount, 0)))")],
            }),
            gem("with_products", "Join", "With products", 560, 160, {
                "joins": [{"input": "in1", "type": "inner", "condition": "in0.product_id = in1.product_id"}],
                "columns": [named("category", "in1.category"), named("product_name", "in1.product_name"),
                            named("revenue", "in0.revenue")],
            }, inputs=["in0", "in1"]),
            gem("rank_in_category", "Window", "Rank in category", 800, 160, {
                "partition_by": ["category"],
                "order_by": [{"expression": "revenue", "direction": "desc"}],
                "columns": [named("rank", "row_number()")],
            }),
            gem("top_five", "Filter", "Top five", 1040, 160, {"condition": "rank <= 5"}),
            gem("at_most_100", "Limit", "At most 100", 1280, 160, {"count": 100}),
            gem("write_top_products", "Target", "Write top_products", 1520, 160,
                {"dataset": "top_products", "mode": "overwrite"}),
        ], [
            edge("orders.out", "revenue_per_product.in0"),
            edge("revenue_per_product.out", "with_products.in0"),
            edge("products.out", "with_products.in1"),
            edge("with_products.out", "rank_in_category.in0"),
            edge("rank_in_category.out", "top_five.in0"),
            edge("top_five.out", "at_most_100.in0"),
            edge("at_most_100.out", "write_top_products.in0"),
        ]))

    write("pipelines/customer_cleanup.json", pipeline(
        "Customers of both shops, deduplicated by e-mail, counted per country", [
            gem("customers", "Source", "Customers", 80, 80, {"dataset": "customers"}),
            gem("legacy_customers", "Source", "Legacy customers", 80, 240, {"dataset": "legacy_customers"}),
            gem("all_customers", "SetOperation", "All customers", 320, 160,
                {"operation": "union_all", "by": "name"}, inputs=["in0", "in1"]),
            gem("latest_per_email", "Deduplicate", "Latest per e-mail", 560, 160, {
                "mode": "first",
                "keys": ["email"],
                "order": [{"expression": "signup_date", "direction": "desc"}],
            }),
            gem("tidy_columns", "SchemaTransform", "Tidy columns", 800, 160, {"operations": [
                {"op": "drop", "column": "note"},
                {"op": "rename", "column": "newsletter", "new_name": "subscribed"},
                {"op": "cast", "column": "customer_id", "type": "string"},
            ]}),
            gem("count_per_country", "SQLStatement", "Count per country", 1040, 160, {
                "sql": "SELECT country, count(*) AS customers\nFROM customers\nGROUP BY country",
                "schema": [{"name": "country", "type": "string"}, {"name": "customers", "type": "bigint"}],
            }, inputs=["customers"]),
            gem("write_customers_by_country", "Target", "Write customers_by_country", 1280, 160,
                {"dataset": "customers_by_country", "mode": "overwrite"}),
        ], [
            edge("customers.out", "all_customers.in0"),
            edge("legacy_customers.out", "all_customers.in1"),
            edge("all_customers.out", "latest_per_email.in0"),
            edge("latest_per_email.out", "tidy_columns.in0"),
            edge("tidy_columns.out", "count_per_country.customers"),
            edge("count_per_country.out", "write_customers_by_country.in0"),
        ]))

    write("jobs/nightly_refresh.json", {
        "format_version": 1,
        "description": "Refresh the reporting tables every morning",
        "fabric": "databricks-prod",
        "schedule": {"cron": "0 0 5 * * ?", "timezone": "Europe/Berlin", "paused": False},
        "pipelines": ["orders_enriched", "revenue_by_month", "top_products"],
    })


if __name__ == "__main__":
    main()
