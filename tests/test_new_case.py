"""Issue 18, done when: a second case grows the dataset with no file under src/ touched.

The invented SilentKeel case (tests/fixtures/silentkeel: an English and a Dutch report, none of it real) is
added to a copy of the project the way a coder adds a case: its raw files and coding files copied in, its
cases, actors and events appended to the registries, and the one code it needs that the project lacks (the
event type `extradition`) added to data/coding/vocabularies.yaml. It uses what the seed never did: pounds
sterling, tonnes and kilos of one seizure, an event that lasted a period, vague counts coded as ranges
("Dozens", "Tientallen") and a subscription price with its period.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import REPO, cli, copy_inputs
from dataset.charts import draw
from dataset.datapackage.diff import BUMPS, _schema_bump, schema_changes
from dataset.datapackage.parquet import Package, load_package
from dataset.errors import InputError
from dataset.schema import vocabularies

FIXTURE = REPO / "tests/fixtures/silentkeel"
CASE = "silentkeel"
EN = "harbour-herald-2021-07-silentkeel-dismantled"
NL = "nl-2021-07-silentkeel-intercepted"


def add_case(root: Path, *, with_codes: bool = True) -> Path:
    """The SilentKeel case added to the project at `root` as a coder adds it (no file under src/)."""
    for sub in ("data/raw", "data/coding/articles"):
        for path in sorted((FIXTURE / sub).iterdir()):
            shutil.copy2(path, root / sub / path.name)
    for name in ("cases", "actors", "events"):
        target = root / f"data/coding/{name}.yaml"
        ours = yaml.safe_load((FIXTURE / f"data/coding/{name}.yaml").read_text(encoding="utf-8"))[name]
        seed = yaml.safe_load(target.read_text(encoding="utf-8"))[name]
        target.write_text(yaml.safe_dump({name: [*seed, *ours]}, sort_keys=False, allow_unicode=True),
                          encoding="utf-8")
    if with_codes:
        target = root / "data/coding/vocabularies.yaml"
        registry = yaml.safe_load(target.read_text(encoding="utf-8"))
        added = yaml.safe_load((FIXTURE / "data/coding/vocabularies.yaml").read_text(encoding="utf-8"))
        for name, spec in added.items():
            registry[name]["codes"].update(spec["codes"])
        target.write_text(yaml.safe_dump(registry, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
    return root


def bump(changes: list[dict]) -> str:
    return max((_schema_bump(c) for c in changes), key=BUMPS.index, default="none")


@pytest.fixture(scope="module")
def old(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_inputs(tmp_path_factory.mktemp("seed"))
    result = cli("--root", str(root), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def new(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = add_case(copy_inputs(tmp_path_factory.mktemp("grown")))
    result = cli("--root", str(root), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def package(new: Path) -> Package:
    return load_package(new / "datapackage.json")


def rows(package: Package, table: str, key: str) -> dict[str, dict]:
    return {r[key]: r for r in package.records(table)}


def test_no_file_under_src_is_the_case(new: Path) -> None:
    """Nothing of the case is written in the code: it exists only in its fixture's data files."""
    for path in (REPO / "src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "silentkeel" not in text.lower() and "extradition" not in text, path


def test_masses_normalise_to_one_base_and_currencies_stay(package: Package) -> None:
    figures = rows(package, "figures", "figure_id")
    tonnes, kilos = figures[f"{EN}-f05"], figures[f"{NL}-f01"]
    assert (tonnes["value"], tonnes["unit"]) == (8.0, "t") and (kilos["value"], kilos["unit"]) == (8000.0, "kg")
    for seized in (tonnes, kilos):
        assert seized["value_normalised"] == seized["value_low_normalised"] == seized["value_high_normalised"] == 8000
        assert seized["unit_normalised"] == "kg" and seized["substance"] == "cocaine"
        assert seized["measure"] == "drugs_seized"
    cash = figures[f"{EN}-f04"]
    assert (cash["unit"], cash["value"], cash["value_high"], cash["measure"]) == ("GBP", 54e6, None, "cash_seized")
    assert cash["value_normalised"] is None and cash["unit_normalised"] is None  # money is never converted
    counts = figures[f"{EN}-f01"]
    assert counts["unit"] == "person" and counts["value_normalised"] is None


def test_a_price_keeps_its_period(package: Package) -> None:
    price = rows(package, "figures", "figure_id")[f"{EN}-f06"]
    assert (price["value"], price["unit"], price["measure"], price["per_period"]) == (
        1500.0, "GBP", "subscription_price", "P6M")
    assert price["quote"] == "£1,500 for six months"


def test_vague_counts_are_ranges(package: Package) -> None:
    figures = rows(package, "figures", "figure_id")
    dozens, tientallen = figures[f"{EN}-f03"], figures[f"{NL}-f02"]
    assert (dozens["value"], dozens["value_low"], dozens["value_high"], dozens["approximate"]) == (None, 24, 99, True)
    assert (tientallen["value"], tientallen["value_low"], tientallen["value_high"]) == (None, 20, 99)


def test_a_period_event_is_not_a_bounded_one(package: Package) -> None:
    events = rows(package, "events", "event_id")
    interception = events["silentkeel-messages-intercepted"]
    assert (interception["date_basis"], interception["date_precision"]) == ("period", "month")
    assert (interception["date_start"], interception["date_end"]) == (dt.date(2021, 4, 1), dt.date(2021, 6, 30))
    assert interception["event_type"] == "interception" and interception["plover_type"] is None
    extradition = events["silentkeel-owner-extradition"]
    assert (extradition["event_type"], extradition["date_basis"], extradition["plover_type"]) == (
        "extradition", "bounded", None)


def test_the_package_publishes_the_new_code_with_its_label(new: Path) -> None:
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    [events] = [r for r in descriptor["resources"] if r["name"] == "events"]
    [field] = [f for f in events["schema"]["fields"] if f["name"] == "event_type"]
    assert "extradition" in field["constraints"]["enum"]
    assert {"value": "extradition", "label": "Extradition"} in field["categories"]
    assert field["categoryDefinitions"]["extradition"].startswith("A person is handed over")
    codebook = (new / "docs/codebook.md").read_text(encoding="utf-8")
    assert "| `extradition` | Extradition | A person is handed over" in codebook
    assert "| `t` | tonnes | Metric tonnes (1000 kg). | mass | 1000 |" in codebook


def test_coverage_accounts_for_every_number(new: Path) -> None:
    result = cli("--root", str(new), "coverage")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.strip()}
    # numbers detected, accounted: "£1,500 for six months" is one rate (the detector keeps its period, P6M)
    assert lines[EN][:2] == ["6", "6"] and lines[NL][:2] == ["2", "2"]
    assert "100.0%" in result.stdout


