"""The corrections ledger: data/coding/corrections.yaml -> the `corrections` table, and its checks.

A research dataset earns trust by how it corrects itself. A coded value that changes after it was released is
recorded once, by the coder who changed it: the version that carries the correction, the row (by its primary
key, which a correction keeps; an entry of a released version by the key the table had in that version, as it
was published: the ledger is history), the column, the old and the new value, the reason and the article passage that
is the evidence. Three checks keep the ledger and the data together:

- every build: each entry names a real table, column and row, and its new value is the value now built (an
  entry that matches nothing is an error at its file and line);
- every build: a value that changed since the package it replaces, with no entry, is a warning;
- `dataset release`: the same comparison against the last release is an error, as is an entry of the new
  version that matches no change (`unrecorded`, `unmatched`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from dataset.datapackage.parquet import json_value
from dataset.errors import Collector, Problem
from dataset.pipeline.coding import Coding, anchored
from dataset.pipeline.rows import Origin, check_keys, convert
from dataset.project import Project
from dataset.schema import TABLES
from dataset.schema.fields import FIELDS
from dataset.schema.registry import version_number
from dataset.schema.tables import entry_keys
from dataset.yamlio import LineDict, load_mapping, shown

LEDGER = "corrections.yaml"
ENTRY_KEYS, ENTRY_OPTIONAL = entry_keys("correction")  # the schema registry's (schema/tables.py ENTRIES)
# Tables whose values a coder writes (or a sidecar records): a change there is a correction. Mentions are found
# from the actor registry, so a changed name is corrected in actors; the ledger does not correct itself.
CORRECTABLE = tuple(name for name in TABLES if name not in ("mentions", "corrections"))
# Tables whose rows a coder names with an id of their own (a figure's `f03`, an event source's `s03`, an event's
# slug): such an id is cited, so once a release removed its row it is never given to another (mentions are
# named by their offset).
NAMED = tuple(name for name in CORRECTABLE if len(TABLES[name].primary_key) == 1)


def as_json(value: Any) -> str:
    """A value as the ledger publishes it: JSON, so that null, a number and a string stay apart."""
    return json.dumps(json_value(value), ensure_ascii=False)


def _same(a: Any, b: Any) -> bool:
    a, b = json_value(a), json_value(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def read_ledger(project: Project, texts: Mapping[str, str], coding: Coding, problems: Collector) -> None:
    """The ledger's entries as rows of `corrections` (the evidence quote anchored in its article's text)."""
    path = project.coding / LEDGER
    if not path.is_file():
        return
    where = project.rel(path)
    data = load_mapping(path, where)
    entries = data.get("corrections") or []
    if not isinstance(entries, list):
        problems.add(where, "expected a list of corrections", field="corrections", line=data.line_of("corrections"))
        return
    for entry in entries:
        if not check_keys(entry, where, data.line_of("corrections"), ENTRY_KEYS, ENTRY_OPTIONAL, problems,
                          "correction"):
            continue
        row = _entry_row(entry, texts, where, problems)
        if row is not None:
            coding.add("corrections", row, Origin.of(path, where, entry))


def _entry_row(entry: LineDict, texts: Mapping[str, str], where: str, problems: Collector
               ) -> dict[str, object] | None:
    table = TABLES.get(entry["table"]) if isinstance(entry["table"], str) else None
    if table is None or table.name not in CORRECTABLE:
        problems.add(where, f"{shown(entry['table'])} is not a table a correction can change (expected one of "
                     f"{', '.join(CORRECTABLE)})", field="table", line=entry.line_of("table"))
        return None
    if entry["column"] not in table.fields or entry["column"] in table.primary_key:
        problems.add(where, f"{shown(entry['column'])} is not a column of {table.name} outside its key (a "
                     "correction keeps the row's key)", field="column", line=entry.line_of("column"))
        return None
    row = entry["row"]
    key = _key_in(table.name, entry["version"])
    if not isinstance(row, dict) or set(row) != set(key):
        problems.add(where, f"expected the row's primary key, {{{', '.join(f'{k}: ...' for k in key)}}}"
                     + (f" (the key of {table.name} in {entry['version']})" if key != table.primary_key else ""),
                     field="row", line=entry.line_of("row"))
        return None
    article_id = entry["article_id"]
    text = texts.get(article_id) if isinstance(article_id, str) else None
    if text is None:
        problems.add(where, f"no article {shown(article_id)} (expected the article_id of the evidence)",
                     field="article_id", line=entry.line_of("article_id"))
        return None
    span = anchored(entry, text, where, problems, key="evidence")
    if span is None:
        return None
    return {
        "version": convert("version", entry["version"], where, entry.line_of("version"), problems),
        "table_name": table.name,
        "row_key": json.dumps({k: row[k] for k in key}, ensure_ascii=False),
        "column_name": entry["column"],
        "old_value": as_json(entry["old"]),
        "new_value": as_json(entry["new"]),
        "reason": convert("reason", entry["reason"], where, entry.line_of("reason"), problems),
        "article_id": article_id,
        "quote": entry["evidence"],
        "start": span[0],
        "end": span[1],
    }


def _key_in(table: str, version: object) -> tuple[str, ...]:
    """The key by which an entry of `version` names a row of `table`: the key the table had in that version
    (a version that is not of the form 1.2.3 is the version field's to report: the current key)."""
    valid = isinstance(version, str) and re.fullmatch(FIELDS["version"].pattern or "", version)
    return TABLES[table].key_in(version) if valid else TABLES[table].primary_key


def _key(table: str, row: Mapping[str, Any], key: tuple[str, ...]) -> tuple[str, ...]:
    return (table, *(as_json(row[k]) for k in key))


def check_ledger(ledger: pd.DataFrame, origins: list[Origin], tables: Mapping[str, pd.DataFrame],
                 version: str) -> list[Problem]:
    """Each entry points at a row that exists and states the value now built, in a version not after this one."""
    problems = []
    records = {name: tables[name].to_dict("records") for name in set(ledger["table_name"])}
    built: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], dict[str, Any]]] = {}  # by table and key
    for position, entry in enumerate(ledger.to_dict("records")):
        origin = origins[position]
        if version_number(entry["version"]) > version_number(version):
            problems.append(Problem(origin.path, f"version {entry['version']} is later than this package's "
                                    f"{version}", field="version", line=origin.line_of("version")))
        name, named = entry["table_name"], json.loads(entry["row_key"])
        key = tuple(named)  # the table's key in the entry's version (read_ledger checked it)
        if (name, key) not in built:
            built[name, key] = {_key(name, r, key): r for r in records[name]}
        row = built[name, key].get(_key(name, named, key))
        if row is None:
            problems.append(Problem(origin.path, f"no row {entry['row_key']} in {name}", field="row",
                                    line=origin.line_of("row")))
        elif not _same(value := row[entry["column_name"]], json.loads(entry["new_value"])):
            problems.append(Problem(origin.path, f"{name}.{entry['column_name']} is {as_json(value)} in this build, "
                                    f"not {entry['new_value']} (the ledger states the value published)", field="new",
                                    line=origin.line_of("new")))
    return problems


