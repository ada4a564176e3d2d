# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem write_full_join: Write full_join (Target)
from pyspark.sql import functions as F


def write_full_join(spark, in0):
    in0.write.mode('append').saveAsTable('shop.full_join_out')
