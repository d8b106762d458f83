"""Dates: stated ones, and relative ones resolved against the publication date as far as its precision
allows."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from dataset.detect.lexicon import (
    _DAY_WORDS,
    _DURATIONS,
    _MONTH_ABBR,
    _MONTH_CUES,
    _MONTH_DAY_CUES,
    _MONTHS,
    _MORNING_BEFORE,
    _PERIOD_MODS,
    _PERIODS,
    _WEEKDAY_MODS,
    _WEEKDAYS,
    _YEAR_CUES,
    _YEAR_FOLLOWERS,
)
from dataset.detect.model import Detection, _Candidate, _join, _next_word, _prev_word
from dataset.detect.numbers import _norm, _spelled_value
from dataset.detect.patterns import _PUBLISHED

# anchor day -> (first day, last day, precision)
_Resolver = Callable[[dt.date], tuple[dt.date, dt.date, str]]


def _anchors(published: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last possible publication day."""
    if published is None:
        return None
    match = _PUBLISHED.fullmatch(published)
    if match is None:
        raise ValueError(f"published must be YYYY, YYYY-MM or YYYY-MM-DD, not {published!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None  # noqa: S101  (the regex makes the year mandatory)
    if day is not None and month is not None:
        anchor = dt.date(year, month, day)
        return anchor, anchor
    if month is not None:
        return dt.date(year, month, 1), _month_end(year, month)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _label(day: dt.date, precision: str) -> str:
    if precision == "month":
        return day.isoformat()[:7]
    if precision == "year":
        return day.isoformat()[:4]
    return day.isoformat()  # day; week (the Monday)


def _period(day: dt.date, precision: str, offset: int, part: str | int) -> tuple[dt.date, dt.date, str]:
    """The week, month or year `offset` periods from the anchor's; "earlier"/"later" cut it at the anchor."""
    if precision == "week":
        first = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=offset)
        last = first + dt.timedelta(days=6)
    elif precision == "month":
        year, month = _shift_month(day.year, day.month, offset)
        first, last = dt.date(year, month, 1), _month_end(year, month)
    else:
        first, last = dt.date(day.year + offset, 1, 1), dt.date(day.year + offset, 12, 31)
    if part == "earlier":
        last = max(first, day - dt.timedelta(days=1))
    elif part == "later":
        first = min(last, day + dt.timedelta(days=1))
    return first, last, precision


def _weekday(target: int, mode: str) -> _Resolver:
    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        if mode == "onbefore":
            found = day - dt.timedelta(days=(day.weekday() - target) % 7)
        elif mode == "before":
            found = day - dt.timedelta(days=(day.weekday() - target - 1) % 7 + 1)
        elif mode == "after":
            found = day + dt.timedelta(days=(target - day.weekday() - 1) % 7 + 1)
        else:
            weeks = {"thisweek": 0, "lastweek": -1, "nextweek": 1}[mode]
            found = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks, days=target)
        return found, found, "day"
    return resolve


def _day_offset(days: int) -> _Resolver:
    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        found = day + dt.timedelta(days=days)
        return found, found, "day"
    return resolve


def _nearest_day(month: int, day_of_month: int) -> _Resolver:
    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        # four years either way: 29 February needs a leap year
        options = [dt.date(year, month, day_of_month) for year in range(day.year - 4, day.year + 5)
                   if day_of_month <= calendar.monthrange(year, month)[1]]
        found = min(options, key=lambda d: (abs((d - day).days), d))
        return found, found, "day"
    return resolve


def _nearest_month(month: int) -> _Resolver:
    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        here = day.year * 12 + day.month
        year = min((day.year - 1, day.year, day.year + 1), key=lambda y: (abs(y * 12 + month - here), y))
        return dt.date(year, month, 1), _month_end(year, month), "month"
    return resolve


