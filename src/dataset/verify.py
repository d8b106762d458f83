"""`dataset verify PATH`: is this download exactly the data package it claims to be?

PATH is an unpacked release, a project root, or a release .zip. A zip is first checked against the
`<zip>.sha256` beside it (when there is one), then extracted safely into a temporary directory: an entry
with an absolute path, a `..`, a backslash, or outside the one top directory, a symbolic link or any other
non-regular file, an encrypted or duplicated entry is refused (all of them named) before anything is
written. The directory is then verified:

- every resource file against the sha256 and bytes its datapackage.json declares (dataset.publish.check_files),
- every file listed in SHA256SUMS (written by `dataset release`) against its sha256, so that an edit of
  datapackage.json, the README or the codebook of a release is caught too,
- the descriptor and the tables with Frictionless (types, constraints, keys): the CSV copies row by row;
  when every Parquet table has a CSV copy under the same Table Schema, each must have the declared columns
  and types and the same rows as its copy (read with pyarrow and compared) instead. Frictionless reads
  Parquet through pandas one row at a time, a hundred times slower than the CSV (benchmarks/README.md);
  a package with a Parquet table that has no such copy, or a descriptor that breaks the profile, is read
  by Frictionless whole. With more than one job (`--jobs`), Frictionless checks the tables of a large
  package side by side, one task each; the problems reported are the same, in the same order.

Every problem is collected and reported at once; exit 0 only when everything matches, else exit 2.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dataset.errors import Collector, InputError, Problem
from dataset.parallel import Runner

if TYPE_CHECKING:  # Frictionless is imported where a check runs, not by `dataset verify --help`
    from frictionless import Report

DESCRIPTOR = "datapackage.json"
MANIFEST = "SHA256SUMS"
# Refuse archives that would unpack to more than this (a zip bomb); a release is far smaller.
MAX_UNPACKED_BYTES = 4 * 1024**3
# Frictionless errors shown per resource; the rest are counted.
MAX_ERRORS_PER_RESOURCE = 10
# Bytes of files for Frictionless to read from which a runner's workers check the tables one task each; below
# it, one validation in this process is quicker (every task imports Frictionless and reads the descriptor).
TASKS_FROM_BYTES = 2 * 1024**2


@dataclass(frozen=True)
class Verified:
    """What was checked, for the success message."""

    path: str
    resources: int
    manifest_files: int
    archive_checksum: bool
    copies: int  # Parquet tables found equal to their CSV copies


# ---- paths ---------------------------------------------------------------------------------------------------


def unsafe_relative_path(path: object) -> str | None:
    """Why `path` is not a safe relative POSIX path inside a package (None when it is safe)."""
    if not isinstance(path, str) or not path:
        return "is not a path"
    if "\\" in path:
        return "contains a backslash"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "is an absolute path"
    parts = path.split("/")
    if ".." in parts:
        return "contains '..'"
    if any(p in ("", ".") for p in parts[:-1]) or parts[-1] == ".":
        return "has an empty or '.' path component"
    return None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---- safe extraction -----------------------------------------------------------------------------------------


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    reason = unsafe_relative_path(name.rstrip("/") if info.is_dir() else name)
    if reason:
        return f"unsafe path: {reason}"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "is a symbolic link (a release holds regular files only)"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return f"is not a regular file (file type 0o{kind:o})"
    if info.flag_bits & 0x1:
        return "is encrypted"
    return None


def safe_extract(archive: Path, dest: Path) -> Path:
    """Extract a release zip into `dest` after checking every entry; returns its one top directory."""
    where = str(archive)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError.one(where, f"not a readable zip archive: {exc}") from None
    with zf:
        infos = zf.infolist()
        problems = Collector()
        if not infos:
            problems.add(where, "the archive is empty")
        seen: set[str] = set()
        tops: set[str] = set()
        for info in infos:
            entry = f"{where}: {info.filename}"
            reason = _entry_problem(info)
            if reason:
                problems.add(entry, f"refused: {reason}")
                continue
            if info.filename in seen:
                problems.add(entry, "refused: the entry appears twice")
            seen.add(info.filename)
            parts = info.filename.rstrip("/").split("/")
            tops.add(parts[0])
            if len(parts) == 1 and not info.is_dir():
                problems.add(entry, "refused: outside the archive's top directory")
        if len(tops) > 1:
            problems.add(where, f"refused: several top directories ({', '.join(sorted(tops))}); a release has one")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED_BYTES:
            problems.add(where, f"refused: would unpack to {total} bytes (more than {MAX_UNPACKED_BYTES})")
        problems.raise_if_any()

        top = dest / tops.pop()
        top_resolved = top.resolve()
        for info in infos:
            target = dest / info.filename
            if not target.resolve().is_relative_to(top_resolved):  # defence in depth: checked above
                problems.add(f"{where}: {info.filename}", "refused: escapes the archive's top directory")
                continue
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, target.open("xb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                problems.add(f"{where}: {info.filename}", f"cannot be extracted: {exc}")
                continue
            target.chmod(0o644)
        problems.raise_if_any()
    return top


@contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """A package directory for `path`: the directory itself, or a zip extracted safely into a temporary one."""
    if path.is_dir():
        yield path
    elif path.is_file():
        with tempfile.TemporaryDirectory(prefix="dataset-unpacked-") as tmp:
            yield safe_extract(path, Path(tmp))
    else:
        raise InputError.one(str(path), "no such file or directory")


# ---- checks --------------------------------------------------------------------------------------------------


def check_archive_checksum(archive: Path) -> tuple[list[Problem], bool]:
    """The zip against `<zip>.sha256` beside it (sha256sum format); (problems, whether there was one)."""
    sidecar = archive.with_name(archive.name + ".sha256")
    if not sidecar.is_file():
        return [], False
    text = sidecar.read_text(encoding="utf-8", errors="replace")
    match = re.fullmatch(r"([0-9a-fA-F]{64}) [ *](.+)\n?", text)
    if not match:
        return [Problem(str(sidecar), "not in sha256sum format (`<64 hex digits>  <file name>`)")], True
    problems = []
    expected, named = match.group(1).lower(), match.group(2)
    if named != archive.name:
        problems.append(Problem(str(sidecar), f"names {named!r}, not {archive.name!r}"))
    actual = sha256_file(archive)
    if actual != expected:
        problems.append(Problem(str(archive), f"sha256 is {actual}, {sidecar.name} says {expected}: "
                                "the archive was changed or the download is incomplete"))
    return problems, True


def _split(problem: str) -> tuple[str, str]:
    where, _, message = problem.partition(": ")
    return where, message


def check_manifest(root: Path, label: str) -> tuple[list[Problem], int]:
    """Every file listed in SHA256SUMS (when present) against its sha256."""
    manifest = root / MANIFEST
    if not manifest.is_file():
        return [], 0
    problems: list[Problem] = []
    count = 0
    lines = manifest.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if not match:
            problems.append(Problem(f"{label}/{MANIFEST}", "not `<sha256>  <path>`", line=number))
            continue
        expected, rel = match.groups()
        reason = unsafe_relative_path(rel)
        if reason:
            problems.append(Problem(f"{label}/{MANIFEST}", f"{rel!r} {reason}", line=number))
            continue
        count += 1
        file = root / rel
        if not file.is_file():
            problems.append(Problem(f"{label}/{rel}", f"missing (listed in {MANIFEST})"))
        elif (actual := sha256_file(file)) != expected:
            problems.append(Problem(f"{label}/{rel}", f"sha256 is {actual} ({MANIFEST} says {expected}): "
                                    "the file was changed"))
    return problems, count


def _copy_of(resources: list[dict], parquet: dict) -> dict | None:
    """The CSV copy of a Parquet resource (named "<name>-csv") when it declares the same Table Schema, its
    foreign keys pointing at the CSV copies of the Parquet tables instead."""
    copy = next((r for r in resources if r.get("name") == f"{parquet.get('name')}-csv"
                 and r.get("format") == "csv"), None)
    if copy is None or not isinstance(copy.get("schema"), dict) or "dialect" in copy or str(
            copy.get("encoding", "utf-8")).lower() not in ("utf-8", "utf8"):  # read as `write_table` writes
        return None
    schema = deepcopy(copy["schema"])
    for fk in schema.get("foreignKeys", []):
        if isinstance(fk, dict) and isinstance(fk.get("reference"), dict):
            fk["reference"]["resource"] = str(fk["reference"].get("resource", "")).removesuffix("-csv")
    return copy if schema == parquet.get("schema") else None


def check_copies(root: Path, resources: list[dict], label: str, damaged: set[str]) -> tuple[list[Problem], set[str]]:
    """When every Parquet table has a CSV copy (`_copy_of`), each against the descriptor and its copy: the
    declared columns in order, each of the Arrow type its Table Schema type is written as, and the same rows.
    The problems, and the names of the Parquet resources so checked (Frictionless then reads their CSV copies
    only). All or none: a Parquet table's foreign keys hold because its copy's do only if the tables they
    point at are copies too. Files with a hash problem (`damaged`) are left to that problem. The descriptor
    must be valid under the Data Package profile (`_valid_descriptor`)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from dataset.schema.emit import ARROW_TYPES

    copies = {res["name"]: _copy_of(resources, res) for res in resources if res.get("format") == "parquet"}
    if not copies or None in copies.values():
        return [], set()
    problems: list[Problem] = []
    for res in resources:
        copy = copies.get(res["name"])
        if copy is None:
            continue
        if {res["path"], copy["path"]} & damaged:
            continue
        where = f"{label}/{res['path']}"
        fields = [(f.get("name"), f.get("type")) for f in res["schema"].get("fields", [])]
        try:
            table = pq.read_table(root / res["path"])
        except (OSError, pa.ArrowException) as exc:
            problems.append(Problem(where, f"not a readable Parquet file: {exc}"))
            continue
        declared = [(name, ARROW_TYPES.get(kind)) for name, kind in fields]
        actual = [(f.name, f.type) for f in table.schema]
        if actual != declared:
            problems.append(Problem(where, "columns are " + ", ".join(f"{n} {t}" for n, t in actual) + "; the "
                                    "descriptor declares " + ", ".join(f"{n} {k}" for n, k in fields)))
            continue
        try:
            copied = pacsv.read_csv(
                root / copy["path"],  # as `publish.write_table` writes: texts with line breaks, "" apart from null
                parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(column_types=table.schema, strings_can_be_null=True,
                                                     quoted_strings_can_be_null=False))
        except (OSError, pa.ArrowException) as exc:
            problems.append(Problem(f"{label}/{copy['path']}", f"cannot be read as the columns of {res['path']}: "
                                    f"{exc}"))
            continue
        if copied.column_names != table.column_names or copied.num_rows != table.num_rows:
            problems.append(Problem(where, f"{table.num_rows} rows of {', '.join(table.column_names)}; its CSV copy "
                                    f"{copy['path']} has {copied.num_rows} of {', '.join(copied.column_names)}"))
            continue
        key = res["schema"].get("primaryKey", [])
        for name in table.column_names:
            ours, theirs = table[name], copied[name]
            if not ours.equals(theirs):
                same = pc.or_kleene(pc.equal(ours, theirs), pc.and_(pc.is_null(ours), pc.is_null(theirs)))
                row = pc.index(pc.fill_null(same, False), False).as_py()
                keys = ", ".join(f"{k} {table[k][row].as_py()!r}" for k in ([key] if isinstance(key, str) else key))
                problems.append(Problem(where, f"data row {row + 1}{f' ({keys})' if keys else ''}, column {name}: "
                                        f"{ours[row].as_py()!r}; its CSV copy {copy['path']} has "
                                        f"{theirs[row].as_py()!r}"))
                break
    return problems, set(copies)


