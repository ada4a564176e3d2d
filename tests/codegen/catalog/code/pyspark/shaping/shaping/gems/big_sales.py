# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem big_sales: Big sales (Filter)
from pyspark.sql import functions as F


def big_sales(spark, in0):
    return in0.where(F.expr('(((`amount` > 50) AND (`channel` IN (\'web\', \'store\'))) AND (`note` IS NULL))'))