def test_diff_reports_the_added_case_and_code_as_minor(old: Path, new: Path) -> None:
    result = cli("diff", str(old), str(new), "--json")
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert diff["suggested_bump"] == "minor"
    [change] = diff["tables"]["events"]["schema"]
    assert (change["column"], change["codes_added"], change["codes_removed"]) == ("event_type", ["extradition"], [])
    assert len(diff["tables"]["figures"]["added"]) == 8 and not diff["tables"]["figures"]["removed"]


def _event_type_field(root: Path) -> dict:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    [events] = [r for r in descriptor["resources"] if r["name"] == "events"]
    return {"fields": [f for f in events["schema"]["fields"] if f["name"] == "event_type"]}


def test_removed_and_redefined_codes_are_major_a_new_label_a_patch(new: Path) -> None:
    before = _event_type_field(new)
    removed = json.loads(json.dumps(before))
    field = removed["fields"][0]
    field["constraints"]["enum"].remove("extradition")
    field["categories"] = [c for c in field["categories"] if c["value"] != "extradition"]
    del field["categoryDefinitions"]["extradition"]
    assert bump(schema_changes(before, removed)) == "major"
    redefined = json.loads(json.dumps(before))
    redefined["fields"][0]["categoryDefinitions"]["arrest"] = "Any contact with the police."
    changes = schema_changes(before, redefined)
    assert changes == [{"change": "codes_redefined", "column": "event_type", "codes": ["arrest"]}]
    assert bump(changes) == "major"
    relabelled = json.loads(json.dumps(before))
    relabelled["fields"][0]["categories"][0]["label"] = "Arrests"
    changes = schema_changes(before, relabelled)
    assert changes == [{"change": "code_labels_changed", "column": "event_type", "codes": ["arrest"]}]
    assert bump(changes) == "patch"


