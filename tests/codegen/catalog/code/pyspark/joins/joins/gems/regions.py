# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem regions: Regions (Source)
from pyspark.sql import functions as F


def regions(spark):
    return spark.read.table('shop.regions')
