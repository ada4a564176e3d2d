# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem append_out: Append out (Target)
from pyspark.sql import functions as F


def append_out(spark, in0):
    in0.write.mode('append').saveAsTable('shop.sales_out')
