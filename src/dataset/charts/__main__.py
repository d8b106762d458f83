"""`python -m dataset.charts --package datapackage.json --out-dir figures`: every chart, SVG and PNG."""

from dataset.charts import main

raise SystemExit(main())
