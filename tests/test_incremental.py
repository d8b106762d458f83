"""A rebuild costs what changed (issue 23): the shortcuts that make an incremental build cheaper must not change
a byte of what is published, nor let anything through that a full build would refuse."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from dataset.exports import EXPORTS_DIR, read_tables
from dataset.exports import sqlite as sqlite_export
from dataset.pipeline import build, stamp
from dataset.pipeline.cache import Store

annotations = importlib.import_module("dataset.exports.annotations")  # the name is also __future__'s feature


def test_sqlite_is_the_same_file_written_without_waiting_for_the_disk(built: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The pragmas that skip the fsync of every commit leave no trace in the database: the file is the one
    written with SQLite's durable defaults (a journal mode such as WAL would change its header)."""
    _, tables = read_tables(built / "datapackage.json")
    fast = tmp_path / "fast.db"
    sqlite_export.write_database(tables, fast)
    monkeypatch.setattr(sqlite_export, "WRITE_PRAGMAS", ())
    durable = tmp_path / "durable.db"
    sqlite_export.write_database(tables, durable)
    published = built / EXPORTS_DIR / sqlite_export.DATABASE
    assert fast.read_bytes() == durable.read_bytes() == published.read_bytes()


def test_sqlite_refuses_a_dangling_foreign_key(built: Path, tmp_path: Path) -> None:
    """Foreign keys are checked once every row is in, not on each insert: a row that points nowhere still fails
    the export, and no database is left."""
    _, tables = read_tables(built / "datapackage.json")
    sources = tables["event_sources"]
    events = sources.column("event_id").to_pylist()
    tables["event_sources"] = sources.set_column(sources.column_names.index("event_id"), "event_id",
                                                 pa.array(["no-such-event", *events[1:]], pa.string()))
    path = tmp_path / "dangling.db"
    with pytest.raises(ValueError, match="foreign keys that point nowhere"):
        sqlite_export.write_database(tables, path)
    assert not path.exists()


# ---- annotations: written in pieces, each cached by its rows and articles --------------------------------------


def one_shot(tables: dict[str, pa.Table], descriptor: dict[str, Any]) -> bytes:
    """The annotations file as one json.dumps of the whole collection (what the pieces must add up to)."""
    articles = {row["article_id"]: row for row in tables["articles"].to_pylist()}
    items = [annotations.annotation(table, row, articles[row["article_id"]])
             for table in annotations.ANCHORED if table in tables for row in tables[table].to_pylist()]
    document = annotations.collection(descriptor, items, len(items))
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def edited(tables: dict[str, pa.Table], table: str, row: int, column: str, value: object) -> dict[str, pa.Table]:
    """`tables` with one cell changed."""
    values = tables[table][column].to_pylist()
    values[row] = value
    old = tables[table]
    index = old.schema.get_field_index(column)
    return {**tables, table: old.set_column(index, old.schema.field(index), pa.array(values, old[column].type))}


def stored(store: Store) -> set[Path]:
    return {p for p in (store.directory / "annotations").rglob("*") if p.is_file()}


def test_annotations_in_pieces_are_the_one_document(built: Path, tmp_path: Path) -> None:
    descriptor, tables = read_tables(built / "datapackage.json")
    published = (built / EXPORTS_DIR / annotations.FILE).read_bytes()
    assert one_shot(tables, descriptor) == published
    for store in (None, Store(tmp_path / "cache"), Store(tmp_path / "cache")):  # no cache, cold, warm
        (path,) = annotations.write(tables, descriptor, tmp_path, store=store)
        assert path.read_bytes() == published
    empty = {name: t.slice(0, 0) if name in annotations.ANCHORED else t for name, t in tables.items()}
    (path,) = annotations.write(empty, descriptor, tmp_path)
    assert path.read_bytes() == one_shot(empty, descriptor) and b'"items": []' in path.read_bytes()


def test_an_edited_row_writes_its_own_piece_only(built: Path, tmp_path: Path) -> None:
    """One changed event source: one piece is written again, every other comes from the cache, and the file
    is what a build without the cache writes."""
    descriptor, tables = read_tables(built / "datapackage.json")
    store = Store(tmp_path / "cache")
    annotations.write(tables, descriptor, tmp_path, store=store)
    before = stored(store)
    assert len(before) >= 3  # one piece per anchored table at least
    row = next(i for i, v in enumerate(tables["event_sources"]["date_expression"].to_pylist()) if v is not None)
    changed = edited(tables, "event_sources", row, "date_expression", None)
    (path,) = annotations.write(changed, descriptor, tmp_path, store=store)
    assert len(stored(store) - before) == 1
    assert path.read_bytes() == one_shot(changed, descriptor) != one_shot(tables, descriptor)
    # A changed article text is in the key of every piece quoting it, even with its rows unchanged.
    article = tables["event_sources"]["article_id"][row].as_py()
    position = tables["articles"]["article_id"].to_pylist().index(article)
    text = tables["articles"]["text"][position].as_py()
    moved = edited(changed, "articles", position, "text", text + " ")
    (path,) = annotations.write(moved, descriptor, tmp_path, store=store)
    assert path.read_bytes() == one_shot(moved, descriptor)
    assert len(stored(store) - before) >= 3  # its event sources', its figures' and its mentions' pieces


