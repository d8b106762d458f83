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

from conftest import REPO, cli
from dataset.datapackage.release import EPOCH, zip_date_time
from dataset.datapackage.releases import check_recorded
from dataset.errors import InputError
from dataset.pipeline.cache import CACHE_ENV

# What a release takes from the project besides the built package (copy_inputs does not copy them).
RELEASE_FILES = ("LICENSE", "CHANGELOG.md", "docs/datasheet.md")


def releasable(root: Path) -> Path:
    for rel in RELEASE_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, root / rel)
    return root


def do_release(root: Path, *extra: str) -> Path:
    result = cli("--root", str(root), "release", *extra)
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


@pytest.mark.slow
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
@pytest.mark.slow
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
    result = cli("--root", str(project), "release")
    assert result.returncode == 2
    assert "data/processed/cases.csv" in result.stderr and "Traceback" not in result.stderr
    assert archive.read_bytes() == before  # the previous release is untouched
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name, archive.name + ".sha256"]


@pytest.mark.slow
def test_a_release_runs_frictionless_only_on_what_the_build_did_not_check(project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's cache holds each Frictionless check it passed, keyed by the files' hashes and schemas: a
    release right after the build checks nothing again with Frictionless, a CSV copy changed since (its hash
    updated in the descriptor, so the hashes agree) is checked and refused, and `--no-cache` checks all."""
    from dataset.datapackage import checks

    monkeypatch.delenv(CACHE_ENV)  # the project's own cache, filled by its own build (not the session's)
    (project / "data/processed/articles.csv").unlink()
    assert cli("--root", str(project), "build").returncode == 0
    checked: list[str | None] = []
    real = checks.check_csv
    monkeypatch.setattr(checks, "check_csv", lambda path, name=None: checked.append(name) or real(path, name))
    archive = do_release(releasable(project))
    assert checked == []
    assert do_release(project, "--no-cache").read_bytes() == archive.read_bytes()
    csv_copies = [r["name"] for r in json.loads((project / "datapackage.json").read_text())["resources"]
                  if r["format"] == "csv"]
    assert checked and set(checked) <= set(csv_copies) | {None}

    checked.clear()
    csv = project / "data/processed/cases.csv"
    csv.write_bytes(csv.read_bytes().replace(b'"NL"', b'"nl"', 1))  # breaks the country's pattern [A-Z]{2}
    descriptor = json.loads((project / "datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["path"] == "data/processed/cases.csv")
    resource["hash"] = f"sha256:{hashlib.sha256(csv.read_bytes()).hexdigest()}"
    resource["bytes"] = csv.stat().st_size
    (project / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")
    result = cli("--root", str(project), "release")
    assert result.returncode == 2
    assert "cases-csv" in checked
    assert "data/processed/cases.csv" in result.stderr and "constraint-error" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_missing_release_files_are_all_reported(project: Path) -> None:
    releasable(project)
    (project / "LICENSE").unlink()
    (project / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    result = cli("--root", str(project), "release")
    assert result.returncode == 2
    assert f"{project / 'LICENSE'}: missing" in result.stderr
    assert not (project / "dist").exists() or not list((project / "dist").glob("*.zip"))


def test_changelog_must_have_a_section_for_the_version(project: Path) -> None:
    releasable(project)
    (project / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    result = cli("--root", str(project), "release")
    assert result.returncode == 2
    version = json.loads((project / "datapackage.json").read_text())["version"]
    assert f"CHANGELOG.md: has no section `## [{version}]`" in result.stderr


def test_unbuilt_project_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "data/raw").mkdir(parents=True)
    result = cli("--root", str(tmp_path), "release")
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


def test_a_file_linked_from_outside_the_project_is_never_published(project: Path, tmp_path: Path) -> None:
    """A release takes only regular files inside the project: a LICENSE that is a link to a file elsewhere is
    refused by name, and no archive is written."""
    releasable(project)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publication\n")
    (project / "LICENSE").unlink()
    (project / "LICENSE").symlink_to(secret)
    result = cli("--root", str(project), "release")
    assert result.returncode == 2, result.stderr
    assert f"{project / 'LICENSE'}: not taken into the release: leads outside the package through a symbolic " \
           "link" in result.stderr
    assert not (project / "dist").exists()


def test_a_resource_may_not_take_the_place_of_a_file_the_release_writes(project: Path) -> None:
    releasable(project)
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    index, res = next((i, r) for i, r in enumerate(package["resources"]) if r["name"] == "articles-csv")
    shutil.copy2(project / res["path"], project / "README.md")  # the same bytes: the package check passes
    res["path"] = "README.md"
    descriptor.write_text(json.dumps(package, indent=2))
    result = cli("--root", str(project), "release")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert (f"{descriptor}: resources[{index}].path: 'README.md' is a file the release writes itself (resource "
            "'articles-csv')") in result.stderr
    assert not (project / "dist").exists()


@pytest.mark.parametrize("case", ["not-parquet", "unknown-table", "csv-without-bytes"])
def test_a_package_the_build_did_not_write_is_a_message(project: Path, case: str) -> None:
    """What the package check takes for granted of a package it built is checked first, at the resource:
    a table file that is not Parquet (its hash made to match), a Parquet resource of no table of this
    package, a CSV copy without its size. Exit 2, no traceback, no archive."""
    releasable(project)
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    index, res = next((i, r) for i, r in enumerate(package["resources"]) if r["name"] == "cases")
    if case == "not-parquet":
        (project / res["path"]).write_bytes(b"not parquet")
        res["hash"] = "sha256:" + hashlib.sha256(b"not parquet").hexdigest()
        expected = f"{project}/{res['path']}: cannot be read as Parquet"
    elif case == "unknown-table":
        package["resources"].append({**res, "name": "secrets"})
        expected = f"{descriptor}: resources[{len(package['resources']) - 1}].name: 'secrets' is not a table"
    else:
        index, res = next((i, r) for i, r in enumerate(package["resources"]) if r["name"] == "cases-csv")
        del res["bytes"]
        expected = f"{descriptor}: resources[{index}].bytes: missing (resource 'cases-csv')"
    descriptor.write_text(json.dumps(package, indent=2))
    result = cli("--root", str(project), "release", "--jobs", "2")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert not (project / "dist").exists()


# --- released versions are immutable ------------------------------------------------------------------------


def bump(project: Path, version: str) -> None:
    """Give the project a new version (pyproject.toml, a CHANGELOG section) and rebuild it."""
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    current = json.loads((project / "datapackage.json").read_text())["version"]
    pyproject.write_text(text.replace(f'version = "{current}"', f'version = "{version}"', 1), encoding="utf-8")
    changelog = project / "CHANGELOG.md"
    changelog.write_text(changelog.read_text(encoding="utf-8").replace(
        "## [Unreleased]\n", f"## [Unreleased]\n\n## [{version}] - 2026-12-03\n\n- test\n", 1), encoding="utf-8")
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr


def correct_location(project: Path, ledger_version: str | None) -> None:
    """Change one coded value; record it in the ledger under `ledger_version` (None: no entry)."""
    events = project / "data/coding/events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("    location: Rotterdam\n",
                                                                 "    location: Rotterdam (NL)\n"))
    if ledger_version is not None:
        with (project / "data/coding/corrections.yaml").open("a", encoding="utf-8") as ledger:
            ledger.write(
                f"\n  - version: {ledger_version}\n    table: events\n"
                "    row: {event_id: ennetcom-owner-detention-ordered}\n    column: location\n"
                "    old: Rotterdam\n    new: Rotterdam (NL)\n    reason: The country.\n"
                "    article_id: reuters-2016-04-ennetcom-servers-seized\n    evidence: Rotterdam judges\n")


def release_record(project: Path) -> list[dict]:
    return json.loads((project / "releases.json").read_text())["releases"]


@pytest.fixture
def released(project: Path) -> tuple[Path, str]:
    """A project whose current version has been released (and recorded); its version."""
    releasable(project)
    do_release(project)
    version = json.loads((project / "datapackage.json").read_text())["version"]
    assert [r["version"] for r in release_record(project)] == [version]
    return project, version


@pytest.mark.slow
def test_a_release_is_recorded_and_an_identical_one_is_not_a_new_release(released: tuple[Path, str]) -> None:
    project, _ = released
    [entry] = release_record(project)
    archive = project / "dist" / entry["archive"]
    assert entry["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    do_release(project)  # the same bytes again: allowed, not recorded twice
    assert release_record(project) == [entry]


@pytest.mark.slow
def test_a_released_version_never_changes(released: tuple[Path, str]) -> None:
    project, version = released
    correct_location(project, version)
    assert cli("--root", str(project), "build", "--jobs", "1").returncode == 0
    before = (project / "dist" / f"cryptophone-takedowns-{version}.zip").read_bytes()
    result = cli("--root", str(project), "release", "--jobs", "1")
    assert result.returncode == 2
    assert f"version {version} was released as cryptophone-takedowns-{version}.zip with sha256" in result.stderr
    assert "give the change a new version in pyproject.toml" in result.stderr
    assert (project / "dist" / f"cryptophone-takedowns-{version}.zip").read_bytes() == before


def next_version(version: str, part: str) -> str:
    major, minor, patch = map(int, version.split("."))
    return {"patch": f"{major}.{minor}.{patch + 1}", "minor": f"{major}.{minor + 1}.0",
            "major": f"{major + 1}.0.0"}[part]


BAD_NEW_RELEASES = {
    # (the new version's part, ledger entry version ("new", "none", "old"), words of the error)
    "unrecorded-correction": ("patch", "none", "with no entry in data/coding/corrections.yaml"),
    "entry-of-another-version": ("patch", "old", "with no entry in data/coding/corrections.yaml"),
}


@pytest.mark.parametrize(("part", "entry", "message"), BAD_NEW_RELEASES.values(), ids=BAD_NEW_RELEASES.keys())
@pytest.mark.slow
def test_a_new_release_records_every_correction(released: tuple[Path, str], part: str, entry: str,
                                                message: str) -> None:
    project, version = released
    new = next_version(version, part)
    correct_location(project, {"new": new, "none": None, "old": version}[entry])
    bump(project, new)
    result = cli("--root", str(project), "release", "--jobs", "1")
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (project / "dist" / f"cryptophone-takedowns-{new}.zip").exists()
    assert [r["version"] for r in release_record(project)] == [version]


@pytest.mark.slow
def test_a_correction_recorded_in_the_ledger_is_released_as_a_patch(released: tuple[Path, str]) -> None:
    project, version = released
    new = next_version(version, "patch")
    correct_location(project, new)
    bump(project, new)
    result = cli("--root", str(project), "release", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert [r["version"] for r in release_record(project)] == [version, new]


@pytest.mark.slow
def test_an_entry_that_matches_no_change_is_refused(released: tuple[Path, str]) -> None:
    project, version = released
    new = next_version(version, "patch")
    bump(project, new)
    ledger = project / "data/coding/corrections.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("  - version: 0.2.0\n", f"  - version: {new}\n", 1))
    assert cli("--root", str(project), "build", "--jobs", "1").returncode == 0
    result = cli("--root", str(project), "release", "--jobs", "1")
    assert result.returncode == 2
    assert f"the entry of {new} matches no change since the last release" in result.stderr


@pytest.mark.slow
def test_a_bump_smaller_than_the_change_is_refused(released: tuple[Path, str]) -> None:
    """New rows are a minor change: a patch version is refused (`dataset diff` suggests the bump)."""
    project, version = released
    cases = project / "data/coding/cases.yaml"
    cases.write_text(cases.read_text(encoding="utf-8") + (
        "\n  - case_id: another\n    case_name: Another\n    country: NL\n    description: A second case.\n"))
    new = next_version(version, "patch")
    bump(project, new)
    result = cli("--root", str(project), "release", "--jobs", "1")
    assert result.returncode == 2
    assert f"{version} -> {new} is a patch version, but the data changed by a minor one" in result.stderr
    bump(project, next_version(version, "minor"))
    assert cli("--root", str(project), "release", "--jobs", "1").returncode == 0


@pytest.mark.slow
def test_an_older_version_or_a_missing_last_archive_is_refused(released: tuple[Path, str]) -> None:
    project, version = released
    archive = project / "dist" / f"cryptophone-takedowns-{version}.zip"
    archive.rename(project / "elsewhere.zip")
    bump(project, next_version(version, "minor"))
    result = cli("--root", str(project), "release", "--jobs", "1")
    assert result.returncode == 2 and "pass it with --previous PATH" in result.stderr
    (project / "tampered.zip").write_bytes(b"PK not it")
    result = cli("--root", str(project), "release", "--jobs", "1", "--previous", str(project / "tampered.zip"))
    assert result.returncode == 2 and f"but release {version} was recorded as" in result.stderr
    result = cli("--root", str(project), "release", "--jobs", "1", "--previous", str(project / "elsewhere.zip"))
    assert result.returncode == 0, result.stderr


def test_an_older_version_than_the_last_release_is_refused() -> None:
    record = [{"version": "0.1.0", "archive": "a-0.1.0.zip", "sha256": "0" * 64},
              {"version": "0.3.0", "archive": "a-0.3.0.zip", "sha256": "1" * 64}]
    with pytest.raises(InputError, match=re.escape("version 0.2.5 is older than the last release, 0.3.0")):
        check_recorded(record, "0.2.5", "2" * 64, "datapackage.json")
    assert check_recorded(record, "0.1.0", "0" * 64, "datapackage.json") is True  # the same bytes again
    assert check_recorded(record, "0.3.1", "2" * 64, "datapackage.json") is False


# --- a removed row's id is never reused (a citation of `...-f03` or a case id keeps meaning one row) -------------


ANOTHER = "\n  - case_id: another\n    case_name: Another\n    country: NL\n    description: A second case.\n"


@pytest.mark.slow
def test_a_release_records_the_ids_it_removed_and_a_build_refuses_to_reuse_them(released: tuple[Path, str]) -> None:
    project, version = released
    cases = project / "data/coding/cases.yaml"
    original = cases.read_text(encoding="utf-8")

    cases.write_text(original + ANOTHER, encoding="utf-8")  # a new case: a minor release
    with_case = next_version(version, "minor")
    bump(project, with_case)
    assert cli("--root", str(project), "release", "--jobs", "1").returncode == 0
    assert "removed" not in release_record(project)[-1]

    cases.write_text(original, encoding="utf-8")  # the case goes again (any bump at least a patch)
    without = next_version(with_case, "major")
    bump(project, without)
    result = cli("--root", str(project), "release", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert release_record(project)[-1]["removed"] == {"cases": [{"case_id": "another"}]}

    cases.write_text(original + ANOTHER.replace("A second case.", "Some other case."), encoding="utf-8")
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 2
    assert "releases.json" in result.stderr
    assert f"cases row case_id = 'another' has the id of a row that release {without} removed" in result.stderr
    assert "give the row a new id" in result.stderr

    cases.write_text(original + ANOTHER.replace("another", "another-one"), encoding="utf-8")  # a new id is fine
    assert cli("--root", str(project), "build", "--jobs", "1").returncode == 0


@pytest.mark.slow
def test_a_removed_event_source_id_is_recorded_and_never_reused(released: tuple[Path, str]) -> None:
    """Event sources have ids of their own (source_id): a release that removes one records its id, and a later
    source may not take it, even for the same passage."""
    project, version = released
    coding = project / "data/coding/articles/reuters-2016-04-ennetcom-servers-seized.yaml"
    original = coding.read_text(encoding="utf-8")
    source = original[original.index("  - id: s08\n"):original.index("  - id: s09\n")]
    coding.write_text(original.replace(source, ""), encoding="utf-8")
    patched = next_version(version, "patch")
    bump(project, patched)
    result = cli("--root", str(project), "release", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert release_record(project)[-1]["removed"] == {
        "event_sources": [{"source_id": "reuters-2016-04-ennetcom-servers-seized-s08"}]}

    coding.write_text(original, encoding="utf-8")  # the same source back under its old id
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 2
    assert (f"event_sources row source_id = 'reuters-2016-04-ennetcom-servers-seized-s08' has the id of a row that "
            f"release {patched} removed") in result.stderr

    coding.write_text(original.replace("  - id: s08\n", "  - id: s18\n"), encoding="utf-8")  # a new id is fine
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
