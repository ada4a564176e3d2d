# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem sorted: Sorted (OrderBy)
from pyspark.sql import functions as F


def sorted(spark, in0):
    return in0.orderBy(F.expr('`amount`').desc_nulls_first(), F.expr('`sale_id`').asc_nulls_last())