def _valid_descriptor(descriptor: dict, root: Path) -> bool:
    """Whether the descriptor is valid under the Data Package profile (Frictionless reports why, if not)."""
    from frictionless import Package

    try:  # on a copy: Frictionless may normalise the descriptor it reads in place
        return Package.validate_descriptor(deepcopy(descriptor), basepath=str(root)).valid
    except Exception:  # Frictionless raises on some broken descriptors; `_frictionless` reports how
        return False


@dataclass(frozen=True)
class Findings:
    """What Frictionless found, as plain values (a worker sends them back): why it could not validate at all,
    the package's errors as (type, message), and per resource its name, place and errors as (type, message,
    row)."""

    cannot: str | None
    package: list[tuple[str, str]]
    resources: list[tuple[str, str, list[tuple[str, str, int | None]]]]


def frictionless_report(descriptor: Path, keep: Callable[[dict], bool], name: str | None = None) -> Report:
    """Frictionless's report on the descriptor's resources that `keep` selects, or on resource `name` alone
    (with the tables its foreign keys point to); raises what Frictionless raises on a descriptor it refuses.
    A single resource is checked without the package's `sources`, one per article, which Frictionless would
    check again in every task: the callers have the whole descriptor checked once."""
    from frictionless import Package

    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    meta["resources"] = [r for r in meta["resources"] if keep(r)]
    if name is not None:
        meta.pop("sources", None)
    return Package(meta, basepath=str(descriptor.parent)).validate(name=name)