def test_the_charts_draw_the_case_with_its_own_labels(package: Package, new: Path) -> None:
    for chart in ("timeline", "stated_figures", "actor_matrix", "mentions"):
        assert (new / f"figures/{chart}.svg").is_file()  # the build drew them all
    fig = draw("timeline", package, CASE)
    ax = fig.axes[0]
    row_labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Extradition of Maren Vosberg" in row_labels  # the fixture's label, from its datapackage.json
    assert "Interception of SilentKeel" in row_labels
    [bar] = [a for f_ax in fig.axes for a in f_ax.get_lines() if a.get_gid() == "event-silentkeel-messages-intercepted"]
    assert list(bar.get_xdata()) == [dt.date(2021, 4, 1).toordinal(), dt.date(2021, 7, 1).toordinal()]
    assert bar.get_marker() == "s" and bar.get_alpha() is None  # opaque, square ends: it lasted
    [bounded] = [a for f_ax in fig.axes for a in f_ax.get_lines() if a.get_gid() == "event-silentkeel-dismantled"]
    assert bounded.get_marker() != "s"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "lasted from start to end" in legend
    figures_chart = draw("stated_figures", package, CASE)
    labels = [t.get_text() for t in figures_chart.axes[0].get_yticklabels()]
    assert "Cash seized\n(Pound Sterling)" in labels  # a currency's ISO 4217 name
    assert "Subscription price\n(Pound Sterling per 6 months)" in labels  # a rate with its period
    assert "Drugs seized: cocaine\n(tonnes)" in labels and "Drugs seized: cocaine\n(kg)" in labels


@pytest.mark.parametrize("case", [CASE, None])
def test_a_bound_is_labelled_as_stated(package: Package, case: str | None) -> None:
    """"more than £54 million in cash" (value_high null) reads as stated beside its mark, never as '~54 million'
    (about that much), alone or beside the seed's case; so does "more than 2 million"."""
    from matplotlib.text import Text

    fig = draw("stated_figures", package, case)
    beside = {t.get_gid().removeprefix("stated-"): t.get_text() for t in fig.findobj(Text)
              if (t.get_gid() or "").startswith("stated-")}
    assert beside[f"{EN}-f04"] == "more than £54 million"
    assert beside[f"{EN}-f02"] == "more than 2 million"
    assert beside[f"{EN}-f03"] == "Dozens" and beside[f"{NL}-f02"] == "Tientallen"  # vague counts: ranges
    assert beside[f"{EN}-f06"] == "£1,500"


