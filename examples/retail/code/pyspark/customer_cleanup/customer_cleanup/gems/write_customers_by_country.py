# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.
# Gem write_customers_by_country: Write customers_by_country (Target)
from pyspark.sql import functions as F


def write_customers_by_country(spark, in0):
    in0.write.mode('overwrite').saveAsTable('retail.customers_by_country')
