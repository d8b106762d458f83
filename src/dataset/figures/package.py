"""Read a published data package: its datapackage.json and the Parquet tables it lists. Nothing else.

Only the standard library, pyarrow and pandas are used, so a reader with the data package can rerun every
chart without the pipeline that built it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


class PackageError(Exception):
    """The descriptor or one of its Parquet resources is missing, unreadable or does not match its hash."""


@dataclass(frozen=True)
class Package:
    """A data package's metadata and the Parquet tables a chart may read (by resource name)."""

    descriptor: Path
    name: str
    version: str
    licence: str
    tables: dict[str, pd.DataFrame] = field(repr=False)
    # What a chart drawn from this package does not show (set by `scope.focus`), for its caption.
    note: str = ""

    def table(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"table {name!r} was not loaded: declare it in the chart's tables") from None

    def records(self, name: str) -> list[dict[str, Any]]:
        """The rows of a table as plain Python values (None for null, datetime.date for dates)."""
        return self.table(name).to_dict("records")

    def only(self, names: Iterable[str]) -> Package:
        """The same package restricted to `names`: a chart cannot read a table it did not declare."""
        names = tuple(names)
        missing = [n for n in names if n not in self.tables]
        if missing:
            raise KeyError(f"tables not loaded: {missing}")
        return replace(self, tables={n: self.tables[n] for n in names})


def parquet_resources(descriptor: Path) -> dict[str, Path]:
    """Resource name -> Parquet path (resolved relative to the descriptor) for every Parquet resource."""
    meta = _read_descriptor(descriptor)
    out: dict[str, Path] = {}
    for resource in meta.get("resources", []):
        path = resource.get("path")
        if not isinstance(path, str):
            continue
        if resource.get("format") == "parquet" or path.endswith(".parquet"):
            out[resource["name"]] = descriptor.parent / path
    return out


def load_package(descriptor: Path, tables: Iterable[str] | None = None, *, verify: bool = True) -> Package:
    """Load the package at `descriptor` (a datapackage.json) with the named Parquet tables (default: all).

    Each resource's file is checked against the sha256 the descriptor gives for it (where it gives one), so
    a chart is always drawn from exactly the data the descriptor describes.
    """
    descriptor = Path(descriptor)
    meta = _read_descriptor(descriptor)
    hashes = {r.get("name"): r.get("hash") for r in meta.get("resources", [])}
    paths = parquet_resources(descriptor)
    wanted = sorted(paths) if tables is None else list(dict.fromkeys(tables))
    loaded: dict[str, pd.DataFrame] = {}
    for name in wanted:
        if name not in paths:
            raise PackageError(f"{descriptor}: no Parquet resource named {name!r}")
        path = paths[name]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PackageError(f"{descriptor}: resource {name!r}: cannot read {path}: {exc.strerror}") from exc
        expected = hashes.get(name)
        if verify and isinstance(expected, str) and expected.startswith("sha256:"):
            actual = hashlib.sha256(data).hexdigest()
            if actual != expected.removeprefix("sha256:"):
                raise PackageError(f"{descriptor}: resource {name!r}: {path} has sha256 {actual}, the descriptor "
                                   f"says {expected.removeprefix('sha256:')}")
        loaded[name] = pq.read_table(pa.BufferReader(data)).to_pandas(types_mapper=pd.ArrowDtype)
    licences = meta.get("licenses") or [{}]
    return Package(
        descriptor=descriptor,
        name=str(meta.get("name") or descriptor.parent.name),
        version=str(meta.get("version") or ""),
        licence=str(licences[0].get("name") or licences[0].get("title") or ""),
        tables=loaded,
    )


def _read_descriptor(descriptor: Path) -> dict[str, Any]:
    try:
        meta = json.loads(Path(descriptor).read_text(encoding="utf-8"))
    except OSError as exc:
        raise PackageError(f"{descriptor}: cannot read the descriptor: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise PackageError(f"{descriptor}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(meta, dict):
        raise PackageError(f"{descriptor}: the descriptor is not a JSON object")
    return meta
