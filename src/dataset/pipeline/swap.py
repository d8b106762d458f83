"""Publishing a staged package into the project root: a journalled swap made only of renames.

A build writes and checks its package in a staging directory, then swaps it in. Whatever the moment a build
is interrupted (Ctrl-C, kill, power loss), the project must afterwards hold one complete package, the old or
the new, never a mix and never a half-deleted one. The swap therefore keeps a journal, the directory
``.build-backup/``, whose existence is the one fact recovery trusts:

1. begin: ``.build-backup.new/`` gets ``manifest.json`` (which outputs the old package has) and is renamed to
   ``.build-backup/`` (before that rename nothing has moved; a leftover ``.new`` is just removed);
2. each old output is renamed into ``.build-backup/``, then each staged output into the root;
3. commit: ``.build-backup/`` is renamed to ``.build-trash-*/``; from then on the new package is the truth;
4. the trash is deleted. A half-deleted trash directory is never read again, only deleted.

While ``.build-backup/`` exists the swap is not committed and recovery rolls it back: every output it holds
goes back to the root (a new output in its place goes to the trash first) and every output the manifest does
not list goes to the trash; then the journal itself is renamed to the trash. Each step is one rename, so an
interruption falls between two steps, and recovery works out what is left to do from the files alone: it can
itself be interrupted and run again. Nothing is ever deleted that recovery might still need.

`swap_steps` and `recovery_steps` expose the steps so that a test can stop after any of them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dataset.errors import InputError

JOURNAL = ".build-backup"
PREPARING = JOURNAL + ".new"
TRASH_PREFIX = ".build-trash-"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Step:
    """One step of a swap or of its recovery: at most one rename that changes what the root publishes."""

    name: str
    run: Callable[[], None]


def _fsync_dir(path: Path) -> None:
    """Make the renames in directory `path` durable (a power cut must not undo a committed step)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rename(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source.rename(target)
    _fsync_dir(target.parent)
    if source.parent != target.parent:
        _fsync_dir(source.parent)


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


def _new_trash(root: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=root))


def swap_steps(staging: Path, root: Path, outputs: tuple[str, ...]) -> list[Step]:
    """The steps that publish `outputs` from `staging` (complete and checked) into `root`, in order."""
    journal, preparing = root / JOURNAL, root / PREPARING
    old = [rel for rel in outputs if _exists(root / rel)]

    def begin() -> None:
        preparing.mkdir()
        manifest = preparing / MANIFEST
        with open(manifest, "w", encoding="utf-8") as handle:
            json.dump({"outputs": list(outputs), "old": old}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _rename(preparing, journal)

    steps = [Step("begin", begin)]
    steps += [Step(f"move old {rel} aside", lambda rel=rel: _rename(root / rel, journal / rel)) for rel in old]
    steps += [Step(f"move new {rel} in", lambda rel=rel: _rename(staging / rel, root / rel)) for rel in outputs]
    steps.append(Step("commit", lambda: _rename(journal, _new_trash(root) / JOURNAL)))
    steps.append(Step("delete trash", lambda: remove_trash(root)))
    return steps


def swap_in(staging: Path, root: Path, outputs: tuple[str, ...]) -> None:
    """Publish the staged outputs; on any failure before the commit, the old package is put back."""
    committed = False
    try:
        for step in swap_steps(staging, root, outputs):
            step.run()
            committed = committed or step.name == "commit"
    except BaseException:
        if not committed:
            recover(root)
        raise


def remove_trash(root: Path) -> None:
    """Delete what earlier swaps and recoveries left to delete (never read, so a half-deleted one is harmless)."""
    for trash in root.glob(TRASH_PREFIX + "*"):
        shutil.rmtree(trash, ignore_errors=True)


def _read_manifest(journal: Path) -> tuple[list[str], set[str]]:
    where = f"{journal.name}/{MANIFEST}"
    try:
        manifest = json.loads((journal / MANIFEST).read_text(encoding="utf-8"))
        outputs, old = manifest["outputs"], manifest["old"]
        if not all(isinstance(x, str) for x in [*outputs, *old]):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError.one(
            str(journal), f"an interrupted build left this directory without a readable {where}, so it is not "
            "known which package is complete: compare it with data/processed/ and remove the one that is not"
        ) from None
    return list(outputs), set(old)


def recovery_steps(root: Path) -> list[Step]:
    """What is left to do to roll back an uncommitted swap (or to clean up after a committed one)."""
    journal, preparing = root / JOURNAL, root / PREPARING
    steps = []
    if _exists(preparing):
        steps.append(Step("drop unbegun journal", lambda: _rename(preparing, _new_trash(root) / PREPARING)))
    if _exists(journal):
        outputs, old = _read_manifest(journal)
        for rel in outputs:
            saved, target = journal / rel, root / rel
            if rel in old and _exists(saved):
                if _exists(target):
                    steps.append(Step(f"drop new {rel}", lambda t=target, r=rel: _rename(t, _new_trash(root) / r)))
                steps.append(Step(f"put old {rel} back", lambda s=saved, t=target: _rename(s, t)))
            elif rel not in old and _exists(target):
                steps.append(Step(f"drop new {rel}", lambda t=target, r=rel: _rename(t, _new_trash(root) / r)))
        steps.append(Step("close journal", lambda: _rename(journal, _new_trash(root) / JOURNAL)))
    steps.append(Step("delete trash", lambda: remove_trash(root)))
    return steps


def recover(root: Path) -> None:
    """Bring the root back to one complete package after an interrupted swap (run before every build)."""
    for step in recovery_steps(root):
        step.run()
