# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem write_right_join: Write right_join (Target)
from pyspark.sql import functions as F


def write_right_join(spark, in0):
    in0.write.mode('overwrite').saveAsTable('shop.right_join_out')
