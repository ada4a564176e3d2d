# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.
# Gem count_per_country: Count per country (SQLStatement)
from pyspark.sql import functions as F


def count_per_country(spark, customers):
    customers.createOrReplaceTempView('customers')
    return spark.sql('SELECT country, count(*) AS customers\nFROM customers\nGROUP BY country')
