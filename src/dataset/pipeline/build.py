"""The whole pipeline, raw -> articles -> validated tables -> published package, run atomically.

Only one build runs on a project at a time (an exclusive lock; a second build waits). The new package is
written and checked in a staging directory inside the project, then swapped in by renames alone, with a
journal (`dataset.pipeline.swap`): a build that fails or is killed at any point leaves the previous data/processed/,
figures/, datapackage.json and CITATION.cff as they were, or, once the swap has committed, the new ones.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from concurrent.futures import Future, wait
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dataset import metadata
from dataset.datapackage.checks import Checks, start_checks
from dataset.datapackage.files import file_facts, remembering
from dataset.datapackage.releases import RECORD, read_record
from dataset.errors import InputError
from dataset.exports import add_exports, start_exports
from dataset.parallel import Runner
from dataset.pipeline import coverage, stamp
from dataset.pipeline.articles import build_articles
from dataset.pipeline.cache import StageCache, Store
from dataset.pipeline.coding import read_coding
from dataset.pipeline.corrections import changed_values, check_ledger, read_ledger, reused_ids, unrecorded
from dataset.pipeline.mentions import find_mentions
from dataset.pipeline.publish import OUTPUTS, PROCESSED, add_charts, stage, start_charts
from dataset.pipeline.stamp import LOCK_NAME, build_lock
from dataset.pipeline.swap import recover, swap_in
from dataset.pipeline.validate import validate
from dataset.project import Project
from dataset.schema import TABLES

__all__ = ["LOCK_NAME", "STAGING_PREFIX", "BuildReport", "assemble", "build", "build_lock"]

STAGING_PREFIX = ".build-staging-"
# Cache entries used by a build are those read or written since it began, less this (a file's time is taken
# from a clock that may lag time.time() by a tick, a few milliseconds): older ones are removed once it succeeds.
PRUNE_MARGIN = 0.05


@dataclass(frozen=True)
class BuildReport:
    version: str
    rows: dict[str, int]
    # Values changed since the package this build replaced that the corrections ledger does not record.
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """What `dataset build` prints: the version and each table's rows."""
        return f"built {self.version}: " + ", ".join(f"{name}: {n}" for name, n in self.rows.items())


def assemble(project: Project, runner: Runner | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the package, validated; raises one InputError with every problem found in the raw
    files, the coding and the tables (each at its file and line where it was written by hand). Per-article
    stages run on `runner` (a process pool for a large corpus)."""
    runner = runner or Runner()
    articles, article_origins = build_articles(project, runner)
    coding = read_coding(project, articles, runner)
    read_ledger(project, dict(zip(articles["article_id"], articles["text"], strict=True)), coding, coding.problems)
    built = {"articles": articles, "mentions": find_mentions(articles, coding.names, coding.article_case, runner)}
    tables = {name: built[name] if name in built else coding.pop_frame(name) for name in TABLES}
    problems = coding.problems
    try:
        tables = validate(tables, {"articles": article_origins, **coding.origins},
                          runner.cache.store if runner.cache is not None else None)
    except InputError as exc:
        problems.extend(exc)
    # The coverage gate needs valid articles (a known language, a real date): it runs once they are.
    problems.raise_if_any()
    problems.problems += check_ledger(tables["corrections"], coding.origins.get("corrections", []), tables,
                                      metadata.release(project.pyproject).version)
    problems.problems += reused_ids(read_record(project.root), tables, project.rel(project.root / RECORD))
    # Every detected number is a coded figure or explained; every coded value fits its quote.
    detections = coverage.detections_by_article(articles, runner)
    figures = tables["figures"]
    problems.problems += coverage.check_reasons(coding.not_figures)
    problems.problems += coverage.check_values(figures, coding.origins.get("figures", []), detections)
    coding_dir = project.rel(project.coding / "articles")
    coding_files = {a: f"{coding_dir}/{a}.yaml" for a in coding.article_case}
    report = coverage.measure(articles, figures, coding.not_figures, detections)
    problems.problems += coverage.gate(report, coding_files)
    problems.raise_if_any()
    return tables


def _sha256(path: str) -> str:
    """A file's sha256 (hex), from the facts the build took of it if it is unchanged since (`remembering`)."""
    return str(file_facts(Path(path))["hash"]).removeprefix("sha256:")


def build(project: Project, runner: Runner | None = None, cache: bool = True,
          inputs: dict[str, str] | None = None) -> BuildReport:
    """Build the package. Per-article stages of a large corpus and the charts run on `runner`'s workers when
    it has more than one job (the tables are checked while the charts are drawn); else all in this process.
    With `cache`, per-article results, charts and exports are taken from the cache (`Store.of`) where their
    inputs are unchanged (`dataset.pipeline.cache`; the outputs are the same bytes either way). A successful
    build records its inputs and outputs (`dataset.pipeline.stamp`): `inputs`, their hashes when the caller has
    just taken them (`dataset build`, which compared them with the last build's), else taken here."""
    runner = runner or Runner()
    root = project.root
    store = Store.of(root) if cache else None
    started = time.time()
    with build_lock(root), remembering():
        stamp.forget(root)
        if inputs is None:  # before anything is read: a file changed meanwhile is seen by the next build
            inputs = stamp.input_hashes(root, remember=cache)
        recover(root)  # an interrupted swap is rolled back (or its trash deleted) before anything else
        for leftover in root.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(leftover, ignore_errors=True)
        release = metadata.release(project.pyproject)
        previous, runner.cache = runner.cache, StageCache(store) if store is not None else None
        try:
            tables = assemble(project, runner)
        finally:
            runner.cache = previous
        rows = {name: len(df) for name, df in tables.items()}
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        charts: list[Future[list[Path]]] = []
        exports: list[Future[list[Path]]] = []
        checks: Checks | None = None
        try:
            descriptor = stage(tables, staging, release)
            warnings = unrecorded(changed_values(root / PROCESSED, staging / PROCESSED), tables["corrections"])
            del tables  # written: the charts and the checks read the staged files, so the frames can go
            # The charts to draw go to the workers whatever the size. A large corpus's exports (the longest
            # tasks, so first) and checks go there too. A small package's exports are written here (as tasks
            # they would wait for a worker) while the workers run the Frictionless checks of what changed
            # (their fork server has imported Frictionless meanwhile); checked whole (no cache), one
            # validation here is quicker than tasks.
            start_charts(descriptor, runner, charts, store)
            if runner.spreads(rows["articles"]):
                start_exports(descriptor, runner, exports, store)
                checks = start_checks(descriptor, runner, store, whole=runner)
            else:
                checks = start_checks(descriptor, runner if store is not None and runner.jobs > 1 else None, store,
                                      whole=None)
                start_exports(descriptor, Runner(), exports, store)
            checks.finish()
            add_charts(descriptor, charts)
            add_exports(descriptor, exports)
            # Hashed in staging, where the build hashed most of them already (`remembering`): the swap
            # renames the files, which changes no byte (the stamp is written once they are in place).
            published = stamp.output_hashes(staging, OUTPUTS, _sha256)
            swap_in(staging, root, OUTPUTS)
        finally:
            tasks = charts + exports + (checks.tasks if checks is not None else [])
            for future in tasks:  # on failure, tasks not yet begun are dropped; none may still use the staging
                future.cancel()  # directory when it is removed
            wait(tasks)
            shutil.rmtree(staging, ignore_errors=True)
        report = BuildReport(release.version, rows, warnings)
        stamp.write(root, inputs, OUTPUTS, report.summary, published)
        if store is not None:
            store.prune(started - PRUNE_MARGIN)
    return report
