# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_distinct_rows: Write distinct_rows (Target)
from pyspark.sql import functions as F


def write_distinct_rows(spark, in0):
    in0.write.mode('error').saveAsTable('shop.distinct_rows_out')
