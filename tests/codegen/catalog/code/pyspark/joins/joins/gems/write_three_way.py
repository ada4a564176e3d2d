# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem write_three_way: Write three_way (Target)
from pyspark.sql import functions as F


def write_three_way(spark, in0):
    in0.write.mode('overwrite').saveAsTable('shop.three_way_out')
