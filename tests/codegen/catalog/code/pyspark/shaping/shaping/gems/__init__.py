# Written by Sluice from pipelines/shaping.json; edit the pipeline, not this file.
