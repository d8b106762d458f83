"""Short, deterministic labels for charts, derived from the published tables' values only."""


from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dataset.charts.scope import case_names as case_names  # re-exported: the charts name cases through labels
from dataset.datapackage import parquet
from dataset.datapackage.parquet import Package

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EN_DASH = "\u2013"


def code_labels(package: Package, table: str, column: str) -> dict[str, str]:
    """code -> label of a coded column, in the order of its codes, as the drawn package publishes them (its
    datapackage.json `categories`, written from data/coding/vocabularies.yaml): a chart drawn from any package,
    an older release included, names codes as that package does. Empty where the package gives no labels."""
    path = package.descriptor.resolve()
    stat = path.stat()
    return dict(parquet.code_labels(_descriptor_data(path, stat.st_mtime_ns, stat.st_size), table, column) or {})


@functools.lru_cache(maxsize=4)
def _descriptor_data(descriptor: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    """A datapackage.json as data, read once per version of the file."""
    return json.loads(descriptor.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def is_null(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def day_text(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def reduced_date_text(iso: str, precision: str | None) -> str:
    """'2016-04-22' -> '22 Apr 2016', '2017-03' -> 'Mar 2017', '2017' -> '2017' (never inventing a day)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3 and precision in (None, "day"):
        return day_text(dt.date(*parts))
    if len(parts) >= 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")


def duration_text(iso: str) -> str:
    """An ISO 8601 duration in words: 'P6M' -> '6 months', 'P1Y' -> 'year', 'P1Y6M' -> '1 year 6 months'."""
    match = _DURATION.fullmatch(iso)
    if match is None or not any(match.groups()):
        return iso
    parts = [(int(n), word) for n, word in zip(match.groups(), ("year", "month", "week", "day"), strict=True) if n]
    if parts == [(1, parts[0][1])]:
        return parts[0][1]
    return " ".join(f"{n} {word}{'s' * (n != 1)}" for n, word in parts)


def event_date_text(event: Mapping[str, Any]) -> str:
    """The date of an event as precisely as it is known: '19 Apr 2016', 'Apr 2016', 'by 22 Apr 2016'."""
    start, end, precision = event["date_start"], event["date_end"], event["date_precision"]
    if event["date_basis"] == "bounded" or is_null(precision):
        if is_null(start):
            return f"by {day_text(end)}"
        if is_null(end):
            return f"from {day_text(start)}"
        return day_range_text(start, end)
    if event["date_basis"] == "period" and start != end:
        return period_span_text(start, end, precision)
    if precision == "day" or start == end:
        return day_text(start)
    if precision == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    if precision == "year":
        return str(start.year)
    return day_range_text(start, end)


def period_span_text(start: dt.date, end: dt.date, precision: str) -> str:
    """An event that lasted, at the precision of its ends: 'Apr-Jun 2021', '2019-2021', '3-9 Apr 2021' (en dashes)."""
    if precision == "year":
        return f"{start.year}{EN_DASH}{end.year}"
    if precision == "month":
        if start.year == end.year:
            return f"{MONTHS[start.month - 1]}{EN_DASH}{MONTHS[end.month - 1]} {end.year}"
        return f"{MONTHS[start.month - 1]} {start.year}{EN_DASH}{MONTHS[end.month - 1]} {end.year}"
    return day_range_text(start, end)


def day_range_text(start: dt.date, end: dt.date) -> str:
    """'23 Feb-30 Mar 2017', '1-22 Apr 2016', '20 Dec 2016-3 Jan 2017' (with an en dash)."""
    if start.year != end.year:
        return f"{day_text(start)}{EN_DASH}{day_text(end)}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]}{EN_DASH}{day_text(end)}"
    return f"{start.day}{EN_DASH}{day_text(end)}"


def event_sort_key(event: Mapping[str, Any], order: Sequence[str] = ()) -> tuple[Any, ...]:
    """Latest possible day first, then earliest possible day (an open start counts as earliest), then type in
    `order` (the registry's order of event types: the order a story usually tells them)."""
    start, end = event["date_start"], event["date_end"]
    latest = start if is_null(end) else end
    earliest = dt.date.min if is_null(start) else start
    rank = order.index(event["event_type"]) if event["event_type"] in order else len(order)
    return (latest, earliest, rank, event["event_id"])


def ordered_events(package: Package) -> list[dict[str, Any]]:
    order = list(code_labels(package, "events", "event_type"))
    return sorted(package.records("events"), key=lambda e: event_sort_key(e, order))


# How a row names an event: what happened (the type's label) and to whom ("Arrest of Danny Manupassa"), or,
# done to no one named, by whom ("Statement by Wim de Bruin"): the roles read after "of", then after "by".
_OBJECT_ROLES = ("target",)
_AGENT_ROLES = ("spokesperson", "agent", "requester", "cooperating_party")


def _who(participants: Sequence[Mapping[str, Any]], roles: Sequence[str], names: Mapping[str, str]) -> str:
    """The actors in the first of `roles` anyone has, in their order in the event (at most two, '+n' after)."""
    for role in roles:
        ids = list(dict.fromkeys(p["actor_id"] for p in participants if p["role"] == role))
        if ids:
            who = " and ".join(names.get(a, a) for a in ids[:2])
            return who + (f" +{len(ids) - 2}" if len(ids) > 2 else "")
    return ""


def event_label(event: Mapping[str, Any], participants: Sequence[Mapping[str, Any]],
                names: Mapping[str, str], type_labels: Mapping[str, str]) -> str:
    """What happened and to whom: 'Arrest of Danny Manupassa', 'Access to the data of Ennetcom', 'Statement by
    Wim de Bruin'; by whom where the sources name no one it was done to ('Seizure of servers by ...').
    `type_labels`: the event types' labels (code_labels)."""
    noun = type_labels.get(event["event_type"], event["event_type"])
    whom = _who(participants, _OBJECT_ROLES, names)
    if whom:
        return f"{noun} of {whom}"
    by = _who(participants, _AGENT_ROLES, names)
    return f"{noun} by {by}" if by else noun


def distinct_labels(labels: Sequence[str], events: Sequence[Mapping[str, Any]]) -> list[str]:
    """`labels` (one per event) made distinct: a label two events share gets each event's date, and one that
    still repeats a number ('(2)'), so no two rows or columns read alike."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    dated = [f"{label}, {event_date_text(e)}" if counts[label] > 1 else label for label, e in zip(labels, events,
                                                                                                   strict=True)]
    seen: dict[str, int] = {}
    for label in dated:
        seen[label] = seen.get(label, 0) + 1
    out, nth = [], dict.fromkeys(seen, 0)
    for label in dated:
        if seen[label] > 1:
            nth[label] += 1
            label = f"{label} ({nth[label]})"
        out.append(label)
    return out


def article_short(article: Mapping[str, Any], languages: Mapping[str, str]) -> str:
    """The outlet, or 'unnamed Dutch outlet' where the raw copy does not say which: an article is named by its
    outlet (and its date) wherever a chart names it, never by its article_id. `languages`: the language codes'
    labels (code_labels(package, "articles", "language"))."""
    if not is_null(article.get("outlet")):
        return str(article["outlet"])
    language = str(article.get("language"))
    return f"unnamed {languages.get(language, language)} outlet"


def article_citation(article: Mapping[str, Any], languages: Mapping[str, str]) -> str:
    """'Reuters, 2016-04-22 (EN)', 'unnamed Dutch outlet, 2017-03 (NL)'."""
    return f"{article_short(article, languages)}, {article['published']} ({str(article['language']).upper()})"


def article_cases(package: Package) -> dict[str, list[str]]:
    """article_id -> the cases whose events the article reports (through event_sources), sorted."""
    events = {e["event_id"]: e["case_id"] for e in package.records("events")}
    out: dict[str, set[str]] = {}
    for row in package.records("event_sources"):
        if row["event_id"] in events:
            out.setdefault(row["article_id"], set()).add(events[row["event_id"]])
    return {a: sorted(c) for a, c in out.items()}


def source_line(package: Package, article_ids: Iterable[str], tables: Sequence[str], width_in: float,
                font_size: float) -> str:
    """The caption: which articles the drawn rows come from, and which package, version and tables."""
    wanted = set(article_ids)
    articles = sorted((a for a in package.records("articles") if a["article_id"] in wanted),
                      key=lambda a: (a["published"], a["article_id"]))
    languages = code_labels(package, "articles", "language")
    sources = "; ".join(article_citation(a, languages) for a in articles)
    version = f" {package.version}" if package.version else ""
    licence = f", {package.licence}" if package.licence else ""
    text = (f"Source: {sources}. Data: {package.name}{version}{licence}; "
            f"tables {', '.join(tables)}.")
    if package.note:
        text += f" {package.note}"
    # DejaVu Sans averages about 0.55 em per character; wrap so that no line runs off the page.
    chars = max(40, int(width_in * 72 / (font_size * 0.56)))
    return "\n".join(textwrap.wrap(text, chars, break_on_hyphens=False))


# --- figures as stated ----------------------------------------------------------------------------------------

_HEDGES = (
    # English
    "more than", "less than", "fewer than", "up to", "at least", "at most", "an estimated", "approximately",
    "about", "around", "roughly", "some", "nearly", "almost", "over", "under", "circa", "c.",
    # Dutch
    "meer dan", "minder dan", "ten minste", "naar schatting", "rond de", "ongeveer", "bijna", "ruim", "circa",
    "zo'n", "zo\u2019n", "ruwweg", "minstens", "hooguit", "tot", "ca.",
)
_SCALES = ("million", "millions", "billion", "thousand", "mln", "miljoen", "miljard", "duizend")
_WORD_NUMBERS = (
    "tens of thousands", "hundreds of thousands", "dozens", "hundreds", "thousands", "millions",
    "tientallen", "honderden", "duizenden", "tienduizenden", "honderdduizenden", "miljoenen",
    "several", "verscheidene", "meerdere",
)
_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_CURRENCY_SIGNS = "£€$¥"
# A scale written onto its number ("£2m", "€1,5mld", "3bn"): also read as the bare number ("5m" may be metres).
_SCALE_SUFFIXES = ("bn", "mln", "mld", "mrd", "m", "k")
_SCALE_FACTORS = {"thousand": 1e3, "duizend": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "mln": 1e6,
                  "miljoen": 1e6, "m": 1e6, "billion": 1e9, "miljard": 1e9, "bn": 1e9, "mld": 1e9, "mrd": 1e9}
# Which side a hedge leaves open: "more than 2 million" is a lower bound (value_high null), "nearly 500" an
# upper one (value_low null); every other hedge ("about", "ongeveer") hedges a point value.
_LOWER_HEDGES = frozenset({"more than", "at least", "over", "meer dan", "ten minste", "ruim", "minstens"})
_UPPER_HEDGES = frozenset({"less than", "fewer than", "up to", "at most", "nearly", "almost", "under", "minder dan",
                           "bijna", "hooguit", "tot"})


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_STATED = re.compile(
    rf"(?:(?<![\w])(?P<hedge>{_alternatives(_HEDGES)})\s+)?(?P<sign>[{_CURRENCY_SIGNS}]\s?)?(?P<number>{_NUMBER})"
    rf"(?:\s+(?P<scale>{_alternatives(_SCALES)})(?!\w)|(?P<suffix>{_alternatives(_SCALE_SUFFIXES)})(?!\w))?",
    re.IGNORECASE,
)
_STATED_WORD = re.compile(
    rf"(?:(?<![\w])(?P<hedge>{_alternatives(_HEDGES)})\s+)?(?<![\w])(?P<word>{_alternatives(_WORD_NUMBERS)})(?!\w)",
    re.IGNORECASE,
)


def _stated_match(quote: str) -> re.Match[str] | None:
    """The number (with its hedge, currency sign and scale) the quote states first, or its vague count."""
    return _STATED.search(quote) or _STATED_WORD.search(quote)


def stated_number(quote: str, approximate: bool) -> str:
    """The number as the quote states it, in its language, with its hedge, currency sign and scale word.

    'a network of 19,000 customers' -> '19,000'; 'ongeveer 40.000 geregistreerde smartphones' ->
    'ongeveer 40.000'; '3,6 miljoen versleutelde berichten' -> '3,6 miljoen'; 'tientallen strafrechtelijke
    onderzoeken' -> 'tientallen'; 'more than £2m in cash' -> 'more than £2m'. An approximate figure whose
    hedge is not next to the number gets '~'. Whether these words say what the row codes is `figure_label`'s
    question.
    """
    match = _stated_match(quote)
    text = match.group(0) if match else (quote if len(quote) <= 24 else quote[:23] + "…")
    hedged = match is not None and match.group("hedge") is not None
    is_word = match is not None and match.re is _STATED_WORD
    if approximate and not hedged and not is_word:
        text = "~" + text
    return text


def figure_label(figure: Mapping[str, Any]) -> str:
    """What a figure's row says was stated, from its quote, value, value_low, value_high and approximate.

    The source's own words (`stated_number`) where they say what the row codes: the number read from them
    is the row's value or its bound, and a hedge that leaves a side open ("more than", "bijna") matches the
    side the row leaves open (value_high or value_low null); a vague count ("tientallen", "Dozens") labels a
    row without a point value. Otherwise the row's numbers themselves (`bounds_text`): '> 2 million' for a
    lower bound, '< 500' for an upper one, '20-99' for a range (an en dash), '~1,500' for an approximate value; never
    '~2' for "more than £2m". The unit is the row label's, as for every figure.
    """
    value, low, high = (None if is_null(figure[k]) else float(figure[k]) for k in ("value", "value_low",
                                                                                      "value_high"))
    approximate = bool(figure["approximate"])
    match = _stated_match(str(figure["quote"]))
    if match is not None and _says(match, value, low, high):
        return stated_number(str(figure["quote"]), approximate)
    return bounds_text(value, low, high, approximate)


def _says(match: re.Match[str], value: float | None, low: float | None, high: float | None) -> bool:
    """Whether the stated words `match` say what the row's value and bounds code."""
    hedge = (match.group("hedge") or "").lower()
    lower_bound, upper_bound = hedge in _LOWER_HEDGES, hedge in _UPPER_HEDGES
    open_high = high is None and low is not None
    if lower_bound and not open_high:
        return False
    if upper_bound and (high is None or (low is not None and low > 0)):  # "fewer than 100" is coded 0 to 100
        return False
    if match.re is _STATED_WORD:  # a vague count is a range or a bound, never a point value
        return value is None
    readings = _readings(match)
    said = low if lower_bound else high if upper_bound else value
    if not (lower_bound or upper_bound) and (low is None or high is None):
        return False  # words without a bound's hedge for a row with an open side
    return said is not None and any(math.isclose(said, r, rel_tol=1e-9) for r in readings)


def _readings(match: re.Match[str]) -> set[float]:
    """The numbers the stated words may mean: a comma or a point is a decimal mark in one language and a
    thousands separator in the other, and a scale written onto a number ("5m") may be a unit."""
    number = re.sub(r"[\u00a0\u202f]", "", match.group("number"))
    bare = {float(number.replace(",", "").replace(".", ""))}
    for decimal, other in ((",", "."), (".", ",")):
        candidate = number.replace(other, "")
        if candidate.count(decimal) <= 1:
            bare.add(float(candidate.replace(decimal, ".")))
    if match.group("scale") is not None:
        return {b * _SCALE_FACTORS[match.group("scale").lower()] for b in bare}
    if match.group("suffix") is not None:
        return {*bare, *(b * _SCALE_FACTORS[match.group("suffix").lower()] for b in bare)}
    return bare


def number_text(x: float) -> str:
    """A coded number for a label: '19,000', '2 million', '3.6 million', '1.5 billion', '0.5'."""
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if abs(x) >= scale and math.isclose(round(x / scale, 3) * scale, x, rel_tol=1e-12):
            return f"{round(x / scale, 3):g} {word}"
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.6g}"


def bounds_text(value: float | None, low: float | None, high: float | None, approximate: bool) -> str:
    """A figure's coded value and bounds as a label: '> 2 million' (a lower bound: value_high null), '< 500'
    (an upper bound: value_low null), '20-99' (a range without a point value; an en dash), '~1,500' (an approximate
    value), '1,500 (1,000-2,000)' (a value within a range)."""
    hedge = "~" * approximate
    if value is None:
        if low is not None and high is not None:
            return f"{number_text(low)}{EN_DASH}{number_text(high)}"
        if low is not None:
            return f"> {number_text(low)}"
        return f"< {number_text(high)}" if high is not None else "?"  # a row states at least one (value_range)
    if high is None and low is not None:
        return f"> {number_text(low)}" if low == value else f"{hedge}{number_text(value)} (> {number_text(low)})"
    if low is None and high is not None:
        return f"< {number_text(high)}" if high == value else f"{hedge}{number_text(value)} (< {number_text(high)})"
    if low is None or high is None or low == value == high:
        return hedge + number_text(value)
    return f"{hedge}{number_text(value)} ({number_text(low)}{EN_DASH}{number_text(high)})"
