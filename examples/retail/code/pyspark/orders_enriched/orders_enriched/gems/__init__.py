# Written by Sluice from pipelines/orders_enriched.json; edit the pipeline, not this file.
