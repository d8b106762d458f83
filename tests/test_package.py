"""Stages 2 and 3: the published package is typed, valid, described, deterministic and atomic."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, cli, copy_inputs, snapshot
from dataset.datapackage.checks import check_package
from dataset.datapackage.files import dump_json, file_facts
from dataset.errors import InputError
from dataset.parallel import Runner
from dataset.schema import FIELDS, TABLES
from dataset.schema.emit import arrow_schema


def frictionless_validate(descriptor: Path) -> dict:
    """Frictionless's report on a package, as `frictionless validate --json` prints it (in this process)."""
    from frictionless import validate

    return validate(str(descriptor)).to_descriptor()


def test_parquet_round_trips_types_and_descriptions(built: Path) -> None:
    for name, table in TABLES.items():
        schema = pq.read_schema(built / f"data/processed/{name}.parquet")
        assert schema.names == list(table.fields)
        assert schema.remove_metadata().equals(arrow_schema(table).remove_metadata())
        for field in schema:
            assert field.metadata[b"description"].decode() == FIELDS[field.name].description
        assert b"pandas" not in (schema.metadata or {})


def test_duckdb_reads_the_parquet(built: Path) -> None:
    import duckdb

    rows = duckdb.sql(f"select article_id, language from '{built}/data/processed/articles.parquet' "  # noqa: S608
                      "order by article_id").fetchall()
    assert rows == [("nl-2017-03-ennetcom-messages-accessed", "nl"),
                    ("reuters-2016-04-ennetcom-servers-seized", "en")]


def test_frictionless_accepts_the_package(built: Path) -> None:
    report = frictionless_validate(built / "datapackage.json")
    assert report["valid"] is True, json.dumps(report)[-2000:]


def test_frictionless_rejects_a_broken_copy(project: Path) -> None:
    csv = project / "data/processed/articles.csv"
    csv.write_text(csv.read_text().replace('"month","nl"', '"fortnight","nl"'))
    report = frictionless_validate(project / "datapackage.json")
    assert report["valid"] is False
    errors = {e["type"] for task in report["tasks"] for e in task["errors"]}
    assert {"hash-count", "constraint-error"} <= errors


def check_with(descriptor: Path, jobs: int | None) -> None:
    """The package check as a small build runs it (`jobs` None: in this process at once) or a large one (one
    task per table on a runner of `jobs`)."""
    if jobs is None:
        check_package(descriptor)
        return
    with Runner(jobs) as runner:
        check_package(descriptor, runner)


@pytest.mark.parametrize("jobs", [None, 1, 2])
def test_the_build_check_finds_frictionless_errors_in_every_table(project: Path, jobs: int | None) -> None:
    """A CSV copy whose hash was updated with it passes the hash check; Frictionless, at once or one task per
    table (in workers with 2 jobs), must still find a value outside its list and a key pointing nowhere."""
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    edits = {"articles-csv": ('"month","nl"', '"fortnight","nl"'),
             "mentions-csv": ('"reuters-2016-04-ennetcom-servers-seized","dutch-police"',
                              '"reuters-2099-01-no-such-article","dutch-police"')}
    for res in package["resources"]:
        if res["name"] in edits:
            csv = project / res["path"]
            text = csv.read_text()
            assert edits[res["name"]][0] in text
            csv.write_text(text.replace(edits[res["name"]][0], edits[res["name"]][1], 1))
            res.update(file_facts(csv))
    descriptor.write_text(dump_json(package))
    with pytest.raises(InputError) as caught:
        check_with(descriptor, jobs)
    problems = [p.where for p in caught.value.problems]
    found = {(p.split(": ")[0], p.split(": ")[1]) for p in problems}
    assert found == {("data/processed/articles.csv", "constraint-error"),
                     ("data/processed/mentions.csv", "foreign-key")}, problems
    assert any('"fortnight"' in p and 'field "published_precision"' in p for p in problems), problems
    assert any('"reuters-2099-01-no-such-article"' in p for p in problems), problems


@pytest.mark.parametrize("jobs", [None, 2])
def test_the_build_check_finds_an_invalid_descriptor(project: Path, jobs: int | None) -> None:
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    package["sources"][0]["path"] = 5
    descriptor.write_text(dump_json(package))
    with pytest.raises(InputError) as caught:
        check_with(descriptor, jobs)
    assert [p.where for p in caught.value.problems] == [
        f"{descriptor}: The data package has an error: 5 is not of type 'string' at property 'sources/0/path'"]


@pytest.mark.parametrize("jobs", [None, 2])
def test_a_broken_table_schema_is_reported_once(project: Path, jobs: int | None) -> None:
    """Every per-table task reads the whole descriptor: a schema Frictionless refuses must not be said 9 times."""
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    cases = next(r for r in package["resources"] if r["name"] == "cases-csv")
    cases["schema"]["fields"][0]["type"] = "wat"
    descriptor.write_text(dump_json(package))
    with pytest.raises(InputError) as caught:
        check_with(descriptor, jobs)
    problems = [p.where for p in caught.value.problems]
    assert len(problems) == 1 and problems[0].startswith(f"{descriptor}: "), problems
    assert "wat" in problems[0], problems


def test_descriptor_declares_keys_hashes_and_sources(built: Path) -> None:
    package = json.loads((built / "datapackage.json").read_text())
    names = [r["name"] for r in package["resources"]]
    tables = [r for r in package["resources"] if "schema" in r]
    assert [r["name"] for r in tables] == [*TABLES, *(f"{t}-csv" for t in TABLES)]
    for res in package["resources"]:
        assert res["hash"].startswith("sha256:") and len(res["hash"]) == 71
    for res in tables:
        assert res["schema"]["primaryKey"] == list(TABLES[res["name"].removesuffix("-csv")].primary_key)
    charts = [r for r in package["resources"] if r["path"].startswith("figures/")]
    assert {"timeline-svg", "timeline-png", "stated_figures-png"} <= set(names)
    assert all(r["sources"] and r["bytes"] > 0 for r in charts)
    assert {s["description"].split(":")[0] for s in package["sources"]} == {
        "nl-2017-03-ennetcom-messages-accessed", "reuters-2016-04-ennetcom-servers-seized"}
    assert package["created"].startswith(package_release_date())


def package_release_date() -> str:
    import tomllib

    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["dataset"]["released"]


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path, built: Path) -> None:
    again = copy_inputs(tmp_path / "again")
    assert cli("--root", str(again), "build", "--no-cache").returncode == 0  # computed again, not the cache's
    assert snapshot(again) == snapshot(built)


def test_committed_outputs_equal_a_fresh_build(built: Path) -> None:
    """The package in the repository is exactly what the code builds from the inputs (no drift)."""
    assert snapshot(REPO) == snapshot(built)


def test_failing_build_leaves_previous_outputs_untouched(project: Path) -> None:
    before = snapshot(project)
    sidecar = project / "data/raw/002_1c2a235e5c2e0eec.txt.meta.yaml"
    sidecar.write_text(sidecar.read_text().replace("language: nl", "language: xx"))
    result = cli("--root", str(project), "build")
    assert result.returncode == 2
    assert "data/raw/002_1c2a235e5c2e0eec.txt.meta.yaml:10: language:" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before
    assert not list(project.glob(".build-*"))