# ---- the inputs' digests: a file is read again only when its stat data changed --------------------------------


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[Path]]:
    """A project's inputs (two files) and the list of the project's files `input_hashes` reads, call by call."""
    root = tmp_path / "project"
    for rel, text in (("data/raw/a.txt", "alpha"), ("data/coding/b.yaml", "beta: 1\n")):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    read: list[Path] = []
    real = stamp.sha256_file

    def counted(path: str | Path) -> str:
        if root in Path(path).parents:
            read.append(Path(path))
        return real(path)

    monkeypatch.setattr(stamp, "sha256_file", counted)
    monkeypatch.setattr(stamp, "_SEEN", stamp.Digests())
    return root, read


def test_an_unchanged_input_is_not_read_again(inputs: tuple[Path, list[Path]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root, read = inputs
    monkeypatch.setattr(stamp, "RACY_NS", 0)  # the files are seconds old at most: count them as settled
    first = stamp.input_hashes(root)
    assert len(read) == 2 and first == stamp.input_hashes(root, remember=False)
    read.clear()
    assert stamp.input_hashes(root) == first and read == []  # from .cache/file-digests.json
    # The build cache's keys take the same digests: no file is read a third time.
    assert stamp.file_digest(root / "data/raw/a.txt", os.lstat(root / "data/raw/a.txt")) == first["data/raw/a.txt"]
    assert read == []

    # A change of the same size with its mtime set back is seen (ctime cannot be set back).
    a = root / "data/raw/a.txt"
    before = os.stat(a)
    a.write_text("alpHa", encoding="utf-8")
    os.utime(a, ns=(before.st_atime_ns, before.st_mtime_ns))
    now = stamp.input_hashes(root)
    assert read == [a] and now["data/raw/a.txt"] != first["data/raw/a.txt"]
    assert now == stamp.input_hashes(root, remember=False)

    # A removed file is forgotten, an added one read; a damaged digests file is not used at all.
    (root / "data/coding/b.yaml").unlink()
    (root / "data/coding/c.yaml").write_text("gamma: 2\n", encoding="utf-8")
    read.clear()
    assert stamp.input_hashes(root) == stamp.input_hashes(root, remember=False)
    assert read.count(root / "data/coding/c.yaml") == 2  # the second call reads every file
    kept = json.loads((root / stamp.DIGESTS).read_text(encoding="utf-8").split("\n", 1)[1])
    assert sorted(Path(p).name for p in kept if root in Path(p).parents) == ["a.txt", "c.yaml"]
    text = (root / stamp.DIGESTS).read_text(encoding="utf-8")
    assert now["data/raw/a.txt"] in text  # a wrong digest written over the right one, its stat data unchanged
    (root / stamp.DIGESTS).write_text(text.replace(now["data/raw/a.txt"], first["data/raw/a.txt"]), encoding="utf-8")
    read.clear()
    assert stamp.input_hashes(root) == stamp.input_hashes(root, remember=False) and len(read) == 4


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again(inputs: tuple[Path, list[Path]]) -> None:
    """git's racily clean entries: a file changed within RACY_NS of its hashing could change again within the
    same tick of the file system's clock, unseen in its stat data; it is read again until it has settled."""
    root, read = inputs
    stamp.input_hashes(root)
    stamp.input_hashes(root)
    assert len(read) == 4  # both files were written just now: read by both calls


def test_a_file_the_build_hashed_is_read_again_only_once_changed(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The build hashes each file it writes to declare it, checks the declaration and records the file in its
    stamp: one reading while it writes its package (`remembering`), unless the file changed meanwhile; outside
    a build (`dataset verify`, a release) every file is read, whatever its stat data say."""
    import hashlib

    from dataset.datapackage import files

    reads: list[str] = []
    real = hashlib.file_digest

    def counted(handle: Any, digest: str) -> Any:
        reads.append(handle.name)
        return real(handle, digest)

    def sha(data: bytes) -> str:
        return "sha256:" + hashlib.sha256(data).hexdigest()

    monkeypatch.setattr(hashlib, "file_digest", counted)
    path = tmp_path / "export.db"
    path.write_bytes(b"first bytes")
    with files.remembering():
        facts = files.file_facts(path)
        assert facts == {"bytes": 11, "hash": sha(b"first bytes")}
        facts.pop("bytes")  # the caller's copy (the build drops a Parquet file's size)
        assert files.file_facts(path) == {"bytes": 11, "hash": sha(b"first bytes")} and len(reads) == 1
        path.write_bytes(b"first bytes, then more")
        assert files.file_facts(path) == {"bytes": 22, "hash": sha(b"first bytes, then more")} and len(reads) == 2
        # The stamp's hashes, taken through the same facts, are the files' sha256.
        assert stamp.output_hashes(tmp_path, ["export.db"], build._sha256) == stamp.output_hashes(tmp_path,
                                                                                                 ["export.db"])
        assert len(reads) == 3  # the first from the facts taken, the second read by stamp.sha256_file
    files.file_facts(path)
    files.file_facts(path)
    assert len(reads) == 5


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the database at `path` (the FTS5 indexes' shadow tables included): its declared columns,
    then each row in rowid order with each value's SQLite type."""
    import sqlite3

    conn = sqlite3.connect(path)  # read only, but FTS5's integrity-check is refused on a read-only connection
    try:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{name}")')]
            typed = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
            try:
                rows = conn.execute(f'SELECT {typed} FROM "{name}" ORDER BY rowid').fetchall()  # noqa: S608
            except sqlite3.OperationalError:  # a table WITHOUT ROWID (FTS5's _idx and _config): by its key
                rows = conn.execute(f'SELECT {typed} FROM "{name}" ORDER BY 1, 3').fetchall()  # noqa: S608
            out[name] = [tuple(columns), *rows]
        for name in sqlite_export.FTS:  # each index matches its table's rows
            conn.execute(f"INSERT INTO {name}_fts({name}_fts) VALUES('integrity-check')")
        return out
    finally:
        conn.close()


def row_by_row(tables: dict[str, pa.Table], path: Path) -> None:
    """The database as sqlite-utils alone writes it: every table created as the export declares it, its rows
    inserted as dicts (`insert_all`), each full-text index by `enable_fts`, the evidence rows last."""
    import sqlite3

    import sqlite_utils

    from dataset.schema.tables import TABLES

    conn = sqlite3.connect(path)
    db = sqlite_utils.Database(conn)
    present = [name for name in TABLES if name in tables]
    texts = dict(zip(tables["articles"]["article_id"].to_pylist(), tables["articles"]["text"].to_pylist(), strict=True))
    for name in present:
        sqlite_export.create_table(db, name, present)
        db[name].insert_all({k: sqlite_export.cell(v) for k, v in row.items()} for row in tables[name].to_pylist())
    sqlite_export.create_evidence(db, present)
    for name in sqlite_export.ANCHORED:
        db["evidence"].insert_all(sqlite_export.evidence_rows(name, tables[name], texts))
    for name, columns in sqlite_export.FTS.items():
        db[name].enable_fts(list(columns), fts_version="FTS5")
    conn.commit()
    conn.close()


def test_the_database_put_together_from_pieces_holds_what_sqlite_utils_writes(built: Path, tmp_path: Path) -> None:
    """Copied together from the tables' pieces, the database has the rows (values and SQLite types, in order)
    and the full-text indexes, shadow tables and all, that sqlite-utils writes row by row; every index passes
    FTS5's integrity check; and the published file is this one."""
    _, tables = read_tables(built / "datapackage.json")
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    sqlite_export.write_database(tables, ours)
    row_by_row(tables, theirs)
    assert contents(ours) == contents(theirs)
    assert len(contents(ours)["evidence"]) == 1 + sum(tables[t].num_rows for t in sqlite_export.ANCHORED)
    assert ours.read_bytes() == (built / EXPORTS_DIR / sqlite_export.DATABASE).read_bytes()


def test_an_edited_table_writes_its_own_piece_only(built: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With the build's cache, an edit of one table writes that table's piece again and copies the others in
    from the cache; the database is the file a build without the cache writes. An edited article writes the
    pieces that quote it (their evidence holds its paragraphs) and its own."""
    descriptor, tables = read_tables(built / "datapackage.json")
    written: list[str] = []
    real = sqlite_export.write_piece

    def counted(name: str, *args: Any) -> None:
        written.append(name)
        real(name, *args)

    monkeypatch.setattr(sqlite_export, "write_piece", counted)
    store = Store(tmp_path / "cache")
    sqlite_export.write_database(tables, tmp_path / "cold.db", descriptor, store)
    assert sorted(written) == sorted(tables)
    written.clear()
    sqlite_export.write_database(tables, tmp_path / "warm.db", descriptor, store)
    assert written == [] and (tmp_path / "warm.db").read_bytes() == (tmp_path / "cold.db").read_bytes()

    def rehashed(names: set[str]) -> dict[str, Any]:  # as the build's descriptor declares changed tables
        return {**descriptor, "resources": [{**r, "hash": "sha256:" + "0" * 64} if r["name"] in names else r
                                            for r in descriptor["resources"]]}

    row = next(i for i, v in enumerate(tables["event_sources"]["date_expression"].to_pylist()) if v is not None)
    for table, column, names, pieces in (("event_sources", "date_expression", {"event_sources"}, ["event_sources"]),
                                         ("articles", "title", {"articles"}, ["articles", *sqlite_export.ANCHORED])):
        changed = edited(tables, table, row if table == "event_sources" else 0, column, None if table ==
                         "event_sources" else "Another title")
        written.clear()
        sqlite_export.write_database(changed, tmp_path / "edit.db", rehashed(names), store)
        assert sorted(written) == sorted(pieces)
        sqlite_export.write_database(changed, tmp_path / "fresh.db")
        assert (tmp_path / "edit.db").read_bytes() == (tmp_path / "fresh.db").read_bytes()
        assert contents(tmp_path / "edit.db") != contents(tmp_path / "cold.db")


def test_a_built_in_value_is_fingerprinted_as_its_subclasses_are() -> None:
    """The fast path for built-in types (chosen by the exact type) feeds the bytes of the general one (which a
    subclass takes), and values of other types that print alike still give other keys."""
    from dataset.pipeline.cache import fingerprint

    class Text(str):
        pass

    class Count(int):
        pass

    class Share(float):
        pass

    nested = {"id": "a1", "rows": [("quote", 3, None, 0.5), {"surface": "Ennetcom"}]}
    subclassed = {Text("id"): Text("a1"), Text("rows"): [(Text("quote"), Count(3), None, Share(0.5)),
                                                        {Text("surface"): Text("Ennetcom")}]}
    assert fingerprint(nested) == fingerprint(subclassed)
    assert len({fingerprint(v) for v in ("1", 1, True, 1.0, b"1", ("1",), Path("1"))}) == 7


def test_a_registry_is_parsed_again_only_when_its_text_changed(project: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """With the build's cache, a registry's parse is taken from it while the file's text is unchanged, and gives
    the same rows, origins and names as parsing it."""
    from dataset.pipeline import coding as coding_module
    from dataset.project import find_project

    parsed: list[str] = []
    real = coding_module.loads

    def counted(text: str, where: str) -> Any:
        parsed.append(where)
        return real(text, where)

    monkeypatch.setattr(coding_module, "loads", counted)
    store = Store(tmp_path / "cache")
    found = find_project(root=project)

    def read(with_store: Store | None) -> tuple[Any, ...]:
        coding = coding_module.Coding()
        coding_module.read_registries(found, coding, coding.problems, store=with_store)
        frames = {table: coding.pop_frame(table).to_dict("records") for table in list(coding.rows)}
        return frames, coding.origins, coding.names, coding.event_case, coding.problems.problems

    plain = read(None)
    assert read(store) == plain and len(parsed) == 6  # parsed without the store, then parsed and stored
    parsed.clear()
    assert read(store) == plain and parsed == []  # from the cache
    events = project / "data/coding/events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    assert read(store) == plain and parsed == ["data/coding/events.yaml"]


@pytest.mark.parametrize("series", [
    pd.Series(["a", None, "c"], dtype=pd.ArrowDtype(pa.string())),
    pd.Series(["a", None], dtype=pd.ArrowDtype(pa.large_string())),
    pd.Series(["a", None], dtype="str"),
    pd.Series(["a", None], dtype=pd.StringDtype("pyarrow")),
    pd.Series([1, None, 3], dtype=pd.ArrowDtype(pa.int64())),
    pd.Series([1.5, None], dtype=pd.ArrowDtype(pa.float64())),
    pd.Series([True, None], dtype=pd.ArrowDtype(pa.bool_())),
    pd.Series(pd.arrays.ArrowExtensionArray(pa.array([dt.date(2020, 1, 31), None]))),
    pd.Series(pd.arrays.ArrowExtensionArray(pa.array([dt.datetime(2020, 1, 1), None], pa.timestamp("s")))),
    pd.Series(["x", None], dtype=object),
    pd.Series([], dtype=pd.ArrowDtype(pa.string())),
], ids=lambda s: str(s.dtype))
def test_a_row_rule_reads_each_value_as_iterating_the_column_gives_it(series: pd.Series) -> None:
    """The row rules take a column's values in one call (`values`), not one pyarrow scalar at a time: the same
    values, of the same types, the missing one the column's own (pd.NA, or NaN for the `str` dtype)."""
    from dataset.schema.tables import values

    made, iterated = values(series), list(series)
    assert len(made) == len(iterated)
    for a, b in zip(made, iterated, strict=True):
        assert a is b or (type(a) is type(b) and a == b), (a, b)
