"""Shared fixtures: every test that builds works on a temporary copy of the project's inputs."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dataset.pipeline.cache import CACHE_ENV

REPO = Path(__file__).resolve().parents[1]
# What a build reads; everything else in a project is generated or code.
INPUTS = ("data/raw", "data/coding", "pyproject.toml")


MAX_WORKERS = 4  # each worker's builds start pools of their own (`--jobs` defaults to the CPUs)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject's addopts): one pytest-xdist worker per CPU this process may use, at most
    `MAX_WORKERS`."""
    from dataset.parallel import default_jobs

    return min(default_jobs(), MAX_WORKERS)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's worker reads the groups from the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Group the tests for `--dist loadgroup`: tests of one module that share a module-scoped fixture (directly,
    through another fixture, or by name at run time: the `loads` mark) form one `xdist_group`, run in one worker,
    so the fixture (a build of a project or a generated corpus, seconds each) is made once; a test that uses
    none goes to whichever worker is free. With whole files as the unit (`--dist loadfile`) the largest file
    alone set the suite's time. Session fixtures are made once per worker either way."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(key: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    first: dict[pytest.Item, tuple[str, str]] = {}
    for item in items:
        defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        names = [n for n, found in defs.items() if found and found[-1].scope == "module"]
        names += [n for mark in item.iter_markers("loads") for n in mark.args]
        if names and item.get_closest_marker("xdist_group") is None:
            keys = [(item.nodeid.split("::", 1)[0], n) for n in sorted(set(names))]
            for key in keys[1:]:
                parent[find(key)] = find(keys[0])
            first[item] = keys[0]
    for item, key in first.items():
        module, fixture = find(key)
        item.add_marker(pytest.mark.xdist_group(f"{module}::{fixture}"))


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One build cache for the session's builds (`$DATASET_CACHE_DIR`), shared by the xdist workers: its entries
    are keyed by content, so a test's build draws only the charts no earlier build drew (the same package built
    in twenty tests is drawn once). Tests of the project's own cache (tests/test_cache.py) remove the variable."""
    base = tmp_path_factory.getbasetemp()
    directory = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-build-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(directory))
        yield directory


@pytest.fixture(scope="session", autouse=True)
def fork_server(shared_cache: Path) -> None:
    """Each test process's fork server, started once with what every runner of the suite preloads (the build's
    charts and the checks' Frictionless). multiprocessing keeps one fork server per process, with the imports
    of the first runner that started it: in the command line that is the command's own, but a test process
    runs hundreds of builds, verifies and releases, and a server started by a verify (Frictionless only) made
    every chart worker forked from it later import matplotlib and pandas again, about a second each. Started
    here, from the session's working directory and environment (the shared cache), not inside whichever
    test's temporary directory came first."""
    from dataset.parallel import CHECKS_PRELOAD, PRELOAD, Runner

    with Runner(2, preload=(*PRELOAD, *CHECKS_PRELOAD)):
        pass


def copy_inputs(dest: Path) -> Path:
    for rel in INPUTS:
        src = REPO / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel)
        elif src.exists():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, in a fresh interpreter, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "dataset", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command's entry point in this process (no new interpreter): exit code, stdout and stderr captured,
    run from `cwd`. Same result shape as `run_cli`; keep `run_cli` for the contract tests that need a process."""
    from dataset.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or Path.cwd()), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(["dataset", *args], code, out.getvalue(), err.getvalue())


def make_corpus(*args: str) -> subprocess.CompletedProcess[str]:
    """benchmarks/make_corpus.py's `main(args)` in this process (no new interpreter, which would import the
    pipeline again), its output captured: the same result shape as `run_cli`."""
    module = sys.modules.get("make_corpus")
    if module is None:
        spec = importlib.util.spec_from_file_location("make_corpus", REPO / "benchmarks/make_corpus.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_corpus"] = module  # its pool's functions are pickled by this name
        spec.loader.exec_module(module)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = module.main(list(args))
    return subprocess.CompletedProcess(["make_corpus.py", *args], code, out.getvalue(), err.getvalue())


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every published output file under a project root."""
    files = [root / "datapackage.json", root / "CITATION.cff", root / "docs/codebook.md",
             *sorted((root / "data/processed").rglob("*")), *sorted((root / "figures").rglob("*"))]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files if p.is_file()}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy built once in the run by the command's entry point, every output computed (`--no-cache`:
    the reference the other builds are compared with); tests must not modify it. The xdist workers share it,
    as they share the build cache: the first to ask builds it, under a lock, and the others wait for it."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root, done = shared / "built", shared / "built.done"
    with open(shared / "built.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # left by a worker whose build failed
            result = cli("--root", str(copy_inputs(root)), "build", "--no-cache")
            assert result.returncode == 0, result.stderr
            done.touch()
    return root


@pytest.fixture
def project(tmp_path: Path, built: Path) -> Path:
    """A private, already built project copy that a test may break."""
    root = tmp_path / "project"
    shutil.copytree(built, root)
    return root
