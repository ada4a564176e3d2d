# Written by Sluice from pipelines/top_products.json; edit the pipeline, not this file.
