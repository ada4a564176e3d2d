# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_pivoted: Write pivoted (Target)
from pyspark.sql import functions as F


def write_pivoted(spark, in0):
    in0.write.mode('append').saveAsTable('shop.pivoted_out')
