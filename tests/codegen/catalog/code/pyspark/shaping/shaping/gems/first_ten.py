# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem first_ten: First ten (Limit)
from pyspark.sql import functions as F


def first_ten(spark, in0):
    return in0.limit(10)
