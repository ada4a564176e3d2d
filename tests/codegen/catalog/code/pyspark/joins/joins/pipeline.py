# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Pipeline joins: Every join type
import argparse
import os
import sys

from pyspark.sql import SparkSession

if not __package__:
    # Run as a file (spark-submit, a Databricks spark_python_task):
    # the package is importable from the folder that holds it.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from joins.gems.sales import sales
from joins.gems.regions import regions
from joins.gems.archive import archive
from joins.gems.right_join import right_join
from joins.gems.full_join import full_join
from joins.gems.semi_join import semi_join
from joins.gems.anti_join import anti_join
from joins.gems.three_way import three_way
from joins.gems.write_right_join import write_right_join
from joins.gems.write_full_join import write_full_join
from joins.gems.write_semi_join import write_semi_join
from joins.gems.write_anti_join import write_anti_join
from joins.gems.write_three_way import write_three_way


def run(spark):
    sales_out = sales(spark)
    regions_out = regions(spark)
    archive_out = archive(spark)
    right_join_out = right_join(spark, sales_out, regions_out)
    full_join_out = full_join(spark, sales_out, regions_out)
    semi_join_out = semi_join(spark, sales_out, regions_out)
    anti_join_out = anti_join(spark, sales_out, regions_out)
    three_way_out = three_way(spark, sales_out, regions_out, archive_out)
    write_right_join(spark, right_join_out)
    write_full_join(spark, full_join_out)
    write_semi_join(spark, semi_join_out)
    write_anti_join(spark, anti_join_out)
    write_three_way(spark, three_way_out)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Every join type')
    parser.add_argument('--app-name', default='joins')
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
