"""`dataset suggest`: a draft coding file from the detector and the registries, which the build refuses until a
coder has reviewed it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, cli

REUTERS = "data/raw/000_cb672303a775cf7f.txt"


def test_draft_of_a_seed_article_holds_its_figures_dates_and_known_actors() -> None:
    result = cli("--root", str(REPO), "suggest", str(REPO / REUTERS), "--case", "ennetcom")
    assert result.returncode == 0, result.stderr
    draft, *registries = yaml.safe_load_all(result.stdout)
    coded = yaml.safe_load((REPO / "data/coding/articles/reuters-2016-04-ennetcom-servers-seized.yaml").read_text())
    assert draft["draft"] is True
    assert (draft["article_id"], draft["raw_sha256"], draft["case_id"]) == (
        coded["article_id"], coded["raw_sha256"], "ennetcom")
    values = {f["quote"]: f["value"] for f in draft["figures"]}
    assert values["19,000 customers,"] == 19000 and values["about 1,500 euros"] == 1500
    # Every figure the coder kept is among the draft's values, each with the unit and measure coded.
    assert {f["value"] for f in coded["figures"]} <= set(values.values())
    guessed = {f["value"]: (f["unit"], f["measure"]) for f in draft["figures"]}
    assert guessed[36] == ("year", "suspect_age") and guessed[14] == ("day", "detention_length")
    assert guessed[1500] == ("EUR", "price_per_device")
    # The sources point to the case's registered events of their type; a known case drafts no case entry.
    sources = {(e["event_id"], e.get("date_expression")) for e in draft["events"]}
    assert {("ennetcom-owner-arrested", "Friday"), ("ennetcom-users-notified", "Tuesday"),
            ("ennetcom-servers-copied", None)} <= sources
    registry = yaml.safe_load((REPO / "data/coding/events.yaml").read_text())["events"]
    drafted = {e for e, _ in sources} - {e["event_id"] for e in registry}
    assert drafted and all(e.endswith("-statement") for e in drafted)  # statements by speaker: none registered
    assert "cases.yaml" not in result.stdout
    # Toby Sterling, the reporter of the byline, is no actor to draft.
    assert "Toby Sterling" not in result.stdout and len(registries) == 2  # events.yaml: header, entries


@pytest.mark.parametrize(("text", "names"), [
    ("In Britain, the National Crime Agency said it arrested 746 people.", ["National Crime Agency"]),
    ("The Dutch said so. The Dutch police agreed.", []),
    ("The case was coordinated by Eurojust. According to Europol, 60,000 people used it.", ["Eurojust", "Europol"]),
    ("On Monday, March 8, Police said the Court in Lille had ordered it.", []),
    ("Police arrested Jan de Vries in Lille on Friday.", ["Jan de Vries"]),
    ("(Reporting by Anna Mertens; Editing by Paul Grant and Tom Hals)", []),
])
def test_unknown_names_leave_out_sentence_starts_and_common_words(text: str, names: list[str]) -> None:
    """"In Britain" and "The Dutch" are a function word and a place or nationality; "Eurojust. According"
    runs over a sentence end; a month, a day name or a generic word alone ("Police", "Court") names no new
    actor; a byline's reporters and editors are the outlet's."""
    from dataset.suggest import candidate_names

    assert candidate_names(text, []) == names


def test_a_new_articles_draft_is_refused_by_the_build_until_reviewed(project: Path) -> None:
    raw = project / "data/raw/new-article.txt"
    raw.write_text("Dutch police said on Monday that about 2,300 users of Ennetcom had been notified.\n",
                   encoding="utf-8")
    (project / "data/raw/new-article.txt.meta.yaml").write_text(
        "article_id: new-2016-05-note\ntitle: null\noutlet: null\nauthor: null\nurl: null\npublished: 2016-05-02\n"
        "published_precision: day\nlanguage: en\nrights: null\n", encoding="utf-8")
    out = project / "data/coding/articles/new-2016-05-note.yaml"
    result = cli("--root", str(project), "suggest", str(raw), "--case", "ennetcom", "--out", str(out))
    assert result.returncode == 0, result.stderr
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [(f["quote"], f["value"], f["approximate"]) for f in draft["figures"]] == [("about 2,300", 2300, True)]
    assert draft["events"][0]["date_expression"] == "on Monday"[3:]
    events = yaml.safe_load((project / "data/coding/events.yaml").read_text(encoding="utf-8"))["events"]
    [statement] = [e for e in events if e.get("draft") == "new-2016-05-note"]
    assert (statement["event_type"], statement["date_start"], statement["date_basis"]) == (
        "public_statement", "2016-05-02", "resolved")
    [figure] = draft["figures"]
    assert (figure["subject_actor_id"], figure["stated_by_actor_id"]) == ("ennetcom", "dutch-police")
    built = cli("--root", str(project), "build")
    assert built.returncode == 2
    assert "data/coding/articles/new-2016-05-note.yaml:" in built.stderr
    assert "unconfirmed draft" in built.stderr


def test_a_drafted_mass_or_volume_has_the_unit_registrys_code(project: Path) -> None:
    """The detector's units (t, l, lb, ml) are the codes of data/coding/vocabularies.yaml: each drafted as it is."""
    raw = project / "data/raw/seizure.txt"
    raw.write_text("Police said they seized 2 tonnes of cocaine, 300 litres of acetone, 40 lb of heroin and 5 ml "
                   "of a liquid drug.\n", encoding="utf-8")
    (project / "data/raw/seizure.txt.meta.yaml").write_text(
        "article_id: new-2016-05-seizure\ntitle: null\noutlet: null\nauthor: null\nurl: null\n"
        "published: 2016-05-02\npublished_precision: day\nlanguage: en\nrights: null\n", encoding="utf-8")
    result = cli("--root", str(project), "suggest", str(raw), "--case", "ennetcom")
    assert result.returncode == 0, result.stderr
    draft = next(yaml.safe_load_all(result.stdout))
    assert {f["quote"]: f["unit"] for f in draft["figures"]} == {
        "2 tonnes": "t", "300 litres": "l", "40 lb": "lb", "5 ml": "ml"}


