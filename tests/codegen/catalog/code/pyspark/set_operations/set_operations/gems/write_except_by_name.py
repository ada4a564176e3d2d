# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem write_except_by_name: Write except_by_name (Target)
from pyspark.sql import functions as F


def write_except_by_name(spark, in0):
    in0.write.mode('overwrite').saveAsTable('shop.except_by_name_out')
