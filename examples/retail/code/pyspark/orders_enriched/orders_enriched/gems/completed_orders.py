# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
# Gem completed_orders: Completed orders (Filter)
from pyspark.sql import functions as F


def completed_orders(spark, in0):
    return in0.where(F.expr('(`status` = \'completed\')'))