DRAFT_TARGETS = {
    "existing-coding-file": ("file", "already exists (a draft never overwrites a coding file; --force replaces it)"),
    "missing-directory": ("missing-dir", "directory"),
    "a-directory": ("dir", "not a regular file"),
    "a-symlink": ("symlink", "not a regular file"),
}


@pytest.mark.parametrize("kind,message", DRAFT_TARGETS.values(), ids=DRAFT_TARGETS.keys())
def test_suggest_never_writes_over_or_through_what_is_there(tmp_path: Path, kind: str, message: str) -> None:
    """A coder's file, a directory, a link (to a file outside the project) or a missing directory: exit 2, the
    path named, nothing written; only `--force` replaces a regular file."""
    outside = tmp_path / "outside.yaml"
    outside.write_text("hand-written: true\n")
    out = {"file": tmp_path / "coded.yaml", "missing-dir": tmp_path / "no" / "such" / "draft.yaml",
           "dir": tmp_path / "a-dir", "symlink": tmp_path / "link.yaml"}[kind]
    if kind == "file":
        out.write_text("hand-written: true\n")
    elif kind == "dir":
        out.mkdir()
    elif kind == "symlink":
        out.symlink_to(outside)
    before = sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*"))
    result = cli("--root", str(REPO), "suggest", str(REPO / REUTERS), "--case", "ennetcom", "--out", str(out))
    assert result.returncode == 2
    assert f"error: {out}: cannot write the draft: " in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*")) == before
    forced = cli("--root", str(REPO), "suggest", str(REPO / REUTERS), "--case", "ennetcom", "--out", str(out),
                 "--force")
    if kind == "file":
        assert forced.returncode == 0, forced.stderr
        assert yaml.safe_load(out.read_text())["draft"] is True
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    else:
        assert forced.returncode == 2 and outside.read_text() == "hand-written: true\n"


# --- a new article of a new case: how much a coder writes with `suggest` ----------------------------------------
VANTOR = REPO / "tests/fixtures/vantor"
VANTOR_ID = "vantor-2021-03-service-shut-down"


def _content(text: str) -> list[str]:
    """The lines a coder writes: not blank, not comments."""
    return [line.rstrip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def hand_work(drafted: str, final: str) -> tuple[int, int]:
    """(lines of `final` that the coder writes or changes, lines of `drafted` the coder deletes), by a line diff
    of the two, comments and blank lines left out."""
    import difflib

    a, b = _content(drafted), _content(final)
    written = deleted = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "insert"):
            written += j2 - j1
        if op in ("replace", "delete"):
            deleted += max(0, (i2 - i1) - (j2 - j1) if op == "replace" else i2 - i1)
    return written, deleted


