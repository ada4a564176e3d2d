# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.
