"""Read a published data package: its datapackage.json and the Parquet tables it lists. Nothing else.

The descriptor is read by the one reader of descriptors (`dataset.datapackage.descriptor`, shared with
`dataset verify`, `diff`, `release` and `dataset.load`): its shape checked, every path it names inside the
package, nothing fetched. Only the standard library, pyarrow and pandas are used, so a reader with the data
package can rerun every chart without the pipeline that built it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dataset.datapackage.descriptor import Descriptor, DescriptorError, read_descriptor


def json_value(value: Any) -> Any:
    """A published cell as a JSON value, the same wherever the package's values are written out or compared
    (`dataset diff`, the corrections ledger, the charts' marks, the annotations): dates as ISO text, NaN and
    pandas' NA as null, NumPy scalars as Python ones, bytes as hex, mappings, lists and tuples value by
    value."""
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):  # a tuple stays one (a key of list cells), written as a JSON array
        return type(value)(json_value(v) for v in value)
    if value is None or isinstance(value, str | bool):
        return value
    if hasattr(value, "item") and not isinstance(value, dt.date):  # NumPy scalars
        value = value.item()
    if isinstance(value, dt.date):  # datetime included
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, int | float):
        return value
    return str(value)


def code_labels(descriptor: Any, table: str, column: str) -> dict[str, str] | None:
    """A coded column's code -> label as a package publishes them (`descriptor`, datapackage.json as data: the
    Table Schema `categories` of the column in the table's resource), in their order; None for a column
    without codes. Charts and exports label codes from the package they read, never from a registry."""
    for resource in descriptor.get("resources", []) if isinstance(descriptor, dict) else []:
        schema = resource.get("schema") if isinstance(resource, dict) else None
        if resource.get("name") != table or not isinstance(schema, dict):
            continue
        for f in schema.get("fields", []):
            if isinstance(f, dict) and f.get("name") == column and isinstance(f.get("categories"), list):
                return {str(c["value"]): str(c.get("label", c["value"])) for c in f["categories"]
                        if isinstance(c, dict) and "value" in c}
    return None


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


def parquet_resources(descriptor: Path | Descriptor) -> dict[str, Path]:
    """Resource name -> Parquet path (resolved relative to the descriptor) for every Parquet resource."""
    checked = descriptor if isinstance(descriptor, Descriptor) else _read_descriptor(descriptor)
    return {r["name"]: checked.files[r["name"]] for r in checked.resources
            if r.get("format") == "parquet" or r["path"].endswith(".parquet")}


def load_package(descriptor: Path, tables: Iterable[str] | None = None, *, verify: bool = True) -> Package:
    """Load the package at `descriptor` (a datapackage.json) with the named Parquet tables (default: all).

    Each resource's file is checked against the sha256 the descriptor gives for it (where it gives one), so
    a chart is always drawn from exactly the data the descriptor describes.
    """
    descriptor = Path(descriptor)
    checked = _read_descriptor(descriptor)
    meta = checked.data
    hashes = {r["name"]: r.get("hash") for r in checked.resources}
    paths = parquet_resources(checked)
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
        try:
            loaded[name] = pq.read_table(pa.BufferReader(data)).to_pandas(types_mapper=pd.ArrowDtype)
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise PackageError(f"{descriptor}: resource {name!r}: {path} cannot be read as Parquet: {exc}") from None
    licences = meta.get("licenses") or [{}]
    return Package(
        descriptor=descriptor,
        name=str(meta.get("name") or descriptor.parent.name),
        version=str(meta.get("version") or ""),
        licence=str(licences[0].get("name") or licences[0].get("title") or ""),
        tables=loaded,
    )


def _read_descriptor(descriptor: Path) -> Descriptor:
    """The checked descriptor; its problems, one per line, as a PackageError."""
    try:
        return read_descriptor(descriptor)
    except DescriptorError as exc:
        raise PackageError(str(exc)) from None
