"""Each kind of coding mistake stops the build with exit 2 and a message naming the file, the line and the
field, without a traceback, and leaves the published package exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cli, snapshot

EN = "data/coding/articles/reuters-2016-04-ennetcom-servers-seized.yaml"
NL = "data/coding/articles/nl-2017-03-ennetcom-messages-accessed.yaml"
EVENTS = "data/coding/events.yaml"
ACTORS = "data/coding/actors.yaml"

NEW_EVENT = """
  - event_id: ennetcom-unsourced
    case_id: ennetcom
    event_type: arrest
    summary: An event no article reports.
    country: NL
    location: null
    date_start: null
    date_end: "2016-04-22"
    date_precision: null
    date_basis: bounded
    actors:
      - {actor_id: dutch-police, role: agent}
"""

# (id, file, old text, new text, text on the line the error must name, field, words of the message)
CASES = [
    ("quote-not-found", EN, "quote: Canada's Department of Justice said the matter",
     "quote: Canada's Ministry of Justice said the matter", "Ministry of Justice", "quote", "not found"),
    ("quote-ambiguous", EN, "quote: a network of 19,000 customers", "quote: Ennetcom", "quote: Ennetcom", "quote",
     "occurs 6 times"),
    ("unknown-actor", EVENTS, "{actor_id: rotterdam-court, role: agent}", "{actor_id: rotterdam-judges, role: agent}",
     "rotterdam-judges", "actor_id", "not a known actors.actor_id"),
    ("unknown-role", EVENTS, "{actor_id: rotterdam-court, role: agent}", "{actor_id: rotterdam-court, role: judge}",
     "role: judge", "role", "not a role code"),
    ("unknown-event-type", EVENTS, "event_type: arrest", "event_type: detention", "event_type: detention",
     "event_type", "not a event_type code"),
    ("unknown-unit", NL, "unit: device", "unit: phones", "unit: phones", "unit", "not a unit code"),
    ("unknown-measure", NL, "measure: registered_devices", "measure: phones_sold", "measure: phones_sold",
     "measure", "not a measure code"),
    ("event-without-source", EVENTS, "events:\n", "events:\n" + NEW_EVENT, "event_id: ennetcom-unsourced",
     "event_id", "event_has_source"),
    ("start-after-end", EVENTS, 'date_start: "2016-04-19"', 'date_start: "2016-04-20"', 'date_start: "2016-04-20"',
     "date_start", "dates_fit_precision"),
    ("precision-does-not-fit", EVENTS, "date_start: \"2016-04-01\"\n    date_end: \"2016-04-22\"\n    "
     "date_precision: month", "date_start: \"2016-03-01\"\n    date_end: \"2016-04-22\"\n    date_precision: month",
     '"2016-03-01"', "date_start", "dates_fit_precision"),
    ("impossible-date", EVENTS, 'date_end: "2017-03-30"', 'date_end: "2017-02-30"', "2017-02-30", "date_end",
     "not a calendar date"),
    ("duplicate-id", ACTORS, "  - actor_id: canada-doj", "  - actor_id: toronto-police", "actor_id: toronto-police\n"
     "    name: Department", "actor_id", "duplicate"),
    ("id-with-path-separator", EVENTS, "event_id: ennetcom-canada-doj-comment", "event_id: ../canada-doj",
     "event_id: ../canada-doj", "event_id", "expected form"),
    ("date-expression-outside-its-quote", NL, "    date_expression: in april 2016",
     "    date_expression: in maart 2017", "date_expression: in maart 2017", "date_expression",
     "is not in this source's quote"),
    ("dangling-figure-actor", NL,
     "measure: registered_devices\n    subject_actor_id: ennetcom\n    stated_by_actor_id: null",
     "measure: registered_devices\n    subject_actor_id: ennetcom\n    stated_by_actor_id: openbaar-ministerie",
     "stated_by_actor_id: openbaar-ministerie",
     "stated_by_actor_id", "not a known actors.actor_id"),
    ("raw-changed-after-coding", NL, "raw_sha256: 2b93", "raw_sha256: 0b93", "raw_sha256: 0b93", "raw_sha256",
     "changed after it was coded"),
    ("value-contradicts-quote", NL, "value: 40000", "value: 4000", "value: 4000\n", "value",
     "value 4000 contradicts its quote 'ongeveer 40.000 geregistreerde smartphones', which states 40000"),
    ("value-not-a-number", NL, "    value: null\n    value_low: 20", "    value: .nan\n    value_low: 20",
     "value: .nan", "value", "nan is not a finite number"),
    ("value-infinite", NL, "    value_high: 99", "    value_high: .inf", "value_high: .inf", "value_high",
     "inf is not a finite number"),
    ("source-id-missing", NL, "  - id: s03\n    event_id", "  - event_id",
     "event_id: ennetcom-om-announcement-2017\n    quote: Ennetcom", "id", "missing in this event source"),
    ("source-id-duplicate", NL, "  - id: s03", "  - id: s02", "id: s02\n    event_id: ennetcom-om-announcement-2017\n"
     "    quote: Ennetcom", "id", "'nl-2017-03-ennetcom-messages-accessed-s02' is a duplicate (expected unique "
     "source_id)"),
    ("source-id-malformed", NL, "  - id: s03", "  - id: S 3", "id: S 3", "id", "does not have the expected form"),
    ("source-passage-duplicate", NL, "    quote: Ennetcom is volgens het OM de grootste aanbieder",
     "    quote: Dat meldt het OM donderdag.\n    notes: Ennetcom is volgens het OM de grootste aanbieder",
     "event_id: ennetcom-om-announcement-2017\n    quote: Dat meldt", "event_id", "one_source_per_passage"),
    ("figure-id-duplicate", NL, "  - id: f02", "  - id: f01", "id: f01\n    quote: tientallen", "id",
     "is a duplicate (expected unique figure_id)"),
    ("required-key-written-null", NL, "    approximate: true\n    unit: device",
     "    approximate: null\n    unit: device", "approximate: null", "approximate",
     "is null (required: write a value)"),
    ("required-actor-key-written-null", ACTORS, "  - actor_id: canada-doj\n    name: Department of Justice Canada",
     "  - actor_id: canada-doj\n    name: null", "name: null", "name", "is null (required: write a value)"),
    ("as-of-precision-a-span", NL, "    as_of: \"2017\"\n    as_of_precision: year",
     "    as_of: \"2017\"\n    as_of_precision: range", "as_of_precision: range", "as_of_precision",
     "'range' is not a date_precision code (expected one of: day, month, year;"),
    ("unknown-key", NL, "    approximate: true\n    unit: device", "    approximate: true\n    units: device",
     "units: device", "units", "unknown key"),
]


@pytest.mark.parametrize(("file", "old", "new", "line_text", "field", "words"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_coding_mistake_is_reported_at_its_place(project: Path, file: str, old: str, new: str, line_text: str,
                                                 field: str, words: str) -> None:
    path = project / file
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {file}"
    text = text.replace(old, new, 1)
    path.write_text(text)
    line = text[: text.index(line_text)].count("\n") + 1
    before = snapshot(project)

    result = cli("--root", str(project), "build")

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    located = [ln for ln in result.stderr.splitlines() if ln.startswith(f"error: {file}:{line}: {field}: ")]
    assert located, f"expected an error at {file}:{line}: {field}; got:\n{result.stderr}"
    assert any(words in ln for ln in located), result.stderr
    assert snapshot(project) == before


def test_unaccounted_number_fails_the_coverage_gate(project: Path) -> None:
    path = project / NL
    text = path.read_text()
    figure = text[text.index("  - id: f04"):]
    path.write_text(text.replace(figure, ""))
    before = snapshot(project)
    result = cli("--root", str(project), "build")
    assert result.returncode == 2
    assert (f"error: {NL}: figures: number 'ongeveer 40.000' at 1365-1380 is neither inside a coded figure's "
            "quote nor listed under not_figures") in result.stderr
    assert snapshot(project) == before
    coverage = cli("--root", str(project), "coverage")  # says which number is left, not only how many
    assert coverage.returncode == 2
    assert "unaccounted: nl-2017-03-ennetcom-messages-accessed: 'ongeveer 40.000' at 1365-1380" in coverage.stdout
    # Listed as not a figure, with a reason from the closed list, it is accounted for.
    path.write_text(text.replace(figure, "not_figures:\n  - quote: ongeveer 40.000\n    reason: other_case\n"))
    assert cli("--root", str(project), "build").returncode == 0
    assert "10 of 10 detected numbers accounted for" in cli("--root", str(project), "coverage").stdout


def test_one_name_for_two_actors_where_both_apply(project: Path) -> None:
    """A name may point at two actors only where they never apply together: in another language, or in
    another case. Toronto's police called "police" everywhere clashes with the Dutch police's "police" in
    the Ennetcom case; "politie" for Toronto's police in English articles only does not clash with the
    Dutch police's Dutch "politie"."""
    path = project / ACTORS
    text = path.read_text()
    toronto = "      any: [Toronto police, Toronto Police, Toronto Police Service]"
    assert toronto in text
    path.write_text(text.replace(toronto, toronto.replace("Service]", "Service, police]")))
    before = snapshot(project)
    result = cli("--root", str(project), "build")
    assert result.returncode == 2, result.stderr
    assert (f"{ACTORS}: names: name 'police' is given to both 'dutch-police' and 'toronto-police' where both "
            "apply (case ennetcom)") in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before
    path.write_text(text.replace(toronto, toronto + "\n      en: [politie]"))
    result = cli("--root", str(project), "build")
    assert result.returncode == 0, result.stderr


