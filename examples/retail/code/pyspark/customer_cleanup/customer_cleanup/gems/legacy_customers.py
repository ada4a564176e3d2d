# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.
# Gem legacy_customers: Legacy customers (Source)
from pyspark.sql import functions as F


def legacy_customers(spark):
    return spark.read.table('retail.legacy_customers')
