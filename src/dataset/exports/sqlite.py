"""SQLite export for Datasette: the published tables in one database, with a metadata file and a plugin.

- `exports/cryptophone-takedowns.db`: every published table, created with sqlite-utils from the schema
  registry: the same columns in the same order, SQLite's nearest types (string TEXT, integer INTEGER,
  number REAL, boolean INTEGER 0/1, date TEXT in ISO 8601 as in the CSV copies), NOT NULL where a column is
  required, the primary and foreign keys of datapackage.json; full-text search (FTS5) on the articles' title
  and text and on the quotes of event_sources and figures. One derived table, `evidence`: each
  quote-anchored row (event source, figure, mention) with the paragraph of its article split around the
  quote (`before`, `quote`, `after`) and foreign keys to its event, figure, mention, actor and article, so
  that Datasette links a figure or an event to the passages that support it.
- `exports/datasette-metadata.json`: title, licence, source, every table's and column's description and
  every code's label, generated from the schema registry; the canned query `evidence_for`.
- `exports/datasette-plugins/evidence.py`: renders an evidence row's quote highlighted inside its paragraph
  (`datasette_evidence`).

Byte-identical on rebuild: the database is written by one connection in a fixed order and vacuumed; SQLite
keeps no timestamp in its file (its header holds a change counter and the library's version number, the
same for the same statements and the same pinned Python).

The database is written without waiting for the disk (`WRITE_PRAGMAS`): sqlite-utils commits every batch of
rows, and each commit's fsync of the journal and the file made the export of a 10,000-article package take
66 s of which 52 s waiting for the disk. Durability is not needed there: the database is written to a
temporary file that is renamed into place only once whole, and a build that stops before leaves nothing
used. Neither setting is recorded in the file (a rollback journal kept in memory leaves the header's format
bytes as the default's; WAL would not), so the bytes are the same.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from dataset.exports import ExportFile

DATABASE = "cryptophone-takedowns.db"
METADATA = "datasette-metadata.json"
PLUGIN = "datasette-plugins/evidence.py"
SQLITE_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": int, "date": str}
# Full-text search: the columns indexed per table.
FTS: dict[str, tuple[str, ...]] = {"articles": ("title", "text"), "event_sources": ("quote",), "figures": ("quote",)}
# Set on the connection that writes the database: no fsync per commit, the rollback journal in memory (see the
# module's docstring: the file's bytes do not depend on them).
WRITE_PRAGMAS = ("PRAGMA synchronous = OFF", "PRAGMA journal_mode = MEMORY")
BATCH_ROWS = 1000  # rows per transaction (sqlite-utils's batch_size, which wrote them before: `insert_rows`)
# The column Datasette shows in place of a key that points to the row.
LABELS = {"articles": "title", "cases": "case_name", "actors": "name"}
EVIDENCE_COLUMNS = {
    "evidence_id": str, "source_table": str, "event_id": str, "figure_id": str, "mention_id": str,
    "actor_id": str, "article_id": str, "start": int, "end": int, "paragraph_start": int, "before": str,
    "quote": str, "after": str,
}
EVIDENCE_DESCRIPTIONS = {
    "evidence_id": "The table the row comes from and its primary key, joined by ':'.",
    "source_table": "The published table the row comes from: event_sources, figures or mentions.",
    "event_id": "The event the passage reports (rows of event_sources); null otherwise.",
    "figure_id": "The stated figure (rows of figures); null otherwise.",
    "mention_id": "The mention (rows of mentions); null otherwise.",
    "actor_id": "The actor named (rows of mentions); null otherwise.",
    "article_id": "The article the passage is in.",
    "start": "Offset of the quote's first character in the article's clean text.",
    "end": "Offset just past the quote's last character.",
    "paragraph_start": "Offset of the paragraph's first character (paragraphs are separated by a blank line).",
    "before": "The paragraph's text before the quote.",
    "quote": "The quote (event source or figure) or the name as written (mention): text[start:end].",
    "after": "The paragraph's text after the quote.",
}
EVIDENCE_QUERY = """select evidence_id, source_table, event_id, figure_id, mention_id, article_id, start, "end",
  before, quote, after
