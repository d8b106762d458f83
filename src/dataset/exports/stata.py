"""Stata export: one `.dta` file per table (pyreadstat), with variable and value labels from the schema.

`exports/stata/<table>.dta` (format 119, Stata 15 and later, UTF-8), readable by Stata (`use`), R's haven
(`read_dta`) and pandas (`read_stata`):

- variable labels: each column's description from the schema registry, cut to Stata's 80 characters (the
  whole text is in docs/codebook.md and datapackage.json);
- a column with a vocabulary (event_type, measure, role, ...) is stored as integers 1..n in the
  order of its published codes, with a value label per column mapping each integer to the code's label
  (datapackage.json's `categories`, from data/coding/vocabularies.yaml); pandas' `read_stata` gives them
  back as categories, haven's `read_dta` as labelled vectors;
- a boolean is 0/1 with the value labels false/true; a date a Stata date (%td); a missing number Stata's
  `.`; a missing string the empty string (Stata has no missing string).

Byte-identical on rebuild: a .dta header holds the time it was written (`<timestamp>`, to the minute);
it is set to the release date (datapackage.json `created`), never the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from dataset.exports import ExportFile

if TYPE_CHECKING:
    from dataset.schema.registry import Field

DIRECTORY = "stata"
VERSION = 15  # pyreadstat's name for format 119 (Stata 15 and later: UTF-8, long strings as strL)
LABEL_CHARS = 80  # Stata's limit for a variable label
BOOLEAN_LABELS = {0: "false", 1: "true"}
TIMESTAMP_TAG = b"<timestamp>"


def files(tables: Sequence[str]) -> list[ExportFile]:
    return [ExportFile(f"stata-{t}", f"{DIRECTORY}/{t}.dta", "dta", "application/x-stata-dta",
                       f"{t} (Stata)", f"The {t} table as a Stata file: variable labels from the column "
                       "descriptions, value labels from the codes' labels.") for t in tables]


def variable_label(description: str, limit: int = LABEL_CHARS) -> str:
    """A column description cut to `limit` characters (Stata's, by default) at a word boundary, with an
    ellipsis when cut."""
    text = " ".join(description.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def release_time(created: str) -> dt.datetime:
    """datapackage.json's `created` (the release date) as the time a file says it was written."""
    try:
        return dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime(1980, 1, 1)


def value_labels(column: str, codes: Mapping[str, str] | None) -> dict[int, str] | None:
    """The integer -> label mapping of a coded column (1..n in the order of its published `codes`, code ->
    label); None when uncoded."""
    from dataset.schema.fields import FIELDS

    if FIELDS[column].type == "boolean":
        return dict(BOOLEAN_LABELS)
    if codes is None:
        return None
    return {i: label for i, label in enumerate(codes.values(), start=1)}


def frame(table: pa.Table, name: str, descriptor: Mapping[str, Any] | None = None
          ) -> tuple[pd.DataFrame, dict[str, dict[int, str]]]:
    """The table as pyreadstat writes it, with its value labels (the codes' labels as the package's
    `descriptor` publishes them; without one, as the build's registry gives them)."""
    from dataset.datapackage.parquet import code_labels
    from dataset.schema.fields import FIELDS

    columns: dict[str, Any] = {}
    labels: dict[str, dict[int, str]] = {}
    for column in table.column_names:
        values = table[column].to_pylist()
        field = FIELDS[column]
        codes = (code_labels(descriptor, name, column) if descriptor is not None
                 else _registry_labels(field))
        mapping = value_labels(column, codes)
        if field.type == "boolean":
            columns[column] = pd.Series([None if v is None else int(v) for v in values], dtype="float64")
        elif codes is not None:
            number = {code: i for i, code in enumerate(codes, start=1)}
            columns[column] = pd.Series([None if v is None else number[v] for v in values], dtype="float64")
        elif field.type == "date":
            # Nanoseconds: pyreadstat 1.3.8 misreads datetime64[s] (every date written as 1970-01-01).
            columns[column] = pd.Series([None if v is None else dt.datetime(v.year, v.month, v.day)
                                         for v in values], dtype="datetime64[ns]")
        elif field.type == "string":
            columns[column] = pd.Series(["" if v is None else v for v in values], dtype=object)
        elif field.type == "integer" and None not in values and all(abs(v) < 2**31 - 1 for v in values):
            columns[column] = pd.Series(values, dtype="int32")  # Stata's long
        else:
            columns[column] = pd.Series(values, dtype="float64")
        if mapping is not None:
            labels[column] = mapping
    df = pd.DataFrame(columns)
    # A coded column with no missing value is stored as integers (Stata's byte), as its labels are.
    for column in labels:
        if not df[column].isna().any():
            df[column] = df[column].astype("int32")
    return df, labels


def _registry_labels(field: Field) -> dict[str, str] | None:
    from dataset.schema.vocabularies import field_vocabulary

    if field.vocabulary is None:
        return None
    v = field_vocabulary(field)
    return {code: v.label(code) for code in v.allowed()}


def fix_timestamp(path: Path, created: str) -> None:
    """Replace the time of writing in a format-119 header by `created` (datapackage.json's release date)."""
    when = release_time(created)
    stamp = when.strftime("%d %b %Y %H:%M").encode("ascii")  # 17 bytes, as Stata writes it
    data = bytearray(path.read_bytes())
    at = data.find(TIMESTAMP_TAG)
    if at == -1 or at > 1024:
        raise ValueError(f"{path}: no <timestamp> in the .dta header")
    at += len(TIMESTAMP_TAG)
    length = data[at]
    if length not in (0, 17):
        raise ValueError(f"{path}: unexpected .dta timestamp length {length}")
    data[at:at + 1 + length] = bytes([17]) + stamp
    path.write_bytes(bytes(data))


def write_each(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any], directory: Path, suffix: str,
               write_one: Callable[[pd.DataFrame, Path, str, dict[str, dict[int, str]]], None]) -> list[Path]:
    """One labelled file per table in `directory` (`<table><suffix>`), written by `write_one(df, path, table,
    value labels)`; the Stata and SPSS exports differ only in that call."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        df, labels = frame(table, name, descriptor)
        path = directory / f"{name}{suffix}"
        write_one(df, path, name, labels)
        written.append(path)
    return written


def write(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any], out_dir: Path) -> list[Path]:
    import pyreadstat

    from dataset.schema.emit import description_of
    from dataset.schema.tables import TABLES

    def write_one(df: pd.DataFrame, path: Path, name: str, labels: dict[str, dict[int, str]]) -> None:
        variable = {c: variable_label(description_of(c)) for c in df.columns}
        pyreadstat.write_dta(df, path, file_label=TABLES[name].title, column_labels=variable, version=VERSION,
                             variable_value_labels=labels)
        fix_timestamp(path, str(descriptor.get("created", "")))

    return write_each(tables, descriptor, out_dir / DIRECTORY, ".dta", write_one)
