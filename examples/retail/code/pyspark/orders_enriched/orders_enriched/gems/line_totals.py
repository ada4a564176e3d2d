# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
# Gem line_totals: Line totals (Reformat)
from pyspark.sql import functions as F


def line_totals(spark, in0):
    return in0.select(
        F.expr('`order_id`').alias('order_id'),
        F.expr('`line_no`').alias('line_no'),
        F.expr('`order_date`').alias('order_date'),
        F.expr('to_date(date_trunc(\'MONTH\', `order_date`))').alias('order_month'),
        F.expr('`customer_id`').alias('customer_id'),
        F.expr('concat(`first_name`, \' \', `last_name`)').alias('customer_name'),
        F.expr('`segment`').alias('segment'),
        F.expr('`country`').alias('country'),
        F.expr('`product_id`').alias('product_id'),
        F.expr('`product_name`').alias('product_name'),
        F.expr('`category`').alias('category'),
        F.expr('`quantity`').alias('quantity'),
        F.expr('((`quantity` * `unit_price`) * (1 - coalesce(`discount`, 0)))').alias('line_total'),
    )
