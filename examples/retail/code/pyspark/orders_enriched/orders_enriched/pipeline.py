# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
# Pipeline orders_enriched: Completed order lines joined to their customer and product
import argparse
import os
import sys

from pyspark.sql import SparkSession

if not __package__:
    # Run as a file (spark-submit, a Databricks spark_python_task):
    # the package is importable from the folder that holds it.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from orders_enriched.gems.orders import orders
from orders_enriched.gems.customers import customers
from orders_enriched.gems.products import products
from orders_enriched.gems.completed_orders import completed_orders
from orders_enriched.gems.join_customers_products import join_customers_products
from orders_enriched.gems.line_totals import line_totals
from orders_enriched.gems.write_orders_enriched import write_orders_enriched


def run(spark):
    orders_out = orders(spark)
    customers_out = customers(spark)
    products_out = products(spark)
    completed_orders_out = completed_orders(spark, orders_out)
    join_customers_products_out = join_customers_products(spark, completed_orders_out, customers_out, products_out)
    line_totals_out = line_totals(spark, join_customers_products_out)
    write_orders_enriched(spark, line_totals_out)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Completed order lines joined to their customer and product')
    parser.add_argument('--app-name', default='orders_enriched')
    parser.add_argument('--conf', action='append', default=[], metavar='KEY=VALUE',
                        help='a Spark configuration setting')
    args = parser.parse_args(argv)
    builder = SparkSession.builder.appName(args.app_name)
    for setting in args.conf:
        key, _, value = setting.partition('=')
        builder = builder.config(key, value)
    run(builder.getOrCreate())


if __name__ == '__main__':
    main()
