"""The swap that publishes a build: stopped after any step, of the swap or of its own recovery, the project
ends with one complete package (the old one before the commit, the new one after it), never a mix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import dataset.pipeline.swap as swap
from conftest import cli, snapshot
from dataset.pipeline.publish import OUTPUTS
from dataset.pipeline.swap import JOURNAL, TRASH_PREFIX, recover, recovery_steps, swap_in, swap_steps

FILES = ("data/processed/events.parquet", "data/processed/events.csv", "figures/timeline.svg",
         "exports/annotations.jsonld", "datapackage.json", "CITATION.cff", "docs/codebook.md")


def write_package(root: Path, label: str, files: tuple[str, ...] = FILES) -> dict[str, bytes]:
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(f"{label} {rel}\n".encode())
    (root / "docs/checks.md").parent.mkdir(parents=True, exist_ok=True)
    (root / "docs/checks.md").write_text("not an output: never moved\n")
    return published(root)


def published(root: Path) -> dict[str, bytes]:
    """Every file a reader of the project sees (the swap's own directories are not part of the package)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).parts[0].startswith(".build-")}


def setup(tmp_path: Path, old_files: tuple[str, ...]) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    root, staging = tmp_path / "root", tmp_path / "staging"
    old = write_package(root, "old", old_files)
    new = {**write_package(staging, "new"), "docs/checks.md": old["docs/checks.md"]}
    (staging / "docs/checks.md").unlink()
    return root, staging, old, new


def commit_index(root: Path, staging: Path) -> int:
    return [s.name for s in swap_steps(staging, root, OUTPUTS)].index("commit")


OLD_PACKAGES = {"full": FILES, "first-build": (), "no-figures": tuple(f for f in FILES if "figures" not in f)}


@pytest.mark.parametrize("old_files", OLD_PACKAGES.values(), ids=OLD_PACKAGES.keys())
@pytest.mark.slow
def test_killed_at_every_step_of_swap_and_recovery(tmp_path: Path, old_files: tuple[str, ...]) -> None:
    """A kill between any two steps of the swap, then a kill between any two steps of the recovery, then a full
    recovery: the old package before the commit step ran, the new one after, and no journal left."""
    root, staging, _, _ = setup(tmp_path / "count", old_files)
    n_steps, commit = len(swap_steps(staging, root, OUTPUTS)), commit_index(root, staging)
    for k in range(n_steps + 1):
        probe_root, probe_staging, _, _ = setup(tmp_path / f"probe-{k}", old_files)
        for step in swap_steps(probe_staging, probe_root, OUTPUTS)[:k]:
            step.run()
        for j in range(len(recovery_steps(probe_root)) + 1):
            case = tmp_path / f"k{k}-j{j}"
            root, staging, old, new = setup(case, old_files)
            for step in swap_steps(staging, root, OUTPUTS)[:k]:
                step.run()
            for step in recovery_steps(root)[:j]:
                step.run()
            recover(root)
            expected = new if k > commit else old
            assert published(root) == expected, (k, j)
            assert not list(root.glob(".build-*")), (k, j)


def test_half_deleted_trash_is_never_restored(tmp_path: Path) -> None:
    """The round-1 data loss: a build killed while deleting its backup, then any build. The committed journal
    is trash, never read: a half-deleted one cannot replace the package."""
    root, staging, _, new = setup(tmp_path, FILES)
    steps = swap_steps(staging, root, OUTPUTS)
    for step in steps[: commit_index(root, staging) + 1]:
        step.run()
    [trash] = root.glob(TRASH_PREFIX + "*")
    for victim in sorted(trash.rglob("*.parquet")) + sorted(trash.rglob("*.json")):
        victim.unlink()  # killed half-way through deleting it
    recover(root)
    assert published(root) == new


# begin, five outputs moved aside, five moved in, commit, delete trash
SWAP_STEPS = 1 + 2 * len(OUTPUTS) + 2


@pytest.mark.parametrize("failing", range(SWAP_STEPS))
def test_error_in_a_step_rolls_back_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               failing: int) -> None:
    """An exception (Ctrl-C's KeyboardInterrupt, a full disk) in any step: rolled back at once when the commit
    has not happened, kept when it has."""
    root, staging, old, new = setup(tmp_path, FILES)
    steps = swap_steps(staging, root, OUTPUTS)
    assert len(steps) == SWAP_STEPS
    commit = commit_index(root, staging)

    def interrupted() -> None:
        raise KeyboardInterrupt

    steps[failing] = swap.Step(steps[failing].name, interrupted)
    monkeypatch.setattr(swap, "swap_steps", lambda *args: steps)
    with pytest.raises(KeyboardInterrupt):
        swap_in(staging, root, OUTPUTS)
    assert published(root) == (new if failing > commit else old)
    recover(root)
    assert published(root) == (new if failing > commit else old)
    assert not list(root.glob(".build-*"))


def test_journal_without_manifest_is_refused_not_guessed(project: Path) -> None:
    """A journal that cannot be read (an older version's backup directory) is reported, and nothing moves."""
    before = snapshot(project)
    (project / JOURNAL / "data").mkdir(parents=True)
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 2, result.stderr
    assert f"{JOURNAL}: an interrupted build left this directory without a readable" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize("stop", ["after-half-aside", "after-all-in", "after-commit"])
def test_interrupted_swap_then_failing_build_keeps_a_complete_package(project: Path, tmp_path: Path,
                                                                       stop: str) -> None:
    """The real package: a swap killed at `stop`, then a build that fails on bad input. The failing build first
    recovers; the project then holds the old package (before the commit) or the new one (after), byte for byte."""
    old = snapshot(project)
    staging = tmp_path / "staging"
    for rel in OUTPUTS:
        source = project / rel
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, staging / rel)
    (staging / "CITATION.cff").write_text("a newer package\n")
    new = snapshot(staging)
    steps = swap_steps(staging, project, OUTPUTS)
    names = [s.name for s in steps]
    upto = {"after-half-aside": 3, "after-all-in": names.index("commit"), "after-commit": names.index("commit") + 1}
    for step in steps[: upto[stop]]:
        step.run()
    (project / "data/coding/cases.yaml").write_text("- [unclosed\n")
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 2 and "cases.yaml" in result.stderr, result.stderr
    assert snapshot(project) == (new if stop == "after-commit" else old)
    assert not list(project.glob(".build-*"))
