"""Data-making code of nameh: the synthetic Persian letter corpus (`data.synth`).

The folder also holds the committed sample scans and contact sheets; generated corpora go to
`data/generated/` or `outputs/` (git-ignored).
"""
