# Written by Sluice from pipelines/joins.json; edit the pipeline, not this file.
