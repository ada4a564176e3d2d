# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Pipeline shaping: Aggregate with pivot, every deduplicate mode, sorting, limits, schema operations, a framed window, reformat, filter and an appending target
import argparse
import os
import sys

from pyspark.sql import SparkSession

if not __package__:
    # Run as a file (spark-submit, a Databricks spark_python_task):
    # the package is importable from the folder that holds it.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from shaping.gems.sales import sales
from shaping.gems.pivoted import pivoted
from shaping.gems.distinct_rows import distinct_rows
from shaping.gems.first_per_region import first_per_region
from shaping.gems.last_per_region import last_per_region
from shaping.gems.sorted import sorted
from shaping.gems.first_ten import first_ten
from shaping.gems.reshaped import reshaped
from shaping.gems.running_total import running_total
from shaping.gems.computed import computed
from shaping.gems.big_sales import big_sales
from shaping.gems.append_out import append_out
from shaping.gems.write_pivoted import write_pivoted
from shaping.gems.write_distinct_rows import write_distinct_rows
from shaping.gems.write_first_per_region import write_first_per_region
from shaping.gems.write_last_per_region import write_last_per_region
from shaping.gems.write_sorted import write_sorted
from shaping.gems.write_first_ten import write_first_ten
from shaping.gems.write_reshaped import write_reshaped
from shaping.gems.write_running_total import write_running_total
from shaping.gems.write_computed import write_computed


def run(spark):
    sales_out = sales(spark)
    pivoted_out = pivoted(spark, sales_out)
    distinct_rows_out = distinct_rows(spark, sales_out)
    first_per_region_out = first_per_region(spark, sales_out)
    last_per_region_out = last_per_region(spark, sales_out)
    sorted_out = sorted(spark, sales_out)
    first_ten_out = first_ten(spark, sales_out)
    reshaped_out = reshaped(spark, sales_out)
    running_total_out = running_total(spark, sales_out)
    computed_out = computed(spark, sales_out)
    big_sales_out = big_sales(spark, sales_out)
    append_out(spark, big_sales_out)
    write_pivoted(spark, pivoted_out)
    write_distinct_rows(spark, distinct_rows_out)
    write_first_per_region(spark, first_per_region_out)
    write_last_per_region(spark, last_per_region_out)
    write_sorted(spark, sorted_out)
    write_first_ten(spark, first_ten_out)
    write_reshaped(spark, reshaped_out)
    write_running_total(spark, running_total_out)
    write_computed(spark, computed_out)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Aggregate with pivot, every deduplicate mode, sorting, limits, schema operations, a framed window, reformat, filter and an appending target')
    parser.add_argument('--app-name', default='shaping')
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
