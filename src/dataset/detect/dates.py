"""Dates: stated ones, and relative ones resolved against the publication date as far as its precision
allows."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from dataset.detect.lexicon import (
    _CYCLE_MODS,
    _DAY_WORDS,
    _DECADE_WORDS,
    _DURATIONS,
    _FEW_RANGE,
    _MONTH_ABBR,
    _MONTH_CUES,
    _MONTH_DAY_CUES,
    _MONTHS,
    _MORNING_BEFORE,
    _PART_OF,
    _PERIOD_MODS,
    _PERIODS,
    _PLURAL_UNITS,
    _REL_YEARS,
    _SEASON_CUES,
    _SEASONS,
    _SPAN_MODS,
    _WEEKDAY_MODS,
    _WEEKDAYS,
    _YEAR_CUES,
    _YEAR_FOLLOWERS,
)
from dataset.detect.model import Detection, _Candidate, _join, _next_word, _prev_word
from dataset.detect.numbers import _norm, _spelled_value
from dataset.detect.patterns import _PART_BEFORE, _PUBLISHED, _REL_YEAR_AFTER

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
              published: str | None, note: str | None = None, part: tuple[int, int] | None = None) -> _Candidate:
    """Resolve a relative date against every possible publication day, as far as the anchor allows; `part`
    (which third, where the modifier starts) narrows the period before it is compared across anchors."""
    if part is not None:
        resolver = _narrowed(resolver, part[0])
        start = part[1]
    surface = text[start:end]

    if anchors is None:
        return _date_detection(text, start, end, None, None, "unresolved",
                               _join(note, f"'{surface}' is relative and the publication date is unknown"))
    first_start, first_end, precision = resolver(anchors[0])
    last_start, last_end, last_precision = resolver(anchors[1])
    if precision == last_precision and (
            (first_start, first_end) == (last_start, last_end) if precision == "range"
            else _label(first_start, precision) == _label(last_start, precision)):
        return _date_detection(text, start, end, _label(first_start, precision),
                               max(first_end, last_end).isoformat(), precision, note)
    why = (f"'{surface}' depends on the day of publication, known only as {published}: it falls between "
           f"{first_start.isoformat()} (if published {anchors[0].isoformat()}) and {last_end.isoformat()} "
           f"(if published {anchors[1].isoformat()})")
    return _date_detection(text, start, end, first_start.isoformat(), last_end.isoformat(), "unresolved",
                           _join(note, why))


def _narrowed(resolver: _Resolver, third: int) -> _Resolver:
    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        return _narrow(*resolver(day), third)
    return resolve


def _narrow(first: dt.date, last: dt.date, precision: str, third: int) -> tuple[dt.date, dt.date, str]:
    """The first, middle or last third of a period ("early", "mid-", "late"; "begin", "medio", "eind"): a year
    by four months, a season by its months, a decade by 0-3, 4-6, 7-9, a month by days 1-10, 11-20, 21-end,
    a week by Monday-Tuesday, Wednesday-Thursday, Friday-Sunday. A day stays the day ("early Tuesday")."""
    if precision == "day":
        return first, last, "day"
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    whole_months = first.day == 1 and last == _month_end(last.year, last.month)
    if precision == "week":
        cut = ((0, 1), (2, 3), (4, 6))[third]
        return first + dt.timedelta(days=cut[0]), first + dt.timedelta(days=cut[1]), "range"
    if whole_months and months == 120 and first.month == 1:  # a decade
        years = ((0, 3), (4, 6), (7, 9))[third]
        return dt.date(first.year + years[0], 1, 1), dt.date(first.year + years[1], 12, 31), "range"
    if whole_months and months % 3 == 0:
        size = months // 3
        y1, m1 = _shift_month(first.year, first.month, size * third)
        y2, m2 = _shift_month(first.year, first.month, size * third + size - 1)
        return dt.date(y1, m1, 1), _month_end(y2, m2), "range"
    if whole_months and months == 1:
        days = ((1, 10), (11, 20), (21, last.day))[third]
        return first.replace(day=days[0]), first.replace(day=days[1]), "range"
    length = (last - first).days + 1  # anything else: thirds of its days
    lo, hi = length * third // 3, length * (third + 1) // 3 - 1
    return first + dt.timedelta(days=lo), first + dt.timedelta(days=hi), "range"


def _part_before(text: str, start: int, lang: str) -> tuple[int, int] | None:
    """Which third a modifier right before `start` names, and where the modifier starts."""
    match = _PART_BEFORE[lang].search(text, max(0, start - 30), start)
    if match is None:
        return None
    return _PART_OF[lang][_norm(match["part"])], match.start()


def _bounds(detection: Detection) -> tuple[dt.date, dt.date]:
    """First and last day of a stated date's period."""
    assert detection.date is not None and detection.date_end is not None  # noqa: S101  (stated dates have both)
    first = detection.date + "-01-01"[len(detection.date) - 4:] if len(detection.date) < 10 else detection.date
    return dt.date.fromisoformat(first), dt.date.fromisoformat(detection.date_end)


