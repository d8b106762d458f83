"""The building blocks of the one schema source: fields, vocabularies, row checks, foreign keys, tables.

Every column is defined once, by name, in `fields.py`; every table in `tables.py` only lists its fields and
keys. The pandera schema, the Arrow schema, the Frictionless Table Schema and the codebook are all generated
from these objects (`emit.py`, `codebook.py`), so no fact about a column is ever written twice.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

FieldType = Literal["string", "integer", "number", "boolean", "date"]


@dataclass(frozen=True)
class Code:
    """One code of a vocabulary: its label (short, for charts and value labels), its definition (what a second
    coder needs to apply it) and the list's own properties (PLOVER type and mode, dimension and factor, ...)."""

    label: str
    definition: str
    properties: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of codes, read from data/coding/vocabularies.yaml (dataset.schema.vocabularies).
    `currencies`: every ISO 4217 code is a code of this list too (pycountry's list, never typed by hand)."""

    name: str
    description: str
    codes: Mapping[str, Code]
    currencies: bool = False

    def __contains__(self, code: object) -> bool:
        return code in self.codes or (self.currencies and currency_name(code) is not None)

    def label(self, code: str) -> str:
        if code in self.codes:
            return self.codes[code].label
        return currency_name(code) or code

    def subset(self, codes: tuple[str, ...]) -> Vocabulary:
        """The list with only `codes` (each one of its own, in the given order), under the same name."""
        missing = [c for c in codes if c not in self.codes]
        if missing:
            raise KeyError(f"{', '.join(missing)}: not codes of {self.name}")
        return Vocabulary(self.name, self.description, {c: self.codes[c] for c in codes})

    def allowed(self) -> list[str]:
        """Every code in the published order: the registry's, then (for units) every ISO 4217 currency."""
        return [*self.codes, *(sorted(all_currencies()) if self.currencies else ())]


def currency_name(code: object) -> str | None:
    """The ISO 4217 name of a currency code written exactly (upper case), from pycountry; None otherwise."""
    return all_currencies().get(code) if isinstance(code, str) else None


@functools.cache
def all_currencies() -> dict[str, str]:
    import pycountry

    return {c.alpha_3: c.name for c in pycountry.currencies}


@dataclass(frozen=True)
class Field:
    """One column, defined once for every table that carries it."""

    type: FieldType
    description: str
    required: bool = True
    pattern: str | None = None
    vocabulary: str | None = None  # the name of a list in data/coding/vocabularies.yaml
    # Only these codes of `vocabulary`, where a column takes part of a list (a publication date is never a span)
    codes: tuple[str, ...] | None = None
    minimum: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class RowCheck:
    """A rule across columns or tables that single-field constraints cannot express (pandera enforces it;
    Frictionless cannot, so the codebook lists it). `test(df, tables)` gets the table and the other tables
    it `reads` (no others: reading one it does not declare fails every build), and returns True for every row
    that satisfies the rule. A table's validation is cached by the tables it reads (`dataset.pipeline.validate`)."""

    name: str
    description: str
    columns: tuple[str, ...]
    test: Callable[[pd.DataFrame, Mapping[str, pd.DataFrame]], pd.Series]
    reads: tuple[str, ...] = ()


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
    # The keys the table had before its primary key, oldest first: (the last version with that key, the key).
    # A released version's corrections ledger entries name their row by that version's key (`key_in`).
    former_keys: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def key_in(self, version: str) -> tuple[str, ...]:
        """The primary key the table had in `version` (a version "1.2.3")."""
        number = version_number(version)
        for last, key in self.former_keys:
            if number <= version_number(last):
                return key
        return self.primary_key


def version_number(text: str) -> tuple[int, ...]:
    """A version "1.2.3" as (1, 2, 3), for comparing versions."""
    return tuple(int(part) for part in text.split("."))



@dataclass(frozen=True)
class Entry:
    """One kind of entry a coder writes in a coding file: a row of `table`. Its keys are the table's columns in
    order (a column under its `renamed` key), less the `derived` ones the build fills, then the `lists` (keys
    holding entries of their own): each must be written, null where unknown, but the `optional` columns and the
    `extra` keys (input keys, fields.INPUT_FIELDS, or read by their own reader), which may be left out. A new
    column of the table is a new key of its entries, with no other edit."""

    table: str
    derived: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    renamed: Mapping[str, str] = field(default_factory=dict, hash=False)
    lists: tuple[str, ...] = ()
    extra: tuple[str, ...] = ("notes",)

    def columns(self, table: Table) -> tuple[str, ...]:
        """The columns the coder writes (by column name)."""
        return tuple(c for c in table.fields if c not in self.derived)

    def keys(self, table: Table) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The keys that must be written and those that may be, each in order."""
        written = [(self.renamed.get(c, c), c in self.optional) for c in self.columns(table)]
        return ((*(k for k, opt in written if not opt), *self.lists),
                (*(k for k, opt in written if opt), *self.extra))
