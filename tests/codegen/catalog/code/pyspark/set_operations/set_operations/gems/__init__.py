# Written by Sluice from pipelines/set_operations.json; edit the pipeline, not this file.