def _narrow_stated(cand: _Candidate, text: str, part: tuple[int, int]) -> _Candidate:
    """A stated date narrowed by the modifier before it ("begin 2021", "the late 1990s")."""
    assert cand.detection is not None  # noqa: S101
    first, last, precision = _narrow(*_bounds(cand.detection), cand.detection.precision or "", part[0])
    if precision == "day":
        return _date_detection(text, part[1], cand.end, first.isoformat(), last.isoformat(), "day",
                               cand.detection.note)
    return _date_detection(text, part[1], cand.end, first.isoformat(), last.isoformat(), precision,
                           cand.detection.note)


def _range(text: str, start: int, end: int, first: dt.date, last: dt.date, note: str | None = None) -> _Candidate:
    return _date_detection(text, start, end, first.isoformat(), last.isoformat(), "range", note)


def _season_span(year: int, first_month: int) -> tuple[dt.date, dt.date]:
    last_year, last_month = _shift_month(year, first_month, 2)
    return dt.date(year, first_month, 1), _month_end(last_year, last_month)


def _season(first_month: int, mode: str) -> _Resolver:
    """The season before ("last summer": the latest one ended before the day), of ("this summer": the one
    running on the day, else the one starting in its year), after ("next summer") or nearest the day."""
    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        spans = [_season_span(year, first_month) for year in range(day.year - 2, day.year + 2)]
        if mode == "last":
            found = max(s for s in spans if s[1] < day)
        elif mode == "next":
            found = min(s for s in spans if s[0] > day)
        elif mode == "this":
            found = next((s for s in spans if s[0] <= day <= s[1]),
                         next(s for s in spans if s[0].year == day.year))
        else:
            found = min(spans, key=lambda s: (max((s[0] - day).days, (day - s[1]).days, 0), s[0]))
        return found[0], found[1], "range"
    return resolve


def _cycle_month(month: int, mode: str) -> _Resolver:
    """"last October" (the latest October ended before the day), "this October" (of the day's year), "next
    October" (the first starting after the day)."""
    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        if mode == "last":
            year = day.year if _month_end(day.year, month) < day else day.year - 1
        elif mode == "next":
            year = day.year if dt.date(day.year, month, 1) > day else day.year + 1
        else:
            year = day.year
        return dt.date(year, month, 1), _month_end(year, month), "month"
    return resolve


def _month_of_year(month: int, offset: int, day_of_month: int | None = None) -> _Resolver:
    """A month (or a day of it) in the year `offset` years from the day's ("March last year")."""
    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        year = day.year + offset
        if day_of_month is not None:
            found = dt.date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))
            return found, found, "day"
        return dt.date(year, month, 1), _month_end(year, month), "month"
    return resolve


def _back(day: dt.date, unit: str, count: int) -> tuple[dt.date, dt.date]:
    """The day, week (Monday to Sunday), month or year `count` units from `day` (negative: before)."""
    if unit == "day":
        found = day + dt.timedelta(days=count)
        return found, found
    if unit == "week":
        return _period(day + dt.timedelta(weeks=count), "week", 0, "whole")[:2]
    return _period(day, unit, count, "whole")[:2]


