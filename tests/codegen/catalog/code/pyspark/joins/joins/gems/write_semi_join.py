# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem write_semi_join: Write semi_join (Target)
from pyspark.sql import functions as F


def write_semi_join(spark, in0):
    in0.write.mode('error').saveAsTable('shop.semi_join_out')
