# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem distinct_rows: Distinct rows (Deduplicate)
from pyspark.sql import functions as F


def distinct_rows(spark, in0):
    return in0.distinct()