def test_key_lines_are_read_again_from_the_file_as_it_is_now(tmp_path: Path) -> None:
    """Rows keep only the line their entry starts on; the line of a key is read from the file when a problem
    is reported: the entry that starts there (not a mapping nested in it), the file's current version."""
    import os

    from dataset.yamlio import key_lines

    path = tmp_path / "events.yaml"
    path.write_text("events:\n- event_id: e1\n  actors:\n  - {actor_id: a1, role: agent}\n  summary: x\n")
    assert key_lines(path, 2) == {"event_id": 2, "actors": 3, "summary": 5}
    assert key_lines(path, 4) == {"actor_id": 4, "role": 4}
    assert key_lines(path, 3) == {}
    path.write_text("events:\n- event_id: e1\n\n  summary: x\n")
    os.utime(path, ns=(1, 1))  # a new mtime, even within the file system clock's resolution
    assert key_lines(path, 2) == {"event_id": 2, "summary": 4}
    path.write_text("events: [unclosed\n")
    assert key_lines(path, 2) == {}
    assert key_lines(tmp_path / "gone.yaml", 1) == {}


def test_coding_entry_keys_come_from_the_tables() -> None:
    """The keys of an entry that is a row of a table are its table's columns (less those the build derives):
    a new column is a new required key with no other edit; every other key is an input key of the registry or
    a list read by its own reader."""
    from dataclasses import replace

    from dataset.pipeline import coding, corrections
    from dataset.schema.fields import FIELDS, INPUT_FIELDS
    from dataset.schema.tables import ENTRIES, TABLES

    assert coding.FIGURE_KEYS == ("id", "quote", "value", "approximate", "unit", "measure", "subject_actor_id",
                                  "stated_by_actor_id")
    assert corrections.ENTRY_KEYS[:4] == ("version", "table", "row", "column")
    for what, entry in ENTRIES.items():
        table = TABLES[entry.table]
        wider = replace(table, fields=(*table.fields, "seized_at"))
        required, optional = entry.keys(wider)
        assert required[-1 - len(entry.lists)] == "seized_at", what
        assert entry.keys(table) == (tuple(k for k in required if k != "seized_at"), optional)
        renamed = set(entry.renamed.values())
        others = {k for k in (*required, *optional) if k not in FIELDS and k not in renamed and k != "seized_at"}
        assert others <= {*INPUT_FIELDS, *entry.lists, "names", "case_names", "notes"}, (what, others)
