# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
# Gem write_orders_enriched: Write orders_enriched (Target)
from pyspark.sql import functions as F


def write_orders_enriched(spark, in0):
    in0.write.mode('overwrite').saveAsTable('retail.orders_enriched')
