"""The nameh document pipeline: a folder of scans in, `metadata.csv` out.

`pipeline.run.run(cfg)` is the task (the `nameh` command in `pipeline.cli`); `DocumentPredictor`
composes the detector and the two readers; `pipeline.evaluate` is `nameh-eval`.
"""