def _vague_ago(unit: str) -> _Resolver:
    """"a few weeks ago", "enkele dagen geleden": two to nine units back, each unit whole."""
    low, high = _FEW_RANGE

    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        return _back(day, unit, -high)[0], _back(day, unit, -low)[1], "range"
    return resolve


def _vague_span(unit: str, direction: int) -> _Resolver:
    """"in recent weeks", "de afgelopen maanden": from nine units back to the day; "de komende weken": from
    the day to nine units on."""
    high = _FEW_RANGE[1]

    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        if direction < 0:
            return _back(day, unit, -high)[0], day, "range"
        return day, _back(day, unit, high)[1], "range"
    return resolve


_NEAREST = "year not stated: read as the occurrence nearest the publication date"
# What follows the date of a dateline: the agency in parentheses or slashes ("(Reuters) -", "/PRNewswire/"), or
# a dash before the story ("MADRID, October 3 - Spanish police"; not "October 3 - 5", a range).
_DATELINE_AFTER = re.compile(r"\s*(?:\([A-Z][\w.&' -]{0,40}\)|/[A-Z][\w.&' -]{0,40}/)"
                             r"|\s+[-\u2013\u2014]{1,2}\s+(?!\d)")
_DATELINE = "a dateline: the date of the report"


def _month_number(name: str, lang: str) -> int:
    key = name.rstrip(".")
    if lang == "nl":
        key = key.lower()
    return _MONTHS[lang].get(key) or _MONTH_ABBR[lang][key]


