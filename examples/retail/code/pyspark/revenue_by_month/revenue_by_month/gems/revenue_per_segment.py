# Written by Sluice from pipelines/revenue_by_month.json; edit the pipeline, not this file.
# Gem revenue_per_segment: Revenue per segment (Aggregate)
from pyspark.sql import functions as F


def revenue_per_segment(spark, in0):
    return in0.groupBy(
        F.expr('`order_month`').alias('order_month'),
    ).agg(
        F.expr('sum(CASE WHEN `segment` = \'Consumer\' THEN `line_total` END)').alias('Consumer'),
        F.expr('sum(CASE WHEN `segment` = \'Corporate\' THEN `line_total` END)').alias('Corporate'),
        F.expr('sum(CASE WHEN `segment` = \'Home Office\' THEN `line_total` END)').alias('Home Office'),
    )
