"""Build hook: the wheel carries the data package as package data, in dataset/_package/.

Everything else about the project is configured in pyproject.toml. At wheel-build time (build_py), the
published package is copied from the source tree into build/lib/dataset/_package/: datapackage.json,
every resource file it lists (data/processed/*, and whatever else it lists), CITATION.cff and the
codebook and datasheet (docs/), each
resource checked against the sha256 datapackage.json declares, so a wheel never ships stale or damaged
data. The source tree keeps one copy of the data; an editable install needs none (dataset.datapackage.load reads the
source tree). An sdist carries the same files, so that a wheel can be built from it.

Only the standard library is used: this runs in an isolated build environment.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path, PurePosixPath

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
PACKAGE_DATA = "dataset/_package"  # dataset.datapackage.load.PACKAGE_DATA, inside the `dataset` package
# Shipped beside the data: what every column means and what the data can support.
DOCS = ("docs/codebook.md", "docs/datasheet.md")


def package_files(root: Path) -> list[str]:
    """The files of the published package under `root`, relative POSIX paths, checked against their hashes."""
    descriptor = root / "datapackage.json"
    if not descriptor.is_file():
        raise SystemExit(f"{descriptor}: missing; run `dataset build` before building a wheel")
    files = ["datapackage.json", "CITATION.cff"]
    problems = []
    for res in json.loads(descriptor.read_text(encoding="utf-8")).get("resources", []):
        rel = res.get("path")
        parts = PurePosixPath(rel).parts if isinstance(rel, str) else ("..",)
        if not isinstance(rel, str) or rel.startswith("/") or "\\" in rel or ".." in parts:
            problems.append(f"resource {res.get('name')!r}: unsafe path {rel!r}")
            continue
        path = root / rel
        if not path.is_file():
            problems.append(f"{rel}: missing")
        elif res.get("hash") and "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest() != res["hash"]:
            problems.append(f"{rel}: does not match its sha256 in datapackage.json (rebuild the package)")
        files.append(rel)
    if not (root / "CITATION.cff").is_file():
        problems.append("CITATION.cff: missing")
    files += [rel for rel in DOCS if (root / rel).is_file()]
    if problems:
        raise SystemExit("cannot ship the data package:\n  " + "\n  ".join(problems))
    return sorted(set(files))


def _copy(root: Path, files: list[str], dest: Path) -> None:
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, target)


class BuildPyWithData(build_py):
    """build_py, plus the data package copied into the built `dataset` package (not in editable mode)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / PACKAGE_DATA
        shutil.rmtree(target, ignore_errors=True)  # never ship files left over from an earlier build
        _copy(HERE, package_files(HERE), target)


class SdistWithData(sdist):
    """sdist, plus the published package, so that a wheel built from the sdist carries the data."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        _copy(HERE, package_files(HERE), Path(base_dir))


setup(cmdclass={"build_py": BuildPyWithData, "sdist": SdistWithData})
