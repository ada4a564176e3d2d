# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem three_way: Three way (Join)
from pyspark.sql import functions as F


def three_way(spark, in0, in1, in2):
    joined = in0.alias('in0')
    joined = joined.join(in1.alias('in1'), F.expr('(`in0`.`region_id` = `in1`.`region_id`)'), 'left')
    joined = joined.join(in2.alias('in2'), F.expr('(`in0`.`sale_id` = `in2`.`sale_id`)'), 'inner')
    return joined.select(
        F.expr('`in0`.`sale_id`').alias('sale_id'),
        F.expr('`in1`.`manager`').alias('manager'),
        F.expr('`in2`.`amount`').alias('archived_amount'),
    )
