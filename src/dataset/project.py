"""Where things are: the project (or unpacked package) a command works on.

Every command works on the project found upward from the current directory, as git finds its repository,
or on `--root PATH`. Nothing is ever written into the installed package's own directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dataset.errors import InputError


@dataclass(frozen=True)
class Project:
    """The paths of one project checkout or unpacked data package."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def coding(self) -> Path:
        return self.root / "data" / "coding"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def descriptor(self) -> Path:
        return self.root / "datapackage.json"

    @property
    def citation(self) -> Path:
        return self.root / "CITATION.cff"

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"

    def rel(self, path: Path) -> str:
        """A path as shown to the user and stored in tables: relative to the root, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _is_root(path: Path) -> bool:
    return (path / "datapackage.json").is_file() or (path / "data" / "raw").is_dir()


def find_project(start: Path | None = None, root: Path | None = None) -> Project:
    """The project at `root`, or the nearest directory at or above `start` that holds one."""
    if root is not None:
        root = root.resolve()
        if not _is_root(root):
            raise InputError.one(str(root), "not a project or data package (no data/raw/ and no datapackage.json)")
        return Project(root)
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return Project(candidate)
    raise InputError.one(
        str(here), "no project found here or above (looked for data/raw/ or datapackage.json); use --root PATH"
    )
