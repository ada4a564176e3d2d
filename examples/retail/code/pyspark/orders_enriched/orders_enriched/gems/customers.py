# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
# Gem customers: Customers (Source)
from pyspark.sql import functions as F


def customers(spark):
    return spark.read.table('retail.customers')
