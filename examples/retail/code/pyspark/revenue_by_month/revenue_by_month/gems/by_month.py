# Written by Sluice from pipelines/revenue_by_month.json; edit the pipeline, not this file.
# Gem by_month: By month (OrderBy)
from pyspark.sql import functions as F


def by_month(spark, in0):
    return in0.orderBy(F.expr('`order_month`').asc())