def frictionless_findings(descriptor: Path, skip: Collection[str], name: str | None = None) -> Findings:
    """Frictionless on the descriptor and its resources but those in `skip`, or on resource `name` alone
    (`frictionless_report`; the caller has found the whole descriptor valid first)."""
    try:
        report = frictionless_report(descriptor, lambda r: r.get("name") not in skip, name)
    except Exception as exc:  # Frictionless raises on some broken descriptors instead of reporting
        return Findings(str(exc), [], [])
    return Findings(None, [(err.type, err.message) for err in report.errors], [
        (task.name, str(task.place or task.name),
         [(err.type, err.message, getattr(err, "row_number", None)) for err in task.errors])
        for task in report.tasks])


def tasks_on(runner: Runner | None, nbytes: int) -> Runner | None:
    """`runner`, when it has workers and Frictionless has `nbytes` to read (TASKS_FROM_BYTES or more): the
    executor for checks one task per table; else None, for one validation in this process."""
    return runner if runner is not None and runner.jobs > 1 and nbytes >= TASKS_FROM_BYTES else None


def _size(root: Path, resource: dict) -> int:
    """The size of a resource's file as it is (Parquet resources declare no `bytes`); 0 if it is missing."""
    path = root / resource["path"]
    return path.stat().st_size if path.is_file() else 0


