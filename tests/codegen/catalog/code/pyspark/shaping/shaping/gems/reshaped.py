# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem reshaped: Reshaped (SchemaTransform)
from pyspark.sql import functions as F


def reshaped(spark, in0):
    return in0.select(
        F.expr('`sale_id`').alias('sale_id'),
        F.expr('CAST(`region_id` AS BIGINT)').alias('region_id'),
        F.expr('`sold_on`').alias('sold_on'),
        F.expr('`amount`').alias('amount'),
        F.expr('`channel`').alias('sold_via'),
        F.expr('(`amount` * 0.92)').alias('amount_eur'),
    )
