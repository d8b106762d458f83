"""Mention matching: the first-word index finds exactly what one regular expression of every name finds.

The specification of a mention is the regular expression `(?<!\\w)(?:name1|name2|...)(?!\\w)` with the names
longest first (case-sensitive, whole words, leftmost-longest, no overlaps). The pipeline does not run it (its
cost grows with the registry at every character), so these tests hold the index-based matcher to it on
adversarial names and texts, and on the real articles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dataset.pipeline.articles import build_articles
from dataset.pipeline.coding import ActorName, read_coding
from dataset.pipeline.mentions import Index, _overlay, _shared, find_mentions, mentions_in
from dataset.project import find_project


def by_regex(text: str, names: dict[str, str]) -> list[tuple[int, int, str, str]]:
    ordered = sorted(names, key=lambda n: (-len(n), n))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
    return [(m.start(), m.end(), m.group(), names[m.group()]) for m in pattern.finditer(text)]


def name_index(names: list[ActorName], language: str, case: str | None) -> Index:
    """The names that apply in an article of `language` coded for `case`, by first word, indexed as the build
    indexes them (the shared names, with the case's own as an overlay)."""
    return _overlay(_shared(names, language), [n for n in names if case is not None and n.case_id == case],
                    language)


ALPHABET = "abAB \u00e9-'.(_1"
name_text = st.text(ALPHABET, min_size=1, max_size=6).map(str.strip).filter(bool)


@settings(max_examples=400, deadline=None)
@given(names=st.dictionaries(name_text, st.sampled_from(["x", "y", "z"]), min_size=1, max_size=6),
       text=st.text(ALPHABET, max_size=60))
def test_index_matches_the_regular_expression(names: dict[str, str], text: str) -> None:
    registry = [ActorName(actor, name) for name, actor in names.items()]
    # Plant each name once so that matches are common, not just possible.
    planted = text + " " + " ".join(names) + " " + text
    assert mentions_in(planted, name_index(registry, "en", None)) == by_regex(planted, names)


@settings(max_examples=300, deadline=None)
@given(shared=st.dictionaries(name_text, st.sampled_from(["x", "y"]), max_size=5),
       own=st.dictionaries(name_text, st.sampled_from(["y", "z"]), max_size=4),
       case=st.sampled_from([None, "k", "other"]), text=st.text(ALPHABET, max_size=40))
def test_a_cases_own_names_overlay_the_shared_ones(shared: dict[str, str], own: dict[str, str], case: str | None,
                                                  text: str) -> None:
    """An article of case "k" sees the shared names and k's own (k's own winning where both give the same
    text), merged longest first under a common first word; any other article sees the shared names only."""
    registry = [ActorName(actor, name) for name, actor in shared.items()]
    registry += [ActorName(actor, name, case_id="k") for name, actor in own.items()]
    applies = {**shared, **(own if case == "k" else {})}
    planted = text + " " + " ".join([*shared, *own]) + " " + text
    expected = by_regex(planted, applies) if applies else []
    assert mentions_in(planted, name_index(registry, "en", case)) == expected


def test_language_and_case_narrow_where_a_name_applies() -> None:
    registry = [ActorName("om", "OM", language="nl"), ActorName("pros", "prosecutors", case_id="ennetcom"),
                ActorName("police", "police"), ActorName("toronto-police", "Toronto police")]
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "language": ["nl", "en", "en"],
                             "text": ["Het OM en de police.", "OM prosecutors Toronto police.", "prosecutors"]})
    rows = find_mentions(articles, registry, {"b": "ennetcom"}).to_dict("records")
    assert [(r["article_id"], r["surface"], r["actor_id"], r["start"]) for r in rows] == [
        ("a", "OM", "om", 4), ("a", "police", "police", 13),
        ("b", "prosecutors", "pros", 3), ("b", "Toronto police", "toronto-police", 15),
    ]
    assert rows[0]["mention_id"] == "a-c4"


def test_real_articles_match_the_regular_expression(built: Path) -> None:
    """Every mention in the built package is what the regular expression finds in the published text."""
    project = find_project(root=built)
    articles, _ = build_articles(project)
    coding = read_coding(project, articles)
    published = pd.read_parquet(built / "data/processed/mentions.parquet")
    for article in articles.itertuples():
        case = coding.article_case.get(article.article_id)
        names = {n.text: n.actor_id for n in coding.names
                 if n.language in (None, article.language) and n.case_id in (None, case)}
        got = published[published.article_id == article.article_id]
        assert len(got) > 0
        assert list(zip(got.start, got.end, got.surface, got.actor_id, strict=True)) == by_regex(article.text, names)
