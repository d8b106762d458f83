"""The command-line contract: project found upward or given by --root; exit 0, 2 (bad input), 1 (bug)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, cli, snapshot
from dataset import cli as cli_module

HEAVY = ("pandas", "pyarrow", "matplotlib", "frictionless", "pandera")


@pytest.mark.slow
def test_help_lists_the_commands() -> None:
    """A fresh interpreter, as a user runs it: only a new process shows what `--help` imports (this one has
    imported everything already)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "dataset", "--help"], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0
    assert "build" in result.stdout
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in result.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert "argparse" in imported and not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_project_is_found_upward_from_a_subdirectory(project: Path, built: Path) -> None:
    (project / "data/processed/articles.csv").unlink()
    result = cli("build", cwd=project / "data/raw")
    assert result.returncode == 0, result.stderr
    assert snapshot(project) == snapshot(built)


def test_no_project_here_is_bad_input(tmp_path: Path) -> None:
    result = cli("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "no project found here or above" in result.stderr and "--root" in result.stderr


def test_root_that_is_not_a_project(tmp_path: Path) -> None:
    result = cli("--root", str(tmp_path), "build")
    assert result.returncode == 2
    assert f"error: {tmp_path.resolve()}: not a project or data package" in result.stderr


def test_a_bug_exits_1_with_a_traceback_and_a_request_to_report(monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import dataset.pipeline.build

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(dataset.pipeline.build, "build", broken)
    assert cli_module.main(["--root", str(REPO), "build", "--no-cache"]) == 1  # a no-op build would not call it
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: boom" in err and "please report" in err


def run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """`python *args` writing to a pipe whose reader has already gone, as in `dataset diff a b | head -0`."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, *args], stdout=write_end, stderr=subprocess.PIPE, text=True,
                              cwd=REPO, timeout=600)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [
    ("-m", "dataset", "cite"),
    ("-m", "dataset", "diff", str(REPO), str(REPO)),
    ("-m", "dataset.charts.mentions", "--package", "datapackage.json", "--out", "{out}/mentions.svg"),
], ids=["cite", "diff", "a-chart-module"])
@pytest.mark.slow
def test_a_reader_that_closed_the_pipe_is_no_bug(args: tuple[str, ...], tmp_path: Path) -> None:
    """The output was not wanted: exit 141 (128 + SIGPIPE, as a command the signal ended) and nothing on
    standard error, not "internal error ... this is a bug" with a BrokenPipeError traceback. The work is done:
    the chart is written."""
    result = run_into_a_closed_pipe(*(a.format(out=tmp_path) for a in args))
    assert (result.returncode, result.stderr) == (cli_module.CLOSED_PIPE, "")
    if "dataset.charts.mentions" in args:
        assert (tmp_path / "mentions.svg").stat().st_size > 0


def test_a_broken_pipe_elsewhere_is_still_a_bug(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Only standard output's reader leaving is expected: a BrokenPipeError from anything else is reported as
    the bug it is."""
    import dataset.cite

    def broken(*_: object, **__: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(dataset.cite, "render", broken)
    assert cli_module.main(["--root", str(REPO), "cite"]) == 1
    err = capsys.readouterr().err
    assert "BrokenPipeError" in err and "please report" in err
