# Written by Sluice from pipelines/top_products.json; edit the pipeline, not this file.
# Gem orders: Orders (Source)
from pyspark.sql import functions as F


def orders(spark):
    return spark.read.table('retail.orders')
