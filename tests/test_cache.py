"""Incremental builds (issue 23): the content-addressed cache and the stamp of the last build.

The cache must never change a byte of the package (built with and without it, before and after an edit, with
damaged entries), and a no-op build must answer from the stamp alone, without importing pandas, pyarrow or
matplotlib.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from conftest import cli, copy_inputs
from dataset.parallel import Runner
from dataset.pipeline.build import build
from dataset.pipeline.cache import BLOB_INCOMING, BLOBS, CACHE_DIR, CACHE_ENV, MAGIC, Store, chunk_bounds, fingerprint
from dataset.pipeline.publish import OUTPUTS
from dataset.pipeline.stamp import STAMP
from dataset.project import find_project

CODING = "data/coding/articles/reuters-2016-04-ennetcom-servers-seized.yaml"


@pytest.fixture(scope="module", autouse=True)
def own_cache() -> Iterator[None]:
    """These tests inspect a project's own cache (.cache/dataset/): the session's shared one is not used."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(CACHE_ENV, raising=False)
        yield


def outputs(root: Path) -> dict[str, str]:
    """sha256 of every file a build publishes (tables, descriptor, citation, codebook, charts, exports)."""
    found = {}
    for rel in OUTPUTS:
        path = root / rel
        for file in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
            found[file.relative_to(root).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return found


def entries(root: Path) -> set[Path]:
    return {p for p in (root / CACHE_DIR).rglob("*") if p.is_file() and p.name != Path(STAMP).name}


def build_here(root: Path, cache: bool = True) -> None:
    with Runner(1) as runner:
        build(find_project(root=root), runner, cache=cache)


def edit_coding(root: Path) -> None:
    """A change that reaches the tables: one event source's date expression, cut to a shorter passage of its
    quote ("said on Friday" -> "on Friday": a date expression stays words of its own quote)."""
    path = root / CODING
    text = path.read_text(encoding="utf-8")
    assert "date_expression: said on Friday" in text
    path.write_text(text.replace("date_expression: said on Friday", "date_expression: on Friday", 1),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def cached_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project built once with its cache filled, at `root`, and a copy of it at `template`."""
    base = tmp_path_factory.mktemp("cached")
    root = copy_inputs(base / "project")
    build_here(root)
    template = base / "template"
    shutil.copytree(root, template, symlinks=True)
    return root, template


@pytest.fixture
def cached(cached_once: tuple[Path, Path]) -> Path:
    """A project built once with its cache filled, as each test finds it: the module's one build, copied back
    to the path it was built at. The per-article stages' entries are keyed by their files' paths (their results
    name them), so only a copy at the same path is the project as its build left it, every entry current."""
    root, template = cached_once
    shutil.rmtree(root)
    shutil.copytree(template, root, symlinks=True)
    return root


@pytest.mark.slow
def test_outputs_are_the_same_bytes_with_and_without_the_cache(cached: Path, built: Path, tmp_path: Path) -> None:
    assert not (built / CACHE_DIR / "stages").exists()  # `built` is built with --no-cache, which writes no entry
    assert outputs(cached) == outputs(built)
    built_before = entries(cached)

    build_here(cached)  # every result from the cache
    assert outputs(cached) == outputs(built)
    assert entries(cached) == built_before

    plain = copy_inputs(tmp_path / "plain")
    edit_coding(cached)
    edit_coding(plain)
    for path in built_before:  # written long ago: what the next build does not use is removed
        os.utime(path, (0, 0))
    build_here(cached)
    assert cli("--root", str(plain), "build", "--no-cache").returncode == 0
    assert outputs(cached) == outputs(plain)
    # Only what reads the coding file was computed again: its chunk of the coding stage, no chart (none draws
    # an event source's date expression), the exports that read event_sources (Stata's and SPSS's event_sources
    # files; of the SQLite database, the event_sources piece; of the annotations, the piece holding the row) and
    # Frictionless's check of event_sources' CSV copy.
    new = entries(cached) - built_before
    assert new and len({p for p in new if "stages" in p.parts}) == 1
    assert not {p for p in new if "charts" in p.parts}
    assert len({p for p in new if "exports" in p.parts}) == 2
    assert len({p for p in new if "sqlite" in p.parts}) == 1
    assert len({p for p in new if "annotations" in p.parts}) == 1
    assert len({p for p in new if "checks" in p.parts}) == 1
    # The entries the edit left unused are gone: the cache holds one build's results.
    assert len(built_before - entries(cached)) == len(new)


@pytest.mark.slow
def test_damaged_entries_are_computed_again(cached: Path) -> None:
    before = outputs(cached)
    files = sorted(entries(cached))
    assert len(files) >= 8
    for n, path in enumerate(files):
        data = path.read_bytes()
        if n % 3 == 0:
            path.write_bytes(data[: len(data) // 2])  # an interrupted write
        elif n % 3 == 1:
            path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # a flipped bit in the payload
        else:
            path.write_bytes(files[n - 1].read_bytes())  # another key's entry under this name
    leftover = files[0].parent / ".tmp-interrupted"
    leftover.write_bytes(b"half an entry")
    os.utime(leftover, (0, 0))
    build_here(cached)
    assert outputs(cached) == before
    assert not leftover.exists()
    for path in files:  # each rewritten whole under its own key (a file's blob: the bytes its name hashes)
        kind, key = path.parent.parent.name, path.name
        if kind == BLOBS:
            assert hashlib.sha256(path.read_bytes()).hexdigest() == key, path
        else:
            assert Store(cached / CACHE_DIR).load(kind, key) is not None, path


def test_store_checks_the_key_and_the_payload(tmp_path: Path) -> None:
    store = Store(tmp_path)
    key, other = fingerprint("a"), fingerprint("b")
    store.save_object("stages", key, {"rows": [1, 2]})
    assert store.load_object("stages", key) == (True, {"rows": [1, 2]})
    assert store.load_object("stages", other) == (False, None)
    path = tmp_path / "stages" / key[:2] / key
    assert path.read_bytes().startswith(MAGIC + key.encode() + b"\n")
    assert [p.name for p in path.parent.iterdir()] == [key]  # no temporary file left
    target = tmp_path / "stages" / other[:2] / other
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(path.read_bytes())  # a valid entry, but of another key
    assert store.load_object("stages", other) == (False, None)
    path.write_bytes(path.read_bytes().replace(b"\x02", b"\x03"))
    assert store.load_object("stages", key) == (False, None)


def test_a_changed_item_moves_only_its_own_chunk_boundaries() -> None:
    rng = random.Random(1)  # noqa: S311 - keys for a test, not secrets
    keys = [f"{rng.getrandbits(256):064x}" for _ in range(2000)]
    before = chunk_bounds(keys)
    assert sum(end - start for start, end in before) == len(keys)
    for changed in ([*keys[:1000], fingerprint("new"), *keys[1001:]],  # one item changed
                    [*keys[:1000], fingerprint("added"), *keys[1000:]]):  # one item inserted
        after = chunk_bounds(changed)
        chunks_before = {tuple(keys[s:e]) for s, e in before}
        chunks_after = {tuple(changed[s:e]) for s, e in after}
        assert len(chunks_after - chunks_before) <= 2
        assert len(chunks_before - chunks_after) <= 2


@pytest.mark.slow
def test_fingerprints_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("x")
    code = ("import sys; from pathlib import Path; from dataset.pipeline.cache import fingerprint; "
            f"print(fingerprint({{'b', 'a', 'c'}}, {{'k': (1, 2.5, None)}}, Path({str(tmp_path / 'f.txt')!r})))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(seen) == 1
    before = seen.pop().strip()
    (tmp_path / "f.txt").write_text("y")
    assert fingerprint({"a", "b", "c"}, {"k": (1, 2.5, None)}, tmp_path / "f.txt") != before


@pytest.mark.slow
def test_a_no_op_build_imports_no_heavy_library(cached: Path) -> None:
    code = ("import sys; from dataset.cli import main; code = main(['--root', sys.argv[1], 'build']); "
            "print(code, sorted(m for m in ('pandas', 'pyarrow', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, str(cached)], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "0 []", result.stdout + result.stderr
    assert result.stdout.startswith("up to date, nothing changed since the last build (built ")


def test_check_names_what_is_stale_and_builds_nothing(cached: Path) -> None:
    assert cli("--root", str(cached), "build", "--check").returncode == 0
    before = outputs(cached)
    (cached / CODING).write_text((cached / CODING).read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    (cached / "figures/timeline.svg").write_bytes(b"<svg/>")
    result = cli("--root", str(cached), "build", "--check")
    assert result.returncode == 1
    assert f"stale: input {CODING}: changed" in result.stderr
    assert "stale: output figures/timeline.svg: changed" in result.stderr
    assert outputs(cached) == {**before, "figures/timeline.svg": hashlib.sha256(b"<svg/>").hexdigest()}

    # A build puts the output back (from the cache) and the package is up to date again.
    assert cli("--root", str(cached), "build").returncode == 0
    assert outputs(cached) == before
    assert cli("--root", str(cached), "build", "--check").returncode == 0
    json.loads((cached / STAMP).read_text())  # the stamp is whole

    (cached / STAMP).unlink()
    result = cli("--root", str(cached), "build", "--check")
    assert result.returncode == 1 and "no record of a successful build" in result.stderr


def test_a_build_hashes_the_outputs_only_while_no_input_changed(cached: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`dataset build` asks only whether to build: a hand-edited output alone is a reason, found by hashing the
    outputs; once an input changed, the outputs are not read (`--check` still names every reason)."""
    from dataset.pipeline import stamp

    (cached / "figures/timeline.svg").write_bytes(b"<svg/>")
    assert stamp.stale(cached, every_reason=False).reasons == ["output figures/timeline.svg: changed"]
    (cached / CODING).write_text((cached / CODING).read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    assert stamp.stale(cached).reasons == [f"input {CODING}: changed", "output figures/timeline.svg: changed"]

    def unread(root: Path, outputs: object) -> dict[str, str]:
        raise AssertionError("the outputs were hashed")

    monkeypatch.setattr(stamp, "output_hashes", unread)
    assert stamp.stale(cached, every_reason=False).reasons == [f"input {CODING}: changed"]


def test_a_failed_build_leaves_no_stamp(cached: Path) -> None:
    sidecar = next((cached / "data/raw").glob("*.meta.yaml"))
    sidecar.write_text(sidecar.read_text().replace("language: ", "language: xx", 1))
    assert cli("--root", str(cached), "build").returncode == 2
    assert not (cached / STAMP).exists()
    assert cli("--root", str(cached), "build", "--check").returncode == 1


def test_a_chart_is_drawn_again_only_when_what_it_shows_changed(cached: Path) -> None:
    """A figure's edit reaches the figures table alone: of the charts, only stated_figures reads it."""
    path = cached / CODING
    text = path.read_text(encoding="utf-8")
    assert "    approximate: false\n" in text
    path.write_text(text.replace("    approximate: false\n", "    approximate: true\n", 1), encoding="utf-8")
    before = entries(cached)
    build_here(cached)
    new = entries(cached) - before
    assert len({p for p in new if "charts" in p.parts}) == 1
    # The exports that read figures: Stata's and SPSS's figures files, the SQLite database's figures piece and
    # the annotations' piece of the row, not the others.
    assert len({p for p in new if "exports" in p.parts}) == 2
    assert len({p for p in new if "sqlite" in p.parts}) == 1
    assert len({p for p in new if "annotations" in p.parts}) == 1


class Recording(Runner):
    """A two-job runner that runs each task here, at once, and records what it was sent: the build's choice of
    what goes to a worker, without workers."""

    def __init__(self) -> None:
        super().__init__(2)
        self.sent: list[tuple[str, tuple[Any, ...]]] = []

    def __enter__(self) -> Recording:  # no fork server: the tasks run here
        return self

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.sent.append((fn.__name__, args))
        with Runner(1) as here:
            return here.submit(fn, *args, **kwargs)


def test_only_what_changed_goes_to_the_workers(cached: Path) -> None:
    """A small package's exports are written in the build's process; to a worker go only the Frictionless checks
    of the CSV copies that changed and the charts whose key has no entry (a worker's first task waits for its
    fork server to import matplotlib and Frictionless): an edit of an event source's date expression, which no
    chart draws, sends the check of event_sources' copy alone; an edit of a figure sends that of figures' copy
    and the one chart that reads figures."""
    def sent(runner: Recording) -> list[tuple[str, str]]:
        return [(name, args[3] if name == "draw_chart" else args[1]) for name, args in runner.sent]

    before = outputs(cached)
    edit_coding(cached)
    with Recording() as runner:
        build(find_project(root=cached), runner)
    assert sent(runner) == [("_check_one", "event_sources-csv")]
    path = cached / CODING
    path.write_text(path.read_text(encoding="utf-8").replace("    approximate: false\n", "    approximate: true\n", 1),
                    encoding="utf-8")
    with Recording() as runner:
        build(find_project(root=cached), runner)
    assert sent(runner) == [("draw_chart", "stated_figures"), ("_check_one", "figures-csv")]
    assert outputs(cached).keys() == before.keys()


@pytest.mark.slow
def test_a_chart_draws_the_same_bytes_from_its_declared_columns_alone(cached: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """`Chart.columns` is what its cache key is made of: each chart reads no other column (recorded as it
    draws), and drawn from those columns alone it writes the same bytes as from every column."""
    from dataset import charts
    from dataset.charts import scope
    from dataset.datapackage import parquet

    read: dict[str, set[str]] = {}

    class Recording(dict):  # type: ignore[type-arg]
        table = ""

        def __getitem__(self, key: str) -> object:
            read.setdefault(self.table, set()).add(key)
            return super().__getitem__(key)

        def get(self, key: str, default: object = None) -> object:
            read.setdefault(self.table, set()).add(key)
            return super().get(key, default)

        def __iter__(self):  # type: ignore[no-untyped-def]
            read.setdefault(self.table, set()).add("every column")
            return super().__iter__()

        keys = items = values = __iter__  # type: ignore[assignment]

    records = parquet.Package.records

    def recording(self: parquet.Package, name: str) -> list[dict]:  # type: ignore[type-arg]
        rows = []
        for row in records(self, name):
            rows.append(Recording(row))
            rows[-1].table = name
        return rows

    descriptor = cached / "datapackage.json"
    focus = scope.focus
    for c in charts.CHARTS:
        whole = charts.render_chart(descriptor, c.name, tmp_path / "whole")
        read.clear()
        with monkeypatch.context() as m:
            m.setattr(parquet.Package, "records", recording)
            m.setattr(scope, "focus", lambda package, case=None, c=c: charts.drawn_columns(
                c, focus(package, case).only(c.tables)))
            alone = charts.render_chart(descriptor, c.name, tmp_path / "alone")
        assert [p.read_bytes() for p in alone] == [p.read_bytes() for p in whole], c.name
        for table, columns in read.items():
            assert columns <= set(c.columns[table]), (c.name, table, columns - set(c.columns[table]))


def blob_of(root: Path, path: Path) -> Path:
    """The cache's blob of the published file at `path`: the one named by its sha256."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return root / CACHE_DIR / BLOBS / digest[:2] / digest


def test_an_export_restored_by_a_link_and_rewritten_in_place_is_written_again(cached: Path) -> None:
    """A restored file is the blob itself (a hard link, not a copy): an export rewritten in place through it
    damages the blob, which the next build finds (its bytes no longer hash to its name), removes and writes
    again, the outputs the same bytes."""
    build_here(cached)  # the fixture's copy holds copies: this build links every file from the cache
    before = outputs(cached)
    published = cached / "exports/stata/cases.dta"
    blob = blob_of(cached, published)
    assert os.path.samefile(published, blob)
    with open(published, "r+b") as handle:  # an in-place edit: the same inode, so the blob's bytes too
        handle.write(b"\0" * 16)
    assert hashlib.sha256(blob.read_bytes()).hexdigest() != blob.name
    entries_before = entries(cached)
    build_here(cached)
    assert outputs(cached) == before
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == blob.name  # stored whole again
    assert os.path.samefile(cached / "exports/stata/cases.dta", blob)
    assert entries(cached) == entries_before


def test_a_blob_an_interrupted_build_left_half_stored_is_removed(cached: Path) -> None:
    """A file is linked into the cache under a temporary name before it is hashed and renamed to its digest: a
    build stopped in between leaves that name, which a later successful build removes once it is old."""
    incoming = cached / CACHE_DIR / BLOBS / BLOB_INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    leftover = incoming / ".tmp-interrupted"
    leftover.write_bytes(b"half a blob")
    os.utime(leftover, (0, 0))
    build_here(cached)
    assert not leftover.exists()
    assert not [p for p in incoming.iterdir()]  # every file stored was renamed to its digest


def test_an_export_replaced_by_another_file_leaves_its_blob_as_it_was(cached: Path) -> None:
    """An output replaced by a new file (as editors and git write) breaks the link, not the blob: the next
    build restores the file from the cache unchanged, writing no entry."""
    build_here(cached)
    before = outputs(cached)
    published = cached / "exports/spss/cases.sav"
    blob = blob_of(cached, published)
    replacement = published.with_name("cases.sav.new")
    replacement.write_bytes(b"not an SPSS file")
    os.replace(replacement, published)
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == blob.name
    entries_before = entries(cached)
    build_here(cached)
    assert outputs(cached) == before and entries(cached) == entries_before
    assert os.path.samefile(published, blob)


def test_a_damaged_validation_entry_is_validated_again(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataset.datapackage import checks

    package = json.loads((cached / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    key = checks.csv_check_key(resources["figures-csv"], resources)
    entry = next(p for p in (cached / CACHE_DIR / "checks").rglob("*") if p.is_file() and p.name == key)
    data = entry.read_bytes()
    entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    validated: list[str | None] = []
    check_csv = checks.check_csv

    def counting(descriptor: Path, name: str | None = None) -> list[str]:
        validated.append(name)
        return check_csv(descriptor, name)

    monkeypatch.setattr(checks, "check_csv", counting)
    before = outputs(cached)
    build_here(cached)
    assert outputs(cached) == before
    assert len(validated) == 1 and validated[0] is not None  # that resource alone
    assert Store(cached / CACHE_DIR).load("checks", entry.name) is not None  # written whole again
    build_here(cached)
    assert len(validated) == 1  # then taken from the cache


def test_a_failing_resource_is_reported_the_same_way_with_the_cache(cached: Path, tmp_path: Path) -> None:
    from dataset.datapackage.checks import check_package
    from dataset.datapackage.files import dump_json, file_facts
    from dataset.errors import InputError

    bad = tmp_path / "bad"
    shutil.copytree(cached, bad, ignore=shutil.ignore_patterns(".cache"))
    cases = bad / "data/processed/cases.csv"
    lines = cases.read_text(encoding="utf-8").splitlines(keepends=True)
    cases.write_text("".join([*lines, lines[-1]]), encoding="utf-8")  # a duplicated primary key
    descriptor = bad / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["name"] == "cases-csv":
            resource.update(file_facts(cases))
    descriptor.write_text(dump_json(package), encoding="utf-8")
    store = Store(cached / CACHE_DIR)
    found = []
    for with_store in (None, store, store):
        with pytest.raises(InputError) as caught:
            check_package(descriptor, None, with_store)
        found.append(str(caught.value))
    assert "cases.csv" in found[0] and found[0] == found[1] == found[2]


def test_checks_sent_to_workers_report_failures_as_a_build_without_the_cache(cached: Path, tmp_path: Path) -> None:
    """A cached build of a small package sends the checks of what changed to the workers; when one fails, the
    package is checked again where a build without the cache checks it (`whole`), so two broken tables are
    reported in the same words and order as without the cache (as tasks they came largest first)."""
    from dataset.datapackage.checks import check_package, start_checks
    from dataset.datapackage.files import dump_json, file_facts
    from dataset.errors import InputError

    bad = tmp_path / "bad"
    shutil.copytree(cached, bad, ignore=shutil.ignore_patterns(".cache"))
    descriptor = bad / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for name in ("cases", "events"):
        copy = bad / f"data/processed/{name}.csv"
        lines = copy.read_text(encoding="utf-8").splitlines(keepends=True)
        copy.write_text("".join([*lines, lines[-1]]), encoding="utf-8")  # a duplicated primary key
        next(r for r in package["resources"] if r["name"] == f"{name}-csv").update(file_facts(copy))
    descriptor.write_text(dump_json(package), encoding="utf-8")
    with pytest.raises(InputError) as uncached:
        check_package(descriptor, None, None)
    with Recording() as workers, pytest.raises(InputError) as sent:  # tasks in this process, in turn: Frictionless
        start_checks(descriptor, workers, Store(tmp_path / "cache"), whole=None).finish()  # is not thread-safe
    assert "cases.csv" in str(uncached.value) and "events.csv" in str(uncached.value)
    assert str(sent.value) == str(uncached.value)


def test_the_descriptor_is_checked_again_only_when_more_than_its_files_hashes_changed(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Frictionless's check of the descriptor (~0.6 s) is cached by the descriptor less each resource's hash and
    size, which `check_files` compares with the files first: an edit of rows reuses it, a change of the
    descriptor's metadata (here the version, from pyproject.toml) checks it again."""
    from dataset.datapackage import checks

    checked: list[Path] = []
    check_descriptor = checks.check_descriptor

    def counting(descriptor: Path) -> list[str]:
        checked.append(descriptor)
        return check_descriptor(descriptor)

    def descriptor() -> dict:
        return json.loads((cached / "datapackage.json").read_text(encoding="utf-8"))

    monkeypatch.setattr(checks, "check_descriptor", counting)
    before = descriptor()
    edit_coding(cached)
    build_here(cached)
    assert [r.get("hash") for r in descriptor()["resources"]] != [r.get("hash") for r in before["resources"]]
    assert checked == []

    pyproject = cached / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    version = f'version = "{before["version"]}"'
    assert version in text
    pyproject.write_text(text.replace(version, 'version = "99.0.0"', 1), encoding="utf-8")
    build_here(cached)
    assert len(checked) == 1 and descriptor()["version"] == "99.0.0"


def test_a_copied_project_draws_and_writes_nothing_again(cached: Path, tmp_path: Path) -> None:
    """Charts, exports and Frictionless's checks are keyed by what they read, not where the project is: a copy
    (a clone, a CI cache restored elsewhere) takes them from the cache it brings. The per-article ingest and
    coding stages are keyed by their files' paths too (their results name those files, read again to report a
    problem's line), so they run again; the outputs are the bytes built where the project was."""
    moved = Path(shutil.copytree(cached, tmp_path / "elsewhere" / "moved"))
    before = {p.relative_to(moved / CACHE_DIR) for p in entries(moved)}
    build_here(moved)
    added = {p.relative_to(moved / CACHE_DIR) for p in entries(moved)} - before
    assert added and {p.parts[0] for p in added} == {"stages"}, sorted(added)
    assert outputs(moved) == outputs(cached)


@pytest.mark.slow
def test_projects_naming_one_cache_directory_share_its_entries(cached: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`$DATASET_CACHE_DIR`: a clone's build takes the charts, exports and checks of another clone's build from
    the one directory (nothing in the projects' own .cache/dataset/), byte for byte what a build without a
    cache writes; a build leaves the shared entries it did not use (the other clone's) in place."""
    shared = tmp_path / "shared"
    monkeypatch.setenv(CACHE_ENV, str(shared))

    def stored() -> set[Path]:
        return {p.relative_to(shared) for p in shared.rglob("*") if p.is_file()}

    first = copy_inputs(tmp_path / "first")
    build_here(first)
    filled = stored()
    assert {p.parts[0] for p in filled} >= {"stages", "charts", "exports", "annotations", "checks"}
    assert not entries(first)

    second = copy_inputs(tmp_path / "second")
    with Recording() as runner:
        build(find_project(root=second), runner)
    assert runner.sent == []  # no chart drawn
    # Only the per-article stages (keyed by their files' paths) are computed again: no export written, no
    # Frictionless check run, no annotations piece.
    assert {p.parts[0] for p in stored() - filled} == {"stages"}
    assert outputs(second) == outputs(first) and not entries(second)

    edit_coding(second)
    build_here(second)
    assert filled <= stored()  # the first clone's entries, unused by this build, are still there
    edit_coding(cached)  # the same edit, built without any cache
    build_here(cached, cache=False)
    assert outputs(second) == outputs(cached)


def test_a_cache_directory_is_taken_as_named_and_never_inside_the_project(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The family of values `$DATASET_CACHE_DIR` may hold: `~`, a relative path (from the current directory),
    the project's own cache (then pruned as its own), a path inside the project (refused: from data/raw it
    would become an input), a file (the build goes on without a cache and says so)."""
    root = copy_inputs(tmp_path / "project")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(CACHE_ENV, "~/cache")
    assert Store.of(root) == Store((tmp_path / "home/cache").resolve(), shared=True)
    monkeypatch.setenv(CACHE_ENV, str(root / CACHE_DIR))
    assert Store.of(root) == Store((root / CACHE_DIR).resolve(), shared=False)
    monkeypatch.setenv(CACHE_ENV, "")
    assert Store.of(root) == Store((root / CACHE_DIR).resolve(), shared=False)

    monkeypatch.setenv(CACHE_ENV, "relcache")
    refused = cli("build", cwd=root / "data/raw")
    assert refused.returncode == 2, refused.stderr
    assert "$DATASET_CACHE_DIR" in refused.stderr and "inside the project" in refused.stderr
    assert not (root / "data/raw/relcache").exists() and "Traceback" not in refused.stderr
    monkeypatch.chdir(tmp_path)
    assert Store.of(root) == Store(tmp_path.resolve() / "relcache", shared=True)

    (tmp_path / "a-file").write_text("not a directory")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "a-file"))
    built = cli("--root", str(root), "build")
    assert built.returncode == 0, built.stderr
    assert "cannot use" in built.stderr and "without a cache" in built.stderr


def test_an_entry_never_reaches_outside_its_directories(tmp_path: Path) -> None:
    """A chart's or an export's entry maps file names to blobs' digests. A name that is absolute or climbs out
    (`..`), or a digest that is not a sha256 (a path instead: a damaged blob is removed, so it must not name
    another file), makes the entry a miss: nothing is written outside the staging directory, nothing removed."""
    store = Store(tmp_path / "cache")
    made = tmp_path / "made"
    made.mkdir()
    (made / "ok.svg").write_bytes(b"<svg/>")
    store.save_files("charts", fingerprint("fine"), made, [made / "ok.svg"])
    found, files = store.load_object("charts", fingerprint("fine"))
    assert found and list(files) == ["ok.svg"]
    digest = files["ok.svg"]
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    out = tmp_path / "out" / "figures"
    bad = [{name: digest} for name in ("../escaped.svg", str(tmp_path / "absolute.svg"), "", "sub/../../x.svg")]
    bad += [{"ok.svg": f"../../../{victim.name}"}, {"ok.svg": "0" * 63}, {"ok.svg": digest.upper()}]
    for n, entry in enumerate(bad):
        store.save_object("charts", fingerprint(n), entry)
        assert store.restore_files("charts", fingerprint(n), out) is None, entry
    assert not (tmp_path / "out").exists() and not (tmp_path / "escaped.svg").exists()
    assert victim.read_bytes() == b"keep me"
    assert store.restore_files("charts", fingerprint("fine"), out) == [out / "ok.svg"]


def test_a_shared_cache_copies_so_a_file_rewritten_in_one_project_changes_no_other(tmp_path: Path) -> None:
    """A project's own cache links its files (a blob is the published file); a shared one copies them: two
    projects restoring one blob get files of their own, and one rewritten in place changes neither the other
    nor the blob."""
    for shared in (False, True):
        store = Store(tmp_path / f"cache-{shared}", shared=shared)
        first, second = tmp_path / f"first-{shared}", tmp_path / f"second-{shared}"
        first.mkdir()
        (first / "table.dta").write_bytes(b"stata bytes")
        store.save_files("exports", fingerprint("stata"), first, [first / "table.dta"])
        [restored] = store.restore_files("exports", fingerprint("stata"), second)
        assert restored.read_bytes() == b"stata bytes"
        assert restored.samefile(first / "table.dta") is not shared
        with open(first / "table.dta", "r+b") as handle:  # rewritten in place, as some programs do
            handle.write(b"STATA")
        assert restored.read_bytes() == (b"STATA bytes" if not shared else b"stata bytes")
    assert [p.read_bytes() for p in (tmp_path / "cache-True").rglob("*") if p.is_file() and BLOBS in p.parts
            and BLOB_INCOMING not in p.parts] == [b"stata bytes"]


def test_where_no_hard_link_can_be_made_files_are_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project's own cache on a file system that refuses links (another device, too many links) stores and
    restores copies: the same bytes, files of their own, and no temporary name left behind."""
    import errno

    def refuse(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    store = Store(tmp_path / "cache")
    made = tmp_path / "made"
    made.mkdir()
    (made / "table.sav").write_bytes(b"spss bytes")
    store.save_files("exports", fingerprint("spss"), made, [made / "table.sav"])
    [restored] = store.restore_files("exports", fingerprint("spss"), tmp_path / "out")
    assert restored.read_bytes() == b"spss bytes" and not restored.samefile(made / "table.sav")
    assert not [p for p in tmp_path.rglob(".tmp-*")]


def test_an_edit_validates_again_only_the_tables_it_changed_and_those_that_read_them(
        cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pandera validates a table again only when its rows, or those of a table its foreign keys point to or its
    row checks read, changed: an edit of an event source's date expression changes event_sources, which the
    events table's checks read (every event has a source, none begins after its sources)."""
    from dataset.pipeline import validate

    schemas: list[str] = []
    pandera_schema = validate.pandera_schema

    def counting(table: Any, tables: Any = None) -> Any:
        schemas.append(table.name)
        return pandera_schema(table, tables)

    monkeypatch.setattr(validate, "pandera_schema", counting)
    build_here(cached)  # whatever an earlier test left: validated and stored
    schemas.clear()
    edit_coding(cached)
    build_here(cached)
    assert sorted(schemas) == ["event_sources", "events"]


def test_a_row_check_reads_only_the_tables_it_declares() -> None:
    """A row check that reads a table it does not declare in `reads` fails validation (its cache key would not
    hold that table): the declaration cannot silently fall behind the code. Declared, the same check passes."""
    import pandas as pd
    import pandera.pandas as pa

    from conftest import REPO
    from dataset.schema import TABLES
    from dataset.schema.emit import pandera_schema
    from dataset.schema.registry import RowCheck

    tables = {name: pd.read_parquet(REPO / f"data/processed/{name}.parquet", dtype_backend="pyarrow")
              for name in ("cases", "articles")}

    def schema(reads: tuple[str, ...]) -> pa.DataFrameSchema:
        check = RowCheck("articles_exist", "there are articles", ("case_id",),
                         lambda df, read: pd.Series(len(read["articles"]) > 0, index=df.index), reads)
        return pandera_schema(dataclasses.replace(TABLES["cases"], checks=(check,)), tables)

    schema(("articles",)).validate(tables["cases"], lazy=True)
    with pytest.raises(pa.errors.SchemaErrors) as refused:
        schema(()).validate(tables["cases"], lazy=True)
    assert "there are articles" in str(refused.value) and "KeyError" in str(refused.value)


VOCABULARY_EDITS = {  # an edit of data/coding/vocabularies.yaml that no table shows -> what validation finds
    "code-taken-out": (("    person: {label: person, definition: A named individual.}\n", ""),
                       "actor_type: 'person' is not a actor_type code"),
    "property-added": (("      definition: Messages that investigators obtained or gained access to.\n",
                        "      definition: Messages that investigators obtained or gained access to.\n"
                        "      requires: [per_period]\n"), "measure_requires"),
}


@pytest.mark.parametrize("edit", VOCABULARY_EDITS, ids=VOCABULARY_EDITS)
def test_a_vocabulary_edit_is_found_though_no_table_changed(cached: Path, edit: str) -> None:
    """A table's validation is keyed by the vocabularies in use (data/coding/vocabularies.yaml), codes and the
    properties row checks read, not only by its rows: a table validated before is validated again once
    `person` is no longer an actor_type code, or once a measure requires a column its figures leave empty,
    and the build stops."""
    (old, new), words = VOCABULARY_EDITS[edit]
    build_here(cached)
    path = cached / "data/coding/vocabularies.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        result = cli("--root", str(cached), "build", "--jobs", "1")
    finally:
        path.write_text(text, encoding="utf-8")  # the module's other tests build this project too
    assert result.returncode == 2
    assert words in result.stderr, result.stderr
