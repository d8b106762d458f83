"""One error style for the whole project.

A user's mistake (a bad raw file, a wrong coding entry, a broken package) is an `InputError`: the CLI
prints its problems, one per line, and exits 2 without a traceback. Anything else is a bug: exit 1,
with a traceback and a request to report it.

Problems are located in one of two ways, so a researcher can jump straight to the place:
- in an input file: ``path:line: field: what is wrong (what was expected)``
- in a table:       ``table[row key].column: what is wrong (what was expected)``
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem. `where` is either a path (with `line`) or a table reference."""

    where: str
    message: str
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.where}:{self.line}" if self.line is not None else self.where
        if not self.message:
            return place
        if self.field is None:
            return f"{place}: {self.message}"
        sep = "." if place.endswith("]") else ": "
        return f"{place}{sep}{self.field}: {self.message}"


class InputError(Exception):
    """Bad input: one or more problems, reported together, exit code 2."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem | str]) -> None:
        self.problems = [p if isinstance(p, Problem) else Problem(str(p), "") for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, where: str, message: str, *, field: str | None = None, line: int | None = None) -> InputError:
        return cls([Problem(where, message, field=field, line=line)])


class Collector:
    """Gathers independent problems so the user sees all of them at once (like pandera's lazy mode)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str, *, field: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(where, message, field=field, line=line))

    def extend(self, error: InputError) -> None:
        self.problems.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)
