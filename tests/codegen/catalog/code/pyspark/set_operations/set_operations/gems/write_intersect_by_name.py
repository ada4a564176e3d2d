# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem write_intersect_by_name: Write intersect_by_name (Target)
from pyspark.sql import functions as F


def write_intersect_by_name(spark, in0):
    in0.write.mode('ignore').saveAsTable('shop.intersect_by_name_out')
