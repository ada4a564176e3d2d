# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.
# Gem latest_per_email: Latest per e-mail (Deduplicate)
from pyspark.sql import functions as F
from pyspark.sql import Window


def latest_per_email(spark, in0):
    window = Window.partitionBy('email').orderBy(F.expr('`signup_date`').desc())
    numbered = in0.withColumn('_sluice_row', F.row_number().over(window))
    return numbered.where(F.col('_sluice_row') == 1).drop('_sluice_row')
