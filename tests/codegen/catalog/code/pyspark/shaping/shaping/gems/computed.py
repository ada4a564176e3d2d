# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem computed: Computed (Reformat)
from pyspark.sql import functions as F


def computed(spark, in0):
    return in0.select(
        F.expr('`sale_id`').alias('sale_id'),
        F.expr('year(`sold_on`)').alias('year'),
        F.expr('CASE WHEN (`amount` >= 100) THEN \'large\' ELSE \'small\' END').alias('size'),
        F.expr('upper(coalesce(`channel`, \'unknown\'))').alias('channel'),
    )
