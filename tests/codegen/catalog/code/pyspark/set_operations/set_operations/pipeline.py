# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Pipeline set_operations: Every set operation
import argparse
import os
import sys

from pyspark.sql import SparkSession

if not __package__:
    # Run as a file (spark-submit, a Databricks spark_python_task):
    # the package is importable from the folder that holds it.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from set_operations.gems.sales import sales
from set_operations.gems.archive import archive
from set_operations.gems.union_by_name import union_by_name
from set_operations.gems.union_all_by_position import union_all_by_position
from set_operations.gems.intersect_by_name import intersect_by_name
from set_operations.gems.except_by_name import except_by_name
from set_operations.gems.write_union_by_name import write_union_by_name
from set_operations.gems.write_union_all_by_position import write_union_all_by_position
from set_operations.gems.write_intersect_by_name import write_intersect_by_name
from set_operations.gems.write_except_by_name import write_except_by_name


def run(spark):
    sales_out = sales(spark)
    archive_out = archive(spark)
    union_by_name_out = union_by_name(spark, sales_out, archive_out)
    union_all_by_position_out = union_all_by_position(spark, sales_out, archive_out)
    intersect_by_name_out = intersect_by_name(spark, sales_out, archive_out)
    except_by_name_out = except_by_name(spark, sales_out, archive_out)
    write_union_by_name(spark, union_by_name_out)
    write_union_all_by_position(spark, union_all_by_position_out)
    write_intersect_by_name(spark, intersect_by_name_out)
    write_except_by_name(spark, except_by_name_out)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Every set operation')
    parser.add_argument('--app-name', default='set_operations')
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
