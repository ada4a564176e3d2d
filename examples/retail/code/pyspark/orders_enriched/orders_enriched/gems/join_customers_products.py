# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
# Gem join_customers_products: Join customers and products (Join)
from pyspark.sql import functions as F


def join_customers_products(spark, in0, in1, in2):
    joined = in0.alias('in0')
    joined = joined.join(in1.alias('in1'), F.expr('(`in0`.`customer_id` = `in1`.`customer_id`)'), 'left')
    joined = joined.join(in2.alias('in2'), F.expr('(`in0`.`product_id` = `in2`.`product_id`)'), 'left')
    return joined.select(
        F.expr('`in0`.`order_id`').alias('order_id'),
        F.expr('`in0`.`line_no`').alias('line_no'),
        F.expr('`in0`.`order_date`').alias('order_date'),
        F.expr('`in0`.`customer_id`').alias('customer_id'),
        F.expr('`in1`.`first_name`').alias('first_name'),
        F.expr('`in1`.`last_name`').alias('last_name'),
        F.expr('`in1`.`segment`').alias('segment'),
        F.expr('`in1`.`country`').alias('country'),
        F.expr('`in0`.`product_id`').alias('product_id'),
        F.expr('`in2`.`product_name`').alias('product_name'),
        F.expr('`in2`.`category`').alias('category'),
        F.expr('`in0`.`quantity`').alias('quantity'),
        F.expr('`in0`.`unit_price`').alias('unit_price'),
        F.expr('`in0`.`discount`').alias('discount'),
    )
