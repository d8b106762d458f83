"""Whether the package is up to date with its inputs, answered from the standard library alone.

Every successful build writes a stamp, `.cache/dataset/build-stamp.json`: the sha256 of each of its inputs
(every file under data/raw/ and data/coding/, pyproject.toml, the lock file, releases.json and the
dataset package's own files) as they were when the build began, and of each output file it published. The next
`dataset build` compares both with the files as they are now: when nothing differs it says so and stops,
without importing pandas, pyarrow or matplotlib; `dataset build --check` compares and reports what is stale,
never building. A changed, added or removed input, a hand-edited, added or removed output, a project that
moved (the stamp names its root) and an interrupted swap each make the package stale.

The build's lock is here too: the check takes it, so it never reads a package another build is replacing.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from dataset.pipeline.swap import JOURNAL, PREPARING

LOCK_NAME = ".dataset-build.lock"
STAMP = ".cache/dataset/build-stamp.json"
FORMAT = 1
INPUT_DIRS = ("data/raw", "data/coding")
INPUT_FILES = ("pyproject.toml", "requirements.lock", "releases.json")
CODE = "dataset"  # the package's own files are listed as dataset/<path>
SHOWN = 8  # stale files named in a message; the rest are counted


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Only one build (or check) works on a project at a time; a second waits."""
    with open(root / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _files(base: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    """(name, path) of every file under `base` (itself, when a file), named `prefix` + its path below `base`.
    Links and other non-regular files are listed by what they are, so replacing a file by one is a change."""
    if base.is_symlink() or base.is_file():
        yield prefix, base
        return
    for directory, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = Path(directory) / name
            yield prefix + "/" + path.relative_to(base).as_posix(), path


def _hashes(entries: Iterator[tuple[str, Path]]) -> dict[str, str]:
    out = {}
    for name, path in entries:
        try:
            out[name] = "link" if path.is_symlink() else _digest(path) if path.is_file() else "not a file"
        except OSError as exc:
            out[name] = f"unreadable ({exc.strerror})"
    return out


def code_dir() -> Path:
    import dataset

    return Path(dataset.__file__).resolve().parent


def input_hashes(root: Path) -> dict[str, str]:
    """sha256 of every input of a build of the project at `root`, by name."""
    def entries() -> Iterator[tuple[str, Path]]:
        for rel in (*INPUT_DIRS, *INPUT_FILES):
            if os.path.lexists(root / rel):
                yield from _files(root / rel, rel)
        yield from _files(code_dir(), CODE)

    return _hashes(entries())


def output_hashes(root: Path, outputs: Sequence[str]) -> dict[str, str]:
    """sha256 of every file of the published `outputs` (files or directories, relative to `root`)."""
    return _hashes(e for rel in outputs if os.path.lexists(root / rel) for e in _files(root / rel, rel))


@dataclass(frozen=True)
class Stamp:
    root: str
    inputs: dict[str, str]
    outputs: dict[str, str]
    output_roots: list[str]
    summary: str  # what the build printed: "built <version>: <rows>"


def write(root: Path, inputs: Mapping[str, str], outputs: Sequence[str], summary: str) -> None:
    """Record a successful build of `root` from `inputs` (hashed before it read them) and its `outputs` as
    now published; written atomically (a reader sees the old stamp or the new one)."""
    data = {"format": FORMAT, "root": str(root), "inputs": dict(inputs),
            "outputs": output_hashes(root, outputs), "output_roots": list(outputs), "summary": summary}
    path = root / STAMP
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".stamp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def forget(root: Path) -> None:
    """Remove the stamp (a build is starting: until it succeeds, nothing is known to be up to date)."""
    with suppress(FileNotFoundError):
        (root / STAMP).unlink()


def read(root: Path) -> Stamp | None:
    try:
        data = json.loads((root / STAMP).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return Stamp(str(data["root"]), dict(data["inputs"]), dict(data["outputs"]), list(data["output_roots"]),
                     str(data["summary"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _changes(recorded: Mapping[str, str], now: Mapping[str, str], what: str) -> list[str]:
    changed = sorted(name for name in recorded.keys() & now.keys() if recorded[name] != now[name])
    added = sorted(now.keys() - recorded.keys())
    removed = sorted(recorded.keys() - now.keys())
    lines = [f"{name}: changed" for name in changed] + [f"{name}: new" for name in added]
    lines += [f"{name}: removed" for name in removed]
    if len(lines) > SHOWN:
        lines = [*lines[:SHOWN], f"... and {len(lines) - SHOWN} more"]
    return [f"{what} {line}" for line in lines]


@dataclass(frozen=True)
class Staleness:
    """Why the package is not up to date (empty: it is), the last build's stamp and the inputs' hashes now."""

    reasons: list[str]
    last: Stamp | None
    inputs: dict[str, str]


def stale(root: Path) -> Staleness:
    """Whether the package at `root` is up to date with its inputs (see the module's docstring)."""
    inputs = input_hashes(root)
    recorded = read(root)
    if recorded is None:
        return Staleness([f"no record of a successful build here ({STAMP} is missing: a fresh clone, `make clean`, "
                          "or a build that failed)"], None, inputs)
    if recorded.root != str(root):
        return Staleness([f"the last build recorded here was of {recorded.root} (the project was copied or moved)"],
                         recorded, inputs)
    if os.path.lexists(root / JOURNAL) or os.path.lexists(root / PREPARING):
        return Staleness(["an interrupted build left its swap unfinished"], recorded, inputs)
    reasons = _changes(recorded.inputs, inputs, "input")
    reasons += _changes(recorded.outputs, output_hashes(root, recorded.output_roots), "output")
    return Staleness(reasons, recorded, inputs)
