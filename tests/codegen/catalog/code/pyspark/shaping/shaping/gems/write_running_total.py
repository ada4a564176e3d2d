# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem write_running_total: Write running_total (Target)
from pyspark.sql import functions as F


def write_running_total(spark, in0):
    in0.write.mode('overwrite').saveAsTable('shop.running_total_out')
