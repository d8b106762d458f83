"""Reading the hand-written inputs (raw files, sidecars, coding files): regular files inside the project only.

A link could point anywhere outside the project (a link to /etc/passwd once ended up in articles.parquet), a
FIFO blocks whoever opens it forever, a device may never end. So every input directory and file is looked at
with `lstat` (links are never followed) before it is opened; a file is then opened without following links
and without blocking, and checked again on the open descriptor, so one swapped for a link or a FIFO between
the look and the read is refused, never read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from dataset.errors import Collector, InputError
from dataset.project import Project

_KINDS = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def not_regular(mode: int) -> str | None:
    """What a file of this mode is when it is not a regular file (None for a regular file)."""
    return None if stat.S_ISREG(mode) else _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def refusal(kind: str) -> str:
    return f"is {kind}, not a regular file (inputs are regular files inside the project: copy the file here)"


def read_regular(path: Path, where: str, *, limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path`; a link, FIFO, device or directory (or, with `limit`, a file of
    more than `limit` bytes) is an InputError naming `where`, and is never opened."""
    try:
        before = os.lstat(path)
        kind = not_regular(before.st_mode)
        if kind is not None:
            raise InputError.one(where, refusal(kind))
        _check_size(before.st_size, where, limit)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputError.one(where, f"cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        now = os.fstat(handle.fileno())
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino) or not stat.S_ISREG(now.st_mode):
            raise InputError.one(where, "was replaced while it was read (run the build again)")
        data = handle.read() if limit is None else handle.read(limit + 1)
    _check_size(len(data), where, limit)
    return data


def _check_size(size: int, where: str, limit: int | None) -> None:
    if limit is not None and size > limit:
        raise InputError.one(where, f"file is larger than {limit:,} bytes (too large for a hand-written file)")


def input_dir(project: Project, directory: Path) -> bool:
    """Whether `directory` (inside the project) exists; each of its components below the root must be a real
    directory, not a link to one elsewhere (else an InputError naming it)."""
    current = project.root
    for part in directory.relative_to(project.root).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise InputError.one(project.rel(current), f"cannot read: {exc.strerror}") from None
        if not stat.S_ISDIR(mode):
            kind = not_regular(mode) or "a regular file"
            raise InputError.one(project.rel(current), f"is {kind}, not a directory (input directories are "
                                 "real directories inside the project)")
    return True


def regular_files(project: Project, directory: Path, wanted: Callable[[str], bool],
                  problems: Collector) -> list[Path]:
    """The regular files of `directory` whose names are `wanted` (never a dot-file), by name; a wanted name
    that is a link, directory, FIFO, device or socket is a problem naming it, and is not returned."""
    files = []
    with os.scandir(directory) as scan:
        for entry in sorted(scan, key=lambda e: e.name):  # one directory: by name is by path
            if entry.name.startswith(".") or not wanted(entry.name):
                continue
            # A regular file is told by the directory's own listing where the file system gives each entry's
            # type (no stat of 30,000 files); anything else is asked what it is.
            regular = entry.is_file(follow_symlinks=False)
            kind = None if regular else not_regular(entry.stat(follow_symlinks=False).st_mode)
            if kind is None:
                files.append(Path(entry.path))
            else:
                problems.add(project.rel(Path(entry.path)), refusal(kind))
    return files
