# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem write_union_all_by_position: Write union_all_by_position (Target)
from pyspark.sql import functions as F


def write_union_all_by_position(spark, in0):
    in0.write.mode('error').saveAsTable('shop.union_all_by_position_out')
