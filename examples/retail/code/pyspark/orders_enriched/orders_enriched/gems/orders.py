# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
# Gem orders: Orders (Source)
from pyspark.sql import functions as F


def orders(spark):
    return spark.read.table('retail.orders')