def _dates(m: re.Match[str], text: str, lang: str, anchors: tuple[dt.date, dt.date] | None,
           published: str | None) -> list[_Candidate]:
    kind = m.lastgroup
    start, end = m.span()
    part = _part_before(text, start, lang)
    found: _Candidate | None = None
    relative = True  # resolved by _relative, which narrows by `part` itself

    def rel(start: int, end: int, resolver: _Resolver, note: str | None = None) -> _Candidate:
        return _relative(text, start, end, resolver, anchors, published, note, part)

    if (kind == "rmd" and not m["rmd_y"] and not m["rb5"] and not _day_cued(m, text, lang, "rmd", start, end)
            and _prev_word(text, start) in _MONTH_CUES[lang]):
        # "In March 10-20 people were arrested": the month, and the numbers a count (as "In March 10 people")
        return [rel(*m.span("rmd_m"), _nearest_month(_month_number(m["rmd_m"], lang)), _NEAREST)]
    if kind in _RANGE_KINDS:
        found = _date_range(m, text, lang, anchors, published)
        return [found] if found else []
    if kind == "iso":
        found, relative = _stated(text, start, end, int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"])), False
    elif kind == "num":
        found, relative = _numeric_date(m, text, lang), False
    elif kind in ("dm", "md"):
        found, relative = _month_day(m, text, lang, rel)
    elif kind == "my":
        found, relative = _stated(text, start, end, int(m["my_y"]), _month_number(m["my_m"], lang)), False
    elif kind == "mo":
        month = _month_number(m[0], lang)
        if (after := _REL_YEAR_AFTER[lang].match(text, end)) is not None:  # "March last year"
            found = rel(start, after.end(), _month_of_year(month, _REL_YEARS[lang][_norm(after["rel"])]))
        elif _prev_word(text, start) in _MONTH_CUES[lang] or part is not None:
            found = rel(start, end, _nearest_month(month), _NEAREST)
    elif kind == "yr":
        years = _years(m, text, lang)
        if part is not None and len(years) == 1 and not m["y2"]:
            return [_narrow_stated(years[0], text, part)]
        return years
    elif kind == "wd":
        target = _WEEKDAYS[lang][m["wd_n"] if lang == "en" else m["wd_n"].lower()]
        mode = _WEEKDAY_MODS[lang][_norm(m["wmod"])] if m["wmod"] else "onbefore"
        found = rel(start, end, _weekday(target, mode))
    elif kind == "dayw":
        word = _norm(m["dayw_w"])
        if not (lang == "nl" and word == "morgen" and _prev_word(text, start) in _MORNING_BEFORE):
            found = rel(start, end, _day_offset(_DAY_WORDS[lang][word]))
    elif kind == "per":
        mod, precision = _PERIOD_MODS[lang][_norm(m["pmod"])], _PERIODS[lang][_norm(m["per_u"])]
        offset, whole = (0, mod) if isinstance(mod, str) else (mod, "whole")
        found = rel(start, end, lambda d: _period(d, precision, offset, whole))
    elif kind == "ago":
        found = _ago(m, text, lang, anchors, published)
    elif kind == "few":
        unit = _PLURAL_UNITS[lang][_norm(m["few_u"])]
        found = rel(start, end, _vague_ago(unit), f"'{m[0]}' read as {_FEW_RANGE[0]} to {_FEW_RANGE[1]} {unit}s ago")
    elif kind == "span":
        unit = _PLURAL_UNITS[lang][_norm(m["few_u"] or m["span_u"])]
        direction = _SPAN_MODS[lang][_norm(m["span_m"])]
        found = rel(start, end, _vague_span(unit, direction),
                    f"'{m[0]}' read as up to {_FEW_RANGE[1]} {unit}s {'before' if direction < 0 else 'after'} "
                    "publication")
    elif kind == "sea":
        found, relative = _season_date(m, text, lang, part, rel)
    elif kind == "cm":
        month = _month_number(m["cm_m"], lang)
        found = rel(start, end, _cycle_month(month, _CYCLE_MODS[lang][_norm(m["cmod"])]))
    elif kind == "dec":
        found, relative = _decade(m, text, lang), False
    if found is not None and part is not None and not relative:
        found = _narrow_stated(found, text, part)
    return [found] if found else []


_Rel = Callable[[int, int, _Resolver, str | None], _Candidate]


def _month_day(m: re.Match[str], text: str, lang: str, rel: _Rel) -> tuple[_Candidate | None, bool]:
    """"22 april 2016", "April 22", "Tuesday, March 9", "22 maart vorig jaar"; (candidate, is relative)."""
    start, end = m.span()
    p = "dm" if m.lastgroup == "dm" else "md"
    month, day, year = _month_number(m[f"{p}_m"], lang), int(m[f"{p}_d"]), m[f"{p}_y"]
    note = _weekday_check(m, text, lang, month, day, int(year) if year else None)
    if year:
        return _stated(text, start, end, int(year), month, day, note), False
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return None, True
    if (after := _REL_YEAR_AFTER[lang].match(text, end)) is not None:  # "22 maart vorig jaar"
        offset = _REL_YEARS[lang][_norm(after["rel"])]
        return rel(start, after.end(), _month_of_year(month, offset, day), note), True
    if _DATELINE_AFTER.match(text, end):  # "HARTWELL, June 14 (Wire) -", "ROTTERDAM, 3 maart (ANP) -"
        return rel(start, end, _nearest_day(month, day), _join(_DATELINE, _NEAREST, note)), True
    if _day_cued(m, text, lang, p, start, end):
        # "arrested March 7", "messages April 1 and read them", "Feb. 4": a date; "In March 10 people" is a count
        return rel(start, end, _nearest_day(month, day), _join(_NEAREST, note)), True
    if _prev_word(text, start) in _MONTH_CUES[lang]:
        # "In March 10 people were arrested": the month alone, and the number is a count
        start, end = m.span("md_m")
        return rel(start, end, _nearest_month(month), _NEAREST), True
    return None, True


_RANGE_WORDS = frozenset({"to", "through", "until", "till"})


def _day_cued(m: re.Match[str], text: str, lang: str, p: str, start: int, end: int) -> bool:
    """Whether a year-less month and day number (or days, `p` "rmd") read as a date: day first, an abbreviated
    month, a day cue before ("on", "since"...) or punctuation, the end or a function word after. Otherwise,
    after a month cue ("In March 10 people", "In March 10-20 people"), the number is a count."""
    follower = _next_word(text, end)
    if follower in _RANGE_WORDS and re.match(r"\s+\w+\s+\d", text[end:end + 20]):
        follower = None  # "In March 10 to 20 people": a count running on, not a function word after a date
    return bool(p == "dm" or m[f"{p}_m"].rstrip(".") in _MONTH_ABBR[lang] or _prev_word(text, start) in _MONTH_DAY_CUES
                or re.match(r"\s*(?:[,.;:)!?]|\Z)", text[end:end + 2])
                or (follower is not None and follower in _YEAR_FOLLOWERS["en"]))


def _weekday_check(m: re.Match[str], text: str, lang: str, month: int, day: int, year: int | None) -> str | None:
    """A weekday beside a stated date names the same day; where it does not, the date wins and a note says so
    (with no year, the nearest year whose date falls on that weekday is named)."""
    head = re.match(r"[^\W\d_]+", m[0])
    if head is None or year is None:
        return None
    name = head[0].lower()
    target = next((v for k, v in _WEEKDAYS[lang].items() if name.startswith(k.lower())), None)
    if target is None:
        return None
    try:
        actual = dt.date(year, month, day).weekday()
    except ValueError:
        return None
    if actual == target:
        return None
    return f"'{head[0]}' does not fall on {year:04d}-{month:02d}-{day:02d}: the stated date is kept"


def _season_date(m: re.Match[str], text: str, lang: str, part: tuple[int, int] | None,
                 rel: _Rel) -> tuple[_Candidate | None, bool]:
    """"last summer", "afgelopen voorjaar", "summer of 2021", "zomer van 2019", "winter 2020/21", "in de
    zomer" (the nearest one); (candidate, is relative)."""
    start, end = m.span()
    name = _norm(m["sea_n"])
    first_month = _SEASONS[lang][name]
    if m["sea_y"]:
        year = int(m["sea_y"])
        note = None
        if first_month == 12:
            if m["sea_y2"]:
                second = int(m["sea_y2"]) % 100
                if second != (year + 1) % 100:
                    return None, False
            else:
                note = (f"'{m[0]}' read as the winter starting in December {year} (December to February); "
                        f"the winter ending in February {year} is the other reading")
        elif m["sea_y2"]:
            end = m.end("sea_y")
        first, last = _season_span(year, first_month)
        return _range(text, start, end, first, last, note), False
    if m["smod"]:
        return rel(start, end, _season(first_month, _CYCLE_MODS[lang][_norm(m["smod"])]), None), True
    if (name == "fall" or _prev_word(text, start) not in _SEASON_CUES[lang]) and part is None:
        return None, True  # "the fall of the regime", "spring into action"
    if re.match(r"\s+(?:of|van)\b", text[end:end + 5]):
        return None, True  # "the summer of love"
    return rel(start, end, _season(first_month, "nearest"),
               "season without a year: read as the one nearest the publication date"), True


def _decade(m: re.Match[str], text: str, lang: str) -> _Candidate | None:
    """"the 1990s", "the '90s", "the nineties", "de jaren negentig", "de jaren '90" (two digits or words:
    the 1900s)."""
    if m["dec_y"]:
        first = int(m["dec_y"])
    else:
        if lang == "en" and m["dec_w"] and _prev_word(text, m.start()) not in ("the", "early", "mid", "late"):
            return None  # "in his nineties" is an age
        first = 1900 + (int(m["dec_2"]) if m["dec_2"] else _DECADE_WORDS[lang][_norm(m["dec_w"])])
    note = None if m["dec_y"] else f"'{m[0]}' read as the {first}s"
    return _range(text, *m.span(), dt.date(first, 1, 1), dt.date(first + 9, 12, 31), note)


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
    """A bare year, or a range of years as one span ("2015-2016", "2015-16", also with an en dash)."""
    first = int(m["y1"])
    if m["y2"]:
        second = int(m["y2"]) if len(m["y2"]) == 4 else first // 100 * 100 + int(m["y2"])
        if second <= first:
            return []
        return [_range(text, *m.span(), dt.date(first, 1, 1), dt.date(second, 12, 31),
                       _span_note(f"{first:04d}", f"{second:04d}", "year", False))]
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


_RANGE_KINDS = frozenset({"rdd", "rdm", "rmm", "ryy", "rmd", "rmdd"})


def _span_note(first: str, last: str, unit: str, shared: bool) -> str:
    note = f"one span from {first} to {last}, both ends included, each stated to the {unit}"
    return note + ("; the year is written once and holds for both ends" if shared else "")


def _range_ends(m: re.Match[str], lang: str) -> tuple[int | None, int, int | None, int | None, int, int | None, str]:
    """(year, month, day) of each end as the text states them (year None where not written), and the unit."""
    kind = m.lastgroup
    g = m.group

    def year(name: str) -> int | None:
        return int(g(name)) if g(name) else None

    if kind == "rdd":
        month = _month_number(g("rdd_m"), lang)
        return None, month, _day_of(g("rdd_d1")), year("rdd_y"), month, _day_of(g("rdd_d2")), "day"
    if kind == "rmd":
        month = _month_number(g("rmd_m"), lang)
        return None, month, _day_of(g("rmd_d1")), year("rmd_y"), month, _day_of(g("rmd_d2")), "day"
    if kind in ("rdm", "rmdd"):
        return (year(f"{kind}_y1"), _month_number(g(f"{kind}_m1"), lang), _day_of(g(f"{kind}_d1")),
                year(f"{kind}_y2"), _month_number(g(f"{kind}_m2"), lang), _day_of(g(f"{kind}_d2")), "day")
    if kind == "rmm":
        return (year("rmm_y1"), _month_number(g("rmm_m1"), lang), None, year("rmm_y2"),
                _month_number(g("rmm_m2"), lang), None, "month")
    return year("ryy_y1"), 1, None, year("ryy_y2"), 12, None, "year"


def _day_of(token: str) -> int:
    return int(re.match(r"\d+", token)[0])  # type: ignore[index]


def _end_day(year: int, month: int, day: int | None, last: bool) -> dt.date:
    if day is not None:
        return dt.date(year, month, day)
    return _month_end(year, month) if last else dt.date(year, month, 1)


def _date_range(m: re.Match[str], text: str, lang: str, anchors: tuple[dt.date, dt.date] | None,
                published: str | None) -> _Candidate | None:
    """A range of dates as one span, precision "range": "March to May 2023" is 2023-03-01 to 2023-05-31. A year
    written once ("3 March to 5 April 2022", "from March to May 2023") holds for both ends (the first end in
    the year before where its month and day come later: "December to February 2021"); with no year at all
    ("between 1 and 3 June") the span is the occurrence nearest the publication date, as a year-less date is."""
    y1, m1, d1, y2, m2, d2, unit = _range_ends(m, lang)
    start, end = m.span()
    first_key, last_key = (m1, d1 or 1), (m2, d2 or 31)
    shared = (y1 is None) != (y2 is None)
    if y1 is None and y2 is not None:
        y1 = y2 if first_key <= last_key else y2 - 1
    elif y2 is None and y1 is not None:
        y2 = y1 if last_key >= first_key else y1 + 1
    if y1 is not None and y2 is not None:
        try:
            first, last = _end_day(y1, m1, d1, False), _end_day(y2, m2, d2, True)
        except ValueError:
            return None
        if first >= last:
            return None
        label = {"day": 10, "month": 7, "year": 4}[unit]
        return _range(text, start, end, first, last,
                      _span_note(first.isoformat()[:label], last.isoformat()[:label], unit, shared))
    assert d1 is not None and d2 is not None  # noqa: S101  (only day ranges can be written without a year)
    try:  # 29 February needs a leap year, which _nearest_day finds; any other impossible day is no date
        dt.date(2000, m1, d1), dt.date(2000, m2, d2)
    except ValueError:
        return None
    if (m1, d1) == (m2, d2) or (m1 == m2 and d1 > d2):
        return None
    nearest = _nearest_day(m1, d1)

    def resolve(day: dt.date) -> tuple[dt.date, dt.date, str]:
        first = nearest(day)[0]
        year = first.year if (m2, d2) > (m1, d1) else first.year + 1
        last = dt.date(year, m2, min(d2, calendar.monthrange(year, m2)[1]))
        return first, last, "range"

    return _relative(text, start, end, resolve, anchors, published,
                     _join(_NEAREST, "one span, both ends included"))
