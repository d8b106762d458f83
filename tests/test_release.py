"""`dataset release`: a reproducible, checked, self-describing archive of one version."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from dataset.release import EPOCH, zip_date_time

# What a release takes from the project besides the built package (copy_inputs does not copy them).
RELEASE_FILES = ("LICENSE", "CHANGELOG.md", "docs/datasheet.md")


def releasable(root: Path) -> Path:
    for rel in RELEASE_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, root / rel)
    return root


def do_release(root: Path, *extra: str) -> Path:
    result = run_cli("--root", str(root), "release", *extra)
    assert result.returncode == 0, result.stderr
    package = json.loads((root / "datapackage.json").read_text())
    return root / "dist" / f"{package['name']}-{package['version']}.zip"


def test_release_writes_the_archive_and_its_checksum(project: Path) -> None:
    archive = do_release(releasable(project))
    package = json.loads((project / "datapackage.json").read_text())
    top = f"{package['name']}-{package['version']}"
    assert archive.name == f"{top}.zip"

    checksum = archive.with_name(archive.name + ".sha256").read_text()
    assert checksum == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"

    expected = {"datapackage.json", "CITATION.cff", "LICENSE", "CHANGELOG.md", "README.md", "SHA256SUMS",
                "docs/codebook.md", "docs/datasheet.md", *(r["path"] for r in package["resources"])}
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {n.removeprefix(f"{top}/") for n in names} == expected
        assert all(n.startswith(f"{top}/") for n in names)
        created = zip_date_time(package["created"])  # the release date, never the clock
        assert created[:3] == tuple(int(x) for x in package["created"][:10].split("-"))
        for info in infos:
            assert info.date_time == created
            assert info.external_attr >> 16 == 0o100644
            assert info.create_system == 3
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.extra == b""
            rel = info.filename.removeprefix(f"{top}/")
            if rel not in ("README.md", "SHA256SUMS"):
                assert zf.read(info) == (project / rel).read_bytes(), rel
        sums = zf.read(f"{top}/SHA256SUMS").decode()
        listed = dict(reversed(line.split("  ", 1)) for line in sums.splitlines())
        assert set(listed) == expected - {"SHA256SUMS"}
        for rel, digest in listed.items():
            assert hashlib.sha256(zf.read(f"{top}/{rel}")).hexdigest() == digest


def test_two_releases_are_byte_identical(project: Path, tmp_path: Path, built: Path) -> None:
    first = do_release(releasable(project)).read_bytes()
    # Timestamps, permissions and the clock must not matter, nor where the project lives.
    for path in project.rglob("*"):
        if path.is_file():
            os.utime(path, (1_900_000_000, 1_900_000_000))
            path.chmod(0o600)
    second = do_release(project).read_bytes()
    other = releasable(Path(shutil.copytree(built, tmp_path / "elsewhere" / "copy")))
    third = do_release(other, "--out", str(tmp_path / "out"))
    assert first == second == (tmp_path / "out" / third.name).read_bytes()


def test_archive_readme_describes_loading_citing_and_verifying(project: Path) -> None:
    archive = do_release(releasable(project))
    package = json.loads((project / "datapackage.json").read_text())
    top = archive.name.removesuffix(".zip")
    readme = zipfile.ZipFile(archive).read(f"{top}/README.md").decode()
    assert package["version"] in readme and package["title"] in readme
    for res in package["resources"]:
        if res["format"] == "parquet":
            row = next(line for line in readme.splitlines() if line.startswith(f"| `{res['name']}` |"))
            assert res["path"] in row
            assert re.search(r"\| \d+ \|", row), row
    for needle in ("pd.read_parquet", "DuckDB", "SELECT * FROM", "arrow::read_parquet",
                   "frictionless::read_package", "@misc{cryptophone_takedowns_", "[Data set]",
                   f"sha256sum -c {top}.zip.sha256", "sha256sum -c SHA256SUMS", f"dataset verify {top}.zip"):
        assert needle in readme, needle


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils sha256sum")
def test_sha256sum_accepts_the_release(project: Path, tmp_path: Path) -> None:
    archive = do_release(releasable(project))
    assert subprocess.run(["sha256sum", "-c", archive.name + ".sha256"], cwd=archive.parent,
                          capture_output=True).returncode == 0
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path / "x")
    top = tmp_path / "x" / archive.name.removesuffix(".zip")
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=top, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_an_invalid_package_is_not_released(project: Path) -> None:
    archive = do_release(releasable(project))
    before = archive.read_bytes()
    csv = project / "data/processed/cases.csv"
    csv.write_text(csv.read_text().replace("ennetcom", "ennetcon", 1))
    result = run_cli("--root", str(project), "release")
    assert result.returncode == 2
    assert "data/processed/cases.csv" in result.stderr and "Traceback" not in result.stderr
    assert archive.read_bytes() == before  # the previous release is untouched
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name, archive.name + ".sha256"]


def test_missing_release_files_are_all_reported(project: Path) -> None:
    releasable(project)
    (project / "LICENSE").unlink()
    (project / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    result = run_cli("--root", str(project), "release")
    assert result.returncode == 2
    assert f"{project / 'LICENSE'}: missing" in result.stderr
    assert not (project / "dist").exists() or not list((project / "dist").glob("*.zip"))


def test_changelog_must_have_a_section_for_the_version(project: Path) -> None:
    releasable(project)
    (project / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    result = run_cli("--root", str(project), "release")
    assert result.returncode == 2
    version = json.loads((project / "datapackage.json").read_text())["version"]
    assert f"CHANGELOG.md: has no section `## [{version}]`" in result.stderr


def test_unbuilt_project_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "data/raw").mkdir(parents=True)
    result = run_cli("--root", str(tmp_path), "release")
    assert result.returncode == 2
    assert "datapackage.json: missing: run `dataset build` first" in result.stderr


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        ("2026-11-23T00:00:00Z", (2026, 11, 23, 0, 0, 0)),
        ("2026-11-23T13:45:31+02:00", (2026, 11, 23, 11, 45, 30)),
        ("2026-11-23", (2026, 11, 23, 0, 0, 0)),
        ("1970-01-01T00:00:00Z", EPOCH),
        (None, EPOCH),
        ("not a date", EPOCH),
    ],
)
def test_zip_timestamp_comes_from_created_never_the_clock(created: object, expected: tuple[int, ...]) -> None:
    assert zip_date_time(created) == expected


def test_changelog_covers_this_version_and_every_table() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text()
    package = json.loads((REPO / "datapackage.json").read_text())
    assert "## [Unreleased]" in changelog
    assert f"## [{package['version']}]" in changelog
    for res in package["resources"]:
        if res["format"] == "parquet":
            assert f"`{res['name']}`" in changelog, res["name"]
