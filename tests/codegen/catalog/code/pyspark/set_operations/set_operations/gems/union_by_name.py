# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem union_by_name: Union by name (SetOperation)
from pyspark.sql import functions as F


def union_by_name(spark, in0, in1):
    result = in0
    result = result.union(in1.select(*in0.columns))
    return result.distinct()
