"""Hand-written entries (YAML mappings) -> typed table rows, remembering where each row was written.

Shared by every stage that reads coding: a value of the wrong kind is reported at its file and line, and
the `Origin` of each row lets a problem that pandera finds later in the table point back to that line too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow

from dataset.errors import Collector
from dataset.schema import TABLES
from dataset.schema.emit import arrow_type
from dataset.schema.fields import EARLIEST_DATE, input_field
from dataset.yamlio import LineDict, key_lines, shown


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a table row was written by hand: the file (`path` as reported, `file` where it is read) and the
    line its entry starts on. One per coded row, hundreds of thousands in a large corpus, so the line of each
    key is not kept (a line map for every row grows with the corpus, benchmarks/README.md): it is read again
    from the file when a problem is reported."""

    path: str
    line: int
    file: Path

    @classmethod
    def of(cls, file: Path, path: str, mapping: LineDict) -> Origin:
        return cls(path, mapping.line, file)

    def __reduce__(self) -> tuple[type[Origin], tuple[str, int, Path]]:
        """Pickled as its fields, unpickled by the constructor (quicker than a frozen dataclass's default
        state, restored field by field: the build cache unpickles one origin per coded row)."""
        return Origin, (self.path, self.line, self.file)

    def line_of(self, column: str | None) -> int:
        """The line of `column`'s key in this entry; the entry's line when it has no such key."""
        return key_lines(self.file, self.line).get(column or "", self.line)

    def writes(self, column: str | None) -> bool:
        """Whether this entry has a key `column` (written, perhaps as null)."""
        return (column or "") in key_lines(self.file, self.line)


def check_keys(entry: object, where: str, line: int, required: Iterable[str], optional: Iterable[str],
               problems: Collector, what: str) -> bool:
    """An entry is a mapping with every required key and no unknown key (a typo is an error, not ignored)."""
    if not isinstance(entry, LineDict):
        problems.add(where, f"each {what} must be a mapping of key: value lines", line=line)
        return False
    required, optional = tuple(required), tuple(optional)
    ok = True
    for key in required:
        if key not in entry:
            problems.add(where, f"missing in this {what}", field=key, line=entry.line)
            ok = False
    for key in entry:
        if key not in required and key not in optional:
            problems.add(where, f"unknown key in a {what} (expected one of {', '.join(required + optional)})",
                         field=str(key), line=entry.line_of(key))
            ok = False
    return typed(entry, where, problems) and ok


def typed(entry: LineDict, where: str, problems: Collector) -> bool:
    """Check every value of `entry` whose key the schema registry types against that type, at its line, and
    store it as that type (a list where a text belongs, a number too large for a float, are problems here,
    before any other code sees them). True when every value fits."""
    ok = True
    for key, value in entry.items():
        if value is None or input_field(key) is None:
            continue
        before = len(problems.problems)
        entry[key] = convert(key, value, where, entry.line_of(key), problems)
        ok = ok and len(problems.problems) == before
    return ok


_INT64 = range(-(2**63), 2**63)


def convert(name: str, value: object, where: str, line: int, problems: Collector) -> object:
    """A YAML scalar as a value of key `name`, typed by the registry (`input_field`), or None with a problem
    recorded. A value already converted is returned as it is."""
    if value is None:
        return None
    field = input_field(name)
    assert field is not None, f"{name} is not in the schema registry"  # noqa: S101 - a bug, not bad input
    kind = field.type
    if kind == "string" and (isinstance(value, str | float) or _whole_number(value)):
        return str(value)  # `published: 2016` is a year written without quotes
    if kind == "integer" and _whole_number(value):
        return value
    if kind == "number" and _finite_number(value):
        return float(value)  # YAML's .nan and .inf are numbers to PyYAML, never a stated figure
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "date":
        return _date(name, value, where, line, problems)
    expected = {"string": "text", "integer": "a whole number", "number": "a finite number",
                "boolean": "true or false"}[kind]
    problems.add(where, f"{shown(value)} is not {expected}", field=name, line=line)
    return None


def _date(name: str, value: object, where: str, line: int, problems: Collector) -> dt.date | None:
    """A calendar date YYYY-MM-DD no earlier than EARLIEST_DATE (an explicit !!timestamp tag gives a date
    already; a datetime is not one)."""
    day = value if type(value) is dt.date else None
    if isinstance(value, str) and len(value) == 10:
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value)
    if day is None:
        problems.add(where, f"{shown(value)} is not a calendar date YYYY-MM-DD", field=name, line=line)
    elif day < EARLIEST_DATE:
        problems.add(where, f"{day} is before {EARLIEST_DATE} (the earliest date this dataset accepts)", field=name,
                     line=line)
        day = None
    return day


def _whole_number(value: object) -> bool:
    """A YAML int that fits a 64-bit integer (and so also prints: str() refuses an int of 4,300 digits)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in _INT64


def _finite_number(value: object) -> bool:
    """A YAML int or float that is a finite float: not .nan or .inf, nor an integer beyond a float's range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) if isinstance(value, float) else abs(value) <= sys.float_info.max


def to_arrow(rows: list[dict[str, object]], table: str) -> pyarrow.Table:
    """Rows -> an Arrow table with the table's columns in order and their published types: the compact form
    in which a chunk of articles' rows is kept and sent back from a worker (a few times smaller than dicts).

    Each column goes straight from Python values to Arrow: `pd.array` on the Python list went through an
    object array and copies of every string, a transient of five times the table."""
    return pyarrow.table({name: pyarrow.array([row.get(name) for row in rows], type=arrow_type(name))
                          for name in TABLES[table].fields})


def frame_of(parts: Sequence[pyarrow.Table], table: str) -> pd.DataFrame:
    """Arrow parts of one table, in order -> a DataFrame with Arrow-backed dtypes, each column in one
    contiguous chunk: how the rows were split (by worker, by chunk) must not show, and Parquet's pages
    follow the chunks (event_sources.parquet differed in bytes between one process and two)."""
    arrow = pyarrow.concat_tables(parts).combine_chunks() if parts else to_arrow([], table)
    return arrow.to_pandas(types_mapper=pd.ArrowDtype)
