"""`dataset release`: the citable archive of one version, `dist/<name>-<version>.zip` and its `.zip.sha256`.

The zip holds, under one top directory `<name>-<version>/`: datapackage.json, every resource file it lists,
docs/codebook.md and docs/datasheet.md (when present), CITATION.cff, LICENSE, CHANGELOG.md, a README.md
generated for the archive, and SHA256SUMS (sha256sum format, every other file of the archive).

It is reproducible: the same package gives the same bytes. Entries are sorted; every timestamp is the
release date from datapackage.json `created` (never the clock; 1980-01-01 when it has none); every file is
a regular file with mode 0644 made on "Unix"; ZIP_DEFLATED at level 9; no extra fields, no comment, no
directory entries, no absolute paths. The descriptor is read by the one reader of descriptors
(dataset.datapackage.read: its shape, every path inside the project, no remote reference) and every other file
taken into the archive is resolved the same way (a symbolic link out of the project is refused, never
published). The package is then checked (dataset.datapackage.checks.check_package: hashes, then
Frictionless; a CSV copy or the descriptor that the project's last build found valid under the same key, in
`.cache/dataset/checks`, is not checked again unless `cache` is off: `--no-cache`), and the release is refused
when it is invalid, when CITATION.cff names another version, or when CHANGELOG.md has no section for this
version. Both files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataset.datapackage import releases
from dataset.datapackage.checks import tasks_on
from dataset.datapackage.read import Descriptor, UnsafePath, read, resolve
from dataset.datapackage.verify import MANIFEST
from dataset.errors import Collector, InputError, Problem
from dataset.parallel import Runner
from dataset.project import Project

REQUIRED = ("CITATION.cff", "LICENSE", "CHANGELOG.md")
OPTIONAL = ("docs/codebook.md", "docs/datasheet.md")
README = "README.md"
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can store
FILE_MODE = 0o644
COMPRESSLEVEL = 9
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
VERSIONING = ("Versions follow semantic versioning for data: new rows, tables or columns (or new codes) are a "
              "minor version; a removed or changed column or changed codes are a major version; corrections "
              "of coded values are a patch.")


@dataclass(frozen=True)
class Released:
    archive: Path
    checksum: Path
    sha256: str
    files: tuple[str, ...]


def zip_date_time(created: object) -> tuple[int, int, int, int, int, int]:
    """The timestamp of every entry: `created` of datapackage.json (UTC), else 1980-01-01 00:00."""
    try:
        when = dt.datetime.fromisoformat(str(created))
    except ValueError:
        return EPOCH
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
    return stamp if EPOCH <= stamp < (2108,) else EPOCH


def members(root: Path, descriptor: Descriptor) -> tuple[dict[str, Path], Collector]:
    """Archive path -> source file for every file taken from the project (each resolved inside it, as the
    descriptor's paths are); the problems found."""
    problems = Collector()
    files: dict[str, Path] = {"datapackage.json": descriptor.path}
    for i, res in enumerate(descriptor.resources):
        if res["path"] in (README, MANIFEST):
            problems.add(descriptor.label, f"{res['path']!r} is a file the release writes itself (resource "
                         f"{res['name']!r})", field=f"resources[{i}].path")
        files[res["path"]] = descriptor.files[res["name"]]
    for rel in (*REQUIRED, *OPTIONAL):
        try:
            path = resolve(root, rel)
        except UnsafePath as exc:
            problems.add(str(root / rel), f"not taken into the release: {exc}")
            continue
        if path.is_file():
            files[rel] = path
        elif rel in REQUIRED:
            problems.add(str(root / rel), "missing (a release must include it)")
    return files, problems


def table_problems(descriptor: Descriptor) -> list[Problem]:
    """What the package check (dataset.datapackage.checks.check_package) takes for granted of a package it built: each
    Parquet resource is a table of this package in a readable Parquet file, each CSV copy declares its size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dataset.schema.tables import TABLES

    problems = []
    for i, res in enumerate(descriptor.resources):
        path = descriptor.files[res["name"]]
        if res.get("format") == "csv" and "bytes" not in res:
            problems.append(Problem(descriptor.label, f"missing (resource {res['name']!r}): a CSV copy declares its "
                                    "size", field=f"resources[{i}].bytes"))
        if res.get("format") != "parquet":
            continue
        if res["name"] not in TABLES:
            problems.append(Problem(descriptor.label, f"{res['name']!r} is not a table of this package (its tables: "
                                    f"{', '.join(TABLES)})", field=f"resources[{i}].name"))
        elif path.is_file():  # a missing file is the package check's to report
            try:
                pq.read_schema(path)
            except (OSError, ValueError, pa.ArrowException) as exc:
                problems.append(Problem(descriptor.where(res["path"]), f"cannot be read as Parquet: {exc}"))
    return problems


def _rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    try:
        return pq.read_metadata(path).num_rows
    except (OSError, ValueError):
        return None


def _one_line(text: object) -> str:
    line = " ".join(str(text or "").split())
    return line.replace("|", "\\|")


def render_readme(descriptor: Mapping[str, Any], root: Path, files: Mapping[str, Path], citation: str,
                  bibtex: str) -> str:
    """README.md of the archive: what it is, the tables, how to load, cite and verify it."""
    name, version = descriptor["name"], descriptor["version"]
    top = f"{name}-{version}"
    resources = descriptor.get("resources", [])
    parquet = {r["name"]: r for r in resources if r.get("format") == "parquet"}
    copies = {r["name"].removesuffix("-csv"): r["path"] for r in resources
              if r.get("format") == "csv" and r["name"].removesuffix("-csv") in parquet}
    others = [r for r in resources if r["name"] not in parquet and r["name"].removesuffix("-csv") not in copies]
    example = next(iter(parquet), None)
    created = str(descriptor.get("created", ""))[:10]
    licences = ", ".join(lic.get("name", "") for lic in descriptor.get("licenses", []))

    out = [f"# {descriptor.get('title', name)}", "",
           f"`{name}` version {version}" + (f", released {created}" if created else "") + ".", "",
           _one_line(descriptor.get("description")), "",
           "This archive is one released version of the data package. The data are described in "
           "`datapackage.json` (Frictionless Data Package v2: every table's columns, types, allowed values, "
           "keys, and the sha256 of every file); every column and coding rule is explained in "
           "`docs/codebook.md`" + (", and what the data can and cannot support in `docs/datasheet.md`"
                                   if "docs/datasheet.md" in files else "") + ".", "",
           f"Licence: {licences or 'see LICENSE'} (see `LICENSE`).", ""]
    if parquet:
        out += ["## Tables", "",
                "Every table is published as Parquet (typed) and as a CSV copy (UTF-8).", "",
                "| table | rows | files | one row per |", "|---|---|---|---|"]
        for tname, res in parquet.items():
            rows = _rows(files.get(res["path"], root / res["path"]))
            paths = " ".join(f"`{p}`" for p in (res["path"], copies.get(tname)) if p)
            desc = _one_line(res.get("description") or res.get("title"))
            out.append(f"| `{tname}` | {'' if rows is None else rows} | {paths} | {desc} |")
        out.append("")
    if others:
        out += ["## Other files", ""]
        out += [f"- `{r['path']}`: {_one_line(r.get('title') or r.get('description') or r['name'])}" for r in others]
        out.append("")
    if example:
        path = parquet[example]["path"]
        out += ["## Loading the data", "",
                "Python (pandas):", "", "```python", "import pandas as pd",
                f'{example} = pd.read_parquet("{path}", dtype_backend="pyarrow")', "```", "",
                "DuckDB:", "", "```sql", f"SELECT * FROM '{path}';", "```", "",  # noqa: S608 - documentation, not a query
                "R:", "", "```r", f'{example} <- arrow::read_parquet("{path}")',
                '# or, from the CSV copies and their Table Schema:',
                'pkg <- frictionless::read_package("datapackage.json")',
                f'{example} <- frictionless::read_resource(pkg, "{example}-csv")', "```", ""]
    out += ["## How to cite", "",
            "Cite the version you used:", "", citation.strip(), "", "```bibtex", bibtex.strip(), "```", "",
            "`CITATION.cff` holds the same citation in Citation File Format.", "",
            "## How to verify this download", "",
            "The archive against the checksum published beside it, then every file in it:", "",
            "```sh", f"sha256sum -c {top}.zip.sha256", f"unzip {top}.zip && cd {top}",
            f"sha256sum -c {MANIFEST}", "```", "",
            "With the package's own tool (the hashes in datapackage.json, SHA256SUMS and Frictionless):", "",
            "```sh", f"dataset verify {top}.zip", "frictionless validate datapackage.json", "```", "",
            "## Versions", "", VERSIONING + " Changes are listed in `CHANGELOG.md`.", ""]
    return "\n".join(out)


def _write_atomic(dest: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def zip_bytes(top: str, contents: Mapping[str, bytes], date_time: tuple[int, ...]) -> bytes:
    """A reproducible zip: sorted entries under `top/`, fixed time and mode, no extras."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as zf:
        for rel in sorted(contents):
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that external_attr carries the mode
            info.external_attr = (0o100000 | FILE_MODE) << 16
            zf.writestr(info, contents[rel], compresslevel=COMPRESSLEVEL)
    return buffer.getvalue()


def release(project: Project, out_dir: Path | None = None, runner: Runner | None = None,
            previous: Path | None = None, cache: bool = True) -> Released:
    """Write the release archive and its checksum after checking the package (Frictionless's checks of a
    large package's tables go to `runner`'s workers, as in `dataset verify`), and record it in releases.json.
    A version already recorded is only written again with the same bytes; a new one is checked against the
    last release (`previous`, else its archive in dist/): see `dataset.datapackage.releases`. With `cache`,
    the Frictionless checks the build just passed (same key: the files' hashes, schemas, code and library
    versions) come from the project's cache, so a release right after a build checks the hashes and Parquet
    schemas again but runs Frictionless only on what changed since."""
    from dataset.cite import read_cff, to_apa, to_bibtex
    from dataset.datapackage.checks import check_package
    from dataset.pipeline.cache import Store

    root = project.root
    if not os.path.lexists(project.descriptor):
        raise InputError.one(str(project.descriptor), "missing: run `dataset build` first")
    checked = read(project.descriptor)
    descriptor = checked.data
    tables = table_problems(checked)
    if tables:
        raise InputError(tables)
    csv_bytes = sum(r.get("bytes", 0) for r in checked.resources if r.get("format") == "csv")
    try:
        check_package(project.descriptor, tasks_on(runner, csv_bytes), Store.of(root) if cache else None)
    except InputError as exc:  # its problems come as "where: message" strings; print them without a trailing ": "
        raise InputError([Problem(*p.where.split(": ", 1)) if not p.message and ": " in p.where else p
                          for p in exc.problems]) from None
    problems = Collector()
    name, version = str(descriptor.get("name", "")), str(descriptor.get("version", ""))
    for key, value in (("name", name), ("version", version)):
        if not SAFE_NAME.fullmatch(value):
            problems.add(str(project.descriptor), f"{value!r} cannot name a release file", field=key)
    files, missing = members(root, checked)
    problems.problems += missing.problems
    problems.raise_if_any()

    cff = read_cff(root / "CITATION.cff")
    if str(cff["version"]) != version:
        problems.add(str(root / "CITATION.cff"), f"is for version {cff['version']}, the package is {version} "
                     "(run `dataset build`)", field="version")
    try:
        changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.one(str(root / "CHANGELOG.md"), f"not UTF-8: byte 0x{exc.object[exc.start]:02x} at offset "
                             f"{exc.start}") from None
    if not re.search(rf"^## \[{re.escape(version)}\]", changelog, re.MULTILINE):
        problems.add(str(root / "CHANGELOG.md"), f"has no section `## [{version}]`: say what changed in this "
                     "version before releasing it")
    problems.raise_if_any()

    contents = {rel: path.read_bytes() for rel, path in files.items()}
    contents[README] = render_readme(descriptor, root, files, to_apa(cff), to_bibtex(cff)).encode("utf-8")
    contents[MANIFEST] = "".join(f"{hashlib.sha256(contents[rel]).hexdigest()}  {rel}\n"
                                 for rel in sorted(contents)).encode("utf-8")

    top = f"{name}-{version}"
    data = zip_bytes(top, contents, zip_date_time(descriptor.get("created")))
    digest = hashlib.sha256(data).hexdigest()
    record = releases.read_record(root)
    recorded = releases.check_recorded(record, version, digest, str(project.descriptor))
    removed: dict[str, list[dict[str, Any]]] = {}
    if not recorded and record:
        last = record[-1]
        ledger = next((root / r["path"] for r in descriptor["resources"] if r.get("name") == "corrections"),
                      root / "data/processed/corrections.parquet")
        found, removed = releases.check_against_last(
            root, descriptor, last, releases.previous_archive(root, last, previous), ledger)
        problems.problems += found
        problems.raise_if_any()

    out_dir = (out_dir or root / "dist").resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{top}.zip"
    _write_atomic(archive, lambda tmp: tmp.write_bytes(data))
    checksum = out_dir / f"{archive.name}.sha256"
    _write_atomic(checksum, lambda tmp: tmp.write_text(f"{digest}  {archive.name}\n", encoding="utf-8"))
    if not recorded:
        releases.record_release(root, record, descriptor, archive.name, digest, removed)
    return Released(archive, checksum, digest, tuple(sorted(contents)))
