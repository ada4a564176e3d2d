# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem write_anti_join: Write anti_join (Target)
from pyspark.sql import functions as F


def write_anti_join(spark, in0):
    in0.write.mode('ignore').saveAsTable('shop.anti_join_out')
