# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
# Gem except_by_name: Except by name (SetOperation)
from pyspark.sql import functions as F


def except_by_name(spark, in0, in1):
    result = in0
    result = result.subtract(in1.select(*in0.columns))
    return result