def _spread(descriptor: Path, skip: set[str], executor: Executor) -> Findings:
    """Each table not in `skip` as one task on `executor`, the largest first, and the other resources (chart
    files: hash and size only) as one more; their findings as one, in the descriptor's order of resources."""
    resources = [r for r in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]
                 if r["name"] not in skip]
    tables = sorted((r for r in resources if "schema" in r), key=lambda r: -_size(descriptor.parent, r))
    tasks = [executor.submit(frictionless_findings, descriptor, skip, r["name"]) for r in tables]
    if len(tables) < len(resources):
        tasks.append(executor.submit(frictionless_findings, descriptor, skip | {r["name"] for r in tables}))
    found = [task.result() for task in tasks]
    order = {r["name"]: i for i, r in enumerate(resources)}
    return Findings(next((f.cannot for f in found if f.cannot is not None), None),
                    list(dict.fromkeys(e for f in found for e in f.package)),
                    sorted((t for f in found for t in f.resources), key=lambda t: order[t[0]]))


def _frictionless(descriptor: Path, label: str, already: set[str], skip: set[str],
                  executor: Executor | None = None) -> list[Problem]:
    """Frictionless on the descriptor and its tables but those in `skip` (checked otherwise, in a descriptor
    found valid as a whole); errors duplicating a file problem are left out. Given an `executor` (a pool, for
    a large package whose descriptor is valid), the tables are checked side by side (`_spread`); the problems
    are the same, in the same order, as from one validation of the whole package in this process."""
    found = frictionless_findings(descriptor, skip) if executor is None else _spread(descriptor, skip, executor)
    if found.cannot is not None:
        return [Problem(f"{label}/{DESCRIPTOR}", f"Frictionless cannot validate it: {found.cannot}")]
    problems = [Problem(f"{label}/{DESCRIPTOR}", f"Frictionless {kind}: {message}") for kind, message in found.package]
    seen: set[tuple[str, str]] = set()
    for _, place, errors in found.resources:
        shown = 0
        hidden = 0
        for kind, message, row in errors:
            # A file already reported (changed, missing) also fails here, and so does every resource whose
            # foreign keys read it: a "source-error" then says nothing new.
            duplicate = (place in already and kind in ("hash-count", "byte-count", "scheme-error")) or (
                bool(already) and kind == "source-error")
            if duplicate or (kind, message) in seen:
                continue
            seen.add((kind, message))
            if shown == MAX_ERRORS_PER_RESOURCE:
                hidden += 1
                continue
            shown += 1
            at = f" (row {row})" if row else ""
            problems.append(Problem(f"{label}/{place}", f"Frictionless {kind}{at}: {message}"))
        if hidden:
            problems.append(Problem(f"{label}/{place}", f"... and {hidden} more Frictionless errors"))
    return problems


