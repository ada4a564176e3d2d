# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_first_ten: Write first_ten (Target)
from pyspark.sql import functions as F


def write_first_ten(spark, in0):
    in0.write.mode('error').saveAsTable('shop.first_ten_out')
