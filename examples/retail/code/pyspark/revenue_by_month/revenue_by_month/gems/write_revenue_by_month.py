# Written by Sluice from pipelines/revenue_by_month.json; edit the pipeline, not this file.
# Gem write_revenue_by_month: Write revenue_by_month (Target)
from pyspark.sql import functions as F


def write_revenue_by_month(spark, in0):
    in0.write.mode('overwrite').saveAsTable('retail.revenue_by_month')
