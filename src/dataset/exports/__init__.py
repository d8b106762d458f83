"""Exports for other tools, generated from the published package like the charts (never from the build's frames).

Each export reads the staged package's Parquet tables alone (through its datapackage.json), writes its files
under `exports/`, and is listed in datapackage.json with its sha256 and size, so that `dataset verify`, the
release archive and the wheel carry it like any other resource. Every export is byte-identical on rebuild:
no clock, no random identifier, no path of the machine that built it.

One module per format:

- `annotations`: every quote-anchored row as a W3C Web Annotation (JSON-LD);
- `sqlite`: the tables in one SQLite database for Datasette, its metadata and an evidence plugin;
- `stata`: one .dta file per table, with variable labels and value labels from the schema registry.
- `spss`: one .sav file per table, converted and labelled as for Stata.

The build calls `start_exports` once the tables are staged (the exports are written on the build's runner,
beside the charts and the package checks) and `add_exports` once they are checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from dataset.pipeline.cache import Store

EXPORTS_DIR = "exports"
# The tables whose rows are anchored in an article by a quote: the column holding the quote and the key
# columns, in the order the exports list them (the annotations; the SQLite database's evidence rows).
ANCHORED: dict[str, tuple[str, tuple[str, ...]]] = {
    "event_sources": ("quote", ("source_id",)), "figures": ("quote", ("figure_id",)),
    "mentions": ("surface", ("mention_id",)),
}

# An export's writer: the package's tables (by table name), its descriptor (name, title, licence, created)
# and the directory to write into; returns the files written.
Writer = Callable[[Mapping[str, pa.Table], Mapping[str, Any], Path], list[Path]]


@dataclass(frozen=True)
class ExportFile:
    """One file an export writes, as its resource in datapackage.json describes it."""

    name: str  # the resource name
    path: str  # relative to exports/
    format: str
    mediatype: str
    title: str
    description: str


@dataclass(frozen=True)
class Export:
    name: str
    module: str  # dataset.exports.<module>, imported only when the export runs
    tables: tuple[str, ...]  # the tables it reads: its resources' `sources`
    # One file per table, written from that table alone (Stata, SPSS): one task part and one cache entry each.
    per_table: bool = False
    # Written from every table of the package (SQLite holds them all), not only `tables`.
    every_table: bool = False
    # The writer takes the build's cache (`store=`) and keeps pieces of its file there, each made of a few
    # rows (annotations) or of one table (SQLite): a part whose tables changed writes again only the pieces of
    # the changed rows or tables. Its files are not cached whole, which would keep a second copy and leave the
    # pieces unused, so removed.
    pieces: bool = False

    def units(self, present: Sequence[str]) -> list[tuple[str, ...]]:
        """The tables of each part the export is written in, for a package of the tables `present`: a part's
        files are written from those tables alone, and cached under their hashes (`start_exports`)."""
        if self.per_table:
            return [(t,) for t in present]
        return [tuple(present) if self.every_table else tuple(t for t in self.tables if t in present)]

    def writer(self) -> Writer:
        import importlib

        return importlib.import_module(f"dataset.exports.{self.module}").write  # type: ignore[no-any-return]

    def files(self, tables: Sequence[str] | None = None) -> list[ExportFile]:
        """The files this export writes for a package of `tables` (default: every table of the schema)."""
        import importlib

        from dataset.schema.tables import TABLES

        module = importlib.import_module(f"dataset.exports.{self.module}")
        return module.files(list(tables if tables is not None else TABLES))  # type: ignore[no-any-return]


EXPORTS: tuple[Export, ...] = (
    Export("annotations", "annotations", ("articles", "event_sources", "figures", "mentions"), pieces=True),
    Export("sqlite", "sqlite", ("articles", "cases", "actors", "events", "event_actors", "event_sources",
                                "mentions", "figures"), every_table=True, pieces=True),
    Export("stata", "stata", ("articles", "cases", "actors", "events", "event_actors", "event_sources",
                              "mentions", "figures"), per_table=True),
    Export("spss", "spss", ("articles", "cases", "actors", "events", "event_actors", "event_sources",
                            "mentions", "figures"), per_table=True),
)


def read_tables(descriptor_path: Path, names: Collection[str] | None = None
                ) -> tuple[dict[str, Any], dict[str, pa.Table]]:
    """The descriptor (as data) and every Parquet table it lists (or those in `names`; resolved as the charts
    resolve them), each checked against the sha256 it declares: an export is made from exactly the published
    bytes."""
    import hashlib

    from dataset.datapackage.parquet import parquet_resources

    descriptor = json.loads(Path(descriptor_path).read_text(encoding="utf-8"))
    hashes = {r["name"]: r.get("hash") for r in descriptor["resources"]}
    tables = {}
    for name, path in parquet_resources(Path(descriptor_path)).items():
        if names is not None and name not in names:
            continue
        data = path.read_bytes()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if hashes.get(name, digest) != digest:
            raise ValueError(f"{path}: does not match the sha256 its descriptor declares")
        tables[name] = pq.read_table(pa.BufferReader(data))
    return descriptor, tables


def render_export(descriptor_path: Path, name: str, out_dir: Path) -> list[Path]:
    """Write export `name` of the package at `descriptor_path` into `out_dir` (one task of the build)."""
    export = next(e for e in EXPORTS if e.name == name)
    descriptor, tables = read_tables(descriptor_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    return export.writer()(tables, descriptor, out_dir)


def render_all(descriptor_path: Path, out_dir: Path) -> list[Path]:
    """Every export of the package at `descriptor_path`, into `out_dir`."""
    return [path for e in EXPORTS for path in render_export(descriptor_path, e.name, out_dir)]


def export_resources(root: Path, descriptor_path: Path) -> list[dict[str, Any]]:
    """One Frictionless resource per export file under `root/exports`, with its sha256 and size. `sources`
    names the tables the export reads, as the charts' resources do."""
    from dataset.datapackage.files import file_facts
    from dataset.datapackage.parquet import parquet_resources

    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    paths = parquet_resources(descriptor_path)
    present = [r["name"] for r in descriptor["resources"] if r["name"] in paths]
    resources = []
    for export in EXPORTS:
        for f in export.files(present):
            path = f"{EXPORTS_DIR}/{f.path}"
            sources = [{"title": t, "path": paths[t].relative_to(root).as_posix()} for t in export.tables
                       if t in paths]
            # "type": "file": checked by hash and size, never opened as a table (Frictionless would read a
            # .sav through its SPSS plugin, which the package does not need)
            resource = {"name": f.name, "path": path, "type": "file", "format": f.format,
                        "mediatype": f.mediatype, "title": f.title, "description": f.description,
                        "sources": sources}
            resource.update(file_facts(root / path))
            resources.append(resource)
    return resources


