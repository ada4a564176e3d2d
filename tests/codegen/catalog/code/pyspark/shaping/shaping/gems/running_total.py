# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem running_total: Running total (Window)
from pyspark.sql import functions as F


def running_total(spark, in0):
    return in0.select('*',
        F.expr('sum(`amount`) OVER (PARTITION BY `region_id` ORDER BY `sold_on` ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)').alias('running_total'),
        F.expr('lag(`amount`, 1) OVER (PARTITION BY `region_id` ORDER BY `sold_on` ASC)').alias('previous_amount'),
    )
