"""Frictionless on a written package, one orchestration for the build (`check_package`) and `dataset verify`:
offline, on a descriptor the one reader has checked first, and over a runner's workers one table per task
once the package is large enough to pay for it (`tasks_on`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

from dataset.datapackage.descriptor import NETWORK
from dataset.datapackage.files import check_files
from dataset.datapackage.read import read
from dataset.errors import InputError
from dataset.parallel import Runner
from dataset.schema.emit import arrow_schema
from dataset.schema.tables import TABLES

if TYPE_CHECKING:  # Frictionless is imported where a check runs, not by `dataset verify --help`
    from frictionless import Report

    from dataset.pipeline.cache import Store

# Bytes of files for Frictionless to read from which a runner's workers check the tables one task each; below
# it, one validation in this process is quicker (every task imports Frictionless and reads the descriptor).
TASKS_FROM_BYTES = 2 * 1024**2


def tasks_on(runner: Runner | None, nbytes: int) -> Runner | None:
    """`runner`, when it has workers and Frictionless has `nbytes` to read (TASKS_FROM_BYTES or more): the
    executor for checks one task per table; else None, for one validation in this process."""
    return runner if runner is not None and runner.jobs > 1 and nbytes >= TASKS_FROM_BYTES else None


class _Offline:
    """What Frictionless is given for its HTTP session (a `requests.Session` where it fetches): every method
    refuses, naming the URL asked for. Duck-typed, so that checking a package never imports requests (~30 ms of
    every build that checks a table)."""

    def __getattr__(self, method: str) -> Callable[..., Any]:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            url = kwargs.get("url") or next((a for a in args if isinstance(a, str | bytes) and b"://" in
                                             (a if isinstance(a, bytes) else a.encode())), "a URL")
            raise ConnectionError(f"{url!s} was not fetched ({method}): {NETWORK}")

        return refuse


@contextmanager
def offline() -> Iterator[None]:
    """Frictionless with an HTTP session that refuses every request. The reader of the descriptor refuses
    remote references before Frictionless is given one (dataset.datapackage.read); this makes sure of it."""
    from frictionless import system

    raised: BaseException | None = None
    with system.use_context(http_session=_Offline()):
        try:
            yield
        except BaseException as exc:  # leave the context first: it restores the session only on a normal exit
            raised = exc
    if raised is not None:
        raise raised


def valid_descriptor(descriptor: dict, root: Path) -> bool:
    """Whether the descriptor is valid under the Data Package profile (Frictionless reports why, if not)."""
    from frictionless import Package

    try:  # on a copy: Frictionless may normalise the descriptor it reads in place
        with offline():
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
    (with the tables its foreign keys point to); raises what Frictionless raises on a descriptor it refuses,
    and InputError on one the reader of descriptors refuses (dataset.datapackage.read: Frictionless is only given
    checked descriptors, and fetches nothing). A single resource is checked without the package's `sources`,
    one per article, which Frictionless would check again in every task: the callers have the whole
    descriptor checked once."""
    from frictionless import Package

    meta = read(descriptor).data
    meta["resources"] = [r for r in meta["resources"] if keep(r)]
    if name is not None:
        meta.pop("sources", None)
        needed = {name, *_referenced(meta["resources"], name)}
        meta["resources"] = [r for r in meta["resources"] if r.get("name") in needed]
    with offline():
        return Package(meta, basepath=str(descriptor.parent)).validate(name=name)


def _referenced(resources: list[dict[str, Any]], name: str) -> set[str]:
    """The resources that resource `name`'s foreign keys point to: all Frictionless reads to check it (building
    a Package of the others only costs time)."""
    schema = next((r.get("schema") for r in resources if r.get("name") == name), None)
    keys = schema.get("foreignKeys", []) if isinstance(schema, dict) else []
    return {fk["reference"].get("resource") or name for fk in keys
            if isinstance(fk, dict) and isinstance(fk.get("reference"), dict)}


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