def write_parts(descriptor_path: Path, name: str, out_dir: Path, parts: Sequence[tuple[str, ...]],
                store: Store | None = None, keys: Sequence[str] = ()) -> list[Path]:
    """Write each part of export `name` (the tables it is written from, `Export.units`) into `out_dir`, from
    the package at `descriptor_path` (one task of the build); with a `store`, each part's files are stored
    under its key in `keys`, or for an export written in pieces, the writer keeps its pieces there."""
    export = next(e for e in EXPORTS if e.name == name)
    descriptor, tables = read_tables(descriptor_path, {t for part in parts for t in part})
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = export.writer()
    written = []
    for i, part in enumerate(parts):
        if export.pieces:
            paths = writer({t: tables[t] for t in part}, descriptor, out_dir, store=store)  # type: ignore[call-arg]
        else:
            paths = writer({t: tables[t] for t in part}, descriptor, out_dir)
        if store is not None and not export.pieces:
            store.save_files("exports", keys[i], out_dir, paths)
        written += paths
    return written


def part_key(export: Export, part: Sequence[str], descriptor: Mapping[str, Any]) -> str:
    """What a part of an export is written from: its tables (each file's sha256 and schema, as the descriptor
    declares them: the codes' labels come from the schema), the descriptor's own metadata (name, title,
    version, date, licence; not its resources nor its per-article `sources`) and the code; not where the project
    is, so a copied or moved project writes nothing again."""
    from dataset.pipeline.cache import code_fingerprint, fingerprint

    resources = {r["name"]: r for r in descriptor["resources"]}
    meta = {k: v for k, v in descriptor.items() if k not in ("resources", "sources")}
    tables = [(t, resources[t].get("hash"), json.dumps(resources[t].get("schema"), sort_keys=True)) for t in part]
    return fingerprint("export", export.name, code_fingerprint(), json.dumps(meta, sort_keys=True),
                       tables)


def start_exports(descriptor_path: Path, executor: Executor, exports: list[Future[list[Path]]],
                  store: Store | None = None) -> None:
    """Write every export into exports/ beside `descriptor_path` on `executor`, one task each, appended to
    `exports` as submitted (the caller waits for every task started, as for the charts). An export is written
    in parts (`Export.units`: one per table for Stata and SPSS, else the tables it reads); with a `store`, a
    part whose tables (their sha256 and schema), descriptor metadata and code are unchanged is taken from the
    build's cache, and only the other parts are written, so a changed table writes again only what reads it.
    An export written in pieces (`Export.pieces`) is always written, from its pieces in the cache."""
    out_dir = descriptor_path.parent / EXPORTS_DIR
    out_dir.mkdir()
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    present = list(parquet_names(descriptor_path))
    for export in EXPORTS:
        parts = export.units(present)
        restored: list[Path] = []
        missing: list[tuple[tuple[str, ...], str]] = []
        for part in parts:
            key = part_key(export, part, descriptor) if store is not None and not export.pieces else ""
            files = store.restore_files("exports", key, out_dir) if key else None
            if files is None:
                missing.append((part, key))
            else:
                restored += files
        if missing:
            exports.append(executor.submit(write_parts, descriptor_path, export.name, out_dir,
                                           [p for p, _ in missing], store, [k for _, k in missing]))
        else:
            done: Future[list[Path]] = Future()
            done.set_result(restored)
            exports.append(done)


def parquet_names(descriptor_path: Path) -> list[str]:
    from dataset.datapackage.parquet import parquet_resources

    return list(parquet_resources(descriptor_path))


def add_exports(descriptor_path: Path, exports: list[Future[list[Path]]]) -> None:
    """Wait for the exports (an export's error is raised here), list each file in the descriptor with its
    sha256 and size, and check them against the final descriptor."""
    from dataset.datapackage.files import check_files, write_json
    from dataset.errors import InputError

    for future in exports:
        future.result()
    package = json.loads(descriptor_path.read_text(encoding="utf-8"))
    added = export_resources(descriptor_path.parent, descriptor_path)
    package["resources"].extend(added)
    write_json(descriptor_path, package)
    problems = check_files(descriptor_path, {r["name"] for r in added})
    if problems:
        raise InputError(problems)
