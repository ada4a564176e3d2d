# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
# Gem products: Products (Source)
from pyspark.sql import functions as F


def products(spark):
    return spark.read.table('retail.products')
