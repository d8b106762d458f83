"""`dataset diff OLD NEW`: what changed between two versions of the data package.

OLD and NEW are package directories or release zips (extracted with dataset.datapackage.verify's safe extraction). Each
descriptor is read by the one reader of descriptors (dataset.datapackage.read: its shape checked, every path it
names inside its package, remote references refused); only the files it so names are read.
For every table (Parquet resource, matched by name): rows added, removed and changed, matched by the
primary key of the table's schema (where it changed, by the old version's key if its columns are in both
versions), with the columns that changed; and schema changes (columns added or
removed, types changed, constraints changed, keys changed). The result is a plain dict with a fixed key
order (`--json` prints it as is); `render_text` is for people and `changelog_section` writes the "Data"
section of a Keep-a-Changelog entry. The result also suggests the version bump the versioning policy asks
for (major, minor, patch; see CHANGELOG.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dataset.datapackage.parquet import json_value
from dataset.datapackage.read import Descriptor, read
from dataset.errors import InputError

BUMPS = ("none", "patch", "minor", "major")
TEXT_LIMIT = 50  # keys listed per kind of change in the human-readable output


def _parquet(descriptor: Descriptor) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in descriptor.resources if r.get("format") == "parquet"}


def _key(schema: dict[str, Any]) -> list[str]:
    """A Table Schema's primary key as a list of names (it may be given as one name)."""
    key = schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def _same(a: Any, b: Any) -> bool:
    return json_value(a) == json_value(b)


def _sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, type(v).__name__, "" if v is None else repr(v) if isinstance(v, tuple) else v)
                 for v in key)


def _hashable(value: Any) -> Any:
    """A key value as a dict key: a list (or struct) column's value as a tuple."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    return value


# ---- schema --------------------------------------------------------------------------------------------------


def schema_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Changes between two Frictionless Table Schemas, in the new schema's column order."""
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    changes: list[dict[str, Any]] = []
    for name, field in new_fields.items():
        if name not in old_fields:
            changes.append({"change": "column_added", "column": name, "type": field.get("type")})
            continue
        before = old_fields[name]
        if before.get("type") != field.get("type"):
            changes.append({"change": "type_changed", "column": name, "old": before.get("type"),
                            "new": field.get("type")})
        old_c, new_c = before.get("constraints", {}), field.get("constraints", {})
        for key in sorted(set(old_c) | set(new_c)):
            if old_c.get(key) != new_c.get(key):
                change: dict[str, Any] = {"change": "constraint_changed", "column": name, "constraint": key,
                                          "old": old_c.get(key), "new": new_c.get(key)}
                if key == "enum" and isinstance(old_c.get(key), list) and isinstance(new_c.get(key), list):
                    change["codes_added"] = [c for c in new_c[key] if c not in old_c[key]]
                    change["codes_removed"] = [c for c in old_c[key] if c not in new_c[key]]
                changes.append(change)
        changes += _code_changes(name, before, field)
        if before.get("description") != field.get("description"):
            changes.append({"change": "description_changed", "column": name})
    for name, field in old_fields.items():
        if name not in new_fields:
            changes.append({"change": "column_removed", "column": name, "type": field.get("type")})
    for key in ("primaryKey", "foreignKeys"):
        if old.get(key) != new.get(key):
            changes.append({"change": "primary_key_changed" if key == "primaryKey" else "foreign_keys_changed",
                            "old": old.get(key), "new": new.get(key)})
    return changes


