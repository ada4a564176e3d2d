# Written by Sluice from pipelines/top_products.json; edit the pipeline, not this file.
# Gem with_products: With products (Join)
from pyspark.sql import functions as F


def with_products(spark, in0, in1):
    joined = in0.alias('in0')
    joined = joined.join(in1.alias('in1'), F.expr('(`in0`.`product_id` = `in1`.`product_id`)'), 'inner')
    return joined.select(
        F.expr('`in1`.`category`').alias('category'),
        F.expr('`in1`.`product_name`').alias('product_name'),
        F.expr('`in0`.`revenue`').alias('revenue'),
    )
