"""The published tables: each lists its fields (defined in fields.py), keys and cross-column rules.

Tables are listed parents first; the build writes and validates them in this order.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping

import pandas as pd
import pyarrow as pa

from dataset.schema import vocabularies
from dataset.schema.registry import Entry, ForeignKey, RowCheck, Table

_PRECISION_LENGTH = {"day": 10, "month": 7, "year": 4}
# Bases whose date_end a source can only give once it has passed (see _not_after_sources).
ENDS_REPORTED = ("bounded", "period")
VALUES = ("value", "value_low", "value_high")  # each has its `<column>_normalised` (fields.py)

Tables = Mapping[str, pd.DataFrame]


def values(series: pd.Series) -> list[object]:
    """The values of `series`, as iterating it yields them (its missing value, pd.NA, where one is missing),
    made in one call: iterating an Arrow-backed column makes each value through a pyarrow scalar, which took
    most of the row rules' time (a 10,000-article build iterates a million values). Timestamps and durations,
    which iteration boxes as pandas', are iterated."""
    array = series.array
    if isinstance(array, pd.arrays.ArrowExtensionArray):
        chunked = array.__arrow_array__()
        if not (pa.types.is_timestamp(chunked.type) or pa.types.is_duration(chunked.type)):
            missing = array.dtype.na_value
            return [missing if value is None else value for value in chunked.to_pylist()]
    return list(series)


def period(value: object, precision: object) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the period an ISO reduced-precision date names (2016-04: April 2016); None
    unless it is a real period written at exactly its precision."""
    if not isinstance(value, str) or _PRECISION_LENGTH.get(str(precision)) != len(value):
        return None
    try:
        first = dt.date.fromisoformat(value + "-01" * ((10 - len(value)) // 3))
    except ValueError:
        return None
    if precision == "day":
        return first, first
    last_month = first.month if precision == "month" else 12
    return first, dt.date(first.year, last_month, calendar.monthrange(first.year, last_month)[1])


def _is_calendar_date(value: object, precision: object) -> bool:
    """True when an ISO reduced-precision date names a real period and its length fits its precision."""
    return period(value, precision) is not None


def _reduced_date_fits(column: str, precision: str) -> RowCheck:
    return RowCheck(
        f"{column}_fits_precision",
        f"`{column}` is a real calendar date written at exactly `{precision}` (YYYY-MM-DD for day, YYYY-MM for "
        "month, YYYY for year).",
        (column, precision),
        lambda df, _: df[column].combine(df[precision], _is_calendar_date).astype(bool),
    )


def _period(day: dt.date, precision: str) -> tuple[object, ...]:
    """The calendar period of a precision a day lies in; a range (a season, a span) is no calendar period."""
    if precision == "day":
        return (day,)
    if precision == "week":
        return day.isocalendar()[:2]
    if precision == "month":
        return (day.year, day.month)
    if precision == "year":
        return (day.year,)
    return ()


def _period_ends_ok(start: dt.date, end: dt.date, precision: str) -> bool:
    """A period's ends at their precision: date_start the first day of its period, date_end the last."""
    if precision not in ("day", "week", "month", "year"):
        return False
    return (_period(start - dt.timedelta(days=1), precision) != _period(start, precision)
            and _period(end + dt.timedelta(days=1), precision) != _period(end, precision))


def _event_dates_ok(row: pd.Series) -> bool:
    start, end, precision, basis = row["date_start"], row["date_end"], row["date_precision"], row["date_basis"]
    start = None if pd.isna(start) else start
    end = None if pd.isna(end) else end
    precision = None if pd.isna(precision) else precision
    if start is not None and end is not None and start > end:
        return False
    if basis == "bounded":
        return precision is None and (start is not None or end is not None)
    if start is None or end is None or precision is None:
        return False
    if basis == "period":
        return _period_ends_ok(start, end, precision)
    return _period(start, precision) == _period(end, precision)


def _quote_in_text(column: str) -> RowCheck:
    return RowCheck(
        f"{column}_is_in_text",
        f"`{column}` is exactly the article's clean text from `start` to `end`.",
        (column, "start", "end"),
        lambda df, tables: _slices_match(df, tables["articles"], column),
        reads=("articles",),
    )


def _slices_match(df: pd.DataFrame, articles: pd.DataFrame, column: str) -> pd.Series:
    texts = dict(zip(values(articles["article_id"]), values(articles["text"]), strict=True))
    return pd.Series(
        [
            isinstance(texts.get(a), str) and texts[a][s:e] == q
            for a, s, e, q in zip(values(df["article_id"]), values(df["start"]), values(df["end"]), values(df[column]),
                                   strict=True)
        ],
        index=df.index,
        dtype=bool,
    )