def _code_changes(column: str, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Codes kept from one version to the next whose definition (`categoryDefinitions`, from
    data/coding/vocabularies.yaml) or label (Table Schema `categories`) changed. A redefined code changes the
    meaning of every published row that carries it (major); a new label only how it is shown (patch). Codes
    added or removed are the `enum` constraint's (minor, major)."""

    def labels(f: dict[str, Any]) -> dict[str, Any]:
        items = f.get("categories") if isinstance(f.get("categories"), list) else []
        return {c["value"]: c.get("label") for c in items if isinstance(c, dict) and "value" in c}

    def definitions(f: dict[str, Any]) -> dict[str, Any]:
        value = f.get("categoryDefinitions")
        return value if isinstance(value, dict) else {}

    changes = []
    old_definitions, new_definitions = definitions(old), definitions(new)
    redefined = [c for c in new_definitions if c in old_definitions and old_definitions[c] != new_definitions[c]]
    if redefined:
        changes.append({"change": "codes_redefined", "column": column, "codes": redefined})
    old_labels, new_labels = labels(old), labels(new)
    relabelled = [c for c in new_labels if c in old_labels and old_labels[c] != new_labels[c]]
    if relabelled:
        changes.append({"change": "code_labels_changed", "column": column, "codes": relabelled})
    return changes


def _schema_bump(change: dict[str, Any]) -> str:
    kind = change["change"]
    if kind == "column_added":
        return "minor"
    if kind in ("description_changed", "code_labels_changed"):
        return "patch"
    if kind == "constraint_changed" and change.get("codes_added") and not change.get("codes_removed"):
        return "minor"
    return "major"


# ---- rows ----------------------------------------------------------------------------------------------------


def _read(path: Path, where: str | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    where = where or str(path)
    if not path.is_file():
        raise InputError.one(where, "cannot be read as Parquet: missing")
    try:
        table = pq.read_table(path)
    except (OSError, ValueError, pa.ArrowException) as exc:  # not Parquet; named as the user knows it
        raise InputError.one(where, f"cannot be read as Parquet: {str(exc).replace(str(path), where)}") from None
    return table.column_names, table.to_pylist()


def row_changes(old_path: Path, new_path: Path, key: list[str], where: tuple[str, str] | None = None,
                former_key: list[str] | None = None) -> dict[str, Any]:
    """Rows added, removed and changed from the old table to the new, matched on `key` (the new version's
    primary key), or on `former_key` (the old version's) where `key` is not in both and it is: each changed row
    then also has `new_key`, its new version's key."""
    old_cols, old_rows = _read(old_path, where and where[0])
    new_cols, new_rows = _read(new_path, where and where[1])
    out: dict[str, Any] = {"rows_old": len(old_rows), "rows_new": len(new_rows),
                           "added": [], "removed": [], "changed": []}
    new_key = None
    if key and former_key and key != former_key and not set(key) <= set(old_cols) \
            and set(key) <= set(new_cols) and set(former_key) <= set(old_cols) & set(new_cols):
        new_key, key = key, former_key
        out["note"] = f"rows compared on the old primary key {key} (the primary key changed)"
    if not key or not set(key) <= set(old_cols) & set(new_cols):
        out["note"] = f"rows not compared: primary key {key} is not in both versions"
        return out
    old_by = {tuple(_hashable(r[k]) for k in key): r for r in old_rows}
    new_by = {tuple(_hashable(r[k]) for k in key): r for r in new_rows}
    if len(old_by) < len(old_rows) or len(new_by) < len(new_rows):  # (replaces a note on the key changed)
        out["note"] = f"primary key {key} is not unique: duplicated rows were compared once"
    common = [c for c in new_cols if c in old_cols]

    def as_key(k: tuple[Any, ...]) -> dict[str, Any]:
        return {name: json_value(v) for name, v in zip(key, k, strict=True)}

    out["added"] = [as_key(k) for k in sorted(new_by.keys() - old_by.keys(), key=_sort_key)]
    out["removed"] = [as_key(k) for k in sorted(old_by.keys() - new_by.keys(), key=_sort_key)]
    for k in sorted(old_by.keys() & new_by.keys(), key=_sort_key):
        before, after = old_by[k], new_by[k]
        columns = {c: {"old": json_value(before[c]), "new": json_value(after[c])}
                   for c in common if not _same(before[c], after[c])}
        if columns:
            change: dict[str, Any] = {"key": as_key(k), "columns": columns}
            if new_key is not None:
                change["new_key"] = {name: json_value(after[name]) for name in new_key}
            out["changed"].append(change)
    return out


# ---- the whole package ---------------------------------------------------------------------------------------


def _file(descriptor: Descriptor, resource: dict[str, Any]) -> tuple[Path, str]:
    """A resource's file (resolved by the reader of descriptors) and how messages name it."""
    return descriptor.files[resource["name"]], descriptor.where(resource["path"])


def diff_packages(old_root: Path, new_root: Path, labels: tuple[str, str] | None = None) -> dict[str, Any]:
    """The changes from the package at `old_root` to the one at `new_root` (directories), named `labels` in
    messages (default: the directories). Both descriptors are read before any table."""
    old_label, new_label = labels or (str(old_root), str(new_root))
    problems: list[Any] = []
    descriptors = []
    for root, label in ((old_root, old_label), (new_root, new_label)):
        try:
            descriptors.append(read(root / "datapackage.json", label))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    old_desc, new_desc = descriptors
    old, new = old_desc.data, new_desc.data
    old_tables, new_tables = _parquet(old_desc), _parquet(new_desc)
    names = [*new_tables, *(n for n in old_tables if n not in new_tables)]
    tables: dict[str, Any] = {}
    bump = "none"
    for name in names:
        entry: dict[str, Any]
        if name not in old_tables:
            rows = len(_read(*_file(new_desc, new_tables[name]))[1])
            entry = {"status": "added", "rows_old": 0, "rows_new": rows, "added": [], "removed": [],
                     "changed": [], "schema": []}
            table_bump = "minor"
        elif name not in new_tables:
            rows = len(_read(*_file(old_desc, old_tables[name]))[1])
            entry = {"status": "removed", "rows_old": rows, "rows_new": 0, "added": [], "removed": [],
                     "changed": [], "schema": []}
            table_bump = "major"
        else:
            old_schema, new_schema = old_tables[name].get("schema", {}), new_tables[name].get("schema", {})
            (old_file, old_where), (new_file, new_where) = (_file(old_desc, old_tables[name]),
                                                            _file(new_desc, new_tables[name]))
            rows = row_changes(old_file, new_file, _key(new_schema), (old_where, new_where), _key(old_schema))
            schema = schema_changes(old_schema, new_schema)
            changed = bool(rows["added"] or rows["removed"] or rows["changed"] or schema
                           or rows["rows_old"] != rows["rows_new"])
            entry = {"status": "changed" if changed else "unchanged", **rows, "schema": schema}
            kinds = [_schema_bump(c) for c in schema]
            if rows["added"]:  # new rows are a minor change; new corrections (the ledger's rows) are a patch's
                kinds.append("patch" if name == "corrections" else "minor")
            if rows["removed"] or rows["changed"]:
                kinds.append("patch")
            table_bump = max(kinds, key=BUMPS.index, default="none")
        tables[name] = entry
        bump = max(bump, table_bump, key=BUMPS.index)
    return {
        "old": {"name": old.get("name"), "version": old.get("version")},
        "new": {"name": new.get("name"), "version": new.get("version")},
        "suggested_bump": bump,
        "tables": tables,
    }


def diff_paths(old: Path, new: Path) -> dict[str, Any]:
    """diff_packages for two directories or release zips."""
    from dataset.datapackage.verify import label_of, unpacked

    with unpacked(old) as old_root, unpacked(new) as new_root:
        return diff_packages(old_root, new_root, (label_of(old, old_root), label_of(new, new_root)))


def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


# ---- rendering -----------------------------------------------------------------------------------------------


def _key_text(key: dict[str, Any]) -> str:
    return ", ".join(str(v) for v in key.values())


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _schema_text(change: dict[str, Any]) -> str:
    kind, column = change["change"], change.get("column")
    if kind == "column_added":
        return f"column `{column}` added ({change['type']})"
    if kind == "column_removed":
        return f"column `{column}` removed"
    if kind == "type_changed":
        return f"column `{column}`: type {change['old']} -> {change['new']}"
    if kind == "constraint_changed":
        if "codes_added" in change:
            parts = [f"codes added: {', '.join(change['codes_added'])}" if change["codes_added"] else "",
                     f"codes removed: {', '.join(change['codes_removed'])}" if change["codes_removed"] else ""]
            return f"column `{column}`: " + "; ".join(p for p in parts if p)
        before, after = _short(change["old"]), _short(change["new"])
        return f"column `{column}`: constraint {change['constraint']} {before} -> {after}"
    if kind == "description_changed":
        return f"column `{column}`: description changed"
    if kind == "codes_redefined":
        return f"column `{column}`: codes redefined: {', '.join(change['codes'])}"
    if kind == "code_labels_changed":
        return f"column `{column}`: labels changed: {', '.join(change['codes'])}"
    label = "primary key" if kind == "primary_key_changed" else "foreign keys"
    return f"{label} {_short(change['old'])} -> {_short(change['new'])}"


def _counts(entry: dict[str, Any]) -> str:
    return (f"{len(entry['added'])} added, {len(entry['removed'])} removed, {len(entry['changed'])} changed")


def render_text(result: dict[str, Any]) -> str:
    old, new = result["old"], result["new"]
    lines = [f"{old['name']} {old['version']} -> {new['name']} {new['version']} "
             f"(suggested version bump: {result['suggested_bump']})"]
    for name, entry in result["tables"].items():
        status = entry["status"]
        if status == "unchanged":
            lines.append(f"{name}: unchanged ({_plural(entry['rows_new'], 'row')})")
            continue
        if status in ("added", "removed"):
            rows = entry["rows_new"] if status == "added" else entry["rows_old"]
            lines.append(f"{name}: table {status} ({_plural(rows, 'row')})")
            continue
        lines.append(f"{name}: {entry['rows_old']} -> {entry['rows_new']} rows: {_counts(entry)}")
        lines += [f"  schema: {_schema_text(c)}" for c in entry["schema"]]
        for sign, kind in (("+", "added"), ("-", "removed")):
            lines += [f"  {sign} {_key_text(k)}" for k in entry[kind][:TEXT_LIMIT]]
            if len(entry[kind]) > TEXT_LIMIT:
                lines.append(f"  ... and {len(entry[kind]) - TEXT_LIMIT} more {kind}")
        for change in entry["changed"][:TEXT_LIMIT]:
            cols = "; ".join(f"{c}: {_short(v['old'])} -> {_short(v['new'])}" for c, v in change["columns"].items())
            lines.append(f"  ~ {_key_text(change['key'])}: {cols}")
        if len(entry["changed"]) > TEXT_LIMIT:
            lines.append(f"  ... and {len(entry['changed']) - TEXT_LIMIT} more changed")
        if entry.get("note"):
            lines.append(f"  note: {entry['note']}")
    return "\n".join(lines) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def changelog_section(result: dict[str, Any]) -> str:
    """The "### Data" section of a Keep-a-Changelog entry, one bullet per changed table."""
    bullets = []
    for name, entry in result["tables"].items():
        status = entry["status"]
        if status == "added":
            bullets.append(f"- `{name}`: new table ({_plural(entry['rows_new'], 'row')}).")
        elif status == "removed":
            bullets.append(f"- `{name}`: table removed.")
        elif status == "changed":
            parts = []
            if entry["added"]:
                parts.append(f"{_plural(len(entry['added']), 'row')} added")
            if entry["removed"]:
                parts.append(f"{_plural(len(entry['removed']), 'row')} removed")
            if entry["changed"]:
                columns = sorted({c for ch in entry["changed"] for c in ch["columns"]})
                parts.append(f"{_plural(len(entry['changed']), 'row')} changed "
                             f"({', '.join(f'`{c}`' for c in columns)})")
            parts += [_schema_text(c) for c in entry["schema"]]
            bullets.append(f"- `{name}`: {'; '.join(parts)} "
                           f"({entry['rows_old']} -> {entry['rows_new']} rows).")
    if not bullets:
        bullets = ["- No changes to the data."]
    return "### Data\n\n" + "\n".join(bullets) + "\n"
