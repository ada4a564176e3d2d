# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem full_join: Full join (Join)
from pyspark.sql import functions as F


def full_join(spark, in0, in1):
    joined = in0.alias('in0')
    joined = joined.join(in1.alias('in1'), F.expr('(`in0`.`region_id` = `in1`.`region_id`)'), 'full')
    return joined.select(
        F.expr('`in0`.`sale_id`').alias('sale_id'),
        F.expr('`in1`.`region`').alias('region'),
    )
