"""Stage 1, ingest: raw files and their sidecars -> the `articles` table.

Each raw file in data/raw/ is kept byte for byte as it was collected; what is known about it lives in a
sidecar beside it, ``<file>.meta.yaml``. Unknown is null, never a guess.
"""

from __future__ import annotations

import hashlib
import re
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow

from dataset.errors import Collector, InputError, Problem
from dataset.formats import FORMATS, clean, decode, sniff
from dataset.parallel import Runner
from dataset.project import Project
from dataset.rows import Origin, frame_of, to_arrow
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


def raw_files(project: Project) -> list[Path]:
    """Every raw article file, in a stable order (sidecars and dot-files are not articles)."""
    if not project.raw.is_dir():
        raise InputError.one(project.rel(project.raw), "raw article directory is missing")
    return sorted(
        p for p in project.raw.rglob("*")
        if p.is_file() and not p.name.endswith(SIDECAR_SUFFIX) and not p.name.startswith(".")
    )


def _sidecar(project: Project, raw: Path, problems: Collector) -> LineDict | None:
    path = raw.with_name(raw.name + SIDECAR_SUFFIX)
    where = project.rel(path)
    if not path.is_file():
        problems.add(project.rel(raw), f"sidecar {where} is missing (every raw file needs one)")
        return None
    meta = load_mapping(path, where)
    for key in SIDECAR_REQUIRED:
        if key not in meta:
            problems.add(where, "missing (write `null` where unknown)", field=key, line=meta.line)
    for key in meta:
        if key not in SIDECAR_REQUIRED and key not in SIDECAR_OPTIONAL:
            problems.add(
                where, f"unknown key (expected one of {', '.join(SIDECAR_REQUIRED + SIDECAR_OPTIONAL)})",
                field=str(key), line=meta.line_of(key),
            )
    for key, value in meta.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
            problems.add(where, f"expected a single text value, got {type(value).__name__}", field=str(key),
                         line=meta.line_of(key))
        elif isinstance(value, int | float):
            meta[key] = str(value)  # `published: 2016` is a year, written without quotes
    fmt = meta.get("format")
    if fmt is not None and fmt not in FORMATS:
        problems.add(where, f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})", field="format",
                     line=meta.line_of("format"))
    return meta


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


def _ingest(project: Project, raws: list[Path]) -> list[_Ingested]:
    """Read a chunk of raw files with their sidecars (one `_Ingested` for the chunk)."""
    sha256s: list[str] = []
    has_row: list[bool] = []
    found: list[list[Problem]] = []
    rows: list[dict[str, object]] = []
    origins: list[Origin] = []
    for raw in raws:
        data = raw.read_bytes()
        problems = Collector()
        row = origin = None
        try:
            meta = _sidecar(project, raw, problems)
            if meta is not None:
                row = read_article(project, raw, data, meta)
                sidecar = raw.with_name(raw.name + SIDECAR_SUFFIX)
                origin = Origin.of(sidecar, project.rel(sidecar), meta)
        except InputError as exc:
            problems.extend(exc)
        read = row is not None and origin is not None
        sha256s.append(hashlib.sha256(data).hexdigest())
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
    files = raw_files(project)
    raws = iter(files)
    for chunk in (runner or Runner()).map_chunks(partial(_ingest, project), files):
        keep = []
        for sha256, has_row, found in zip(chunk.sha256, chunk.has_row, chunk.problems, strict=True):
            where = project.rel(next(raws))
            first = seen.setdefault(sha256, where)
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
