# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_computed: Write computed (Target)
from pyspark.sql import functions as F


def write_computed(spark, in0):
    in0.write.mode('append').saveAsTable('shop.computed_out')
