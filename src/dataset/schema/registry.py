"""The building blocks of the one schema source: fields, vocabularies, row checks, foreign keys, tables.

Every column is defined once, by name, in `fields.py`; every table in `tables.py` only lists its fields and
keys. The pandera schema, the Arrow schema, the Frictionless Table Schema and the codebook are all generated
from these objects (`emit.py`, `codebook.py`), so no fact about a column is ever written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

FieldType = Literal["string", "integer", "number", "boolean", "date"]


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of codes, each with the definition a second coder needs to apply it."""

    name: str
    description: str
    codes: Mapping[str, str]


@dataclass(frozen=True)
class Field:
    """One column, defined once for every table that carries it."""

    type: FieldType
    description: str
    required: bool = True
    pattern: str | None = None
    vocabulary: Vocabulary | None = None
    minimum: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class RowCheck:
    """A rule across columns or tables that single-field constraints cannot express (pandera enforces it;
    Frictionless cannot, so the codebook lists it). `test(df, tables)` gets the table and all tables of the
    build, and returns True for every row that satisfies the rule."""

    name: str
    description: str
    columns: tuple[str, ...]
    test: Callable[[pd.DataFrame, Mapping[str, pd.DataFrame]], pd.Series]


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A published table: which fields, in which order, and its keys and cross-column rules."""

    name: str
    title: str
    description: str
    fields: tuple[str, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[RowCheck, ...] = ()
