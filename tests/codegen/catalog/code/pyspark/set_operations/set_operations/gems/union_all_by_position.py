# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem union_all_by_position: Union all by position (SetOperation)
from pyspark.sql import functions as F


def union_all_by_position(spark, in0, in1):
    result = in0
    result = result.union(in1)
    return result
