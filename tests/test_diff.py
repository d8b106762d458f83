"""`dataset diff`: rows added, removed and changed by primary key, and schema changes, between two packages."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import cli
from dataset.datapackage.diff import changelog_section, diff_packages, row_changes, schema_changes
from test_release import do_release, releasable

NEW_ARTICLE = "test-2018-01-note"
RETITLED = "nl-2017-03-ennetcom-messages-accessed"
SIDECAR = """article_id: test-2018-01-note
title: A short note
outlet: Test Outlet
author: null
url: null
published: "2018-01-05"
published_precision: day
language: en
rights: Written for the test suite.
"""


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory, built: Path) -> Path:
    """The built package after two known edits: one article retitled, one new article (no actor named in it)."""
    root = Path(shutil.copytree(built, tmp_path_factory.mktemp("changed") / "project"))
    sidecar = root / "data/raw/002_1c2a235e5c2e0eec.txt.meta.yaml"
    sidecar.write_text(sidecar.read_text().replace("title: null", "title: Toegang tot berichten"))
    (root / "data/raw/003_note.txt").write_text("A short note on encrypted phones.\n\nNothing else is said here.\n")
    (root / "data/raw/003_note.txt.meta.yaml").write_text(SIDECAR)
    result = cli("--root", str(root), "build")
    assert result.returncode == 0, result.stderr
    return root


def diff_json(old: Path, new: Path) -> dict:
    result = cli("diff", str(old), str(new), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_known_changes_are_reported(built: Path, changed: Path) -> None:
    result = diff_json(built, changed)
    assert list(result) == ["old", "new", "suggested_bump", "tables"]
    package = json.loads((changed / "datapackage.json").read_text())
    assert list(result["tables"]) == [r["name"] for r in package["resources"] if r["format"] == "parquet"]
    articles = result["tables"]["articles"]
    assert articles["status"] == "changed"
    assert (articles["rows_old"], articles["rows_new"]) == (2, 3)
    assert articles["added"] == [{"article_id": NEW_ARTICLE}]
    assert articles["removed"] == []
    assert articles["changed"] == [{"key": {"article_id": RETITLED},
                                    "columns": {"title": {"old": None, "new": "Toegang tot berichten"}}}]
    assert articles["schema"] == []
    assert {name for name, t in result["tables"].items() if t["status"] != "unchanged"} == {"articles"}
    assert result["suggested_bump"] == "minor"  # rows added


def test_json_is_stable(built: Path, changed: Path) -> None:
    first = cli("diff", str(built), str(changed), "--json").stdout
    assert first == cli("diff", str(built), str(changed), "--json").stdout
    assert list(json.loads(first)["tables"]["articles"]) == [
        "status", "rows_old", "rows_new", "added", "removed", "changed", "schema"]


def test_human_readable_and_changelog_output(built: Path, changed: Path) -> None:
    text = cli("diff", str(built), str(changed)).stdout
    assert "articles: 2 -> 3 rows: 1 added, 0 removed, 1 changed" in text
    assert f"  + {NEW_ARTICLE}" in text
    assert f'  ~ {RETITLED}: title: null -> "Toegang tot berichten"' in text
    assert "events: unchanged (13 rows)" in text
    changelog = cli("diff", str(built), str(changed), "--changelog").stdout
    assert changelog == "### Data\n\n- `articles`: 1 row added; 1 row changed (`title`) (2 -> 3 rows).\n"


def test_zips_diff_like_directories(built: Path, changed: Path, tmp_path: Path) -> None:
    old_zip = do_release(releasable(Path(shutil.copytree(built, tmp_path / "old"))))
    new_zip = do_release(releasable(Path(shutil.copytree(changed, tmp_path / "new"))))
    assert diff_json(old_zip, new_zip) == diff_json(built, changed)


def test_descriptors_diff_like_their_directories(built: Path, changed: Path) -> None:
    """`dataset diff old/datapackage.json new/datapackage.json` compares the packages they describe."""
    assert diff_json(built / "datapackage.json", changed / "datapackage.json") == diff_json(built, changed)
    text = cli("diff", str(built / "datapackage.json"), str(changed / "datapackage.json")).stdout
    assert text == cli("diff", str(built), str(changed)).stdout  # named by their directories in both


def test_no_changes(built: Path) -> None:
    result = diff_json(built, built)
    assert result["suggested_bump"] == "none"
    assert all(t["status"] == "unchanged" for t in result["tables"].values())
    assert changelog_section(result) == "### Data\n\n- No changes to the data.\n"


def test_tables_added_and_removed(built: Path, tmp_path: Path) -> None:
    old = Path(shutil.copytree(built, tmp_path / "old"))
    new = Path(shutil.copytree(built, tmp_path / "new"))
    for root, drop in ((old, "figures"), (new, "cases")):
        descriptor = root / "datapackage.json"
        package = json.loads(descriptor.read_text())
        package["resources"] = [r for r in package["resources"] if r["name"] != drop]
        descriptor.write_text(json.dumps(package))
    result = diff_packages(old, new)
    assert result["tables"]["figures"]["status"] == "added"
    figures = pq.read_metadata(built / "data/processed/figures.parquet").num_rows
    assert result["tables"]["figures"]["rows_new"] == figures
    assert result["tables"]["cases"]["status"] == "removed"
    assert list(result["tables"])[-1] == "cases"  # removed tables come after the new package's tables
    assert result["suggested_bump"] == "major"
    section = changelog_section(result)
    assert f"- `figures`: new table ({figures} rows)." in section and "- `cases`: table removed." in section


def write(path: Path, rows: list[dict]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def test_rows_by_composite_primary_key(tmp_path: Path) -> None:
    old = write(tmp_path / "old.parquet", [
        {"event_id": "a", "actor_id": "x", "role": "agent", "n": 1.0},
        {"event_id": "a", "actor_id": "y", "role": "target", "n": float("nan")},
        {"event_id": "b", "actor_id": "x", "role": "agent", "n": 3.0},
    ])
    new = write(tmp_path / "new.parquet", [
        {"event_id": "a", "actor_id": "y", "role": "target", "n": float("nan")},  # NaN == NaN: unchanged
        {"event_id": "b", "actor_id": "x", "role": "agent", "n": 4.0},
        {"event_id": "c", "actor_id": "z", "role": "agent", "n": 5.0},
    ])
    out = row_changes(old, new, ["event_id", "actor_id", "role"])
    assert out["added"] == [{"event_id": "c", "actor_id": "z", "role": "agent"}]
    assert out["removed"] == [{"event_id": "a", "actor_id": "x", "role": "agent"}]
    assert out["changed"] == [{"key": {"event_id": "b", "actor_id": "x", "role": "agent"},
                               "columns": {"n": {"old": 3.0, "new": 4.0}}}]


def test_rows_cannot_be_matched_without_the_key(tmp_path: Path) -> None:
    old = write(tmp_path / "old.parquet", [{"a": 1}])
    new = write(tmp_path / "new.parquet", [{"b": 1}])
    out = row_changes(old, new, ["b"])
    assert "rows not compared" in out["note"]


def field(name: str, type_: str = "string", **constraints: object) -> dict:
    return {"name": name, "type": type_, "description": name, "constraints": {"required": True, **constraints}}


def test_schema_changes() -> None:
    old = {"fields": [field("id"), field("kind", enum=["a", "b"]), field("n", "integer"), field("gone"),
                      field("code", enum=["x", "y"])],
           "primaryKey": ["id"]}
    new = {"fields": [field("id"), field("kind", enum=["a", "b", "c"]), field("n", "number"), field("added"),
                      field("code", enum=["x", "z"])],
           "primaryKey": ["id", "kind"]}
    changes = schema_changes(old, new)
    kinds = [(c["change"], c.get("column")) for c in changes]
    assert kinds == [("constraint_changed", "kind"), ("type_changed", "n"), ("column_added", "added"),
                     ("constraint_changed", "code"), ("column_removed", "gone"), ("primary_key_changed", None)]
    assert changes[0]["codes_added"] == ["c"] and changes[0]["codes_removed"] == []
    assert changes[3]["codes_added"] == ["z"] and changes[3]["codes_removed"] == ["y"]
    assert changes[1] == {"change": "type_changed", "column": "n", "old": "integer", "new": "number"}


@pytest.mark.parametrize(
    ("edit", "bump"),
    [
        (lambda f: f.append(field("extra")), "minor"),                               # new column
        (lambda f: f.pop(), "major"),                                               # removed column
        (lambda f: f[0].update(type="integer"), "major"),                           # changed type
        (lambda f: f[0]["constraints"].update(pattern="[a-z]+"), "major"),          # tighter constraint
        (lambda f: f[0].update(description="clearer"), "patch"),                    # documentation only
    ],
)
def test_suggested_bump_follows_the_versioning_policy(built: Path, tmp_path: Path, edit, bump: str) -> None:
    new = Path(shutil.copytree(built, tmp_path / "new"))
    descriptor = new / "datapackage.json"
    package = json.loads(descriptor.read_text())
    fields = next(r for r in package["resources"] if r["name"] == "cases")["schema"]["fields"]
    edit(fields)
    descriptor.write_text(json.dumps(package))
    assert diff_packages(built, new)["suggested_bump"] == bump


def test_a_missing_package_is_bad_input(built: Path, tmp_path: Path) -> None:
    result = cli("diff", str(built), str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr and "Traceback" not in result.stderr


def test_an_unreadable_table_is_bad_input(built: Path, tmp_path: Path) -> None:
    new = Path(shutil.copytree(built, tmp_path / "new"))
    (new / "data/processed/events.parquet").write_bytes(b"not parquet")
    result = cli("diff", str(built), str(new))
    assert result.returncode == 2
    assert f"{new}/data/processed/events.parquet: cannot be read as Parquet" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_primary_key_given_as_one_name(built: Path, tmp_path: Path) -> None:
    """Table Schema allows `primaryKey: "case_id"`: rows are matched by that column, not by its letters."""
    new = Path(shutil.copytree(built, tmp_path / "new"))
    descriptor = new / "datapackage.json"
    package = json.loads(descriptor.read_text())
    cases = next(r for r in package["resources"] if r["name"] == "cases")
    key = cases["schema"]["primaryKey"]
    cases["schema"]["primaryKey"] = key[0] if isinstance(key, list) else key
    descriptor.write_text(json.dumps(package))
    table = pq.read_table(new / cases["path"])
    pq.write_table(table.slice(1), new / cases["path"])
    result = diff_packages(built, new)["tables"]["cases"]
    assert "note" not in result
    assert len(result["removed"]) == 1


def test_key_columns_of_lists_are_compared(tmp_path: Path) -> None:
    """A key column of lists (a hostile or clumsy table) is matched like any other, never a TypeError."""
    old = write(tmp_path / "old.parquet", [{"k": [1, 2], "v": "a"}, {"k": [3], "v": "b"}])
    new = write(tmp_path / "new.parquet", [{"k": [1, 2], "v": "c"}, {"k": [4], "v": "d"}])
    out = row_changes(old, new, ["k"])
    assert out["added"] == [{"k": (4,)}] and out["removed"] == [{"k": (3,)}]
    assert out["changed"] == [{"key": {"k": (1, 2)}, "columns": {"v": {"old": "a", "new": "c"}}}]


def test_messages_name_the_zip_not_the_temporary_directory(built: Path, tmp_path: Path) -> None:
    archive = do_release(releasable(Path(shutil.copytree(built, tmp_path / "old"))))
    with zipfile.ZipFile(archive) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    top = archive.name.removesuffix(".zip")
    package = json.loads(files[f"{top}/datapackage.json"])
    next(r for r in package["resources"] if r["name"] == "cases")["path"] = "data/processed/gone.parquet"
    files[f"{top}/datapackage.json"] = json.dumps(package).encode()
    files[f"{top}/SHA256SUMS"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name.removeprefix(top + '/')}\n"
                                         for name, data in sorted(files.items())
                                         if not name.endswith("/SHA256SUMS")).encode()
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as zf:
        for name, data in sorted(files.items()):
            zf.writestr(name, data)
    result = cli("diff", str(built), str(broken))
    assert result.returncode == 2, result.stderr
    assert f"{broken}: {top}/data/processed/gone.parquet: cannot be read as Parquet" in result.stderr
    assert "dataset-unpacked-" not in result.stderr


def test_rows_are_compared_on_the_former_key_when_the_key_changed(tmp_path: Path) -> None:
    """A new key column (event sources' source_id, 1.0.0) is not in the old version: the rows are matched on
    the old version's key where both versions have its columns, and a changed row also names its new key."""
    old = write(tmp_path / "old.parquet", [
        {"event_id": "e", "article_id": "a", "start": 0, "quote": "One."},
        {"event_id": "e", "article_id": "a", "start": 5, "quote": "Two."},
    ])
    new = write(tmp_path / "new.parquet", [
        {"source_id": "a-s01", "event_id": "e", "article_id": "a", "start": 0, "quote": "One!"},
        {"source_id": "a-s02", "event_id": "e", "article_id": "a", "start": 5, "quote": "Two."},
    ])
    former = ["event_id", "article_id", "start"]
    out = row_changes(old, new, ["source_id"], former_key=former)
    assert out["note"] == "rows compared on the old primary key ['event_id', 'article_id', 'start'] (the primary " \
                          "key changed)"
    assert out["added"] == out["removed"] == []
    assert out["changed"] == [{"key": {"event_id": "e", "article_id": "a", "start": 0},
                               "columns": {"quote": {"old": "One.", "new": "One!"}},
                               "new_key": {"source_id": "a-s01"}}]
    assert "rows not compared" in row_changes(old, new, ["source_id"])["note"]  # no former key given
    assert "rows not compared" in row_changes(old, new, ["source_id"], former_key=["event_id", "gone"])["note"]


def test_event_sources_of_0_3_0_against_source_ids(built: Path, tmp_path: Path) -> None:
    """0.3.0 keyed event sources by (event_id, article_id, start), with no source_id: against it the new key
    is a changed primary key (major) and an added column, and no row is added, removed or changed."""
    old = Path(shutil.copytree(built, tmp_path / "old"))
    descriptor = old / "datapackage.json"
    package = json.loads(descriptor.read_text())
    sources = next(r for r in package["resources"] if r["name"] == "event_sources")
    schema = sources["schema"]
    assert schema["primaryKey"] == ["source_id"]
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "source_id"]
    schema["primaryKey"] = ["event_id", "article_id", "start"]
    descriptor.write_text(json.dumps(package))
    pq.write_table(pq.read_table(old / sources["path"]).drop_columns(["source_id"]), old / sources["path"])

    result = diff_packages(old, built)
    entry = result["tables"]["event_sources"]
    assert result["suggested_bump"] == "major"
    assert (entry["added"], entry["removed"], entry["changed"]) == ([], [], [])
    assert entry["rows_old"] == entry["rows_new"] > 0
    assert [c["change"] for c in entry["schema"]] == ["column_added", "primary_key_changed"]
    assert entry["schema"][0]["column"] == "source_id"
    assert entry["schema"][1]["old"] == ["event_id", "article_id", "start"]
    assert entry["schema"][1]["new"] == ["source_id"]
    assert "compared on the old primary key" in entry["note"]