def _has_source(df: pd.DataFrame, tables: Tables) -> pd.Series:
    return df["event_id"].isin(set(tables["event_sources"]["event_id"])).astype(bool)


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _last_days(articles: pd.DataFrame) -> dict[object, dt.date]:
    """Each article's last possible day of publication (the end of its `published` period)."""
    days = {}
    for article_id, published, precision in zip(values(articles["article_id"]), values(articles["published"]),
                                                 values(articles["published_precision"]), strict=True):
        span = period(published, precision)
        if span is not None:
            days[article_id] = span[1]
    return days


def _not_after_sources(df: pd.DataFrame, tables: Tables) -> pd.Series:
    """An event cannot begin after the latest publication of the articles that report it; a bounded event's
    date_end, the date of the report that tells of it, cannot either, nor can a period's end (a source tells
    that a period ended only once it has)."""
    last = _last_days(tables["articles"])
    sources = tables["event_sources"]
    latest: dict[object, dt.date] = {}
    for event_id, article_id in zip(values(sources["event_id"]), values(sources["article_id"]), strict=True):
        if article_id in last:
            latest[event_id] = max(latest.get(event_id, last[article_id]), last[article_id])
    ok = []
    for event_id, start, end, basis in zip(df["event_id"], df["date_start"], df["date_end"], df["date_basis"],
                                           strict=True):
        bound = latest.get(event_id)
        ok.append(bound is None or (not (_present(start) and start > bound)
                                    and not (basis in ENDS_REPORTED and _present(end) and end > bound)))
    return pd.Series(ok, index=df.index, dtype=bool)


def _as_of_not_after_published(df: pd.DataFrame, tables: Tables) -> pd.Series:
    """A figure cannot be stated for a date after its article was published."""
    last = _last_days(tables["articles"])
    ok = []
    for article_id, as_of, precision in zip(values(df["article_id"]), values(df["as_of"]),
                                            values(df["as_of_precision"]), strict=True):
        span = period(as_of, precision)
        ok.append(span is None or article_id not in last or span[0] <= last[article_id])
    return pd.Series(ok, index=df.index, dtype=bool)


def _range_ok(df: pd.DataFrame, _: Tables) -> pd.Series:
    """low <= value <= high where present; an exact figure has low == value == high."""
    value, low, high = (df[c].astype("float64") for c in ("value", "value_low", "value_high"))
    some = value.notna() | low.notna() | high.notna()
    ordered = ~(low > value) & ~(value > high) & ~(low > high)
    exact = ~df["approximate"].fillna(False).astype(bool)
    exact_ok = ~exact | (value.notna() & (low == value) & (high == value))
    return (some & ordered & exact_ok).astype(bool)


def _measure_requires(df: pd.DataFrame, _: Tables) -> pd.Series:
    """A figure fills the columns its measure requires (vocabularies.yaml `requires`): a subscription price
    its per_period, drugs seized their substance."""
    registry = vocabularies.active()
    ok = pd.Series(True, index=df.index, dtype=bool)
    for column in vocabularies.REQUIRABLE:
        needs = df["measure"].map(lambda m, c=column: c in registry.requires(m)).astype(bool)
        ok &= ~needs | df[column].notna().astype(bool)
    return ok


