# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.
# Pipeline customer_cleanup: Customers of both shops, deduplicated by e-mail, counted per country
import argparse
import os
import sys

from pyspark.sql import SparkSession

if not __package__:
    # Run as a file (spark-submit, a Databricks spark_python_task):
    # the package is importable from the folder that holds it.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from customer_cleanup.gems.customers import customers
from customer_cleanup.gems.legacy_customers import legacy_customers
from customer_cleanup.gems.all_customers import all_customers
from customer_cleanup.gems.latest_per_email import latest_per_email
from customer_cleanup.gems.tidy_columns import tidy_columns
from customer_cleanup.gems.count_per_country import count_per_country
from customer_cleanup.gems.write_customers_by_country import write_customers_by_country


def run(spark):
    customers_out = customers(spark)
    legacy_customers_out = legacy_customers(spark)
    all_customers_out = all_customers(spark, customers_out, legacy_customers_out)
    latest_per_email_out = latest_per_email(spark, all_customers_out)
    tidy_columns_out = tidy_columns(spark, latest_per_email_out)
    count_per_country_out = count_per_country(spark, tidy_columns_out)
    write_customers_by_country(spark, count_per_country_out)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Customers of both shops, deduplicated by e-mail, counted per country')
    parser.add_argument('--app-name', default='customer_cleanup')
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
