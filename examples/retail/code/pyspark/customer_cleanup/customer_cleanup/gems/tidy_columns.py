# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.
# Gem tidy_columns: Tidy columns (SchemaTransform)
from pyspark.sql import functions as F


def tidy_columns(spark, in0):
    return in0.select(
        F.expr('CAST(`customer_id` AS STRING)').alias('customer_id'),
        F.expr('`first_name`').alias('first_name'),
        F.expr('`last_name`').alias('last_name'),
        F.expr('`email`').alias('email'),
        F.expr('`segment`').alias('segment'),
        F.expr('`country`').alias('country'),
        F.expr('`city`').alias('city'),
        F.expr('`signup_date`').alias('signup_date'),
        F.expr('`newsletter`').alias('subscribed'),
    )
