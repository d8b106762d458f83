"""The corrections ledger: published as a table, each entry checked against the built value, and a changed value
with no entry reported."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import cli, snapshot

LEDGER = "data/coding/corrections.yaml"


def test_ledger_is_published_with_its_evidence(built: Path) -> None:
    corrections = pd.read_parquet(built / "data/processed/corrections.parquet")
    figures = pd.read_parquet(built / "data/processed/figures.parquet").set_index("figure_id")
    texts = pd.read_parquet(built / "data/processed/articles.parquet").set_index("article_id").text
    court = corrections[corrections.row_key == json.dumps(
        {"figure_id": "reuters-2016-04-ennetcom-servers-seized-f03"})].iloc[0]
    assert (court.table_name, court.column_name, court.old_value, court.new_value) == (
        "figures", "stated_by_actor_id", '"rotterdam-court"', "null")
    assert pd.isna(figures.at["reuters-2016-04-ennetcom-servers-seized-f03", "stated_by_actor_id"])
    for row in corrections.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.quote  # the evidence is the article's own words
    # Every entry states the value now published (checked by the build; re-checked here from the files).
    for row in corrections.itertuples():
        table = pd.read_parquet(built / f"data/processed/{row.table_name}.parquet")
        key = json.loads(row.row_key)
        match = table[(table[list(key)] == pd.Series(key)).all(axis=1)]
        assert len(match) == 1
        value = match.iloc[0][row.column_name]
        assert json.loads(row.new_value) == (None if pd.isna(value) else str(value))


BAD_ENTRIES = {  # (what to replace in the first entry, the field named, words of the message)
    "new-value-not-built": ("    new: null\n", "    new: om\n", "new", "not \"om\""),
    "row-missing": ("reuters-2016-04-ennetcom-servers-seized-f03}", "reuters-2016-04-ennetcom-servers-seized-f99}",
                    "row", "no row"),
    "key-column": ("    column: stated_by_actor_id\n", "    column: figure_id\n", "column", "outside its key"),
    "not-a-table": ("    table: figures\n", "    table: mentions\n", "table", "not a table a correction can change"),
    "row-not-its-key": ("row: {figure_id: reuters", "row: {id: reuters", "row", "expected the row's primary key"),
    "evidence-not-in-text": ("evidence: Rotterdam judges ordered", "evidence: Amsterdam judges ordered", "evidence",
                             "not found"),
    "unknown-article": ("    article_id: reuters-2016-04-ennetcom-servers-seized\n    evidence: Rotterdam",
                        "    article_id: reuters-2099\n    evidence: Rotterdam", "article_id", "no article"),
    "later-version": ("  - version: 0.2.0\n", "  - version: 9.0.0\n", "version", "later than this package's"),
    "not-a-version": ("  - version: 0.2.0\n", "  - version: soon\n", "version", "soon"),
}


@pytest.mark.parametrize(("old", "new", "field", "message"), BAD_ENTRIES.values(), ids=BAD_ENTRIES.keys())
def test_a_ledger_entry_that_matches_nothing_is_refused(project: Path, old: str, new: str, field: str,
                                                        message: str) -> None:
    ledger = project / LEDGER
    text = ledger.read_text(encoding="utf-8")
    assert old in text
    ledger.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = snapshot(project)
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 2, result.stderr
    assert f"error: {LEDGER}:" in result.stderr and f": {field}: " in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_a_changed_value_without_an_entry_is_a_warning(project: Path) -> None:
    events = project / "data/coding/events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("    location: Rotterdam\n",
                                                                 "    location: Rotterdam, the Netherlands\n"))
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert ('warning: events[{"event_id": "ennetcom-owner-detention-ordered"}].location: changed from "Rotterdam" '
            f'to "Rotterdam, the Netherlands" with no entry in {LEDGER}') in result.stderr
    # Recorded in the ledger, the same change builds without a warning.
    events.write_text(events.read_text(encoding="utf-8").replace("Rotterdam, the Netherlands", "Rotterdam"))
    assert cli("--root", str(project), "build", "--jobs", "1").returncode == 0
    events.write_text(events.read_text(encoding="utf-8").replace("    location: Rotterdam\n",
                                                                 "    location: Rotterdam, the Netherlands\n"))
    with (project / LEDGER).open("a", encoding="utf-8") as ledger:
        ledger.write(
            "\n  - version: 0.2.0\n    table: events\n    row: {event_id: ennetcom-owner-detention-ordered}\n"
            "    column: location\n    old: Rotterdam\n    new: Rotterdam, the Netherlands\n"
            "    reason: The country named.\n    article_id: reuters-2016-04-ennetcom-servers-seized\n"
            "    evidence: Rotterdam judges\n")
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr


NL = "nl-2017-03-ennetcom-messages-accessed"
OLD_KEY_ROW = f"row: {{event_id: ennetcom-messages-accessed, article_id: {NL}, start: 0}}"


def source_entry(version: str, row: str) -> str:
    return (f"\n  - version: {version}\n    table: event_sources\n    {row}\n    column: date_expression\n"
            f"    old: donderdag\n    new: null\n    reason: Test.\n    article_id: {NL}\n"
            "    evidence: Dat meldt het OM donderdag.\n")


def test_an_entry_names_its_row_by_the_key_of_its_version(project: Path) -> None:
    """The ledger is history: an entry of 0.3.0 or earlier names an event source by (event_id, article_id,
    start), the key event sources had then, and stays so; a later entry names it by its source_id."""
    pyproject = project / "pyproject.toml"
    version = json.loads((project / "datapackage.json").read_text())["version"]
    if tuple(map(int, version.split("."))) < (1, 0, 0):  # a version after the key changed
        pyproject.write_text(pyproject.read_text().replace(f'version = "{version}"', 'version = "1.0.0"', 1))
        version = "1.0.0"
    coding = project / f"data/coding/articles/{NL}.yaml"
    coding.write_text(coding.read_text().replace("    date_expression: donderdag\n", "", 1))
    ledger = project / LEDGER
    text = ledger.read_text(encoding="utf-8")
    assert OLD_KEY_ROW in text  # the 0.2.0 entry, as published

    ledger.write_text(text + source_entry(version, f"row: {{source_id: {NL}-s02}}"), encoding="utf-8")
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    corrections = pd.read_parquet(project / "data/processed/corrections.parquet")
    keys = list(corrections[corrections.table_name == "event_sources"].row_key)
    assert keys == [json.dumps({"event_id": "ennetcom-messages-accessed", "article_id": NL, "start": 0}),
                    json.dumps({"source_id": f"{NL}-s02"})]

    bad = {  # an entry of a new version by the old key; an entry of 0.2.0 by the new one
        "new-by-old-key": (text + source_entry(version, OLD_KEY_ROW.replace("start: 0", "start: 160")),
                           "expected the row's primary key, {source_id: ...}"),
        "old-by-new-key": (text.replace(OLD_KEY_ROW, f"row: {{source_id: {NL}-s01}}"),
                           "expected the row's primary key, {event_id: ..., article_id: ..., start: ...} (the key of "
                           "event_sources in 0.2.0)"),
    }
    for what, (ledger_text, message) in bad.items():
        ledger.write_text(ledger_text, encoding="utf-8")
        result = cli("--root", str(project), "build", "--jobs", "1")
        assert result.returncode == 2, (what, result.stderr)
        assert f"error: {LEDGER}:" in result.stderr and ": row: " in result.stderr and message in result.stderr, (
            what, result.stderr)
