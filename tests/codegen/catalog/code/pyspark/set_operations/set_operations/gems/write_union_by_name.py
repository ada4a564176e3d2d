# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem write_union_by_name: Write union_by_name (Target)
from pyspark.sql import functions as F


def write_union_by_name(spark, in0):
    in0.write.mode('append').saveAsTable('shop.union_by_name_out')