from evidence
where :id in (event_id, figure_id, mention_id, actor_id, article_id)
order by article_id, start"""


def files(tables: Sequence[str]) -> list[ExportFile]:
    return [
        ExportFile("sqlite", DATABASE, "sqlite", "application/vnd.sqlite3", "SQLite database (Datasette)",
                   "Every published table in one SQLite database (sqlite-utils): the same columns, keys and "
                   "foreign keys, full-text search on article text and quotes, and a derived `evidence` table "
                   "(each quote inside its paragraph). Serve with `make serve` or `datasette serve -i "
                   "exports/cryptophone-takedowns.db --metadata exports/datasette-metadata.json "
                   "--plugins-dir exports/datasette-plugins`."),
        ExportFile("datasette-metadata", METADATA, "json", "application/json", "Datasette metadata",
                   "Title, licence, source, every table's and column's description and the codes' labels "
                   "for Datasette, generated from the schema registry; the canned query `evidence_for`."),
        ExportFile("datasette-plugin", PLUGIN, "py", "text/x-python", "Datasette plugin: evidence",
                   "Renders an evidence row's quote highlighted inside its article's paragraph."),
    ]


def cell(value: Any) -> Any:
    """A published value as SQLite stores it: dates as ISO 8601 text, booleans as 0/1."""
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def evidence_rows(tables: Mapping[str, pa.Table]) -> list[dict[str, Any]]:
    """One row per quote-anchored row, its paragraph split around the quote. Only the columns read are made
    Python values (a figure has 22 columns, of which five are read here)."""
    texts = dict(zip(tables["articles"]["article_id"].to_pylist(), tables["articles"]["text"].to_pylist(),
                     strict=True))
    out = []
    anchored = (("event_sources", "quote", ("source_id",)),
                ("figures", "quote", ("figure_id",)), ("mentions", "surface", ("mention_id",)))
    read = ("event_id", "figure_id", "mention_id", "actor_id", "article_id", "start", "end")
    for table, quote, key in anchored:
        if table not in tables:
            continue
        columns = [c for c in (*key, *read, quote) if c in tables[table].column_names]
        for row in tables[table].select(list(dict.fromkeys(columns))).to_pylist():
            text, start, end = texts[row["article_id"]], row["start"], row["end"]
            para_start = text.rfind("\n\n", 0, start)
            para_start = 0 if para_start == -1 else para_start + 2
            para_end = text.find("\n\n", end)
            para_end = len(text) if para_end == -1 else para_end
            out.append({
                "evidence_id": ":".join([table, *(str(row[k]) for k in key)]),
                "source_table": table,
                "event_id": row.get("event_id"),
                "figure_id": row.get("figure_id"),
                "mention_id": row.get("mention_id"),
                "actor_id": row.get("actor_id") if table == "mentions" else None,
                "article_id": row["article_id"],
                "start": start, "end": end, "paragraph_start": para_start,
                "before": text[para_start:start], "quote": row[quote], "after": text[end:para_end],
            })
    return out


def column_values(table: pa.Table) -> list[list[Any]]:
    """Each column's values as SQLite stores them (`cell`; strings and numbers are stored as they are)."""
    plain = (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer, pa.types.is_floating)
    return [values if any(is_type(column.type) for is_type in plain) else [cell(v) for v in values]
            for column in table.columns for values in [column.to_pylist()]]


