# Written by Sluice from pipelines/revenue_by_month.json; edit the pipeline, not this file.
