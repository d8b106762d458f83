"""A written data package: the one place that reads, hashes, checks and archives one.

descriptor.py reads datapackage.json and parquet.py its Parquet tables (standard library, pandas and pyarrow
only: the charts run from them); read.py turns a refused descriptor into an InputError; files.py hashes the
files; checks.py runs Frictionless; verify.py, diff.py, release.py, releases.py, distributions.py and load.py
(`dataset.load`) are built on them. Nothing here imports the pipeline at import time.

This module imports nothing, so that the charts' reader stays light.
"""
