# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem intersect_by_name: Intersect by name (SetOperation)
from pyspark.sql import functions as F


def intersect_by_name(spark, in0, in1):
    result = in0
    result = result.intersect(in1.select(*in0.columns))
    return result
