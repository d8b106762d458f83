"""Reading a written package's datapackage.json, for the package commands (`dataset verify`, `dataset diff`,
`dataset release`) and `dataset.load`.

The reader itself is `dataset.datapackage.descriptor.read_descriptor`: the one place that parses a descriptor,
checks its shape and resolves every path it names (resources, Table Schemas and dialects alike), refusing
paths outside the package and remote references. It lives beside the charts because they must run from
dataset/charts alone; this module turns its problems into an `InputError` (exit 2, every problem at its
file and field, e.g. `datapackage.json: resources[3].path: '../x' contains '..'`).
"""

from __future__ import annotations

from pathlib import Path

from dataset.datapackage.descriptor import (
    FILENAME,
    Descriptor,
    DescriptorError,
    Issue,
    UnsafePath,
    inside,
    read_descriptor,
    resolve,
    unsafe_path,
)
from dataset.errors import InputError, Problem

__all__ = ["FILENAME", "Descriptor", "UnsafePath", "as_problems", "inside", "read", "resolve", "unsafe_path"]


def as_problems(issues: list[Issue]) -> list[Problem]:
    return [Problem(i.where, i.message, field=i.field, line=i.line) for i in issues]


def read(path: str | Path, root_label: str | None = None) -> Descriptor:
    """The checked descriptor at `path` (`read_descriptor`); raises InputError with every problem."""
    try:
        return read_descriptor(path, root_label)
    except DescriptorError as exc:
        raise InputError(as_problems(exc.issues)) from None