def _normalised_ok(df: pd.DataFrame, _: Tables) -> pd.Series:
    """The normalised values are the stated ones times the unit's fixed factor, in its base unit; null where
    there is no fixed conversion."""
    registry = vocabularies.active()
    conversions = {unit: registry.normalised(unit) for unit in df["unit"].dropna().unique()}
    factor = df["unit"].map(lambda u: (conversions.get(u) or (math.nan,))[0]).astype("float64")
    base = df["unit"].map(lambda u: (conversions.get(u) or (None, None))[1])
    ok = (base.isna() & df["unit_normalised"].isna()) | (base == df["unit_normalised"]).fillna(False)
    for column in VALUES:
        expected = df[column].astype("float64") * factor
        got = df[f"{column}_normalised"].astype("float64")
        close = ((expected - got).abs() <= 1e-12 * expected.abs()).fillna(False)
        ok &= (expected.isna() & got.isna()) | close
    return ok.astype(bool)


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
                    "period of it (any two days for a range); a bounded date has no precision and at least one "
                    "bound; a period has both ends and a precision of day, week, month or year, date_start the "
                    "first day of its period and date_end the last.",
                    ("date_start", "date_end", "date_precision", "date_basis"),
                    lambda df, _: df.apply(_event_dates_ok, axis=1).astype(bool),
                ),
                RowCheck(
                    "event_has_source",
                    "Every event is reported by at least one article (a row in event_sources).",
                    ("event_id",),
                    _has_source,
                    reads=("event_sources",),
                ),
                RowCheck(
                    "event_not_after_sources",
                    "An event cannot begin after the last of its sources is published: date_start (and the "
                    "date_end of a bounded event, the date of the report that tells of it, or of a period) is no "
                    "later than the last day of the latest `published` of the articles in event_sources.",
                    ("date_start", "date_end", "date_basis"),
                    _not_after_sources,
                    reads=("articles", "event_sources"),
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
            fields=("source_id", "event_id", "article_id", "quote", "start", "end", "date_expression"),
            primary_key=("source_id",),
            former_keys=(("0.3.0", ("event_id", "article_id", "start")),),
            foreign_keys=(EVENT, ARTICLE),
            checks=(
                _quote_in_text("quote"),
                RowCheck(
                    "one_source_per_passage",
                    "No two sources link the same event to the same passage: (event_id, article_id, start) is "
                    "unique, as it was the table's key before source_id (0.3.0 and earlier).",
                    ("event_id", "article_id", "start"),
                    lambda df, _: ~df.duplicated(["event_id", "article_id", "start"], keep=False),
                ),
            ),
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
                "approximate", "unit", "measure", "substance", "per_period", "value_normalised",
                "value_low_normalised", "value_high_normalised", "unit_normalised", "subject_actor_id",
                "stated_by_actor_id", "as_of", "as_of_precision", "language",
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
                RowCheck(
                    "measure_requires",
                    "A figure fills the columns its measure requires (`requires` in vocabularies.yaml): a price "
                    "or rate (subscription_price) its per_period, drugs seized their substance.",
                    ("measure", *vocabularies.REQUIRABLE),
                    _measure_requires,
                ),
                RowCheck(
                    "normalised_values",
                    "value_normalised, value_low_normalised and value_high_normalised are value, value_low and "
                    "value_high times the unit's fixed factor, in unit_normalised (its dimension's base unit); all "
                    "null where the unit has no fixed factor (counts, currencies, months, years).",
                    ("unit", "unit_normalised", "value_normalised", "value_low_normalised", "value_high_normalised"),
                    _normalised_ok,
                ),
                _reduced_date_fits("as_of", "as_of_precision"),
                RowCheck(
                    "as_of_not_after_published",
                    "A figure is stated for a date no later than its article's publication: the first day of "
                    "`as_of` is no later than the last day of the article's `published`.",
                    ("as_of", "as_of_precision", "article_id"),
                    _as_of_not_after_published,
                    reads=("articles",),
                ),
            ),
        ),
        Table(
            name="corrections",
            title="Corrections",
            description="One row per coded value corrected after it was released: the version that carries the "
            "correction, the table, row and column, the old and the new value, why, and the article passage that "
            "is the evidence (the corrections ledger, data/coding/corrections.yaml).",
            fields=("version", "table_name", "row_key", "column_name", "old_value", "new_value", "reason",
                    "article_id", "quote", "start", "end"),
            primary_key=("version", "table_name", "row_key", "column_name"),
            foreign_keys=(ARTICLE,),
            checks=(_quote_in_text("quote"),),
        ),
    )
}

# The words before a quote that occurs more than once, or which occurrence it is (fields.INPUT_FIELDS).
ANCHOR_KEYS = ("prefix", "occurrence")

# The entries of the coding files that are rows of a table, by what an error message calls one.
ENTRIES: dict[str, Entry] = {
    "case": Entry("cases"),
    "actor": Entry("actors", optional=("part_of", "wikidata_id"), extra=("names", "case_names", "notes")),
    "event": Entry("events", derived=("plover_type", "plover_mode"), lists=("actors",)),
    "event actor": Entry("event_actors", derived=("event_id",), extra=()),
    "event source": Entry("event_sources", derived=("article_id", "start", "end"), optional=("date_expression",),
                          renamed={"source_id": "id"},  # source_id is the article_id, a hyphen and the entry's id
                          extra=("notes", *ANCHOR_KEYS)),
    "figure": Entry(
        "figures",
        derived=("article_id", "start", "end", "value_normalised", "value_low_normalised", "value_high_normalised",
                 "unit_normalised", "language"),
        optional=("value_low", "value_high", "substance", "per_period", "as_of", "as_of_precision"),
        renamed={"figure_id": "id"},  # figure_id is the article_id, a hyphen and the entry's id
        extra=("notes", *ANCHOR_KEYS),
    ),
    "correction": Entry(
        "corrections",
        derived=("start", "end"),
        renamed={"table_name": "table", "row_key": "row", "column_name": "column", "old_value": "old",
                 "new_value": "new", "quote": "evidence"},
    ),
}


def entry_keys(what: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys an entry of kind `what` (a key of ENTRIES) must have and those it may have."""
    entry = ENTRIES[what]
    return entry.keys(TABLES[entry.table])


def entry_columns(what: str) -> tuple[str, ...]:
    """The columns of its table that an entry of kind `what` writes."""
    entry = ENTRIES[what]
    return entry.columns(TABLES[entry.table])
