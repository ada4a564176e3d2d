# Written by Sluice from pipelines/top_products.json; edit the pipeline, not this file.
# Gem write_top_products: Write top_products (Target)
from pyspark.sql import functions as F


def write_top_products(spark, in0):
    in0.write.mode('overwrite').saveAsTable('retail.top_products')
