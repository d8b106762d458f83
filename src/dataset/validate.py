"""Stage 2, validate: every table against its pandera schema generated from the registry, lazily.

All failures are reported at once. A failure in a row that was written by hand (a sidecar, a coding file)
is reported at that file's line; any other at ``table[row key].column``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import pandas as pd
import pandera.pandas as pa

from dataset.errors import InputError, Problem
from dataset.schema.emit import pandera_schema
from dataset.schema.tables import TABLES


class Located(Protocol):
    path: str

    def line_of(self, column: str | None) -> int: ...


def row_key(df: pd.DataFrame, index: object, key: Sequence[str]) -> str:
    if index not in df.index:
        return "?"
    return ", ".join(str(df.at[index, k]) for k in key)


def _problems(table: str, df: pd.DataFrame, cases: pd.DataFrame,
              origins: Sequence[Located] | None) -> list[Problem]:
    schema_table = TABLES[table]
    seen: set[tuple[object, ...]] = set()
    problems: list[Problem] = []
    for case in cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) and case.column in df.columns else None
        check = str(case.check)
        rule = next((rc for rc in schema_table.checks if rc.name == check), None)
        if rule is not None:
            column = rule.columns[0]
            message = f"breaks rule {rule.name}: {rule.description}"
        elif check in ("column_in_dataframe", "column_in_schema"):
            message = f"column {case.failure_case!r} {check.replace('_', ' ')} is not satisfied"
        else:
            message = f"{case.failure_case!r} fails check: {check}"
        index = case.index
        dedupe = (index, column, check)
        if dedupe in seen:
            continue
        seen.add(dedupe)
        position = df.index.get_loc(index) if index in df.index else None
        if origins is not None and isinstance(position, int) and position < len(origins):
            origin = origins[position]
            problems.append(Problem(origin.path, message, field=column, line=origin.line_of(column)))
        else:
            where = f"{table}[{row_key(df, index, schema_table.primary_key)}]" if index in df.index else table
            problems.append(Problem(where, message, field=column))
    return problems


def validate(tables: Mapping[str, pd.DataFrame],
             origins: Mapping[str, Sequence[Located]] | None = None) -> dict[str, pd.DataFrame]:
    """Validate all tables (foreign keys and cross-table rules included); raise one InputError for all."""
    problems: list[Problem] = []
    validated: dict[str, pd.DataFrame] = {}
    for name, df in tables.items():
        schema = pandera_schema(TABLES[name], tables)
        try:
            validated[name] = schema.validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems.extend(_problems(name, df, exc.failure_cases, (origins or {}).get(name)))
            validated[name] = df
    if problems:
        raise InputError(problems)
    return validated
