"""`dataset verify PATH`: is this download exactly the data package it claims to be?

PATH is an unpacked release, a project root, or a release .zip. A zip is first checked against the
`<zip>.sha256` beside it (when there is one), then extracted safely into a temporary directory. Before
anything is written, every entry is checked and the archive is refused, every problem named, when it is not
exactly a release: an entry not listed in its SHA256SUMS (or SHA256SUMS missing), an entry with an absolute
path, a `..`, a backslash, a control character, outside the one top directory, a name twice (also when only
case or Unicode form differ), a directory, symbolic link or any other non-regular entry, an encrypted entry
or one of a compression method a release does not use; and a size bomb: an entry that declares more than it
can hold (more than `ZipLimits.ratio` times its compressed size), entries that would unpack to more than
`ZipLimits.unpacked_bytes` or overlap, more than `ZipLimits.entries` entries. Each entry is then copied
with its declared size as a cap, never trusting the header alone. The directory is then verified:

- the descriptor is read by the one reader of datapackage.json (dataset.datapackage.read): its shape, and every
  path it names inside the package, remote references refused (nothing is ever fetched);
- every resource file against the sha256 and bytes its datapackage.json declares
  (dataset.datapackage.files.check_files),
- every file listed in SHA256SUMS (written by `dataset release`) against its sha256, so that an edit of
  datapackage.json, the README or the codebook of a release is caught too,
- the descriptor and the tables with Frictionless (types, constraints, keys): the CSV copies row by row;
  when every Parquet table has a CSV copy under the same Table Schema, each must have the declared columns
  and types and the same rows as its copy (read with pyarrow and compared) instead. Frictionless reads
  Parquet through pandas one row at a time, a hundred times slower than the CSV (benchmarks/README.md);
  a package with a Parquet table that has no such copy, or a descriptor that breaks the profile, is read
  by Frictionless whole. With more than one job (`--jobs`), Frictionless checks the tables of a large
  package side by side, one task each; the problems reported are the same, in the same order. Frictionless
  is given an HTTP session that refuses every request.

Every problem is collected and reported at once; exit 0 only when everything matches, else exit 2.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from dataset.datapackage.checks import Findings, frictionless_findings, tasks_on, valid_descriptor
from dataset.datapackage.descriptor import DescriptorError, read_capped
from dataset.datapackage.files import check_files
from dataset.datapackage.read import Descriptor, UnsafePath, as_problems, inside, read, resolve, unsafe_path
from dataset.errors import Collector, InputError, Problem
from dataset.parallel import Runner

if TYPE_CHECKING:  # Frictionless is imported where a check runs, not by `dataset verify --help`
    pass

DESCRIPTOR = "datapackage.json"
MANIFEST = "SHA256SUMS"
# Frictionless errors shown per resource; the rest are counted.
MAX_ERRORS_PER_RESOURCE = 10
# A <zip>.sha256 beside an archive is one line.
MAX_SIDECAR_BYTES = 64 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """What a release zip may hold; a release is far smaller (the 10,000-article one: tens of MB, ratios
    below 10). Checked on the declared sizes before anything is extracted, and on the bytes as they come."""

    archive_bytes: int = 4 * 1024**3  # the archive itself
    unpacked_bytes: int = 4 * 1024**3  # all entries together, and so each
    entries: int = 10_000
    ratio: int = 100  # declared size over compressed size, for an entry larger than `ratio_from`
    ratio_from: int = 1024**2
    manifest_bytes: int = 4 * 1024**2  # SHA256SUMS, read before extraction
    central_bytes: int = 16 * 1024**2  # the list of entries, read before zipfile builds an object for each


ZIP_LIMITS = ZipLimits()
# Compression methods a release may use (`dataset release` deflates); others are refused before reading.
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


@dataclass(frozen=True)
class Verified:
    """What was checked, for the success message."""

    path: str
    resources: int
    manifest_files: int
    archive_checksum: bool
    copies: int  # Parquet tables found equal to their CSV copies


# ---- paths ---------------------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_manifest(text: str, where: str) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """SHA256SUMS (sha256sum format): path -> (sha256, line), and the problems of its lines."""
    entries: dict[str, tuple[str, int]] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if not match:
            problems.append(Problem(where, "not `<sha256>  <path>`", line=number))
            continue
        expected, rel = match.groups()
        reason = unsafe_path(rel)
        if reason:
            problems.append(Problem(where, f"{rel!r} {reason}", line=number))
        elif rel in entries:
            problems.append(Problem(where, f"{rel!r} is listed twice (also line {entries[rel][1]})", line=number))
        else:
            entries[rel] = (expected, number)
    return entries, problems


# ---- safe extraction -----------------------------------------------------------------------------------------


def _entry_problem(info: zipfile.ZipInfo, limits: ZipLimits) -> str | None:
    """Why entry `info` may not be extracted (its name, kind, encryption, method and declared size)."""
    name = info.orig_filename  # zipfile cuts a name at a NUL byte: check the name as stored
    reason = unsafe_path(name.rstrip("/") if name.endswith("/") else name)
    if reason:
        return f"unsafe path: {reason}"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "is a symbolic link (a release holds regular files only)"
    if name.endswith("/") or kind == stat.S_IFDIR or info.external_attr & 0x10:  # 0x10: MS-DOS directory
        return "is a directory entry (a release holds regular files only)"
    if kind not in (0, stat.S_IFREG):
        return f"is not a regular file (file type 0o{kind:o})"
    if info.flag_bits & 0x41:  # traditional or strong encryption
        return "is encrypted"
    if info.compress_type not in ZIP_METHODS:
        return f"uses compression method {info.compress_type}, which a release does not use"
    size, packed = info.file_size, info.compress_size
    if size > limits.unpacked_bytes:
        return f"declares {size} bytes, more than the {limits.unpacked_bytes} a release may unpack to"
    if info.compress_type == zipfile.ZIP_STORED and size != packed:
        return f"declares {size} bytes stored in {packed}"
    if size > limits.ratio_from and size > limits.ratio * max(packed, 1):
        return (f"declares {size} bytes compressed into {packed} (more than {limits.ratio} times as many): "
                "refused as a zip bomb")
    return None


def shown(name: str) -> str:
    """A name as a message shows it: control characters escaped (a NUL byte as \\x00)."""
    return name if name.isprintable() else name.encode("unicode_escape").decode("ascii")


def _listing_problems(infos: list[zipfile.ZipInfo], where: str, limits: ZipLimits,
                      archive_bytes: int) -> tuple[Collector, str | None]:
    """Every entry checked by name, kind and size, and the archive as a whole; (problems, its top directory)."""
    problems = Collector()
    if not infos:
        problems.add(where, "the archive is empty")
    seen: dict[str, str] = {}
    files: set[str] = set()
    tops: set[str] = set()
    for info in infos:
        entry = f"{where}: {shown(info.orig_filename)}"
        reason = _entry_problem(info, limits)
        if reason:
            problems.add(entry, f"refused: {reason}")
            continue
        name = info.filename
        folded = unicodedata.normalize("NFC", name).casefold()
        if name in files:
            problems.add(entry, "refused: the entry appears twice")
        elif folded in seen:
            problems.add(entry, f"refused: differs from {seen[folded]!r} only in case or Unicode form (one would "
                         "replace the other on macOS or Windows)")
        seen.setdefault(folded, name)
        files.add(name)
        parts = name.split("/")
        tops.add(parts[0])
        if len(parts) == 1:
            problems.add(entry, "refused: outside the archive's top directory")
    for name in sorted(files):
        parent = next((p for p in (name.rsplit("/", k)[0] for k in range(1, name.count("/") + 1)) if p in files),
                      None)
        if parent is not None:
            problems.add(f"{where}: {name}", f"refused: inside {parent!r}, which is a file")
    if len(tops) > 1:
        problems.add(where, f"refused: several top directories ({', '.join(sorted(tops))}); a release has one")
    total = sum(i.file_size for i in infos)
    if total > limits.unpacked_bytes:
        problems.add(where, f"refused: would unpack to {total} bytes (more than {limits.unpacked_bytes})")
    if sum(i.compress_size for i in infos) > archive_bytes:
        problems.add(where, "refused: its entries overlap (more compressed bytes than the archive holds): a zip bomb")
    return problems, (tops.pop() if len(tops) == 1 else None)


def central_directory(archive: Path) -> tuple[int, int] | None:
    """(entries, bytes) of the list of entries (the central directory) as the end of an archive declares them,
    read before zipfile reads the list itself; None when there is no such record (zipfile then says why)."""
    with archive.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        start = max(0, size - (22 + 0xFFFF + 20))  # the record, the longest comment, a Zip64 locator before it
        handle.seek(start)
        tail = handle.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        entries, nbytes = struct.unpack("<HI", tail[at + 10: at + 16])
        if at >= 20 and tail[at - 20: at - 16] == b"PK\x06\x07":  # Zip64: the real numbers are elsewhere
            handle.seek(struct.unpack("<Q", tail[at - 12: at - 4])[0])
            record = handle.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                entries, nbytes = struct.unpack("<QQ", record[32:48])
    return entries, nbytes


class _TooLarge(Exception):
    pass


def _copy_capped(src: IO[bytes], out: IO[bytes], limit: int) -> None:
    """Copy at most `limit` bytes (an entry's declared size); more is an error, whatever the header says."""
    left = limit
    while chunk := src.read(min(1 << 20, left + 1)):
        if len(chunk) > left:
            raise _TooLarge(f"holds more than the {limit} bytes it declares")
        out.write(chunk)
        left -= len(chunk)


ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError,
              _TooLarge)


