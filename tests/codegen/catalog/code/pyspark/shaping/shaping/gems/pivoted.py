# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem pivoted: Pivoted (Aggregate)
from pyspark.sql import functions as F


def pivoted(spark, in0):
    return in0.groupBy(
        F.expr('`region_id`').alias('region_id'),
    ).agg(
        F.expr('sum(CASE WHEN `channel` = \'web\' THEN `amount` END)').alias('web'),
        F.expr('sum(CASE WHEN `channel` = \'store\' THEN `amount` END)').alias('store'),
    )
