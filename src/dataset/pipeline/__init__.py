"""The pipeline: hand-written inputs -> a published data package, one stage per module, data flowing one way.

In the order `build.py` runs them:

1. articles.py (with formats.py): raw files and their sidecars -> the `articles` table (ingest);
2. coding.py (with anchor.py, rows.py): the human coding in data/coding/ -> typed rows, quotes anchored;
3. mentions.py: actor names and aliases matched in each article's text;
4. validate.py: every table against its schema from the registry;
5. coverage.py: every number the detector finds is coded or dismissed;
6. corrections.py: changed published values are in the corrections ledger;
7. publish.py (with codebook.py): Parquet + CSV, datapackage.json, CITATION.cff, the codebook and the charts,
   staged and checked (dataset.datapackage.checks);
8. swap.py: the staged package swapped into the project root.
"""
