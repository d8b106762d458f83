"""Ingest (the first step): raw files and their sidecars -> the `articles` table.

Each raw file in data/raw/ is kept byte for byte as it was collected; what is known about it lives in a
sidecar beside it, ``<file>.meta.yaml``. Unknown is null, never a guess.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow

from dataset import metadata
from dataset.errors import Collector, InputError, Problem
from dataset.inputs import input_dir, read_regular, regular_files
from dataset.parallel import Runner
from dataset.pipeline.formats import FORMATS, clean, decode, encoding_problem, sniff
from dataset.pipeline.rows import Origin, check_keys, frame_of, to_arrow
from dataset.project import Project
from dataset.schema.fields import EARLIEST_DATE
from dataset.schema.tables import period
from dataset.yamlio import LineDict, load_mapping

SIDECAR_SUFFIX = ".meta.yaml"
# Sidecar keys: the article's metadata columns, which must all be written (null where unknown) ...
SIDECAR_REQUIRED = (
    "article_id", "title", "outlet", "author", "url", "published", "published_precision", "language", "rights",
)
# ... and keys that may be left out: the raw format (recognised from the file when absent), its text
# encoding (UTF-8 when absent; declared, never guessed) and a free note.
SIDECAR_OPTIONAL = ("format", "encoding", "notes")
_WORD = re.compile(r"\w+")


def raw_files(project: Project, problems: Collector) -> list[Path]:
    """Every raw article file, by name: the regular files directly in data/raw/ that are not sidecars (nor
    dot-files). Anything else there (a link, directory, FIFO, device) is a problem by name and is never
    opened, as is a sidecar whose raw file is missing or not a regular file."""
    if not input_dir(project, project.raw):
        raise InputError.one(project.rel(project.raw), "raw article directory is missing")
    files = regular_files(project, project.raw, lambda _: True, problems)
    raws = [p for p in files if not p.name.endswith(SIDECAR_SUFFIX)]
    names = {p.name for p in raws}
    for sidecar in files:
        raw_name = sidecar.name.removesuffix(SIDECAR_SUFFIX)
        if sidecar.name.endswith(SIDECAR_SUFFIX) and raw_name not in names:
            raw = sidecar.with_name(raw_name)
            why = "is not a regular file" if os.path.lexists(raw) else "does not exist"
            problems.add(project.rel(sidecar), f"sidecar of {project.rel(raw)}, which {why} (every sidecar "
                         "describes one raw file beside it)")
    return raws


def _sidecar(project: Project, raw: Path, released: dt.date, problems: Collector) -> LineDict | None:
    """The sidecar of `raw`, every value of the type the registry gives its key; None where it is missing or
    has any problem (no value of it is used then)."""
    path = raw.with_name(raw.name + SIDECAR_SUFFIX)
    where = project.rel(path)
    if not os.path.lexists(path):
        problems.add(project.rel(raw), f"sidecar {where} is missing (every raw file needs one)")
        return None
    meta = load_mapping(path, where)
    before = len(problems.problems)
    check_sidecar(meta, where, problems)
    _check_published(meta, where, released, problems)
    return meta if len(problems.problems) == before else None


def check_sidecar(meta: LineDict, where: str, problems: Collector) -> None:
    """Every key of a sidecar known and of the type the registry gives it, its format and encoding known (the
    build's check, and `dataset detect`'s and `suggest`'s before they use a sidecar's values)."""
    check_keys(meta, where, meta.line, SIDECAR_REQUIRED, SIDECAR_OPTIONAL, problems, "sidecar")
    fmt = meta.get("format")
    if fmt is not None and fmt not in FORMATS:
        problems.add(where, f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})", field="format",
                     line=meta.line_of("format"))
    encoding = meta.get("encoding")
    problem = None if encoding is None else encoding_problem(encoding)
    if problem is not None:
        problems.add(where, problem, field="encoding", line=meta.line_of("encoding"))


def _release_date(project: Project) -> dt.date:
    value = metadata.release(project.pyproject).released
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError.one(project.rel(project.pyproject), f"{value!r} is not a date YYYY-MM-DD",
                             field="[tool.dataset] released") from None


def _check_published(meta: LineDict, where: str, released: dt.date, problems: Collector) -> None:
    """A publication date lies between EARLIEST_DATE and the release date of this version (pyproject.toml
    `[tool.dataset] released`): a later one would be in the future of the data. The release date, not the
    clock, so the build stays a function of its inputs. A date that is not a real date is the row check's."""
    days = period(meta.get("published"), meta.get("published_precision"))
    if days is None:
        return
    if days[0] > released:
        problems.add(where, f"{meta['published']!r} is after this version's release date {released} (pyproject.toml "
                     "[tool.dataset] released): a publication date cannot be in the future", field="published",
                     line=meta.line_of("published"))
    elif days[1] < EARLIEST_DATE:
        problems.add(where, f"{meta['published']!r} is before {EARLIEST_DATE} (the earliest date this dataset "
                     "accepts)", field="published", line=meta.line_of("published"))