def insert_rows(conn: sqlite3.Connection, name: str, names: Sequence[str], values: Sequence[Sequence[Any]]) -> None:
    """Insert the rows whose columns `names` hold `values` (one list per column) into table `name`, as
    sqlite-utils's insert_all did, without its work on each row (5 s of the 10,000-article database): in
    batches of its size (1,000 rows, fewer where 999 parameters would not hold them), one transaction each,
    since the file's header counts transactions (its change counter) and the database must stay the same
    bytes."""
    from sqlite_utils.db import SQLITE_MAX_VARS

    def quoted(identifier: str) -> str:
        return '"' + identifier.replace('"', '""') + '"'

    listed, marks = ", ".join(quoted(n) for n in names), ", ".join("?" for _ in names)
    sql = f"INSERT INTO {quoted(name)} ({listed}) VALUES ({marks})"  # noqa: S608 - quoted names; values bound
    rows = list(zip(*values, strict=True))
    size = max(1, min(BATCH_ROWS, SQLITE_MAX_VARS // len(names)))
    for start in range(0, len(rows), size):
        conn.execute("BEGIN")
        conn.executemany(sql, rows[start:start + size])
        conn.execute("COMMIT")


def write_database(tables: Mapping[str, pa.Table], path: Path) -> None:
    import sqlite_utils

    from dataset.schema.fields import FIELDS
    from dataset.schema.tables import TABLES

    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        for pragma in WRITE_PRAGMAS:
            conn.execute(pragma)
        db = sqlite_utils.Database(conn)
        # Foreign keys are checked once, every row in (`PRAGMA foreign_key_check` below, which finds every
        # dangling key), not row by row on insert (`PRAGMA foreign_keys = ON`: a tenth of the export's time for
        # 10,000 articles). Enforcement only reads the parents' keys, so the file is the same bytes.
        for name, table in TABLES.items():  # parents before children: the registry's order
            if name not in tables:
                continue
            db[name].create(
                {f: SQLITE_TYPES[FIELDS[f].type] for f in table.fields},
                pk=table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key,
                not_null={f for f in table.fields if FIELDS[f].required},
                foreign_keys=[(fk.fields[0], fk.table, fk.reference[0]) for fk in table.foreign_keys
                              if fk.table in tables],
            )
            insert_rows(conn, name, tables[name].column_names, column_values(tables[name]))
        evidence_fks = [(c, t, c2) for c, t, c2 in (("event_id", "events", "event_id"),
                                                    ("figure_id", "figures", "figure_id"),
                                                    ("mention_id", "mentions", "mention_id"),
                                                    ("actor_id", "actors", "actor_id"),
                                                    ("article_id", "articles", "article_id")) if t in tables]
        db["evidence"].create(EVIDENCE_COLUMNS, pk="evidence_id", foreign_keys=evidence_fks,
                              not_null={"evidence_id", "source_table", "article_id", "start", "end", "quote"})
        evidence = evidence_rows(tables)
        insert_rows(conn, "evidence", list(EVIDENCE_COLUMNS), [[row[c] for row in evidence] for c in EVIDENCE_COLUMNS])
        for name, columns in FTS.items():
            if name in tables:
                db[name].enable_fts(list(columns), fts_version="FTS5")
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ValueError(f"{path}: foreign keys that point nowhere: {problems[:5]}")
        conn.commit()
        db.vacuum()
    finally:
        conn.close()
    os.replace(tmp, path)


def column_description(table: str, column: str, descriptor: Mapping[str, Any]) -> str:
    """The column's description, followed by its codes and their labels (as the package publishes them)."""
    from dataset.datapackage.parquet import code_labels
    from dataset.schema.emit import description_of

    text = description_of(column)
    codes = code_labels(descriptor, table, column)
    if codes is not None:
        text += " Codes: " + "; ".join(f"{code} = {label}" for code, label in codes.items())
    return text


def metadata(tables: Sequence[str], descriptor: Mapping[str, Any]) -> dict[str, Any]:
    """Datasette's metadata, from the schema registry and the descriptor (title, licence, version)."""
    from dataset.schema.tables import TABLES

    licence = (descriptor.get("licenses") or [{}])[0]
    described: dict[str, Any] = {}
    for name in tables:
        t = TABLES[name]
        entry: dict[str, Any] = {
            "title": t.title,
            "description": t.description,
            "columns": {c: column_description(name, c, descriptor) for c in t.fields},
        }
        if name in LABELS:
            entry["label_column"] = LABELS[name]
        if name in FTS:
            entry["fts_table"] = f"{name}_fts"
        described[name] = entry
    described["evidence"] = {
        "title": "Evidence",
        "description": "Derived from event_sources, figures and mentions: each quote-anchored row with its "
        "article's paragraph split around the quote, which the evidence plugin shows highlighted.",
        "columns": EVIDENCE_DESCRIPTIONS,
    }
    version = descriptor.get("version", "")
    return {
        "title": f"{descriptor.get('title', '')} ({version})",
        "description": descriptor.get("description", ""),
        "license": licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "source": "datapackage.json of " + f"{descriptor.get('name', '')} {version}".strip(),
        "databases": {
            Path(DATABASE).stem: {
                "tables": described,
                "queries": {
                    "evidence_for": {
                        "title": "Evidence for a row",
                        "description": "The passages that support an event, figure, mention, actor or article "
                        "(give its id), each quote highlighted inside its paragraph.",
                        "sql": EVIDENCE_QUERY,
                    },
                },
            },
        },
    }


def write(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any], out_dir: Path) -> list[Path]:
    database = out_dir / DATABASE
    write_database(tables, database)
    meta = out_dir / METADATA
    meta.write_text(json.dumps(metadata([t for t in tables], descriptor), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    plugin = out_dir / PLUGIN
    plugin.parent.mkdir(parents=True, exist_ok=True)
    plugin.write_bytes((Path(__file__).parent / "datasette_evidence.py").read_bytes())
    return [database, meta, plugin]