def check_package(descriptor_path: Path, executor: Executor | None = None, store: Store | None = None) -> None:
    """Validate a written package: every file against its hash, each Parquet file's schema against the declared
    one, and with Frictionless the descriptor and the CSV copies (types, constraints, primary and foreign keys).

    Both copies of a table are written from one Arrow table, so Frictionless reads the CSV copy only: it reads
    Parquet through pandas row by row (rows x columns squared), which made this check half of a 10,000-article
    build (benchmarks/README.md). `frictionless validate datapackage.json` still checks every resource.
    Frictionless checks rows one by one in Python, the longest stage of a large build: given an `executor`
    (a pool), the descriptor and each CSV copy are one task each (the largest table first), checked side by
    side and beside the charts; without one, in this process at once (for a small package, quicker than
    tasks, which each read the descriptor again).

    With a `store` (the build's cache), a CSV copy found valid before under the same key is not validated
    again (`csv_check_key`, `descriptor_check_key`); if any check then fails, the whole package is checked as
    without a store, so a failure is reported in the same words (and never cached).
    """
    start_checks(descriptor_path, executor, store, whole=executor).finish()


def start_checks(descriptor_path: Path, executor: Executor | None, store: Store | None,
                 whole: Executor | None) -> Checks:
    """`check_package`, begun: the files' hashes and the Parquet schemas are checked here and now (an
    InputError at once), the Frictionless checks are handed to `executor`'s workers (with none, run here), and
    the caller works meanwhile (the build writes its exports) before `Checks.finish` waits for them. `whole`:
    where the whole package is checked, without a store or again after a check failed (a build without the
    cache checks there too, so a failure is reported in the same words and order)."""
    problems = check_files(descriptor_path)
    if problems:
        raise InputError(problems)
    package = json.loads(descriptor_path.read_text(encoding="utf-8"))
    root = descriptor_path.parent
    for res in package["resources"]:
        if res.get("format") == "parquet" and not pq.read_schema(root / res["path"]).equals(
                arrow_schema(TABLES[res["name"]]), check_metadata=False):
            problems.append(f"{res['path']}: Parquet schema differs from the declared schema of {res['name']!r}")
    if problems:
        raise InputError(problems)
    if store is None:
        return Checks(descriptor_path, whole, None, {}, _whole(descriptor_path, whole, package))
    resources = {r["name"]: r for r in package["resources"]}
    keys = {DESCRIPTOR: descriptor_check_key(package),
            **{r["name"]: csv_check_key(r, resources) for r in _copies(package)}}
    missing = {name: key for name, key in keys.items() if not store.passed("checks", key)}
    return Checks(descriptor_path, whole, store, missing,
                  [_task(executor, _check_one, descriptor_path, name) for name in missing])


@dataclass
class Checks:
    """The Frictionless checks of a written package, begun by `start_checks`. With a store, `tasks` are the
    checks its cache did not hold, one per name in `keys` (the descriptor's is `DESCRIPTOR`); without one, the
    whole package's checks, on `whole`."""

    descriptor_path: Path
    whole: Executor | None
    store: Store | None
    keys: dict[str, str]
    tasks: list[Future[list[str]]]

    def finish(self) -> None:
        """Wait for the checks; raise InputError with the problems found. With a store, each check that found
        nothing is stored; if any found a problem, the whole package is checked again as without a store, for
        the messages a build without the cache gives."""
        found = [problem for task in self.tasks for problem in task.result()]
        if self.store is not None:
            if not found:
                for key in self.keys.values():
                    self.store.record_pass("checks", key)
                return
            package = json.loads(self.descriptor_path.read_text(encoding="utf-8"))
            self.tasks = _whole(self.descriptor_path, self.whole, package)
            found = [problem for task in self.tasks for problem in task.result()]
        # As tasks, each problem said once: a broken schema fails the descriptor's task and every task reading it.
        problems = list(dict.fromkeys(found)) if self.whole is not None else found
        if problems:
            raise InputError(problems)


def _copies(package: dict[str, Any]) -> list[dict[str, Any]]:
    """The package's CSV copies, the largest first (checked first when they are tasks)."""
    return sorted((r for r in package["resources"] if r.get("format") == "csv"), key=lambda r: -r["bytes"])


def _whole(descriptor_path: Path, executor: Executor | None, package: dict[str, Any]) -> list[Future[list[str]]]:
    """Every Frictionless check of the package: one validation here, or on `executor` the descriptor and each
    CSV copy as tasks of their own."""
    if executor is None:
        return [_task(None, check_csv, descriptor_path)]
    return [executor.submit(check_descriptor, descriptor_path),
            *(executor.submit(check_csv, descriptor_path, r["name"]) for r in _copies(package))]


