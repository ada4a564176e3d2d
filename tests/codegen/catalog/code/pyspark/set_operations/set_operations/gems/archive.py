# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem archive: Archive (Source)
from pyspark.sql import functions as F


def archive(spark):
    return spark.read.table('shop.sales_archive')
