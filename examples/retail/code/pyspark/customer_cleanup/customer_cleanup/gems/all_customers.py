# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.
# Gem all_customers: All customers (SetOperation)
from pyspark.sql import functions as F


def all_customers(spark, in0, in1):
    result = in0
    result = result.union(in1.select(*in0.columns))
    return result
