# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem sales: Sales (Source)
from pyspark.sql import functions as F


def sales(spark):
    return spark.read.table('shop.sales')