def test_an_unknown_code_names_the_registry(tmp_path: Path) -> None:
    root = add_case(copy_inputs(tmp_path / "project"), with_codes=False)
    result = cli("--root", str(root), "build", "--jobs", "1")
    assert result.returncode == 2
    events = (root / "data/coding/events.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(events, 1) if text.strip() == "event_type: extradition")
    assert (f"data/coding/events.yaml:{line}: event_type: 'extradition' is not a event_type code (expected one "
            "of: arrest,") in result.stderr
    assert "a new code is added to data/coding/vocabularies.yaml)" in result.stderr


BROKEN = {
    "factor": ("    t: {label: tonnes, definition: Metric tonnes (1000 kg)., dimension: mass, factor: 1000}",
               "    t: {label: tonnes, definition: Metric tonnes (1000 kg)., dimension: mass, factor: -1}",
               "unit.t.factor: -1 is not a positive number"),
    "plover": ("      plover_type: ACCUSE", "      plover_type: ACUSE",
               "event_type.investigation.plover_type: 'ACUSE' is not a plover_type code of this file"),
    "label": ("    person: {label: person, definition: A named individual.}",
              "    person: {definition: A named individual.}", "actor_type.person.label: expected a non-empty text"),
    "currency": ("    weapon: {label: weapons,",
                 "    GBP: {label: pounds, definition: x.}\n    weapon: {label: weapons,",
                 "unit.GBP: GBP is an ISO 4217 currency, a unit already: do not list it"),
}


@pytest.mark.parametrize("broken", BROKEN, ids=BROKEN)
def test_a_wrong_registry_entry_is_reported_at_its_line(tmp_path: Path, broken: str) -> None:
    old_text, new_text, message = BROKEN[broken]
    path = tmp_path / "vocabularies.yaml"
    text = (REPO / "data/coding/vocabularies.yaml").read_text(encoding="utf-8")
    assert old_text in text
    path.write_text(text.replace(old_text, new_text, 1), encoding="utf-8")
    line = next(i for i, written in enumerate(text.splitlines(), 1) if written.startswith(old_text))
    with pytest.raises(InputError) as caught:
        vocabularies.read(path, "data/coding/vocabularies.yaml")
    [problem] = caught.value.problems
    assert str(problem).startswith(f"data/coding/vocabularies.yaml:{line}: ")
    assert message in str(problem)


def test_the_installed_package_reads_no_registry(monkeypatch: pytest.MonkeyPatch, new: Path) -> None:
    """A user of a wheel loads and verifies a package without any data/coding/: its codes and labels are in
    datapackage.json, and nothing reads a registry until a build does."""
    import dataset

    monkeypatch.setattr(vocabularies, "_active", None)
    monkeypatch.setattr(vocabularies, "default_path", lambda: new / "no-such-registry.yaml")
    unpacked = new.parent / "unpacked"
    shutil.copytree(new, unpacked, ignore=shutil.ignore_patterns("data"))
    shutil.copytree(new / "data/processed", unpacked / "data/processed")
    tables = dataset.load_all(path=unpacked)
    assert tables["figures"]["per_period"].dropna().tolist() == ["P6M"]
    verified = cli("verify", str(unpacked))
    assert verified.returncode == 0, verified.stderr + verified.stdout
    fig = draw("timeline", load_package(unpacked / "datapackage.json"), CASE)
    assert "Extradition of Maren Vosberg" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert vocabularies._active is None


def test_the_detector_and_the_vocabulary_agree_on_date_precisions() -> None:
    """Every precision the date detector gives a resolved date is a date_precision code ("range" for a
    season or a span included); "unresolved" is the detector's own, for a coder to code as bounds."""
    from dataset.detect import detect

    codes = set(vocabularies.read(REPO / "data/coding/vocabularies.yaml")["date_precision"].codes)
    found = set()
    for language in ("en", "nl"):
        passages = yaml.safe_load((REPO / f"benchmarks/detection_eval/{language}.yaml").read_text(encoding="utf-8"))
        for passage in passages:
            found |= {d.precision for d in detect(passage["text"], language, passage.get("published"))
                      if d.kind == "date"}
    assert "range" in found and found - {"unresolved"} <= codes


PERIOD_ROWS = {
    # (date_start, date_end, date_precision, date_basis): fits the rule
    "april-to-june": (dt.date(2021, 4, 1), dt.date(2021, 6, 30), "month", "period", True),
    "mid-month-start": (dt.date(2021, 4, 15), dt.date(2021, 6, 30), "month", "period", False),
    "no-end": (dt.date(2021, 4, 1), None, "month", "period", False),
    "no-precision": (dt.date(2021, 4, 1), dt.date(2021, 6, 30), None, "period", False),
    "days": (dt.date(2021, 4, 3), dt.date(2021, 4, 9), "day", "period", True),
    "a-season": (dt.date(2021, 6, 1), dt.date(2021, 8, 31), "range", "stated", True),
    "bounded-with-precision": (dt.date(2021, 4, 1), dt.date(2021, 6, 30), "month", "bounded", False),
}


@pytest.mark.parametrize("case", PERIOD_ROWS, ids=PERIOD_ROWS)
def test_event_dates_rule(case: str) -> None:
    from dataset.schema import TABLES

    start, end, precision, basis, ok = PERIOD_ROWS[case]
    [rule] = [c for c in TABLES["events"].checks if c.name == "dates_fit_precision"]
    df = pd.DataFrame([{"date_start": start, "date_end": end, "date_precision": precision, "date_basis": basis}])
    assert rule.test(df, {}).tolist() == [ok]


def test_a_rate_without_its_period_and_drugs_without_substance_are_refused() -> None:
    from dataset.schema import TABLES

    [rule] = [c for c in TABLES["figures"].checks if c.name == "measure_requires"]
    df = pd.DataFrame([
        {"measure": "subscription_price", "per_period": None, "substance": None},
        {"measure": "subscription_price", "per_period": "P6M", "substance": None},
        {"measure": "drugs_seized", "per_period": None, "substance": None},
        {"measure": "drugs_seized", "per_period": None, "substance": "cocaine"},
        {"measure": "price_per_device", "per_period": None, "substance": None},
    ])
    assert rule.test(df, {}).tolist() == [False, True, False, True, True]


def test_a_period_and_a_rate_read_as_they_were_stated(package: Package) -> None:
    from dataset.charts.labels import duration_text, event_date_text

    events = rows(package, "events", "event_id")
    assert event_date_text(events["silentkeel-messages-intercepted"]) == "Apr\u2013Jun 2021"
    assert event_date_text(events["silentkeel-owner-extradition"]) == "by 9 Jul 2021"
    assert [duration_text(p) for p in ("P6M", "P1Y", "P1Y6M", "P2W")] == ["6 months", "year", "1 year 6 months",
                                                                           "2 weeks"]


def test_normalised_values_follow_the_units_factor() -> None:
    from dataset.schema import TABLES
    from dataset.schema.emit import pandas_dtype

    [rule] = [c for c in TABLES["figures"].checks if c.name == "normalised_values"]
    columns = ["unit", "unit_normalised", "value", "value_low", "value_high", "value_normalised",
               "value_low_normalised", "value_high_normalised"]
    cases = {
        "tonnes-as-kg": (("t", "kg", 8, 8, 8, 8000, 8000, 8000), True),
        "open-upper-bound": (("t", "kg", 8, 8, None, 8000, 8000, None), True),
        "money-never-converted": (("GBP", None, 5, 5, 5, None, None, None), True),
        "a-month-has-no-factor": (("month", None, 3, 3, 3, None, None, None), True),
        "tonnes-not-converted": (("t", "kg", 8, 8, 8, 8, 8, 8), False),
        "money-given-a-base": (("GBP", "kg", 5, 5, 5, None, None, None), False),
        "kg-without-normalised": (("kg", None, 5, 5, 5, None, None, None), False),
    }
    df = pd.DataFrame([row for row, _ in cases.values()], columns=columns)
    df = df.astype({c: pandas_dtype(c) for c in columns})
    assert dict(zip(cases, rule.test(df, {}).tolist(), strict=True)) == {k: ok for k, (_, ok) in cases.items()}


# The new case alone, and both cases on one page (where a source's name carries its case: "Ennetcom: Reuters
# (the outlet)" once ran into its date).
FITTING = [(chart, case) for case in (CASE, None) for chart in ("timeline", "stated_figures", "actor_matrix",
                                                                 "mentions")]


@pytest.mark.parametrize(("chart", "case"), FITTING)
def test_the_new_case_fits_every_chart(package: Package, chart: str, case: str | None) -> None:
    """The second case's charts (a period event adds a fifth kind of date to the timeline's legend, which then
    wraps onto two rows) keep every text on the page and apart, as the seed's do."""
    from dataset.charts import style
    from test_charts import assert_texts_fit

    fig = draw(chart, package, case)
    for dpi in (72, style.PNG_DPI):
        assert_texts_fit(fig, dpi)
