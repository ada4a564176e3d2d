# Written by Sluice from pipelines/top_products.json; edit the pipeline, not this file.
# Gem revenue_per_product: Revenue per product (Aggregate)
from pyspark.sql import functions as F


def revenue_per_product(spark, in0):
    return in0.groupBy(
        F.expr('`product_id`').alias('product_id'),
    ).agg(
        F.expr('sum(((`quantity` * `unit_price`) * (1 - coalesce(`discount`, 0))))').alias('revenue'),
    )
