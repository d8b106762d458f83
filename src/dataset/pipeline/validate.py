"""Validation (after coding and mentions): every table against its pandera schema generated from the registry, lazily.

All failures are reported at once. A failure in a row that was written by hand (a sidecar, a coding file)
is reported at that file's line; any other at ``table[row key].column``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import pandas as pd
import pandera.pandas as pa

from dataset.errors import InputError, Problem
from dataset.schema import FIELDS, TABLES, Table
from dataset.schema.emit import pandera_schema
from dataset.schema.tables import ENTRIES
from dataset.schema.vocabularies import field_vocabulary, unknown_code

if TYPE_CHECKING:
    from dataset.pipeline.cache import Store


class Located(Protocol):
    path: str

    def line_of(self, column: str | None) -> int: ...

    def writes(self, column: str | None) -> bool: ...


def row_key(df: pd.DataFrame, index: object, key: Sequence[str]) -> str:
    if index not in df.index:
        return "?"
    return ", ".join(str(df.at[index, k]) for k in key)


def _show(value: object) -> str:
    """A value as the coder wrote it: dates in ISO form, missing as null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "null"
    return value.isoformat() if hasattr(value, "isoformat") else repr(value)


def _message(table: Table, column: str | None, check: str, value: object) -> str:
    """Say what is wrong and what was expected, in the registry's words rather than pandera's."""
    f = FIELDS.get(column or "")
    shown = repr(value)
    if f is not None and f.vocabulary is not None and check.startswith(("isin", "one of")):
        return unknown_code(field_vocabulary(f), value)
    if f is not None and check.startswith("isin"):
        fk = next((k for k in table.foreign_keys if k.fields == (column,)), None)
        if fk is not None:
            return f"{shown} is not a known {fk.table}.{fk.reference[0]} (dangling reference)"
    if f is not None and check.startswith("str_matches"):
        return f"{shown} does not have the expected form (pattern {f.pattern})"
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        return f"{shown} is a duplicate (expected unique {', '.join(table.primary_key)})"
    if check == "not_nullable":
        return "is missing (required)"
    if f is not None and check.startswith("greater_than_or_equal_to"):
        return f"{shown} is below the minimum {f.minimum:g}"
    if f is not None and check.startswith("less_than_or_equal_to"):
        return f"{shown} is above the maximum {f.maximum:g}"
    return f"{shown} fails check {check}"


# The key a coder writes for a column that an entry renames (a figure's or event source's `id`, a correction's
# `row`): a problem in a hand-written row names the key written, at its line.
WRITTEN_AS: dict[str, Mapping[str, str]] = {entry.table: entry.renamed for entry in ENTRIES.values()}


def _problems(table_name: str, df: pd.DataFrame, cases: pd.DataFrame,
              origins: Sequence[Located] | None) -> list[Problem]:
    table = TABLES[table_name]
    rules = {rc.description: rc for rc in table.checks}
    seen: set[tuple[object, ...]] = set()
    problems: list[Problem] = []
    for case in cases.itertuples(index=False):
        check, index = str(case.check), case.index
        column = case.column if isinstance(case.column, str) and case.column in df.columns else None
        rule = rules.get(check)
        if rule is not None:  # a row rule: one problem per row, not one per column
            column = rule.columns[0]
            values = ", ".join(f"{c}={_show(df.at[index, c])}" for c in rule.columns) if index in df.index else ""
            message = f"breaks rule {rule.name} ({values}): {rule.description}"
        else:
            message = _message(table, column, check, case.failure_case)
        if (index, column, check) in seen:
            continue
        seen.add((index, column, check))
        position = df.index.get_loc(index) if index in df.index else None
        if origins is not None and isinstance(position, int) and position < len(origins):
            origin = origins[position]
            written = WRITTEN_AS.get(table_name, {}).get(column or "", column)
            if check == "not_nullable" and origin.writes(written):  # written as null, not left out
                message = "is null (required: write a value)"
            problems.append(Problem(origin.path, message, field=written, line=origin.line_of(written)))
        else:
            where = f"{table_name}[{row_key(df, index, table.primary_key)}]" if index in df.index else table_name
            problems.append(Problem(where, message, field=column))
    return problems


def validate(tables: Mapping[str, pd.DataFrame], origins: Mapping[str, Sequence[Located]] | None = None,
             store: Store | None = None) -> dict[str, pd.DataFrame]:
    """Validate all tables (foreign keys and cross-table rules included); raise one InputError for all. With a
    `store` (the build's cache), a table found valid before with the same rows, tables read, vocabularies and
    code (`validation_key`) is not validated again: an edit of one coding file validates what it changed and
    what reads it. Only a table found valid is stored."""
    from dataset.pipeline.cache import Uncacheable

    problems: list[Problem] = []
    validated: dict[str, pd.DataFrame] = {}
    digests: dict[str, str] = {}
    try:
        registry = vocabulary_facts() if store is not None else None
    except Uncacheable:  # a property fingerprint cannot hash: every table is validated
        registry = None
    for name, df in tables.items():
        key = validation_key(name, tables, digests, registry) if registry is not None else None
        if store is not None and key is not None and store.passed("validation", key):
            validated[name] = df
            continue
        schema = pandera_schema(TABLES[name], tables)
        try:
            validated[name] = schema.validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems.extend(_problems(name, df, exc.failure_cases, (origins or {}).get(name)))
            validated[name] = df
            continue
        if store is not None and key is not None:
            store.record_pass("validation", key)
    if problems:
        raise InputError(problems)
    return validated


def vocabulary_facts() -> str:
    """The fingerprint of every code of the vocabularies in use (data/coding/vocabularies.yaml) with the
    properties validation reads (a measure's `requires`, a unit's dimension and factor, a dimension's base
    unit...; labels and definitions only name things). Raises Uncacheable for a value it cannot hash."""
    from dataset.pipeline.cache import fingerprint
    from dataset.schema import vocabularies

    return fingerprint({name: ({code: dict(c.properties) for code, c in v.codes.items()}, v.currencies)
                        for name, v in vocabularies.active().items()})


def validation_key(name: str, tables: Mapping[str, pd.DataFrame], digests: dict[str, str], registry: str) -> str:
    """What validating table `name` reads: its rows, those of the tables its foreign keys point to and its row
    checks read (`RowCheck.reads`), each by the digest of its columns, types and values (memoised in
    `digests`); the vocabularies (`registry`: `vocabulary_facts`, which row checks and coded fields read); and
    the code (the rest of the schema registry, and the libraries' versions)."""
    from dataset.pipeline.cache import code_fingerprint, fingerprint, frame_digest

    table = TABLES[name]
    read = sorted({name, *(fk.table for fk in table.foreign_keys), *(t for rc in table.checks for t in rc.reads)})
    for t in read:
        if t in tables and t not in digests:
            digests[t] = frame_digest(tables[t])
    return fingerprint("validation", code_fingerprint(), name, {t: digests.get(t, "absent") for t in read},
                       registry)