def verify_directory(root: Path, label: str, runner: Runner | None = None) -> tuple[list[Problem], int, int, int]:
    """(problems, resources checked, SHA256SUMS files checked, Parquet tables compared with their CSV copies)
    for an unpacked package at `root`; Frictionless's checks of a large package go to `runner`'s workers."""
    from dataset.publish import check_files

    descriptor = root / DESCRIPTOR
    problems, manifest_files = check_manifest(root, label)
    if not descriptor.is_file():
        problems.append(Problem(f"{label}/{DESCRIPTOR}", "missing: not a data package"))
        return problems, 0, manifest_files, 0
    try:
        meta = json.loads(descriptor.read_text(encoding="utf-8"))
        resources = meta["resources"]
        if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
            raise TypeError("`resources` is not a list of objects")
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        problems.append(Problem(f"{label}/{DESCRIPTOR}", f"not a readable data package descriptor: {exc}"))
        return problems, 0, manifest_files, 0

    unsafe = False
    for res in resources:
        name = res.get("name", "?")
        reason = unsafe_relative_path(res.get("path"))
        if reason:
            unsafe = True
            problems.append(Problem(f"{label}/{DESCRIPTOR}", f"resource {name!r}: path {res.get('path')!r} {reason}"))
        elif not str(res.get("hash", "")).startswith("sha256:"):
            problems.append(Problem(f"{label}/{res['path']}", f"resource {name!r} declares no sha256 hash: "
                                    "it cannot be verified"))
    if unsafe:  # never read (or let Frictionless read) a path outside the package
        return problems, len(resources), manifest_files, 0

    file_problems = [_split(p) for p in check_files(descriptor)]
    problems += [Problem(f"{label}/{where}", message) for where, message in file_problems]
    damaged = {where for where, _ in file_problems}
    valid = _valid_descriptor(meta, root)
    copy_problems, checked = check_copies(root, resources, label, damaged) if valid else ([], set())
    problems += copy_problems
    read = sum(_size(root, r) for r in resources if r.get("name") not in checked)
    problems += _frictionless(descriptor, label, damaged, checked, tasks_on(runner, read) if valid else None)
    return problems, len(resources), manifest_files, len(checked)


def verify(path: Path, runner: Runner | None = None) -> Verified:
    """Verify a release zip, an unpacked release or a project; raises InputError with every mismatch. With a
    `runner` of more than one job, Frictionless checks a large package's tables side by side."""
    problems: list[Problem] = []
    has_checksum = False
    if path.is_file():
        problems, has_checksum = check_archive_checksum(path)
        try:
            with unpacked(path) as top:
                found, resources, files, copies = verify_directory(top, f"{path}: {top.name}", runner)
        except InputError as exc:
            raise InputError([*problems, *exc.problems]) from None
    elif path.is_dir():
        found, resources, files, copies = verify_directory(path, str(path), runner)
    else:
        raise InputError.one(str(path), "no such file or directory")
    problems += found
    if problems:
        raise InputError(problems)
    return Verified(str(path), resources, files, has_checksum, copies)