def _task(executor: Executor | None, fn: Callable[..., list[str]], *args: Any) -> Future[list[str]]:
    """`fn(*args)` on `executor`, or run here and now (an error raised at once, as a check in this process
    always raised)."""
    if executor is not None:
        return executor.submit(fn, *args)
    done: Future[list[str]] = Future()
    done.set_result(fn(*args))
    return done


DESCRIPTOR = ""  # the descriptor's own check among the named checks of CSV copies (no resource has this name)


def csv_check_key(resource: dict[str, Any], resources: dict[str, dict[str, Any]]) -> str:
    """What Frictionless's check of one CSV copy reads: its resource (path, sha256, size, schema, dialect) and
    the resources its foreign keys point to (their keys are read), with the code and library versions."""
    from dataset.pipeline.cache import code_fingerprint, fingerprint

    targets = sorted({fk.get("reference", {}).get("resource") or resource["name"]
                      for fk in resource.get("schema", {}).get("foreignKeys", [])})
    read = [resource] + [resources.get(t, {"absent": t}) for t in targets]
    return fingerprint("frictionless", code_fingerprint(), json.dumps(read, sort_keys=True))


def descriptor_check_key(package: dict[str, Any]) -> str:
    """What Frictionless's check of the descriptor against the Data Package profile depends on: the descriptor
    with each resource's `hash` and `bytes` values left out (kept as a placeholder of the same type and
    form), with the code and library versions. Those two values are whatever the written files give, checked
    against the files themselves (`check_files`) before any Frictionless check: so an edit that changes only
    a table's rows checks the descriptor's metadata from the cache."""
    from dataset.pipeline.cache import code_fingerprint, fingerprint

    def placeholder(resource: dict[str, Any]) -> dict[str, Any]:
        out = dict(resource)
        if isinstance(out.get("hash"), str):
            algorithm, _, digest = out["hash"].rpartition(":")
            out["hash"] = f"{algorithm}:{'0' * len(digest)}" if algorithm else "0" * len(digest)
        if isinstance(out.get("bytes"), int) and not isinstance(out["bytes"], bool):
            out["bytes"] = 1 if out["bytes"] > 0 else out["bytes"]
        return out

    shape = {**package, "resources": [placeholder(r) if isinstance(r, dict) else r
                                      for r in package.get("resources", [])]}
    return fingerprint("frictionless-descriptor", code_fingerprint(), json.dumps(shape, sort_keys=True))


def _check_one(descriptor_path: Path, name: str) -> list[str]:
    """One of `start_checks`'s checks by its name: the descriptor's (`DESCRIPTOR`) or a CSV copy's (a task
    of its own on a pool, so a module-level function)."""
    return check_descriptor(descriptor_path) if name == DESCRIPTOR else check_csv(descriptor_path, name)


def check_descriptor(descriptor_path: Path) -> list[str]:
    """The descriptor against the Data Package profile, with Frictionless; the problems found."""
    from frictionless import Package

    package = json.loads(descriptor_path.read_text(encoding="utf-8"))
    report = Package.validate_descriptor(package, basepath=str(descriptor_path.parent))
    return [f"{descriptor_path}: {err.message}" for err in report.errors]


def check_csv(descriptor_path: Path, name: str | None = None) -> list[str]:
    """The CSV copies (or only resource `name`) with Frictionless: types, constraints, primary and foreign
    keys (the tables a foreign key points to are read too); the problems found. For one resource the
    package-level `sources` are left out (`frictionless_report`; `check_descriptor` checks them once); for
    all, the descriptor is checked with them."""
    from frictionless import FrictionlessException

    try:
        report = frictionless_report(descriptor_path, lambda r: r.get("format") == "csv", name)
    except FrictionlessException as exc:  # a descriptor that breaks the profile is refused as it is read
        return [f"{descriptor_path}: {err.message}" for err in exc.reasons or [exc.error]]
    return [f"{task.place}: {err.type}: {err.message}" for task in report.tasks for err in task.errors] or [
        f"{descriptor_path}: {err.message}" for err in report.errors]
