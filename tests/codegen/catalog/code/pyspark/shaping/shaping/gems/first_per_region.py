# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
# Gem first_per_region: First per region (Deduplicate)
from pyspark.sql import functions as F
from pyspark.sql import Window


def first_per_region(spark, in0):
    window = Window.partitionBy('region_id').orderBy(F.expr('`sold_on`').desc_nulls_last())
    numbered = in0.withColumn('_sluice_row', F.row_number().over(window))
    return numbered.where(F.col('_sluice_row') == 1).drop('_sluice_row')
