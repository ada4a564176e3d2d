# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_sorted: Write sorted (Target)
from pyspark.sql import functions as F


def write_sorted(spark, in0):
    in0.write.mode('append').saveAsTable('shop.sorted_out')
