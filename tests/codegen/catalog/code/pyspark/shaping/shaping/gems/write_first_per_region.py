# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_first_per_region: Write first_per_region (Target)
from pyspark.sql import functions as F


def write_first_per_region(spark, in0):
    in0.write.mode('ignore').saveAsTable('shop.first_per_region_out')
