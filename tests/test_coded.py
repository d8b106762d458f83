"""The important facts of the two seed articles, asserted against the built Parquet (not the coding files).

Each expectation was read off the article texts by a person: the value a sentence states, who states it,
when an event happened as far as the text allows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

EN = "reuters-2016-04-ennetcom-servers-seized"
NL = "nl-2017-03-ennetcom-messages-accessed"
TABLES = ("articles", "actors", "events", "event_actors", "event_sources", "mentions", "figures")


@pytest.fixture(scope="module")
def t(built: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(built / f"data/processed/{name}.parquet", dtype_backend="pyarrow")
            for name in TABLES}


def figure(t: dict[str, pd.DataFrame], article: str, number_text: str) -> pd.Series:
    rows = t["figures"][(t["figures"].article_id == article) & t["figures"].quote.str.contains(number_text,
                                                                                              regex=False)]
    assert len(rows) >= 1, number_text
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("article", "number_text", "value", "low", "high", "approximate", "unit", "measure", "stated_by"),
    [
        # An appositive describing Ennetcom is the outlet's voice (corrected in 0.2.0, was dutch-police).
        (EN, "19,000 customers", 19000, 19000, 19000, False, "person", "network_customers", None),
        (EN, "36", 36, 36, 36, False, "year", "suspect_age", None),
        # The court ordered the detention; no reporting clause states the figure (was rotterdam-court).
        (EN, "14 days", 14, 14, 14, False, "day", "detention_length", None),
        (EN, "1,500 euros", 1500, 1500, 1500, True, "EUR", "price_per_device", "om"),
        (EN, "All 19,000", 19000, 19000, 19000, False, "person", "network_users", None),
        (NL, "3,6 miljoen", 3_600_000, 3_600_000, 3_600_000, False, "message", "messages_obtained", "om"),
        (NL, "tientallen", None, 20, 99, True, "investigation", "investigations_supported", "om"),
        (NL, "1500 euro", 1500, 1500, 1500, True, "EUR", "price_per_device", None),
        (NL, "40.000", 40000, 40000, 40000, True, "device", "registered_devices", None),
        # "verscheidene" (several): more than two, no upper bound in the word; the outlet's voice.
        (NL, "verscheidene", None, 3, None, True, "investigation", "investigations_using_network", None),
    ],
)
def test_stated_figures(t, article, number_text, value, low, high, approximate, unit, measure, stated_by) -> None:
    row = figure(t, article, number_text)
    assert (None if pd.isna(row.value) else row.value) == value
    assert (row.value_low, None if pd.isna(row.value_high) else row.value_high) == (low, high)
    assert bool(row.approximate) is approximate
    assert (row.unit, row.measure) == (unit, measure)
    assert (None if pd.isna(row.stated_by_actor_id) else row.stated_by_actor_id) == stated_by


def test_every_figure_is_coded_and_as_of_is_honest(t) -> None:
    figures = t["figures"]
    assert figures.groupby("article_id").size().to_dict() == {EN: 5, NL: 5}
    # The Dutch article is dated to the month only: its own figures are too; those the OM gave on a Thursday
    # between 23 February and 30 March 2017 are certain only to the year.
    nl = figures[figures.article_id == NL].set_index("quote")
    assert nl.as_of_precision.to_dict() == {
        "3,6 miljoen versleutelde berichten": "year", "tientallen strafrechtelijke onderzoeken": "year",
        "ongeveer 1500 euro per stuk": "month", "ongeveer 40.000 geregistreerde smartphones": "month",
        "verscheidene Amsterdamse liquidatiezaken": "month"}
    assert nl.as_of.to_dict()["3,6 miljoen versleutelde berichten"] == "2017"
    assert figure(t, EN, "All 19,000").as_of == "2016-04-19"  # "on Tuesday" before Friday 22 April 2016


def test_every_quote_is_the_text_at_its_offsets(t) -> None:
    texts = dict(zip(t["articles"].article_id, t["articles"].text, strict=True))
    for name, column in (("figures", "quote"), ("event_sources", "quote"), ("mentions", "surface")):
        for row in t[name].itertuples():
            assert texts[row.article_id][row.start:row.end] == getattr(row, column)


def event(t, event_id: str) -> pd.Series:
    return t["events"].set_index("event_id").loc[event_id]


def test_statement_dates_the_statement_not_the_arrest(t) -> None:
    arrest = event(t, "ennetcom-owner-arrested")
    assert pd.isna(arrest.date_start) and str(arrest.date_end) == "2016-04-22"
    assert arrest.date_basis == "bounded" and pd.isna(arrest.date_precision)
    announcement = event(t, "ennetcom-police-announcement")
    assert (str(announcement.date_start), announcement.date_precision) == ("2016-04-22", "day")


def test_relative_dates_resolve_only_as_far_as_publication_precision_allows(t) -> None:
    notified = event(t, "ennetcom-users-notified")
    assert (str(notified.date_start), str(notified.date_end)) == ("2016-04-19", "2016-04-19")
    assert (notified.date_precision, notified.date_basis) == ("day", "resolved")
    # "donderdag" in an article dated March 2017: a Thursday from 23 Feb to 30 March 2017, no day.
    om = event(t, "ennetcom-om-announcement-2017")
    assert (str(om.date_start), str(om.date_end), om.date_basis) == ("2017-02-23", "2017-03-30", "bounded")
    assert pd.isna(om.date_precision)


def test_an_event_in_two_articles_is_one_event_with_two_sources(t) -> None:
    sources = t["event_sources"]
    copied = sources[sources.event_id == "ennetcom-servers-copied"]
    assert set(copied.article_id) == {EN, NL}
    assert "in april 2016" in set(copied.date_expression.dropna())
    assert len(t["events"]) == t["events"].event_id.nunique()
    assert set(t["events"].event_id) == set(sources.event_id)  # every event has a source


def test_roles_and_plover(t) -> None:
    roles = set(map(tuple, t["event_actors"][["event_id", "actor_id", "role"]].to_numpy().tolist()))
    assert ("ennetcom-servers-copied", "toronto-police", "cooperating_party") in roles
    assert ("ennetcom-servers-copied", "landelijk-parket", "requester") in roles
    assert ("ennetcom-owner-arrested", "danny-manupassa", "target") in roles
    arrest = event(t, "ennetcom-owner-arrested")
    assert (arrest.plover_type, arrest.plover_mode) == ("COERCE", "arrest")
    assert pd.isna(event(t, "ennetcom-users-notified").plover_type)


def test_mentions_match_names_at_word_boundaries_longest_first(t) -> None:
    m = t["mentions"]
    en, nl = m[m.article_id == EN], m[m.article_id == NL]
    assert en[en.surface == "Toronto police"].actor_id.tolist() == ["toronto-police"]
    assert en[en.surface == "Dutch police"].actor_id.tolist() == ["dutch-police"]
    assert nl[nl.surface == "OM"].actor_id.tolist() == ["om"] * 3  # "het OM" three times; never "om"
    assert not m.surface.str.contains("Ennetcomtelefoons").any()  # a compound is not a mention
    assert (m.mention_id == m.article_id + "-c" + m.start.astype(str)).all()


def test_actors_are_honest(t) -> None:
    actors = t["actors"].set_index("actor_id")
    assert actors.wikidata_id.isna().all()  # none verified by a coder yet: never guessed
    assert actors.at["toronto-police", "country"] == "CA"
    assert actors.at["landelijk-parket", "part_of"] == "om"


def test_corrections_of_0_2_0(t) -> None:
    """The audit's decisions, each checked by hand against the article text (codebook, Coding rules)."""
    actors = t["actors"].set_index("actor_id")
    assert pd.isna(actors.at["danny-manupassa", "country"])  # neither article gives his nationality
    accessed = event(t, "ennetcom-messages-accessed")  # no earlier than the April 2016 copy it comes from
    assert (str(accessed.date_start), str(accessed.date_end)) == ("2016-04-01", "2017-03-30")
    roles = t["event_actors"]
    # Passives name no agent: none is inferred for the copying or the notification of the users.
    assert "agent" not in set(roles[roles.event_id == "ennetcom-servers-copied"].role)
    assert set(roles[roles.event_id == "ennetcom-users-notified"].role) == {"target"}
    # A source's date expression is words of its own quote.
    sources = t["event_sources"].dropna(subset=["date_expression"])
    assert all(row.date_expression in row.quote for row in sources.itertuples())
    # "zelfs voor opsporingsdiensten niet te volgen" is generic: not a mention of the Dutch services.
    texts = dict(zip(t["articles"].article_id, t["articles"].text, strict=True))
    generic = texts[NL].index("voor opsporingsdiensten") + len("voor ")
    m = t["mentions"]
    assert not ((m.article_id == NL) & (m.start == generic)).any()
    assert m[(m.article_id == NL) & (m.actor_id == "dutch-investigative-services")].surface.tolist() == [
        "De opsporingsdiensten"]