def read_article(project: Project, raw: Path, data: bytes, meta: LineDict) -> dict[str, object]:
    """One row of `articles` from a raw file's bytes and its sidecar."""
    where = project.rel(raw)
    sidecar = where + SIDECAR_SUFFIX
    text = decode(data, where, meta.get("encoding"))
    fmt = meta.get("format") or sniff(text)
    cleaned = clean(text, fmt, where)
    embedded_date = cleaned.embedded.get("date")
    if embedded_date is not None and embedded_date != meta.get("published"):
        raise InputError.one(
            sidecar, f"{meta.get('published')!r} disagrees with the date {embedded_date!r} written in the raw "
            "file", field="published", line=meta.line_of("published"),
        )
    if not cleaned.text:
        raise InputError.one(where, "no text left after cleaning (expected at least one paragraph)")
    return {
        **{key: meta.get(key) for key in SIDECAR_REQUIRED},
        "notes": meta.get("notes"),
        "raw_path": where,
        "raw_sha256": hashlib.sha256(data).hexdigest(),
        "text": cleaned.text,
        "text_sha256": hashlib.sha256(cleaned.text.encode("utf-8")).hexdigest(),
        "n_chars": len(cleaned.text),
        "n_words": len(_WORD.findall(cleaned.text)),
    }


class _Ingested(NamedTuple):
    """A chunk of raw files read: per file its sha256, whether it gave a row and its problems; the rows (as
    one Arrow table, a few times smaller than dicts of Python strings) and each row's sidecar origin."""

    sha256: list[str]
    has_row: list[bool]
    problems: list[list[Problem]]
    rows: pyarrow.Table
    origins: list[Origin]


def _ingest(project: Project, released: dt.date, raws: list[tuple[Path, Path]]) -> list[_Ingested]:
    """Read a chunk of raw files with their sidecars (one `_Ingested` for the chunk; each item a raw file and
    its sidecar's path)."""
    sha256s: list[str] = []
    has_row: list[bool] = []
    found: list[list[Problem]] = []
    rows: list[dict[str, object]] = []
    origins: list[Origin] = []
    for raw, _ in raws:
        problems = Collector()
        data = row = origin = None
        try:
            data = read_regular(raw, project.rel(raw))
            meta = _sidecar(project, raw, released, problems)
            if meta is not None:
                row = read_article(project, raw, data, meta)
                sidecar = raw.with_name(raw.name + SIDECAR_SUFFIX)
                origin = Origin.of(sidecar, project.rel(sidecar), meta)
        except InputError as exc:
            problems.extend(exc)
        read = row is not None and origin is not None
        sha256s.append("" if data is None else hashlib.sha256(data).hexdigest())  # "": not read
        has_row.append(read)
        found.append(problems.problems)
        if read:
            rows.append(row)
            origins.append(origin)
    return [_Ingested(sha256s, has_row, found, to_arrow(rows, "articles"), origins)]


def build_articles(project: Project, runner: Runner | None = None) -> tuple[pd.DataFrame, list[Origin]]:
    """The `articles` table (typed, not yet validated) and, row for row, the sidecar each came from."""
    problems = Collector()
    parts: list[pyarrow.Table] = []
    origins: list[Origin] = []
    seen: dict[str, str] = {}
    files = raw_files(project, problems)
    released = _release_date(project)
    raws = iter(files)
    # Each raw file with its sidecar: both are read (and the build's cache keys a chunk by the contents of both).
    items = [(raw, raw.with_name(raw.name + SIDECAR_SUFFIX)) for raw in files]
    raw_dir = project.rel(project.raw) + "/"  # the raw files are directly in it: `project.rel` of each, sooner
    for chunk in (runner or Runner()).map_chunks(partial(_ingest, project, released), items):
        keep = []
        for sha256, has_row, found in zip(chunk.sha256, chunk.has_row, chunk.problems, strict=True):
            where = raw_dir + next(raws).name
            first = seen.setdefault(sha256, where) if sha256 else where
            if first != where:
                problems.add(where, f"same bytes as {first} (an article is collected once)")
            else:
                problems.problems += found
            if has_row:
                keep.append(first == where)
        parts.append(chunk.rows.filter(pyarrow.array(keep, pyarrow.bool_())))
        origins += [origin for origin, kept in zip(chunk.origins, keep, strict=True) if kept]
    problems.raise_if_any()
    if not origins:
        raise InputError.one(project.rel(project.raw), "no raw articles found")
    return frame_of(parts, "articles"), origins
