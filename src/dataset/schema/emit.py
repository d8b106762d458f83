"""Generate every concrete schema from the registry: Arrow (Parquet), pandera (validation) and the
Frictionless Table Schema (datapackage.json). Nothing here states a fact about a column; it only translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow

from dataset.schema.fields import FIELDS
from dataset.schema.registry import Field, Table, Vocabulary
from dataset.schema.vocabularies import field_vocabulary

ARROW_TYPES: dict[str, pyarrow.DataType] = {
    "string": pyarrow.string(),
    "integer": pyarrow.int64(),
    "number": pyarrow.float64(),
    "boolean": pyarrow.bool_(),
    "date": pyarrow.date32(),
}


def description_of(name: str) -> str:
    """A column's description: one per field, whatever table carries it (fields.py)."""
    return FIELDS[name].description


def arrow_schema(table: Table) -> pyarrow.Schema:
    """Explicit Arrow types, with each column's description in the Parquet field metadata."""
    return pyarrow.schema(
        [
            pyarrow.field(
                name,
                arrow_type(name),
                nullable=not FIELDS[name].required,
                metadata={"description": description_of(name)},
            )
            for name in table.fields
        ],
        metadata={"name": table.name, "description": table.description},
    )


def arrow_type(name: str) -> pyarrow.DataType:
    """The Arrow type of a column, in memory and in the Parquet file."""
    return ARROW_TYPES[FIELDS[name].type]


def pandas_dtype(name: str) -> pd.ArrowDtype:
    """The in-memory dtype of a column: Arrow-backed, so that what is validated is what is written."""
    return pd.ArrowDtype(arrow_type(name))


def _column_checks(name: str, f: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if f.vocabulary is not None:
        v = field_vocabulary(f)
        if v.currencies:  # its codes and every ISO 4217 currency
            checks.append(pa.Check(lambda s, v=v: s.map(v.__contains__, na_action="ignore").fillna(True).astype(bool),
                                   name=f"isin {v.name} or ISO 4217"))
        else:
            checks.append(pa.Check.isin(list(v.codes), name=f"one of {v.name}: {', '.join(v.codes)}"))
    if f.pattern is not None:
        checks.append(pa.Check.str_matches(f"^(?:{f.pattern})$", name=f"matches /{f.pattern}/"))
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum, name=f">= {f.minimum:g}"))
    return checks


def pandera_schema(table: Table, tables: Mapping[str, pd.DataFrame] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a table; `tables` (all tables of the build) lets foreign keys become membership
    checks and row checks look across tables."""
    tables = tables or {}
    columns = {
        name: pa.Column(
            pandas_dtype(name),
            checks=_column_checks(name, FIELDS[name]),
            nullable=not FIELDS[name].required,
            unique=table.primary_key == (name,),
        )
        for name in table.fields
    }
    for fk in table.foreign_keys:
        if fk.table not in tables or len(fk.fields) != 1:
            continue
        parent_values = tables[fk.table][fk.reference[0]].dropna().unique().tolist()
        col = columns[fk.fields[0]]
        col.checks.append(pa.Check.isin(parent_values, name=f"refers to an existing {fk.table}.{fk.reference[0]}"))
    checks = [
        pa.Check(
            lambda df, rc=rc: rc.test(df, {name: tables[name] for name in rc.reads}),
            name=rc.name,
            error=rc.description,
        )
        for rc in table.checks
    ]
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        strict=True,
        ordered=True,
        unique=list(table.primary_key) if len(table.primary_key) > 1 else None,
        name=table.name,
    )


def categories(v: Vocabulary) -> dict[str, Any]:
    """A coded field's codes as published: Table Schema v2 `categories` (each code's value and label, every
    allowed code, in the registry's order), and each registry code's definition in the custom property
    `categoryDefinitions` (what `dataset diff` compares to tell a redefined code). Charts and exports label
    codes from these, so that a package carries its own labels."""
    return {"categories": [{"value": code, "label": v.label(code)} for code in v.allowed()],
            "categoryDefinitions": {code: c.definition for code, c in v.codes.items()}}


def frictionless_schema(table: Table, resource_of: dict[str, str] | None = None) -> dict[str, Any]:
    """The Frictionless Table Schema; `resource_of` maps a table name to the resource that holds it
    (the CSV resources refer to the CSV copies of their parents)."""
    fields = []
    for name in table.fields:
        f = FIELDS[name]
        constraints: dict[str, Any] = {"required": f.required}
        if table.primary_key == (name,):
            constraints["unique"] = True
        if f.vocabulary is not None:
            constraints["enum"] = field_vocabulary(f).allowed()
        if f.pattern is not None:
            constraints["pattern"] = f.pattern
        if f.minimum is not None:
            constraints["minimum"] = f.minimum
        entry: dict[str, Any] = {"name": name, "type": f.type, "description": description_of(name)}
        if f.unit is not None:
            entry["unit"] = f.unit
        entry["constraints"] = constraints
        if f.vocabulary is not None:
            entry.update(categories(field_vocabulary(f)))
        fields.append(entry)
    schema: dict[str, Any] = {
        "fields": fields,
        # Nullable integers read through pandas come back as "nan"; `required` still catches real nulls.
        "missingValues": ["", "nan"],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.fields),
                "reference": {
                    "resource": (resource_of or {}).get(fk.table, fk.table),
                    "fields": list(fk.reference),
                },
            }
            for fk in table.foreign_keys
        ]
    return schema
