"""Released versions are immutable: the record of every release (releases.json) and the checks that keep it.

A paper cites one version; its bytes must never change. `dataset release` records each version's archive
(name, sha256, the release date and the hash of every data file) in `releases.json`, committed with the
project, and refuses:

- to write a version already recorded with other bytes (an identical rebuild is fine: releases are
  byte-reproducible);
- a version older than the last one released;
- a new version whose change is larger than its bump allows (the bump `dataset diff` suggests against the last
  release: new rows a minor version, a removed column a major one...), or whose data changed while the version
  did not;
- a coded value changed since the last release with no entry of this version in the corrections ledger, and
  an entry of this version that matches no change (`dataset.pipeline.corrections`);
- a row whose id an earlier release removed: each release records the ids of the rows it removed (`removed`,
  for the tables whose rows a coder names: cases, actors, events, event sources, figures, articles), and a removed
  id is never given to another row, so a citation of `...-f03` always means one figure (`dataset.pipeline.corrections`
  checks it at every build).

The comparison needs the last release itself: its archive in `dist/` (as `dataset release` wrote it) or a copy
given with `--previous`; either is checked against the recorded sha256 before it is trusted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dataset.errors import InputError, Problem

RECORD = "releases.json"
BUMPS = ("none", "patch", "minor", "major")


def version_tuple(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def bump_between(old: str, new: str) -> str:
    """The bump from `old` to `new` under semantic versioning ("none" when equal)."""
    a, b = version_tuple(old), version_tuple(new)
    if b[0] != a[0]:
        return "major"
    if b[1] != a[1]:
        return "minor"
    return "patch" if b[2] != a[2] else "none"


def read_record(root: Path) -> list[dict[str, Any]]:
    """The releases recorded in `root`/releases.json, oldest first (none when the file does not exist)."""
    path = root / RECORD
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["releases"]
        for entry in entries:
            version_tuple(entry["version"])
            if not isinstance(entry["sha256"], str) or not isinstance(entry["archive"], str):
                raise TypeError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError.one(str(path), "is not a release record (expected {\"releases\": [{\"version\", "
                             "\"archive\", \"sha256\", ...}]})") from None
    return sorted(entries, key=lambda e: version_tuple(e["version"]))


def data_hashes(descriptor: Mapping[str, Any]) -> dict[str, str]:
    """Path -> declared sha256 of every data resource (tables and their copies; charts are not data)."""
    return {r["path"]: r["hash"] for r in descriptor.get("resources", [])
            if r.get("format") in ("parquet", "csv") and isinstance(r.get("hash"), str)}


def check_recorded(record: list[dict[str, Any]], version: str, sha256: str, where: str) -> bool:
    """Whether `version` is already recorded (then only with these very bytes); refuses an older version."""
    for entry in record:
        if entry["version"] == version:
            if entry["sha256"] != sha256:
                raise InputError.one(where, f"version {version} was released as {entry['archive']} with sha256 "
                                     f"{entry['sha256']}; this package makes {sha256}. A released version never "
                                     "changes: give the change a new version in pyproject.toml")
            return True
    if record and version_tuple(version) < version_tuple(record[-1]["version"]):
        raise InputError.one(where, f"version {version} is older than the last release, {record[-1]['version']}")
    return False


def previous_archive(root: Path, last: Mapping[str, Any], given: Path | None) -> Path:
    """The last release's archive (`given`, or dist/ as `dataset release` wrote it), checked against its record."""
    path = given or root / "dist" / last["archive"]
    if not path.is_file():
        raise InputError.one(str(path), f"the archive of the last release ({last['version']}) is needed to check "
                             "this release's version bump and corrections: pass it with --previous PATH")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != last["sha256"]:
        raise InputError.one(str(path), f"sha256 is {digest}, but release {last['version']} was recorded as "
                             f"{last['sha256']}: not the released archive")
    return path


def check_against_last(root: Path, descriptor: Mapping[str, Any], last: Mapping[str, Any], previous: Path,
                       ledger_path: Path) -> tuple[list[Problem], dict[str, list[dict[str, Any]]]]:
    """A new version against the last release: a bump at least as large as the change, and every corrected
    value recorded in the ledger under this version (and every entry of this version a real change). Also
    returns the ids of the named rows removed since the last release, for the record."""
    import pandas as pd

    from dataset.datapackage.diff import diff_paths
    from dataset.pipeline.corrections import NAMED, cell_changes, unmatched, unrecorded

    version, where = str(descriptor["version"]), str(root / "pyproject.toml")
    problems = []
    result = diff_paths(previous, root)
    needed, given = result["suggested_bump"], bump_between(last["version"], version)
    if BUMPS.index(given) < BUMPS.index(needed):
        problems.append(Problem(where, f"{last['version']} -> {version} is a {given} version, but the data changed "
                                f"by a {needed} one since {last['version']} (`dataset diff`): raise the version",
                                field="version"))
    ledger = pd.read_parquet(ledger_path) if ledger_path.is_file() else None
    if ledger is not None:
        changes = cell_changes(result["tables"])
        problems += [Problem(message, "") for message in unrecorded(changes, ledger, version)]
        problems += [Problem(message, "") for message in unmatched(changes, ledger, version)]
    removed = {name: result["tables"][name]["removed"] for name in NAMED
               if result["tables"].get(name, {}).get("removed")}
    return problems, removed


def record_release(root: Path, record: list[dict[str, Any]], descriptor: Mapping[str, Any], archive: str,
                   sha256: str, removed: Mapping[str, list[dict[str, Any]]] | None = None) -> None:
    """Add this release to releases.json (written with a fixed key order, one release per entry), with the
    ids of the rows it removed, which no later row may take."""
    entry = {"version": descriptor["version"], "released": str(descriptor.get("created", ""))[:10],
             "archive": archive, "sha256": sha256, "data": data_hashes(descriptor)}
    if removed:
        entry["removed"] = {name: list(keys) for name, keys in removed.items()}
    entries = [*record, entry]
    text = json.dumps({"releases": entries}, indent=2, ensure_ascii=False) + "\n"
    tmp = root / f".{RECORD}.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(root / RECORD)
