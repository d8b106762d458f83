"""`python -m dataset.figures --package datapackage.json --out-dir figures`: every chart, SVG and PNG."""

from dataset.figures import main

raise SystemExit(main())