def test_a_new_case_takes_less_than_half_the_hand_written_lines_with_suggest(project: Path) -> None:
    """The invented Vantor case (tests/fixtures/vantor: one wire report, its final coding as a coder wrote it
    from the drafts): `suggest` drafts the case, five actors, the events and the coding file into the files
    where they belong; the coder's edits (the fixture) build. Without `suggest` the coder writes every line of
    the final coding; with it, only the lines the drafts do not already hold."""
    for raw in (VANTOR / "raw").glob("vantor_en.*"):
        (project / "data/raw" / raw.name).write_bytes(raw.read_bytes())
    coding = project / "data/coding"
    before = {stem: (coding / f"{stem}.yaml").read_text(encoding="utf-8") for stem in ("cases", "actors", "events")}
    out = coding / "articles" / f"{VANTOR_ID}.yaml"
    result = cli("--root", str(project), "suggest", str(project / "data/raw/vantor_en.txt"), "--case", "vantor",
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    drafted = {"articles": out.read_text(encoding="utf-8")}
    for stem, text in before.items():
        now = (coding / f"{stem}.yaml").read_text(encoding="utf-8")
        assert now.startswith(text)  # the coder's registry is kept byte for byte; drafts come after it
        drafted[stem] = now[len(text):]
    # the drafts are refused by the build until reviewed
    refused = cli("--root", str(project), "build")
    assert refused.returncode == 2 and "unconfirmed draft" in refused.stderr
    cases = before["cases"] + drafted["cases"]
    draft = (f"draft: is an unconfirmed draft from `dataset suggest` (for '{VANTOR_ID}'): review it, then delete "
             "its `draft:` line")
    assert f"data/coding/cases.yaml:{cases[:cases.index('    draft:')].count(chr(10)) + 1}: {draft}" in (
        refused.stderr)
    for registry in ("events", "actors"):
        assert any(line.startswith(f"error: data/coding/{registry}.yaml:") and line.endswith(draft)
                   for line in refused.stderr.splitlines()), refused.stderr
    assert "unknown key" not in refused.stderr
    line = drafted["articles"][:drafted["articles"].index("\ndraft: true")].count("\n") + 2
    assert (f"data/coding/articles/{VANTOR_ID}.yaml:{line}: draft: is an unconfirmed draft from `dataset suggest`: "
            "review every entry, then delete the `draft: true` line") in refused.stderr
    final = {stem: (VANTOR / "coded" / f"{stem}.yaml").read_text(encoding="utf-8")
             for stem in ("cases", "actors", "events")}
    final["articles"] = (VANTOR / "coded/articles" / f"{VANTOR_ID}.yaml").read_text(encoding="utf-8")
    without = sum(len(_content(text)) for text in final.values())
    work = {stem: hand_work(drafted[stem], final[stem]) for stem in final}
    written = sum(w for w, _ in work.values())
    deleted = sum(d for _, d in work.values())
    print(f"\nVantor: {without} lines by hand; with suggest {written} written or changed, {deleted} deleted: {work}")
    for stem, text in before.items():
        (coding / f"{stem}.yaml").write_text(text + final[stem], encoding="utf-8")
    out.write_text(final["articles"], encoding="utf-8")
    built = cli("--root", str(project), "build")
    assert built.returncode == 0, built.stderr
    assert written + deleted <= without / 2, work


def test_registry_drafts_are_appended_once_and_never_into_a_file_they_would_change(project: Path) -> None:
    """A second run (--force) adds no second copy; a registry whose list is not its last key is refused before
    anything is written, the coding file included."""
    for raw in (VANTOR / "raw").glob("vantor_en.*"):
        (project / "data/raw" / raw.name).write_bytes(raw.read_bytes())
    coding = project / "data/coding"
    out = coding / "articles" / f"{VANTOR_ID}.yaml"
    args = ("--root", str(project), "suggest", str(project / "data/raw/vantor_en.txt"), "--case", "vantor", "--out",
            str(out))
    assert cli(*args).returncode == 0
    once = {p.name: p.read_bytes() for p in coding.glob("*.yaml")}
    again = cli(*args, "--force")
    assert again.returncode == 0, again.stderr
    assert "entries drafted for vantor-2021-03-service-shut-down are there already (none added)" in again.stdout
    assert {p.name: p.read_bytes() for p in coding.glob("*.yaml")} == once
    out.unlink()
    actors = coding / "actors.yaml"
    actors.write_text(once["actors.yaml"].decode() + "notes: a key after the list\n", encoding="utf-8")
    cases = coding / "cases.yaml"
    cases.write_bytes(once["cases.yaml"].split(b"\n  # DRAFT")[0])
    before = {p.name: p.read_bytes() for p in coding.glob("*.yaml")}
    refused = cli(*args)
    assert refused.returncode == 2
    assert f"error: {actors}: cannot add the drafted entries: expected `actors:` as the file's last key" in (
        refused.stderr)
    assert not out.exists() and {p.name: p.read_bytes() for p in coding.glob("*.yaml")} == before


def test_the_second_article_of_a_case_points_to_its_events(project: Path) -> None:
    """The Dutch report of the Vantor case (after the English one is coded): `suggest` points its sources to
    the case's registered events, drafts only the new period event (interception from October to February)
    and no actor, and names the agencies it takes for other names of registered ones; the coder's edits (the
    fixture: a rate, a mass of cocaine, vague counts, a period) build, and each agency is found under its
    Dutch name."""
    import pandas as pd

    coding = project / "data/coding"
    for raw in (VANTOR / "raw").iterdir():
        (project / "data/raw" / raw.name).write_bytes(raw.read_bytes())
    registries = {stem: (coding / f"{stem}.yaml").read_text(encoding="utf-8") for stem in ("cases", "actors",
                                                                                           "events")}
    english = {stem: (VANTOR / "coded" / f"{stem}.yaml").read_text(encoding="utf-8") for stem in registries}
    for stem, text in registries.items():
        (coding / f"{stem}.yaml").write_text(text + english[stem], encoding="utf-8")
    english_coding = VANTOR / "coded/articles" / f"{VANTOR_ID}.yaml"
    (coding / "articles" / english_coding.name).write_bytes(english_coding.read_bytes())
    before = {stem: (coding / f"{stem}.yaml").read_text(encoding="utf-8") for stem in registries}
    dutch = "nl-2021-03-vantor-founder-arrested"
    out = coding / "articles" / f"{dutch}.yaml"
    result = cli("--root", str(project), "suggest", str(project / "data/raw/vantor_nl.txt"), "--case", "vantor",
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    drafted = out.read_text(encoding="utf-8")
    assert "'Belgische politie' is likely another name of actor belgian-police" in drafted
    assert "'federaal parket' is likely another name of actor federal-prosecutors" in drafted
    assert [(coding / f"{stem}.yaml").read_text(encoding="utf-8") == text for stem, text in before.items()] == [
        True, True, False]  # no case, no actor: one new event
    new_events = (coding / "events.yaml").read_text(encoding="utf-8")[len(before["events"]):]
    assert [e["event_id"] for e in yaml.safe_load("events:\n" + new_events)["events"]] == ["vantor-interception"]
    drafted_sources = yaml.safe_load(drafted)["events"]
    assert [e["id"] for e in drafted_sources] == [f"s{n:02d}" for n in range(1, len(drafted_sources) + 1)]
    sources = {e["event_id"] for e in drafted_sources}
    assert {"vantor-arrest", "vantor-service-shutdown"} <= sources
    final = (VANTOR / "coded-nl/articles" / f"{dutch}.yaml").read_text(encoding="utf-8")
    final_events = (VANTOR / "coded-nl/events.yaml").read_text(encoding="utf-8")
    final_actors = (VANTOR / "coded-nl/actors.yaml").read_text(encoding="utf-8")
    work = [hand_work(drafted, final), hand_work(new_events, final_events), hand_work(english["actors"],
                                                                                     final_actors)]
    without = len(_content(final)) + len(_content(final_events)) + work[2][0]
    written, deleted = sum(w for w, _ in work), sum(d for _, d in work)
    print(f"\nVantor (nl, second article): {without} lines by hand; with suggest {written} written or changed, "
          f"{deleted} deleted")
    out.write_text(final, encoding="utf-8")
    (coding / "events.yaml").write_text(before["events"] + final_events, encoding="utf-8")
    (coding / "actors.yaml").write_text(registries["actors"] + final_actors, encoding="utf-8")
    built = cli("--root", str(project), "build")
    assert built.returncode == 0, built.stderr
    mentions = pd.read_parquet(project / "data/processed/mentions.parquet")
    named = set(mentions.loc[mentions["article_id"] == dutch, "actor_id"])
    assert {"belgian-police", "federal-prosecutors", "vantor", "marco-velden", "dutch-police"} <= named
    assert written + deleted <= without / 2


# --- an invented wire story (the Hartwell seizure): the reviewer's bugs -----------------------------------------
HARTWELL = ("HARTWELL (Wire) - Police in Hartwell said on Wednesday they had arrested Tobias Renwick, 52, and seized "
            "more than £2m in cash and 1.2 tonnes of cocaine, the Hartwell Constabulary said. The haul was worth "
            "3.6 million pounds, Det. Insp. J. Smith of the U.S. Drug Enforcement Administration told reporters on "
            "Jan. 14 at No. 5 Mill Road. The bags were seen by Clara Voss, a reporter.\n")


def _hartwell(names: list | None = None, rows: dict | None = None, author: str | None = "Clara Voss") -> dict:
    from dataset.detect import detect
    from dataset.suggest import draft_all

    article = {"article_id": "wire-hartwell", "language": "en", "text": HARTWELL, "raw_sha256": "0" * 64,
               "published": "2024-01-17", "author": author}
    drafts = draft_all(article, detect(HARTWELL, "en", "2024-01-17"), names or [], rows or {}, "hartwell-seizure")
    return {"coding": yaml.safe_load(drafts.coding), **drafts.registries}


@pytest.mark.parametrize(("text", "sentences"), [
    ("They seized more than £2m in cash and 1.2 tonnes of cocaine, the Hartwell Constabulary said. Then they left.",
     ["They seized more than £2m in cash and 1.2 tonnes of cocaine, the Hartwell Constabulary said.",
      "Then they left."]),
    ("It was worth 3.6 million. It was No. 5 in the U.S. list on Jan. 14, said J. Smith. Really? Yes!",
     ["It was worth 3.6 million.", "It was No. 5 in the U.S. list on Jan. 14, said J. Smith.", "Really?", "Yes!"]),
    ("Het ging om 3,6 miljoen. Zo zei dhr. Jansen.\nKop\n\nNieuwe alinea. Het zei no.",
     ["Het ging om 3,6 miljoen.", "Zo zei dhr. Jansen.", "Kop", "Nieuwe alinea.", "Het zei no."]),
])
def test_sentences_do_not_end_at_decimals_initials_or_abbreviations(text: str, sentences: list[str]) -> None:
    """A period between digits, after a single capital letter or after a known abbreviation ends no sentence;
    "no." before no number, "!", "?" and a line break do."""
    from dataset.suggest import sentence_span, sentence_spans

    assert [text[s:e].strip() for s, e in sentence_spans(text) if text[s:e].strip()] == sentences
    s, e = sentence_span(text, text.index("cocaine") if "cocaine" in text else 0)
    assert text[s:e] == sentences[0]


def test_the_hartwell_story_quotes_whole_sentences_and_drafts_no_byline_reporter() -> None:
    """The seizure sentence is one source (not "...and 1." and "2 tonnes..."); Clara Voss, the sidecar's
    author, is no drafted actor (nor under another author spelling); Tobias Renwick is."""
    drafts = _hartwell()
    quotes = [source["quote"] for source in drafts["coding"]["events"]]
    assert not any(q.endswith(" 1.") or q.startswith("2 tonnes") for q in quotes), quotes
    assert any(q.startswith("HARTWELL (Wire) - Police in Hartwell said") and q.endswith("Constabulary said.")
               for q in quotes), quotes
    names = {a["name"] for a in drafts["actors"]}
    assert "Tobias Renwick" in names and "Clara Voss" not in names
    assert "Clara Voss" in {a["name"] for a in _hartwell(author=None)["actors"]}  # the author field decides
    assert "Clara Voss" not in {a["name"] for a in _hartwell(author="Clara Voss and Ed Park; Wire")["actors"]}
    from dataset.suggest import candidate_names

    assert "Clara Voss" not in candidate_names(HARTWELL, [], ["Clara Voss"])
    assert "Clara Voss" in candidate_names(HARTWELL, [])


def test_drafted_events_leave_summaries_and_descriptions_to_the_coder() -> None:
    """README ("Adding an article", step 4): a drafted event's summary and a drafted actor's or case's
    description are null, so the build refuses them until a coder writes them."""
    drafts = _hartwell()
    assert drafts["events"] and all(e["summary"] is None for e in drafts["events"])
    assert all(a["description"] is None for a in drafts["actors"])
    assert all(c["description"] is None for c in drafts["cases"])


def test_a_statements_speaker_is_the_subject_of_its_reporting_verb_never_the_person_arrested() -> None:
    """"Police in Hartwell said on Wednesday they had arrested Tobias Renwick": the police speak (and state
    the sentence's figures), not Renwick; where the police are no known actor the speaker is left null."""
    from dataset.pipeline.coding import ActorName

    for drafts in (_hartwell(), _hartwell([ActorName("hartwell-police", "Police in Hartwell")],
                                          {"actors": [{"actor_id": "hartwell-police", "actor_type": "police"}]})):
        statements = [e for e in drafts["events"] if e["event_type"] == "public_statement"]
        speakers = {a["actor_id"] for e in statements for a in e["actors"] if a["role"] == "agent"}
        assert "tobias-renwick" not in speakers
        stated = {f["quote"]: f["stated_by_actor_id"] for f in drafts["coding"]["figures"]}
        assert "tobias-renwick" not in stated.values(), stated
        [arrest] = [e for e in drafts["events"] if e["event_type"] == "arrest"]
        assert {"actor_id": "tobias-renwick", "role": "target"} in arrest["actors"]
    # with the police known, they state the seizure's figures ("Police in Hartwell said")
    assert stated["1.2 tonnes"] == "hartwell-police" and stated["52"] == "hartwell-police", stated
    assert "hartwell-police" in speakers


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("Police in Hartwell said on Wednesday they had arrested Tobias Renwick.", "hartwell-police"),
    ("Officers said Tobias Renwick had been arrested on Wednesday.", None),
    ("Tobias Renwick was arrested, according to Hartwell Constabulary.", "hartwell-constabulary"),
    ("Renwick was arrested, said spokesman Piet Mol of the Hartwell Constabulary.", "piet-mol"),
    ("Tobias Renwick was arrested on Wednesday, said Hartwell Constabulary.", "hartwell-constabulary"),
    ("Hartwell Constabulary, the county's police force, said Tobias Renwick was held.", "hartwell-constabulary"),
])
def test_the_speaker_is_the_reporting_verbs_subject_or_none(sentence: str, speaker: str | None) -> None:
    from dataset.pipeline.coding import ActorName
    from dataset.suggest import _Article

    names = [ActorName("hartwell-police", "Police in Hartwell"), ActorName("tobias-renwick", "Tobias Renwick"),
             ActorName("hartwell-constabulary", "Hartwell Constabulary"), ActorName("piet-mol", "Piet Mol")]
    types = {"hartwell-police": "police", "hartwell-constabulary": "police", "tobias-renwick": "person",
             "piet-mol": "person"}
    doc = _Article({"article_id": "a", "language": "en", "text": sentence}, names, None, types)
    assert doc.speaker(0, len(sentence)) == speaker


