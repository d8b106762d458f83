"""A rebuild costs what changed (issue 23): the shortcuts that make an incremental build cheaper must not change
a byte of what is published, nor let anything through that a full build would refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataset.exports import EXPORTS_DIR, read_tables
from dataset.exports import sqlite as sqlite_export


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
