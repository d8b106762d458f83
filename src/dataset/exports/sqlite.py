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

Written in pieces, so that an edit writes again what it changed: each table is first written alone into a
database of its own (its piece: the table as the database declares it, its rows, its full-text index and, for a
quote-anchored table, its `evidence` rows), cached by the build under what it is made of (`piece_key`: the
table's Parquet sha256 and schema, the articles' for the quotes' paragraphs, the code and
SQLite's version). The database is then put together from the pieces by SQL alone: every table created, then
each piece attached read-only and copied in, in rowid order, its FTS5 index's shadow tables with it (FTS5 on
external content keeps its index in ordinary tables; copied whole, they are the index that populating it
would build, which `INSERT INTO t_fts(t_fts) VALUES('integrity-check')` confirms in the tests). A 10,000-article
database (137 MB) is copied together in about a second where writing its rows took five.

Byte-identical on rebuild: the database depends only on the pieces' rows, never on whether a piece came from
the cache, and is written by one connection in a fixed order; SQLite keeps no timestamp in its file (its header
holds a change counter and the library's version number, the same for the same statements and the same
SQLite). It is not vacuumed: copied in table by table it has no free page, and VACUUM would only move each
primary key's index next to its table (2% of the file) at the cost of writing the file again.

The databases are written without waiting for the disk (`WRITE_PRAGMAS`): a build that stops before the
database is whole leaves nothing used (it is renamed into place once whole), so durability is not needed, and
neither setting is recorded in the file (a rollback journal kept in memory leaves the header's format bytes as
the default's; WAL would not).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dataset.exports import ANCHORED, ExportFile

if TYPE_CHECKING:
    from dataset.pipeline.cache import Store

DATABASE = "cryptophone-takedowns.db"
METADATA = "datasette-metadata.json"
PLUGIN = "datasette-plugins/evidence.py"
SQLITE_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": int, "date": str}
# Full-text search: the columns indexed per table.
FTS: dict[str, tuple[str, ...]] = {"articles": ("title", "text"), "event_sources": ("quote",), "figures": ("quote",)}
# Set on the connection that writes the database: no fsync per commit, the rollback journal in memory (see the
# module's docstring: the file's bytes do not depend on them).
WRITE_PRAGMAS = ("PRAGMA synchronous = OFF", "PRAGMA journal_mode = MEMORY")
FTS_SHADOWS = ("data", "idx", "docsize")  # an FTS5 index's shadow tables that hold its rows (`config` its version)
PIECE = "piece.db"  # a table's piece, in a directory of its own
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


def evidence_rows(table: str, rows: pa.Table, texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """One row per row of the quote-anchored `table`, its paragraph (in `texts`, the articles' texts by id)
    split around the quote. Only the columns read are made Python values (a figure has 22 columns, of which
    five are read here)."""
    quote, key = ANCHORED[table]
    read = ("event_id", "figure_id", "mention_id", "actor_id", "article_id", "start", "end")
    columns = [c for c in (*key, *read, quote) if c in rows.column_names]
    out = []
    for row in rows.select(list(dict.fromkeys(columns))).to_pylist():
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


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def insert_rows(conn: sqlite3.Connection, name: str, names: Sequence[str], values: Sequence[Sequence[Any]]) -> None:
    """Insert the rows whose columns `names` hold `values` (one list per column) into table `name`, in one
    transaction (sqlite-utils's insert_all would make a dict of every row and commit every thousand)."""
    listed, marks = ", ".join(quoted(n) for n in names), ", ".join("?" for _ in names)
    sql = f"INSERT INTO {quoted(name)} ({listed}) VALUES ({marks})"  # noqa: S608 - quoted names; values bound
    with _transaction(conn):
        conn.executemany(sql, zip(*values, strict=True))


def create_table(db: Any, name: str, present: Sequence[str]) -> None:
    """Create table `name` as the database declares it (in its piece and in the database alike): the registry's
    columns in order, SQLite's nearest types, NOT NULL where required, the primary key and the foreign keys
    to the tables `present`."""
    from dataset.schema.fields import FIELDS
    from dataset.schema.tables import TABLES

    table = TABLES[name]
    db[name].create(
        {f: SQLITE_TYPES[FIELDS[f].type] for f in table.fields},
        pk=table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key,
        not_null={f for f in table.fields if FIELDS[f].required},
        foreign_keys=[(fk.fields[0], fk.table, fk.reference[0]) for fk in table.foreign_keys if fk.table in present],
    )


def create_evidence(db: Any, present: Sequence[str]) -> None:
    fks = [(c, t, c2) for c, t, c2 in (("event_id", "events", "event_id"), ("figure_id", "figures", "figure_id"),
                                       ("mention_id", "mentions", "mention_id"), ("actor_id", "actors", "actor_id"),
                                       ("article_id", "articles", "article_id")) if t in present]
    db["evidence"].create(EVIDENCE_COLUMNS, pk="evidence_id", foreign_keys=fks,
                          not_null={"evidence_id", "source_table", "article_id", "start", "end", "quote"})


def create_fts(conn: sqlite3.Connection, name: str) -> None:
    """The FTS5 index of table `name`'s FTS columns, on the table's rows as external content (what sqlite-utils's
    enable_fts creates, and Datasette searches)."""
    columns = ", ".join(quoted(c) for c in FTS[name])
    conn.execute(f"CREATE VIRTUAL TABLE {quoted(name + '_fts')} USING FTS5 ({columns}, content={quoted(name)})")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, uri=True)  # transactions where this module opens them
    for pragma in WRITE_PRAGMAS:
        conn.execute(pragma)
    return conn


def write_piece(name: str, tables: Mapping[str, pa.Table], texts: Mapping[str, str], path: Path) -> None:
    """Table `name` alone in a new database at `path`: created as the database declares it (its foreign keys
    aside), its rows, its FTS5
    index populated (where it has one) and its evidence rows (a quote-anchored table; `texts`, the articles'
    texts by id, give their paragraphs)."""
    import sqlite_utils

    conn = _connect(path)
    try:
        db = sqlite_utils.Database(conn)
        create_table(db, name, ())  # the piece's own declaration is not copied: no foreign keys to check
        insert_rows(conn, name, tables[name].column_names, column_values(tables[name]))
        if name in FTS:
            create_fts(conn, name)
            columns = ", ".join(quoted(c) for c in FTS[name])
            with _transaction(conn):
                conn.execute(f"INSERT INTO {quoted(name + '_fts')} (rowid, {columns}) "  # noqa: S608 - quoted names
                             f"SELECT rowid, {columns} FROM {quoted(name)} ORDER BY rowid")
        if name in ANCHORED:
            create_evidence(db, ())
            evidence = evidence_rows(name, tables[name], texts)
            insert_rows(conn, "evidence", list(EVIDENCE_COLUMNS), [[row[c] for row in evidence]
                                                                   for c in EVIDENCE_COLUMNS])
    finally:
        conn.close()


def piece_key(name: str, descriptor: Mapping[str, Any]) -> str:
    """What table `name`'s piece is made of: its table and, for a quote-anchored table, the articles (each
    resource's sha256, which `read_tables` checked the table's bytes against, and its schema), the code and
    SQLite's version (the file's format)."""
    from dataset.pipeline.cache import code_fingerprint, fingerprint

    resources = {r["name"]: r for r in descriptor["resources"]}
    read = [name, "articles"] if name in ANCHORED else [name]
    return fingerprint("sqlite-piece", code_fingerprint(), sqlite3.sqlite_version, name,
                       [(t, resources[t].get("hash"), json.dumps(resources[t].get("schema"), sort_keys=True))
                        for t in read])


def write_pieces(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any] | None, directory: Path,
                 store: Store | None) -> dict[str, Path]:
    """Each table's piece (`write_piece`) in a directory of its own under `directory`; with a `store` (the
    build's cache), taken from it where stored under its `piece_key`, else written and stored."""
    texts: dict[str, str] | None = None
    pieces = {}
    for name in tables:
        out = directory / name
        key = piece_key(name, descriptor) if store is not None and descriptor is not None else None
        if key is None or store is None or store.restore_files("sqlite", key, out) is None:
            out.mkdir(parents=True, exist_ok=True)
            if texts is None:
                texts = dict(zip(tables["articles"]["article_id"].to_pylist(), tables["articles"]["text"].to_pylist(),
                                 strict=True)) if "articles" in tables else {}
            write_piece(name, tables, texts, out / PIECE)
            if key is not None and store is not None:
                store.save_files("sqlite", key, out, [out / PIECE])
        pieces[name] = out / PIECE
    return pieces


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction on a connection in autocommit mode (`_connect`): committed, or rolled back on an error."""
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def _attached(conn: sqlite3.Connection, piece: Path) -> Iterator[None]:
    """`piece` attached read-only as `piece`, for one transaction."""
    conn.execute("ATTACH ? AS piece", (f"{piece.resolve().as_uri()}?mode=ro",))
    try:
        with _transaction(conn):
            yield
    finally:
        conn.execute("DETACH piece")


def assemble(pieces: Mapping[str, Path], path: Path) -> None:
    """The database at `path`, put together from the tables' `pieces` by SQL alone (see the module's
    docstring): every table created (parents before children, the registry's order; then `evidence` and the
    FTS5 indexes), each piece's rows copied in rowid order, with its FTS5 index's shadow tables, then the
    evidence rows in the order of `ANCHORED`. Foreign keys are checked once every row is in (`PRAGMA
    foreign_key_check` finds every dangling key); a database with one is not written."""
    import sqlite_utils

    from dataset.schema.tables import TABLES

    present = [name for name in TABLES if name in pieces]  # parents before children: the registry's order
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    conn = _connect(tmp)
    try:
        db = sqlite_utils.Database(conn)
        for name in present:
            create_table(db, name, present)
        create_evidence(db, present)
        for name in present:
            if name in FTS:
                create_fts(conn, name)
        # A piece is attached (outside a transaction, as SQLite requires), copied in one transaction, detached.
        for name in present:
            with _attached(conn, pieces[name]):
                conn.execute(f"INSERT INTO main.{quoted(name)} SELECT * FROM piece.{quoted(name)} "  # noqa: S608
                             "ORDER BY rowid")
                for shadow in FTS_SHADOWS if name in FTS else ():
                    table = quoted(f"{name}_fts_{shadow}")
                    conn.execute(f"DELETE FROM main.{table}")  # noqa: S608 - what creating the index wrote
                    conn.execute(f"INSERT INTO main.{table} SELECT * FROM piece.{table}")  # noqa: S608
        for name in (n for n in ANCHORED if n in pieces):
            with _attached(conn, pieces[name]):
                conn.execute("INSERT INTO main.evidence SELECT * FROM piece.evidence ORDER BY rowid")
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ValueError(f"{path}: foreign keys that point nowhere: {problems[:5]}")
    finally:
        conn.close()
    os.replace(tmp, path)


def write_database(tables: Mapping[str, pa.Table], path: Path, descriptor: Mapping[str, Any] | None = None,
                   store: Store | None = None) -> None:
    """The database of `tables` at `path`, from their pieces (`write_pieces`, from the build's cache `store`
    where stored, keyed by the resources of `descriptor`), in a temporary directory beside it."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix=".sqlite-pieces-", dir=path.parent) as directory:
        assemble(write_pieces(tables, descriptor, Path(directory), store), path)


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


def write(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any], out_dir: Path,
          store: Store | None = None) -> list[Path]:
    """Write the export; with a `store` (the build's cache), the pieces of the tables that did not change are
    taken from it, so an edit writes its own table's piece again and copies the database together."""
    database = out_dir / DATABASE
    write_database(tables, database, descriptor, store)
    meta = out_dir / METADATA
    meta.write_text(json.dumps(metadata([t for t in tables], descriptor), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    plugin = out_dir / PLUGIN
    plugin.parent.mkdir(parents=True, exist_ok=True)
    plugin.write_bytes((Path(__file__).parent / "datasette_evidence.py").read_bytes())
    return [database, meta, plugin]
