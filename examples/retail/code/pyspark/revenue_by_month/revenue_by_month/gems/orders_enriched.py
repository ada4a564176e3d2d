# Written by Sluice from pipelines/revenue_by_month.json; edit the pipeline, not this file.
# Gem orders_enriched: Orders enriched (Source)
from pyspark.sql import functions as F


def orders_enriched(spark):
    return spark.read.table('retail.orders_enriched')