def _date_detection(text: str, start: int, end: int, first: str | None, last: str | None, precision: str,
                    note: str | None = None) -> _Candidate:
    detection = Detection("date", text[start:end], start, end, None, None, None, False, None, first, last,
                          precision, note)
    return _Candidate(start, end, "date", detection)


def _stated(text: str, start: int, end: int, year: int, month: int, day: int | None = None,
            note: str | None = None) -> _Candidate | None:
    """A date the text states to the day or month; None for 31 February or month 13."""
    try:
        if day is not None:
            iso = dt.date(year, month, day).isoformat()
            return _date_detection(text, start, end, iso, iso, "day", note)
        last = _month_end(year, month).isoformat()
    except ValueError:
        return None
    return _date_detection(text, start, end, f"{year:04d}-{month:02d}", last, "month", note)


def _year(text: str, start: int, end: int, year: int, note: str | None = None) -> _Candidate:
    return _date_detection(text, start, end, f"{year:04d}", f"{year:04d}-12-31", "year", note)


def _relative(text: str, start: int, end: int, resolver: _Resolver, anchors: tuple[dt.date, dt.date] | None,
              published: str | None, note: str | None = None) -> _Candidate:
    """Resolve a relative date against every possible publication day, as far as the anchor allows."""
    surface = text[start:end]
    if anchors is None:
        return _date_detection(text, start, end, None, None, "unresolved",
                               _join(note, f"'{surface}' is relative and the publication date is unknown"))
    first_start, first_end, precision = resolver(anchors[0])
    last_start, last_end, last_precision = resolver(anchors[1])
    if precision == last_precision and _label(first_start, precision) == _label(last_start, precision):
        return _date_detection(text, start, end, _label(first_start, precision),
                               max(first_end, last_end).isoformat(), precision, note)
    why = (f"'{surface}' depends on the day of publication, known only as {published}: it falls between "
           f"{first_start.isoformat()} (if published {anchors[0].isoformat()}) and {last_end.isoformat()} "
           f"(if published {anchors[1].isoformat()})")
    return _date_detection(text, start, end, first_start.isoformat(), last_end.isoformat(), "unresolved",
                           _join(note, why))


_NEAREST = "year not stated: read as the occurrence nearest the publication date"


def _month_number(name: str, lang: str) -> int:
    key = name.rstrip(".")
    if lang == "nl":
        key = key.lower()
    return _MONTHS[lang].get(key) or _MONTH_ABBR[lang][key]