def changed_values(old_processed: Path, new_processed: Path) -> list[dict[str, Any]]:
    """Every value of a correctable table that differs between two packages' Parquet tables (a table whose
    file is unchanged is not read)."""
    from dataset.datapackage.diff import row_changes

    per_table = {}
    for name in CORRECTABLE:
        old, new = old_processed / f"{name}.parquet", new_processed / f"{name}.parquet"
        if old.is_file() and new.is_file() and old.read_bytes() != new.read_bytes():
            former = TABLES[name].former_keys
            per_table[name] = row_changes(old, new, list(TABLES[name].primary_key),
                                          former_key=list(former[-1][1]) if former else None)
    return cell_changes(per_table)


def cell_changes(tables: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The changed cells of correctable tables in `dataset diff`'s per-table changes, in rows that both
    versions have (matched by primary key): table, row key (the new version's, which names the row in the
    ledger, where the rows were matched on a former key), column, old and new value."""
    return [{"table": name, "row": change.get("new_key", change["key"]), "column": column, **values}
            for name in CORRECTABLE for change in tables.get(name, {}).get("changed", [])
            for column, values in change["columns"].items()]


def unrecorded(changes: list[dict[str, Any]], ledger: pd.DataFrame, version: str | None = None) -> list[str]:
    """The changed values no ledger entry (of `version`, or of any version) records with their new value."""
    entries = ledger if version is None else ledger[ledger["version"] == version]
    recorded = {(e["table_name"], e["row_key"], e["column_name"]): json.loads(e["new_value"])
                for e in entries.to_dict("records")}
    out = []
    for c in changes:
        row_key = json.dumps(c["row"], ensure_ascii=False)
        place = f"{c['table']}[{row_key}].{c['column']}"
        key = (c["table"], row_key, c["column"])
        if key not in recorded or not _same(recorded[key], c["new"]):
            out.append(f"{place}: changed from {as_json(c['old'])} to {as_json(c['new'])} with no entry in "
                       f"data/coding/{LEDGER}")
    return out


def unmatched(changes: list[dict[str, Any]], ledger: pd.DataFrame, version: str) -> list[str]:
    """The ledger's entries of `version` that match no change since the last release (same old and new value)."""
    seen = {(c["table"], json.dumps(c["row"], ensure_ascii=False), c["column"]): c for c in changes}
    out = []
    for e in ledger[ledger["version"] == version].to_dict("records"):
        change = seen.get((e["table_name"], e["row_key"], e["column_name"]))
        if change is None or not (_same(change["old"], json.loads(e["old_value"]))
                                  and _same(change["new"], json.loads(e["new_value"]))):
            out.append(f"data/coding/{LEDGER}: {e['table_name']}[{e['row_key']}].{e['column_name']}: the entry of "
                       f"{version} matches no change since the last release (old {e['old_value']}, new "
                       f"{e['new_value']})")
    return out


def reused_ids(record: list[Mapping[str, Any]], tables: Mapping[str, pd.DataFrame], where: str) -> list[Problem]:
    """Rows that carry an id an earlier release removed (`removed` in releases.json, at `where`): a citation
    of that id must keep meaning the row it meant, so a new row needs a new id."""
    problems = []
    for entry in record:
        for name, keys in (entry.get("removed") or {}).items():
            if name not in tables:
                continue
            (column,) = TABLES[name].primary_key
            present = set(tables[name][column])
            for key in keys:
                if key.get(column) in present:
                    problems.append(Problem(where, f"{name} row {column} = {key[column]!r} has the id of a row that "
                                            f"release {entry['version']} removed; a removed id is never reused: "
                                            "give the row a new id", field=column))
    return problems
