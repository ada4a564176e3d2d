# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
# Gem semi_join: Semi join (Join)
from pyspark.sql import functions as F


def semi_join(spark, in0, in1):
    joined = in0.alias('in0')
    joined = joined.join(in1.alias('in1'), F.expr('(`in0`.`region_id` = `in1`.`region_id`)'), 'left_semi')
    return joined.select('in0.*')
