# Written by Sluice from pipelines/revenue_by_month.json; edit the pipeline, not this file.
# Pipeline revenue_by_month: Monthly revenue with one column per customer segment
import argparse
import os
import sys

from pyspark.sql import SparkSession

if not __package__:
    # Run as a file (spark-submit, a Databricks spark_python_task):
    # the package is importable from the folder that holds it.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from revenue_by_month.gems.orders_enriched import orders_enriched
from revenue_by_month.gems.revenue_per_segment import revenue_per_segment
from revenue_by_month.gems.by_month import by_month
from revenue_by_month.gems.write_revenue_by_month import write_revenue_by_month


def run(spark):
    orders_enriched_out = orders_enriched(spark)
    revenue_per_segment_out = revenue_per_segment(spark, orders_enriched_out)
    by_month_out = by_month(spark, revenue_per_segment_out)
    write_revenue_by_month(spark, by_month_out)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Monthly revenue with one column per customer segment')
    parser.add_argument('--app-name', default='revenue_by_month')
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
