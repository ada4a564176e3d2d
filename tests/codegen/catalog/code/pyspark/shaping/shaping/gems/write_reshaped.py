# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_reshaped: Write reshaped (Target)
from pyspark.sql import functions as F


def write_reshaped(spark, in0):
    in0.write.mode('ignore').saveAsTable('shop.reshaped_out')
