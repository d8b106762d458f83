"""Publishing (after validation and coverage): validated tables -> Parquet + CSV, datapackage.json and CITATION.cff.

Everything is written into a staging directory that mirrors the project's layout; it is checked with
Frictionless there (the charts are drawn meanwhile, from the staged Parquet files), and only then swapped
into place. Outputs are byte-deterministic: Parquet through
pyarrow with explicit schemas (pyarrow's version, pinned in the lock file, is in the footer), CSV through
pyarrow, JSON with a fixed key order, no clock anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dataset import metadata
from dataset.cite import render_cff
from dataset.datapackage.files import check_files, file_facts, write_json
from dataset.errors import InputError
from dataset.pipeline.cache import Store, chart_keys, draw_chart
from dataset.pipeline.codebook import render_codebook
from dataset.schema.emit import arrow_schema, frictionless_schema
from dataset.schema.tables import TABLES

PROCESSED = "data/processed"
CODEBOOK = "docs/codebook.md"
FIGURES = "figures"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def to_arrow(df: pd.DataFrame, table: str) -> pa.Table:
    schema = arrow_schema(TABLES[table])
    return pa.Table.from_pandas(df, schema=schema, preserve_index=False).replace_schema_metadata(schema.metadata)


def write_table(df: pd.DataFrame, table: str, directory: Path) -> list[Path]:
    """Write one table as Parquet and CSV; returns both paths."""
    arrow = to_arrow(df, table)
    parquet = directory / f"{table}.parquet"
    csv = directory / f"{table}.csv"
    pq.write_table(arrow, parquet, compression="snappy", write_statistics=True)
    pacsv.write_csv(arrow, csv, pacsv.WriteOptions(quoting_style="needed"))
    return [parquet, csv]


def resource(table: str, path: Path, root: Path) -> dict[str, Any]:
    t = TABLES[table]
    is_csv = path.suffix == ".csv"
    resource_of = {name: f"{name}-csv" for name in TABLES} if is_csv else {}
    entry: dict[str, Any] = {
        "name": f"{table}-csv" if is_csv else table,
        "type": "table",
        "path": path.relative_to(root).as_posix(),
        "scheme": "file",
        "format": "csv" if is_csv else "parquet",
        "mediatype": "text/csv" if is_csv else "application/vnd.apache.parquet",
        "title": t.title + (" (CSV copy)" if is_csv else ""),
        "description": t.description,
    }
    if is_csv:
        entry["encoding"] = "utf-8"
    facts = file_facts(path)
    if not is_csv:
        # Frictionless 5.21 reads Parquet through pandas: it cannot count its bytes (a declared `bytes`
        # fails as "actual is None") and skips its hash. The hash stays, and `check_files` checks it.
        facts.pop("bytes")
    entry.update(facts)
    entry["schema"] = frictionless_schema(t, resource_of)
    return entry


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python dicts, with None (not pd.NA) for missing values."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


def sources(articles: pd.DataFrame) -> list[dict[str, Any]]:
    """One Frictionless source per article, in article_id order."""
    out = []
    for row in records(articles.sort_values("article_id")):
        source: dict[str, Any] = {"title": row["title"] or row["article_id"]}
        if row["url"] is not None:
            source["path"] = row["url"]
        parts = [p for p in (row["outlet"], row["published"], row["language"]) if p is not None]
        source["description"] = f"{row['article_id']}: " + ", ".join(parts)
        out.append(source)
    return out


def descriptor(tables: Mapping[str, pd.DataFrame], written: Mapping[str, list[Path]], root: Path,
               release: metadata.Release) -> dict[str, Any]:
    resources = [resource(name, paths[0], root) for name, paths in written.items()]
    resources += [resource(name, paths[1], root) for name, paths in written.items()]
    return {
        "$schema": PROFILE,
        "name": metadata.NAME,
        "title": metadata.TITLE,
        "description": metadata.DESCRIPTION + " " + metadata.TEXT_RIGHTS,
        "version": release.version,
        "created": release.released + "T00:00:00Z",
        "keywords": list(metadata.KEYWORDS),
        "licenses": [metadata.DATA_LICENSE],
        "contributors": [{"title": a["name"], "roles": ["creator"]} for a in metadata.AUTHORS],
        "sources": sources(tables["articles"]),
        "resources": resources,
    }


def stage(tables: Mapping[str, pd.DataFrame], staging: Path, release: metadata.Release) -> Path:
    """Write the tables, their datapackage.json, CITATION.cff and the codebook into `staging` (same layout
    as the project root); the descriptor's path. The charts come next (`start_charts`, `add_charts`)."""
    processed = staging / PROCESSED
    processed.mkdir(parents=True)
    written = {name: write_table(tables[name], name, processed) for name in TABLES if name in tables}
    path = staging / "datapackage.json"
    write_json(path, descriptor(tables, written, staging, release))
    (staging / "CITATION.cff").write_text(render_cff(release), encoding="utf-8")
    (staging / CODEBOOK).parent.mkdir(parents=True)
    (staging / CODEBOOK).write_text(render_codebook(tables, release.version), encoding="utf-8")
    return path


def start_charts(descriptor_path: Path, executor: Executor, charts: list[Future[list[Path]]],
                 store: Store | None = None) -> None:
    """Draw every chart into figures/ beside `descriptor_path`, each to draw one task on `executor`, appended to
    `charts` as it is submitted (so that the caller can wait for every task started, even if a later one
    cannot be). A chart is drawn from the staged Parquet files alone: the tables are checked meanwhile. With a
    `store`, a chart whose key (`chart_keys`: its tables' drawn columns and the code) has an entry is restored
    from the build's cache here, and only the others are sent to the executor: a build that draws nothing
    waits for no worker (a pool's first task waits for its fork server to have imported matplotlib)."""
    from dataset.charts import CHARTS

    out_dir = descriptor_path.parent / FIGURES
    out_dir.mkdir()
    keys = chart_keys(descriptor_path, [c.name for c in CHARTS]) if store is not None else {}
    for c in CHARTS:
        key = keys.get(c.name)
        restored = store.restore_files("charts", key, out_dir) if store is not None and key is not None else None
        if restored is None:
            charts.append(executor.submit(draw_chart, store, key, descriptor_path, c.name, out_dir))
        else:
            done: Future[list[Path]] = Future()
            done.set_result(restored)
            charts.append(done)


def add_charts(descriptor_path: Path, charts: list[Future[list[Path]]]) -> None:
    """Wait for the charts (a chart's error is raised here), list each file in the descriptor with its
    sha256 and size, and check the chart files against the final descriptor (the package checks,
    `start_checks`, have checked the tables' files already)."""
    from dataset.charts import chart_resources

    for future in charts:
        future.result()
    package = json.loads(descriptor_path.read_text(encoding="utf-8"))
    root = descriptor_path.parent
    added = chart_resources(root / FIGURES, descriptor_path)
    for chart in added:
        chart.update(file_facts(root / chart["path"]))
        package["resources"].append(chart)
    write_json(descriptor_path, package)
    problems = check_files(descriptor_path, {chart["name"] for chart in added})
    if problems:
        raise InputError(problems)


# What a build replaces in the project root, in swap order (`dataset.pipeline.swap`).
OUTPUTS = (PROCESSED, FIGURES, "exports", "datapackage.json", "CITATION.cff", CODEBOOK)
