# Written by Sluice from pipelines/top_products.json; edit the pipeline, not this file.
# Gem top_five: Top five (Filter)
from pyspark.sql import functions as F


def top_five(spark, in0):
    return in0.where(F.expr('(`rank` <= 5)'))