def _manifest_problems(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], top: str, where: str,
                       limits: ZipLimits) -> list[Problem]:
    """The archive against its SHA256SUMS, read before extraction: it lists every other entry, and each
    file it lists is there. A release holds exactly what its manifest lists."""
    name = f"{top}/{MANIFEST}"
    info = next((i for i in infos if i.filename == name), None)
    if info is None:
        return [Problem(where, f"refused: no {name}: a release lists its files there")]
    if info.file_size > limits.manifest_bytes:
        return [Problem(f"{where}: {name}", f"refused: {info.file_size} bytes, more than the {limits.manifest_bytes} "
                        "a manifest may have")]
    try:
        with zf.open(info) as src:
            data = src.read(limits.manifest_bytes + 1)[: limits.manifest_bytes]
    except ZIP_ERRORS as exc:
        return [Problem(f"{where}: {name}", f"cannot be read: {exc}")]
    listed, problems = parse_manifest(data.decode("utf-8", errors="replace"), f"{where}: {name}")
    present = {i.filename.removeprefix(f"{top}/") for i in infos} - {MANIFEST}
    problems += [Problem(f"{where}: {top}/{rel}", f"refused: not listed in {MANIFEST} (a release holds exactly the "
                         "files its manifest lists)") for rel in sorted(present - set(listed))]
    problems += [Problem(f"{where}: {top}/{rel}", f"missing (listed in {MANIFEST}, line {listed[rel][1]})")
                 for rel in sorted(set(listed) - present)]
    return problems


