"""The published tables: each lists its fields (defined in fields.py), keys and cross-column rules.

Tables are listed parents first; the build writes and validates them in this order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from dataset.schema.registry import ForeignKey, RowCheck, Table

_PRECISION_LENGTH = {"day": 10, "month": 7, "year": 4}

Tables = Mapping[str, pd.DataFrame]


def _is_calendar_date(value: object, precision: object) -> bool:
    """True when an ISO reduced-precision date names a real period and its length fits its precision."""
    if not isinstance(value, str) or _PRECISION_LENGTH.get(str(precision)) != len(value):
        return False
    padded = value + "-01" * ((10 - len(value)) // 3)
    try:
        dt.date.fromisoformat(padded)
    except ValueError:
        return False
    return True


def _reduced_date_fits(column: str, precision: str) -> RowCheck:
    return RowCheck(
        f"{column}_fits_precision",
        f"`{column}` is a real calendar date written at exactly `{precision}` (YYYY-MM-DD for day, YYYY-MM for "
        "month, YYYY for year).",
        (column, precision),
        lambda df, _: df[column].combine(df[precision], _is_calendar_date).astype(bool),
    )


def _period(day: dt.date, precision: str) -> tuple[object, ...]:
    if precision == "day":
        return (day,)
    if precision == "week":
        return day.isocalendar()[:2]
    if precision == "month":
        return (day.year, day.month)
    return (day.year,)


def _event_dates_ok(row: pd.Series) -> bool:
    start, end, precision, basis = row["date_start"], row["date_end"], row["date_precision"], row["date_basis"]
    start = None if pd.isna(start) else start
    end = None if pd.isna(end) else end
    precision = None if pd.isna(precision) else precision
    if start is not None and end is not None and start > end:
        return False
    if basis == "bounded":
        return precision is None and (start is not None or end is not None)
    return (precision is not None and start is not None and end is not None
            and _period(start, precision) == _period(end, precision))


def _quote_in_text(column: str) -> RowCheck:
    return RowCheck(
        f"{column}_is_in_text",
        f"`{column}` is exactly the article's clean text from `start` to `end`.",
        (column, "start", "end"),
        lambda df, tables: _slices_match(df, tables["articles"], column),
    )


def _slices_match(df: pd.DataFrame, articles: pd.DataFrame, column: str) -> pd.Series:
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    return pd.Series(
        [
            isinstance(texts.get(a), str) and texts[a][s:e] == q
            for a, s, e, q in zip(df["article_id"], df["start"], df["end"], df[column], strict=True)
        ],
        index=df.index,
        dtype=bool,
    )


def _has_source(df: pd.DataFrame, tables: Tables) -> pd.Series:
    return df["event_id"].isin(set(tables["event_sources"]["event_id"])).astype(bool)


def _range_ok(df: pd.DataFrame, _: Tables) -> pd.Series:
    """low <= value <= high where present; an exact figure has low == value == high."""
    value, low, high = (df[c].astype("float64") for c in ("value", "value_low", "value_high"))
    some = value.notna() | low.notna() | high.notna()
    ordered = ~(low > value) & ~(value > high) & ~(low > high)
    exact = ~df["approximate"].fillna(False).astype(bool)
    exact_ok = ~exact | (value.notna() & (low == value) & (high == value))
    return (some & ordered & exact_ok).astype(bool)


ARTICLE = ForeignKey(("article_id",), "articles", ("article_id",))
EVENT = ForeignKey(("event_id",), "events", ("event_id",))
ACTOR = ForeignKey(("actor_id",), "actors", ("actor_id",))

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            name="articles",
            title="Articles",
            description="One row per news article in the corpus: its metadata, its clean text, and the hashes "
            "that tie the text to the raw file it was cleaned from.",
            fields=(
                "article_id", "title", "outlet", "author", "url", "published", "published_precision",
                "language", "raw_path", "raw_sha256", "text", "text_sha256", "n_chars", "n_words", "rights",
                "notes",
            ),
            primary_key=("article_id",),
            checks=(_reduced_date_fits("published", "published_precision"),),
        ),
        Table(
            name="cases",
            title="Cases",
            description="One row per case: the takedown of one encrypted-phone network.",
            fields=("case_id", "case_name", "country", "description"),
            primary_key=("case_id",),
        ),
        Table(
            name="actors",
            title="Actors",
            description="One row per actor (person, company, police, prosecution, court, government body, "
            "group) named in the corpus, from the actor registry.",
            fields=("actor_id", "name", "actor_type", "country", "part_of", "description", "wikidata_id"),
            primary_key=("actor_id",),
            foreign_keys=(ForeignKey(("part_of",), "actors", ("actor_id",)),),
        ),
        Table(
            name="events",
            title="Events",
            description="One row per event (arrest, detention order, server seizure, shutdown, notification, "
            "data access, statement...), dated only as precisely as the sources allow.",
            fields=(
                "event_id", "case_id", "event_type", "plover_type", "plover_mode", "summary", "country",
                "location", "date_start", "date_end", "date_precision", "date_basis",
            ),
            primary_key=("event_id",),
            foreign_keys=(ForeignKey(("case_id",), "cases", ("case_id",)),),
            checks=(
                RowCheck(
                    "dates_fit_precision",
                    "date_start <= date_end; a stated or resolved date has a precision and both dates in one "
                    "period of it; a bounded date has no precision and at least one bound.",
                    ("date_start", "date_end", "date_precision", "date_basis"),
                    lambda df, _: df.apply(_event_dates_ok, axis=1).astype(bool),
                ),
                RowCheck(
                    "event_has_source",
                    "Every event is reported by at least one article (a row in event_sources).",
                    ("event_id",),
                    _has_source,
                ),
            ),
        ),
        Table(
            name="event_actors",
            title="Event actors",
            description="One row per actor taking part in an event, with its role.",
            fields=("event_id", "actor_id", "role"),
            primary_key=("event_id", "actor_id", "role"),
            foreign_keys=(EVENT, ACTOR),
        ),
        Table(
            name="event_sources",
            title="Event sources",
            description="One row per passage of an article that reports an event: the exact quote, its "
            "offsets in the article's clean text, and the article's own date expression.",
            fields=("event_id", "article_id", "quote", "start", "end", "date_expression"),
            primary_key=("event_id", "article_id", "start"),
            foreign_keys=(EVENT, ARTICLE),
            checks=(_quote_in_text("quote"),),
        ),
        Table(
            name="mentions",
            title="Actor mentions",
            description="One row per place an actor is named in an article, found by matching the actor "
            "registry's names and aliases against the clean text at word boundaries.",
            fields=("mention_id", "article_id", "actor_id", "start", "end", "surface"),
            primary_key=("mention_id",),
            foreign_keys=(ARTICLE, ACTOR),
            checks=(_quote_in_text("surface"),),
        ),
        Table(
            name="figures",
            title="Stated figures",
            description="One row per figure an article states (users, devices, prices, messages, durations, "
            "ages): its value and range, unit, what it measures, who states it, and the exact quote.",
            fields=(
                "figure_id", "article_id", "quote", "start", "end", "value", "value_low", "value_high",
                "approximate", "unit", "measure", "subject_actor_id", "stated_by_actor_id", "as_of",
                "as_of_precision", "language",
            ),
            primary_key=("figure_id",),
            foreign_keys=(
                ARTICLE,
                ForeignKey(("subject_actor_id",), "actors", ("actor_id",)),
                ForeignKey(("stated_by_actor_id",), "actors", ("actor_id",)),
            ),
            checks=(
                _quote_in_text("quote"),
                RowCheck(
                    "value_range",
                    "value_low <= value <= value_high where given; an exact figure has value_low == value == "
                    "value_high; at least one of them is given.",
                    ("value", "value_low", "value_high", "approximate"),
                    _range_ok,
                ),
                _reduced_date_fits("as_of", "as_of_precision"),
            ),
        ),
    )
}
