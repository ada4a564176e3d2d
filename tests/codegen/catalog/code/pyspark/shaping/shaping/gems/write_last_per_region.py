# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_last_per_region: Write last_per_region (Target)
from pyspark.sql import functions as F


def write_last_per_region(spark, in0):
    in0.write.mode('overwrite').saveAsTable('shop.last_per_region_out')
