# Written by Sluice from pipelines/top_products.json; edit the pipeline, not this file.
# Gem rank_in_category: Rank in category (Window)
from pyspark.sql import functions as F


def rank_in_category(spark, in0):
    return in0.select('*',
        F.expr('row_number() OVER (PARTITION BY `category` ORDER BY `revenue` DESC)').alias('rank'),
    )