def _dates(m: re.Match[str], text: str, lang: str, anchors: tuple[dt.date, dt.date] | None,
           published: str | None) -> list[_Candidate]:
    kind = m.lastgroup
    start, end = m.span()
    found: _Candidate | None = None
    if kind == "iso":
        found = _stated(text, start, end, int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
    elif kind == "num":
        found = _numeric_date(m, text, lang)
    elif kind in ("dm", "md"):
        p = "dm" if kind == "dm" else "md"
        month, day, year = _month_number(m[f"{p}_m"], lang), int(m[f"{p}_d"]), m[f"{p}_y"]
        if year:
            found = _stated(text, start, end, int(year), month, day)
        elif 1 <= day <= calendar.monthrange(2000, month)[1] and (
                kind == "dm" or _prev_word(text, start) in _MONTH_DAY_CUES
                or re.match(r"\s*(?:[,.;:)!?]|\Z)", text[end:end + 2])):
            found = _relative(text, start, end, _nearest_day(month, day), anchors, published, _NEAREST)
        elif kind == "md" and _prev_word(text, start) in _MONTH_CUES[lang]:
            # "In March 10 people were arrested": the month alone, and the number is a count
            start, end = m.span("md_m")
            found = _relative(text, start, end, _nearest_month(month), anchors, published, _NEAREST)
    elif kind == "my":
        found = _stated(text, start, end, int(m["my_y"]), _month_number(m["my_m"], lang))
    elif kind == "mo":
        if _prev_word(text, start) in _MONTH_CUES[lang]:
            found = _relative(text, start, end, _nearest_month(_month_number(m[0], lang)), anchors, published,
                              _NEAREST)
    elif kind == "yr":
        return _years(m, text, lang)
    elif kind == "wd":
        target = _WEEKDAYS[lang][m["wd_n"] if lang == "en" else m["wd_n"].lower()]
        mode = _WEEKDAY_MODS[lang][_norm(m["wmod"])] if m["wmod"] else "onbefore"
        found = _relative(text, start, end, _weekday(target, mode), anchors, published)
    elif kind == "dayw":
        word = _norm(m["dayw_w"])
        if not (lang == "nl" and word == "morgen" and _prev_word(text, start) in _MORNING_BEFORE):
            found = _relative(text, start, end, _day_offset(_DAY_WORDS[lang][word]), anchors, published)
    elif kind == "per":
        mod, precision = _PERIOD_MODS[lang][_norm(m["pmod"])], _PERIODS[lang][_norm(m["per_u"])]
        offset, part = (0, mod) if isinstance(mod, str) else (mod, "whole")
        found = _relative(text, start, end, lambda d: _period(d, precision, offset, part), anchors, published)
    elif kind == "ago":
        found = _ago(m, text, lang, anchors, published)
    return [found] if found else []


def _numeric_date(m: re.Match[str], text: str, lang: str) -> _Candidate | None:
    """"22-04-2016", "22.04.2016", "22/04/2016"; English text reads slashes month first (US order)."""
    a, b, year = int(m["n_a"]), int(m["n_b"]), int(m["n_y"])
    month_first = lang == "en" and m["n_sep"] == "/"
    orders = [(b, a), (a, b)] if month_first else [(a, b), (b, a)]
    valid = [(d, mo) for d, mo in orders if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(year, mo)[1]]
    if not valid:
        return None
    day, month = valid[0]
    note = None
    if valid[0] != orders[0]:
        note = f"'{m[0]}' read with day and month the other way round: the usual order gives no valid date"
    elif len(valid) == 2 and a != b and lang == "en":  # English copy uses both orders
        note = (f"'{m[0]}' read month first (US order, usual with slashes)" if month_first
                else f"'{m[0]}' read day first (the usual order with '-' and '.')")
    return _stated(text, *m.span(), year, month, day, note)


def _years(m: re.Match[str], text: str, lang: str) -> list[_Candidate]:
    """A bare year, or both years of a range ("2015-2016", "2015-16", also with an en dash)."""
    first = int(m["y1"])
    if m["y2"]:
        second = int(m["y2"]) if len(m["y2"]) == 4 else first // 100 * 100 + int(m["y2"])
        if second <= first:
            return []
        return [_year(text, *m.span("y1"), first), _year(text, *m.span("y2"), second)]
    start, end = m.span()
    follower = _next_word(text, end)
    if (follower and follower[0].islower() and follower not in _YEAR_FOLLOWERS[lang]
            and _prev_word(text, start) not in _YEAR_CUES[lang]):
        return []  # "2000 smartphones": a count
    note = f"'{m[0]}' read as a year: a four-digit number 1900-2099 not followed by a counted noun"
    return [_year(text, start, end, first, note)]


def _ago(m: re.Match[str], text: str, lang: str, anchors: tuple[dt.date, dt.date] | None,
         published: str | None) -> _Candidate:
    word = _norm(m["ago_n"])
    count = int(word) if word.isdigit() else 1 if word in ("a", "an", "een", "één") else _spelled_value(
        word, lang)
    unit = _DURATIONS[lang][_norm(m["ago_u"])]
    if unit == "day":
        return _relative(text, *m.span(), _day_offset(-count), anchors, published)

    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        if unit == "week":
            return _period(day - dt.timedelta(weeks=count), "week", 0, "whole")
        return _period(day, unit, -count, "whole")

    return _relative(text, *m.span(), resolve, anchors, published)
