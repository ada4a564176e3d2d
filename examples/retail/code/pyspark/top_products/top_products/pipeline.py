# Written by Sluice from pipelines/top_products.json; edit the pipeline, not this file.
# Pipeline top_products: The five products with the most revenue in each category
import argparse
import os
import sys

from pyspark.sql import SparkSession

if not __package__:
    # Run as a file (spark-submit, a Databricks spark_python_task):
    # the package is importable from the folder that holds it.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from top_products.gems.orders import orders
from top_products.gems.products import products
from top_products.gems.revenue_per_product import revenue_per_product
from top_products.gems.with_products import with_products
from top_products.gems.rank_in_category import rank_in_category
from top_products.gems.top_five import top_five
from top_products.gems.at_most_100 import at_most_100
from top_products.gems.write_top_products import write_top_products


def run(spark):
    orders_out = orders(spark)
    products_out = products(spark)
    revenue_per_product_out = revenue_per_product(spark, orders_out)
    with_products_out = with_products(spark, revenue_per_product_out, products_out)
    rank_in_category_out = rank_in_category(spark, with_products_out)
    top_five_out = top_five(spark, rank_in_category_out)
    at_most_100_out = at_most_100(spark, top_five_out)
    write_top_products(spark, at_most_100_out)


def main(argv=None):
    parser = argparse.ArgumentParser(description='The five products with the most revenue in each category')
    parser.add_argument('--app-name', default='top_products')
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