def test_the_sidecars_author_reaches_suggest_from_the_command_line(tmp_path: Path) -> None:
    """`dataset suggest` passes the sidecar's `author` on: its reporter is drafted as no actor."""
    raw = tmp_path / "hartwell.txt"
    raw.write_text(HARTWELL, encoding="utf-8")
    (tmp_path / "hartwell.txt.meta.yaml").write_text(
        "article_id: wire-hartwell\ntitle: null\noutlet: null\nauthor: Clara Voss\nurl: null\npublished: 2024-01-17\n"
        "published_precision: day\nlanguage: en\nrights: null\n", encoding="utf-8")
    result = cli("--root", str(REPO), "suggest", str(raw), "--case", "hartwell-seizure")
    assert result.returncode == 0, result.stderr
    assert "Tobias Renwick" in result.stdout and "Clara Voss" not in result.stdout


@pytest.mark.parametrize(("text", "language", "period"), [
    ("A six-month subscription was sold for £1,500 for six months, police said.", "en", "P6M"),
    ("Een abonnement kostte 250 euro per drie maanden, aldus de politie.", "nl", "P3M"),
    ("Users paid 150 euros per month, police said.", "en", "P1M"),
])
def test_a_drafted_rate_keeps_its_period(text: str, language: str, period: str) -> None:
    """A money figure the detector reads with a period (a unit word or a counted duration) is drafted as a
    subscription price with that period as an ISO 8601 duration, as the codebook codes per_period."""
    from dataset.detect import detect
    from dataset.suggest import draft_all

    article = {"article_id": "rate", "language": language, "text": text, "raw_sha256": "0" * 64,
               "published": "2024-01-17", "author": None}
    drafts = draft_all(article, detect(text, language, "2024-01-17"), [], {}, "rates")
    figures = yaml.safe_load(drafts.coding)["figures"]
    rates = [f for f in figures if f.get("per_period")]
    assert [(f["per_period"], f["measure"]) for f in rates] == [(period, "subscription_price")], figures