def safe_extract(archive: Path, dest: Path, limits: ZipLimits | None = None) -> Path:
    """Extract a release zip into `dest` after checking every entry and the archive against its SHA256SUMS;
    returns its one top directory. Nothing is written unless every check passes."""
    limits = limits or ZIP_LIMITS
    where = str(archive)
    try:
        size = archive.stat().st_size
    except OSError as exc:
        raise InputError.one(where, f"cannot be read: {exc.strerror}") from None
    if size > limits.archive_bytes:
        raise InputError.one(where, f"refused: {size} bytes, more than the {limits.archive_bytes} a release may have")
    declared = central_directory(archive)
    if declared is not None and declared[0] > limits.entries:
        raise InputError.one(where, f"refused: {declared[0]} entries, more than the {limits.entries} a release may "
                             "have")
    if declared is not None and declared[1] > limits.central_bytes:
        raise InputError.one(where, f"refused: a list of entries of {declared[1]} bytes, more than the "
                             f"{limits.central_bytes} a release may have")
    try:
        zf = zipfile.ZipFile(archive)
    except ZIP_ERRORS as exc:
        raise InputError.one(where, f"not a readable zip archive: {exc}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.entries:
            raise InputError.one(where, f"refused: {len(infos)} entries, more than the {limits.entries} a release "
                                 "may have")
        problems, top_name = _listing_problems(infos, where, limits, size)
        if top_name is not None and not problems.problems:
            problems.problems += _manifest_problems(zf, infos, top_name, where, limits)
        problems.raise_if_any()
        if top_name is None:  # refused above: no entries, or several top directories
            raise InputError.one(where, "refused: no one top directory")

        top = dest / top_name
        top_resolved = top.resolve()
        for info in infos:
            target = dest / info.filename
            if not target.resolve().is_relative_to(top_resolved):  # defence in depth: checked above
                problems.add(f"{where}: {info.filename}", "refused: escapes the archive's top directory")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, target.open("xb") as out:
                    _copy_capped(src, out, info.file_size)
            except ZIP_ERRORS as exc:
                problems.add(f"{where}: {info.filename}", f"cannot be extracted (the archive is damaged or "
                             f"truncated): {exc}")
                continue
            target.chmod(0o644)
        problems.raise_if_any()
    return top


@contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """A package directory for `path`: the directory itself (or the one of a datapackage.json given), or a zip
    extracted safely into a temporary one."""
    if path.is_dir():
        yield path
    elif path.is_file() and path.suffix == ".json":  # a descriptor stands for the package it describes
        yield path.parent
    elif path.is_file():
        with tempfile.TemporaryDirectory(prefix="dataset-unpacked-") as tmp:
            yield safe_extract(path, Path(tmp))
    elif path.exists():
        raise InputError.one(str(path), "is neither a regular file nor a directory")
    else:
        raise InputError.one(str(path), "no such file or directory")


def label_of(path: Path, root: Path) -> str:
    """How messages name the package directory `root` unpacked from `path`: the directory itself, or
    "<zip>: <top>" for a zip's (never the temporary directory)."""
    if root in (path, path.parent):
        return str(root)
    return f"{path}: {root.name}"


# ---- checks --------------------------------------------------------------------------------------------------


def check_archive_checksum(archive: Path) -> tuple[list[Problem], bool]:
    """The zip against `<zip>.sha256` beside it (sha256sum format); (problems, whether there was one)."""
    sidecar = archive.with_name(archive.name + ".sha256")
    if not sidecar.is_file():
        return [], False
    try:
        text = read_capped(sidecar, str(sidecar), MAX_SIDECAR_BYTES).decode("utf-8", errors="replace")
    except DescriptorError as exc:
        return as_problems(exc.issues), True
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
    """Every file listed in SHA256SUMS (when present) against its sha256; each path resolved as a
    descriptor's are (dataset.datapackage.read.resolve: inside the package, a regular file)."""
    manifest = root / MANIFEST
    where = f"{label}/{MANIFEST}"
    if not os.path.lexists(manifest):
        return [], 0
    try:
        data = read_capped(inside(root, manifest), where, ZIP_LIMITS.manifest_bytes)
    except UnsafePath as exc:
        return [Problem(where, str(exc))], 0
    except DescriptorError as exc:
        return as_problems(exc.issues), 0
    entries, problems = parse_manifest(data.decode("utf-8", errors="replace"), where)
    count = 0
    for rel, (expected, number) in entries.items():
        try:
            file = resolve(root, rel)
        except UnsafePath as exc:
            problems.append(Problem(where, f"{rel!r} {exc}", line=number))
            continue
        count += 1
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


def check_copies(desc: Descriptor, label: str, damaged: set[str]) -> tuple[list[Problem], set[str]]:
    """When every Parquet table has a CSV copy (`_copy_of`), each against the descriptor and its copy: the
    declared columns in order, each of the Arrow type its Table Schema type is written as, and the same rows.
    The problems, and the names of the Parquet resources so checked (Frictionless then reads their CSV copies
    only). All or none: a Parquet table's foreign keys hold because its copy's do only if the tables they
    point at are copies too. Files with a hash problem (`damaged`) are left to that problem. The descriptor
    must be valid under the Data Package profile (`valid_descriptor`)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from dataset.schema.emit import ARROW_TYPES

    resources = desc.resources
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
            table = pq.read_table(desc.files[res["name"]])
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
                desc.files[copy["name"]],  # as `publish.write_table` writes: texts with line breaks, "" apart from null
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


def _size(desc: Descriptor, resource: dict) -> int:
    """The size of a resource's file as it is (Parquet resources declare no `bytes`); 0 if it is missing."""
    path = desc.files[resource["name"]]
    return path.stat().st_size if path.is_file() else 0


def _spread(descriptor: Path, skip: set[str], executor: Executor) -> Findings:
    """Each table not in `skip` as one task on `executor`, the largest first, and the other resources (chart
    files: hash and size only) as one more; their findings as one, in the descriptor's order of resources."""
    desc = read(descriptor)
    resources = [r for r in desc.resources if r["name"] not in skip]
    tables = sorted((r for r in resources if "schema" in r), key=lambda r: -_size(desc, r))
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
    problems, manifest_files = check_manifest(root, label)
    try:
        desc = read(root / DESCRIPTOR, label)
    except InputError as exc:  # never read (or let Frictionless read) what a refused descriptor names
        return problems + exc.problems, 0, manifest_files, 0
    resources = desc.resources
    for res in resources:
        if not str(res.get("hash", "")).startswith("sha256:"):
            problems.append(Problem(desc.where(res["path"]), f"resource {res['name']!r} declares no sha256 hash: "
                                    "it cannot be verified"))

    file_problems = [_split(p) for p in check_files(desc)]
    problems += [Problem(f"{label}/{where}", message) for where, message in file_problems]
    damaged = {where for where, _ in file_problems}
    valid = valid_descriptor(desc.data, root)
    copy_problems, checked = check_copies(desc, label, damaged) if valid else ([], set())
    problems += copy_problems
    nbytes = sum(_size(desc, r) for r in resources if r["name"] not in checked)
    problems += _frictionless(desc.path, label, damaged, checked, tasks_on(runner, nbytes) if valid else None)
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
        raise InputError.one(str(path), "neither a regular file nor a directory" if path.exists() else
                             "no such file or directory")
    problems += found
    if problems:
        raise InputError(problems)
    return Verified(str(path), resources, files, has_checksum, copies)
