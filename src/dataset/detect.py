"""Figures and dates in English and Dutch news text: numbers, money, durations, ages, percentages, dates.

Pure functions on a string: no I/O, no clock, no network; the same text, language and publication date
always give the same detections. Every detection carries its exact surface and character offsets
(``text[start:end] == surface``), so it can be checked against the article like any coded quote.

Rules (the codebook's rules for figures and dates, applied mechanically):

* **Separators.** English writes "19,000" and "2.5", Dutch "40.000" and "3,6". Where both marks occur, the
  last one is the decimal mark ("1.234,56"); a mark that occurs more than once groups thousands ("1,234,567");
  groups must have three digits, so "1.2.3" is no number. A single mark followed by other than three digits
  is a decimal mark ("3,6", "3.6"). A single mark followed by exactly three digits is the ambiguous case: it
  groups thousands in the language's own convention ("1,500" in English, "1.500" in Dutch); in the other
  convention it is still read as thousands ("1.500" in English text is 1500: news rarely writes a decimal
  to three places, and Dutch-style figures turn up in English copy), except right before a scale word, where
  three decimals are common ("2.125 million"). A leading zero ("06", "007") or ten or more digits without
  separators mark an identifier, not a figure. Every ambiguous reading says why in ``note``.
* **Approximations and bounds** (the hedge word is part of the surface): exact figures have
  ``value_low == value_high == value``; "about"-type hedges (about, around, some, ongeveer, circa, zo'n,
  rond de...) set ``approximate`` and keep ``value_low == value_high == value`` (no invented margin);
  lower-bound words (more than, over, at least, ruim, meer dan, minstens...) leave ``value_high`` None;
  upper-bound words (nearly, almost, up to, less than, bijna, minder dan, maximaal...) leave ``value_low``
  None. Bare Dutch "tot" is never a bound: it is the preposition "to" as often as "up to" ("toegang
  gekregen tot 3,6 miljoen berichten"); only "tot wel", "tot maximaal" and "tot aan" bound a figure.
* **Vague counts** ("tientallen", "thousands", "tens of thousands") have ``value`` None and a range: at least
  two of the named unit and fewer than the next power of ten (tientallen 20..99, duizenden 2,000..9,999,
  tens of thousands 20,000..99,999); "dozens" is 24..99, like its Dutch counterpart "tientallen". They are
  approximate. "between 10 and 20", "tussen 10 en 20" and "10-20" are ranges too (value None); "10 to 20"
  and "10 tot 20" are not, because "from 5 to 10 percent" more often states a change than a range.
* **Words that are not counts.** English "one" is reported only with a scale or unit ("one million",
  "one euro", "for one year") or a bound ("at least one"), never in "one of", "no one", "one day" (some
  day); Dutch "een" only before a scale word ("een miljoen"), "één" always. Ordinals rank rather than count
  and are skipped, except "for the third time" / "voor de derde keer", which counts occurrences.
* **Ages**: "36-year-old", "de 36-jarige", "36 years old", "aged 36", a capitalised name followed by
  ", 36," (the wire style "Danny Manupassa, 36,") or by "(36)" (the Dutch style "Danny M. (36)").
* **Not figures**: clock times ("02:43", "14.30 uur", "om 9 uur", "3 p.m."), phone numbers ("+31 20 123
  4567", "06-12345678"), digits glued to letters or inside URLs and identifiers ("P2000", "idUSKCN0XJ2HQ"),
  version strings ("1.2.3"), and the digits of a detected date (the date wins: one detection per span).
* **Years**: a four-digit number 1900-2099 is a year (precision "year") unless a lower-case content word
  follows it ("2000 smartphones") and no year cue (in, since, sinds, eind...) precedes it.
* **Dates** are given at the precision the text states. A preposition before a date is not part of it
  ("in april 2016" has the surface "april 2016", "on Friday" the surface "Friday"); a modifier that changes
  its meaning is ("last Friday", "vorige week"). Relative dates are resolved against the publication date
  as far as its precision allows. A weekday is the most recent such day on or before the publication day
  (news convention: "on Friday" in a Friday paper is that day); "last Friday" is strictly before, "next
  Friday" strictly after. Weeks run Monday to Sunday; ``date`` is then the Monday. A year-less "22 april"
  or "in April" is the occurrence nearest the publication date. Where the publication date is known only
  to the month or year, the expression is evaluated for the first and the last possible publication day:
  if both give the same period it is resolved ("vorige maand" in a March 2017 article is 2017-02),
  otherwise precision is "unresolved", ``date`` is the earliest and ``date_end`` the latest possible day.
  "donderdag" in a March 2017 article thus spans 2017-02-23 (the Thursday on or before 1 March) to
  2017-03-30 (the last Thursday on or before 31 March), as the codebook's bounded events do. With no
  publication date a relative date is unresolved with no bounds.

Why no library: Babel's ``parse_decimal`` (9 us a call) applies one locale's convention and answers 1.5 for
"1,500" in nl_NL, so the ambiguity rules above would still be ours; dateparser's ``search_dates`` takes 2-45
ms a sentence, reads "36" as the year 1936 and "3,6" as 6 March, resolves "on Friday" to the Friday a week
before a Friday anchor, and cannot take a month-precision anchor at all. quantulum3 (~2 ms a sentence) is
English only and reads "3,6 miljoen" as 3 and 6 mill-joules. Everything here is precompiled regular
expressions, a few passes over the text, and integer arithmetic for exact values.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import NamedTuple

__all__ = ["Detection", "detect", "detect_language", "parse_number"]

LANGS = ("en", "nl")


@dataclass(frozen=True, slots=True)
class Detection:
    """One figure or date found in a text, with its exact surface and offsets."""

    kind: str  # "number" | "money" | "duration" | "age" | "percent" | "date"
    text: str
    start: int
    end: int
    value: float | None
    value_low: float | None
    value_high: float | None
    approximate: bool
    unit: str | None
    date: str | None
    date_end: str | None
    precision: str | None
    note: str | None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, keys in field order."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}


_FIELD_NAMES = tuple(f.name for f in fields(Detection))

# ---------------------------------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------------------------------

APPROX, LOWER, UPPER = "approx", "lower", "upper"

_HEDGES: dict[str, dict[str, str]] = {
    "en": {
        **dict.fromkeys(["about", "around", "some", "roughly", "approximately", "approx.", "an estimated",
                         "estimated", "circa", "c."], APPROX),
        **dict.fromkeys(["more than", "over", "at least", "just over", "well over", "upwards of",
                         "in excess of", "no fewer than", "no less than", "a minimum of"], LOWER),
        **dict.fromkeys(["nearly", "almost", "close to", "just under", "under", "up to", "as many as",
                         "fewer than", "less than", "at most", "no more than", "not more than",
                         "a maximum of"], UPPER),
    },
    "nl": {
        **dict.fromkeys(["ongeveer", "circa", "ca.", "zo'n", "rond de", "rond", "rondom", "pakweg",
                         "ruwweg", "grofweg", "naar schatting", "om en nabij", "zowat"], APPROX),
        **dict.fromkeys(["ruim", "meer dan", "minstens", "minimaal", "ten minste", "tenminste",
                         "niet minder dan"], LOWER),
        **dict.fromkeys(["bijna", "nagenoeg", "krap", "nog geen", "minder dan", "maximaal", "hooguit",
                         "ten hoogste", "niet meer dan", "tot wel", "tot maximaal", "tot aan"], UPPER),
    },
}

_BETWEEN = {"en": ["between"], "nl": ["tussen de", "tussen"]}

_CURRENCY_PRE = {"€": "EUR", "eur": "EUR", "$": "USD", "us$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP",
                 "c$": "CAD", "ca$": "CAD", "cdn$": "CAD", "cad": "CAD"}
_CURRENCY_POST = {
    "en": {"euro": "EUR", "euros": "EUR", "eur": "EUR", "dollar": "USD", "dollars": "USD",
           "us dollars": "USD", "u.s. dollars": "USD", "usd": "USD", "canadian dollar": "CAD",
           "canadian dollars": "CAD", "cad": "CAD", "pounds sterling": "GBP", "british pounds": "GBP",
           "sterling": "GBP", "gbp": "GBP"},
    "nl": {"euro": "EUR", "euro's": "EUR", "eur": "EUR", "dollar": "USD", "dollars": "USD",
           "amerikaanse dollar": "USD", "amerikaanse dollars": "USD", "usd": "USD", "canadese dollar": "CAD",
           "canadese dollars": "CAD", "cad": "CAD", "britse pond": "GBP", "britse ponden": "GBP",
           "pond sterling": "GBP", "gbp": "GBP"},
}
# Bare "$" and "dollar" are read as US dollars; "pounds"/"pond" alone is left out (also a weight).
_ASSUMED_USD = {"$", "dollar", "dollars"}

_DURATIONS = {
    "en": {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
           "year": "year", "years": "year"},
    "nl": {"dag": "day", "dagen": "day", "week": "week", "weken": "week", "maand": "month",
           "maanden": "month", "jaar": "year", "jaren": "year"},
}
# Words before "one day/week/year" that make it a length of time, not "some day".
_DURATION_CUES = {"for", "to", "within", "after", "of", "in", "lasting", "just", "only"}

_SCALES = {
    "en": {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12,
           "dozen": 12, "mln": 10**6, "mn": 10**6, "bn": 10**9},
    "nl": {"honderd": 100, "duizend": 1000, "miljoen": 10**6, "miljard": 10**9, "biljoen": 10**12,
           "dozijn": 12, "mln": 10**6, "mld": 10**9, "mrd": 10**9},
}
# Abbreviations glued to a figure ("$2m", "€5k") count only after a currency sign: "2 m" is two metres.
_GLUED_SCALES = {"m": 10**6, "mn": 10**6, "bn": 10**9, "k": 1000}

# Vague counts: (lowest, first value above the range). At least two of the unit, fewer than ten times it.
_VAGUE = {
    "en": {"dozens": (24, 100), "hundreds": (200, 10**3), "thousands": (2000, 10**4),
           "tens of thousands": (2 * 10**4, 10**5), "hundreds of thousands": (2 * 10**5, 10**6),
           "millions": (2 * 10**6, 10**7), "tens of millions": (2 * 10**7, 10**8),
           "hundreds of millions": (2 * 10**8, 10**9), "billions": (2 * 10**9, 10**10)},
    "nl": {"tientallen": (20, 100), "honderden": (200, 10**3), "duizenden": (2000, 10**4),
           "tienduizenden": (2 * 10**4, 10**5), "honderdduizenden": (2 * 10**5, 10**6),
           "miljoenen": (2 * 10**6, 10**7), "tientallen miljoenen": (2 * 10**7, 10**8),
           "honderden miljoenen": (2 * 10**8, 10**9), "miljarden": (2 * 10**9, 10**10)},
}

_EN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9}
_EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
             "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_WORDS = {**_EN_UNITS, **_EN_TEENS, **_EN_TENS}
_NL_UNITS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
             "negen": 9}
_NL_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
             "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
_NL_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
            "tachtig": 80, "negentig": 90}
_NL_WORDS = {**_NL_UNITS, **_NL_TEENS, **_NL_TENS}

_ORDINALS = {
    "en": {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
           "ninth": 9, "tenth": 10},
    "nl": {"tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
           "negende": 9, "tiende": 10},
}

_MONTHS = {
    "en": {"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8,
           "September": 9, "October": 10, "November": 11, "December": 12},
    "nl": {"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
           "september": 9, "oktober": 10, "november": 11, "december": 12},
}
# Abbreviations only ever count next to a day number ("Sept. 22"): alone, "Jan" is a name.
_MONTH_ABBR = {
    "en": {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
           "Oct": 10, "Nov": 11, "Dec": 12},
    "nl": {"jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
           "okt": 10, "nov": 11, "dec": 12},
}
_WEEKDAYS = {
    "en": {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6},
    "nl": {"maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5,
           "zondag": 6},
}
# Weekday modifiers: "before" = strictly before the anchor, "after" = strictly after, "this"/"last"/"next"
# week = that weekday in the anchor's own, the previous or the next Monday-to-Sunday week.
_WEEKDAY_MODS = {
    "en": {"last": "before", "past": "before", "this past": "before", "next": "after", "coming": "after",
           "this coming": "after", "this": "thisweek"},
    "nl": {"afgelopen": "before", "vorige": "before", "komende": "after", "volgende": "after",
           "aanstaande": "after", "deze": "thisweek", "deze week": "thisweek", "vorige week": "lastweek",
           "volgende week": "nextweek", "komende week": "nextweek"},
}
# Day words: offset in days from the publication day. "last night" is the evening before publication.
_DAY_WORDS = {
    "en": {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "this morning": 0, "this afternoon": 0,
           "this evening": 0, "last night": -1},
    "nl": {"eergisteren": -2, "gisteren": -1, "gisteravond": -1, "gistermiddag": -1, "gisterochtend": -1,
           "gistermorgen": -1, "gisternacht": -1, "vandaag": 0, "vanochtend": 0, "vanmorgen": 0,
           "vanmiddag": 0, "vanavond": 0, "morgen": 1, "morgenochtend": 1, "morgenmiddag": 1,
           "morgenavond": 1, "overmorgen": 2},
}
# "morgen" after these words is "the morning", not "tomorrow".
_MORNING_BEFORE = {"de", "deze", "die", "elke", "iedere", "s", "van", "goede"}
# Period modifiers: an offset in periods, or "earlier"/"later" within the current one.
_PERIOD_MODS = {
    "en": {"last": -1, "this": 0, "next": 1, "earlier this": "earlier", "later this": "later"},
    "nl": {"vorige": -1, "vorig": -1, "afgelopen": -1, "deze": 0, "dit": 0, "volgende": 1, "volgend": 1,
           "komende": 1, "komend": 1, "eerder deze": "earlier", "eerder dit": "earlier",
           "later deze": "later", "later dit": "later"},
}
_PERIODS = {"en": {"week": "week", "month": "month", "year": "year"},
            "nl": {"week": "week", "maand": "month", "jaar": "year"}}
_AGO = {"en": "ago", "nl": "geleden"}

# Words before a bare four-digit number that make it a year.
_YEAR_CUES = {
    "en": {"in", "since", "until", "till", "by", "from", "of", "during", "before", "after", "early", "late",
           "mid", "year", "summer", "winter", "spring", "autumn", "fall", "through", "to", "between"},
    "nl": {"in", "sinds", "sedert", "vanaf", "tot", "van", "uit", "voor", "na", "eind", "einde", "begin",
           "medio", "half", "halverwege", "jaar", "zomer", "winter", "lente", "voorjaar", "najaar", "herfst",
           "tussen"},
}
# Lower-case words that may follow a year without making it a count ("in 2016 the police...").
_YEAR_FOLLOWERS = {
    "en": {"and", "or", "but", "the", "a", "an", "to", "when", "as", "after", "before", "was", "were",
           "is", "are", "had", "has", "have", "will", "would", "that", "which", "where", "in", "on", "at",
           "by", "for", "of", "with", "from", "until", "through", "it", "he", "she", "they", "we", "there"},
    "nl": {"en", "of", "maar", "de", "het", "een", "werd", "werden", "was", "waren", "is", "zijn", "heeft",
           "hebben", "had", "hadden", "zal", "zou", "toen", "als", "dat", "die", "in", "op", "bij", "voor",
           "na", "tot", "van", "met", "aan", "om", "uit", "door", "al", "nog", "ook", "er", "hij", "zij",
           "ze", "we"},
}
# Words before a bare month name that make it a date ("in April"); "May" alone is a verb.
_MONTH_CUES = {
    "en": {"in", "since", "until", "till", "by", "from", "of", "during", "early", "late", "mid", "through",
           "before", "after"},
    "nl": {"in", "sinds", "sedert", "vanaf", "tot", "van", "eind", "einde", "begin", "medio", "half",
           "halverwege", "per", "na", "voor", "rond", "omstreeks"},
}
# Words before a year-less "April 22" (English) that make it a date ("on April 22"; not "In March 10 men").
_MONTH_DAY_CUES = {"on", "by", "since", "until", "till", "from", "before", "after", "through", "of"}

_NAME_STOP = set(_MONTHS["en"]) | set(_WEEKDAYS["en"]) | {m.capitalize() for m in _MONTHS["nl"]} | {
    w.capitalize() for w in _WEEKDAYS["nl"]}

# ---------------------------------------------------------------------------------------------------------
# Regular expressions (compiled once, per language)
# ---------------------------------------------------------------------------------------------------------

# Not right after a word character or anything that glues digits into URLs, ids, times or versions.
_DIGIT_START = r"(?<![\w.,:/+~=&?%@#\-'\u2019])"
_CLOCK_PREPS = ("om", "rond", "vanaf", "tot", "omstreeks", "tussen")
_NUMERIC = r"\d+(?:[.,]\d+)*"


def _alt(words: Iterable[str], dotted: bool = False) -> str:
    """Alternation of literal words, longest first (Python takes the first alternative that matches)."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        part = re.escape(word).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
        parts.append(part + (r"\.?" if dotted else ""))
    return "(?:" + "|".join(parts) + ")"


def _spelled_pattern(lang: str) -> str:
    if lang == "en":
        units, teens, tens = _alt(_EN_UNITS), _alt(_EN_TEENS), _alt(_EN_TENS)
        below100 = rf"(?:{tens}(?:-{units})?|{teens}|{units})"
        return rf"(?:{units}\s+hundred(?:\s+(?:and\s+)?{below100})?|{below100})"
    units_any = _alt([*_NL_UNITS, "één"])
    units = _alt([*(u for u in _NL_UNITS if u != "een"), "één"])
    teens, tens = _alt(_NL_TEENS), _alt(_NL_TENS)
    below100_in = rf"(?:(?:{units_any}(?:en|ën))?{tens}|{teens}|{units_any})"
    below100 = rf"(?:(?:{units_any}(?:en|ën))?{tens}|{teens}|{units})"
    below1000_in = rf"(?:{units_any}?honderd{below100_in}?|{below100_in})"
    below1000 = rf"(?:{units_any}?honderd{below100_in}?|{below100})"
    return rf"(?:anderhalf|{below1000_in}?duizend{below1000_in}?|{below1000})"


def _quantity_regex(lang: str) -> re.Pattern[str]:
    spelled = _spelled_pattern(lang)
    scales = _alt(_SCALES[lang])
    curpre = _alt(_CURRENCY_PRE)
    articles = _alt(["a", "an", "one"] if lang == "en" else ["een", "één"])
    pct_words = _alt(["percent", "per cent", "pct"] if lang == "en" else ["procent", "pct"])
    age_suffix = r"-year-olds?" if lang == "en" else r"-jarigen?|-jarig"
    old = r"\s+old" if lang == "en" else r"\s+oud"
    aged = r"(?:(?P<hedge>{h})\s+|(?P<aged>aged)\s+)?" if lang == "en" \
        else r"(?:(?P<hedge>{h})\s+)?(?P<aged>)"
    glued = _alt(_GLUED_SCALES)
    pattern = rf"""{_DIGIT_START}
        {aged.format(h=_alt(_HEDGES[lang]))}
        (?:(?P<between>{_alt(_BETWEEN[lang])})\s+)?
        (?:(?P<pre>{curpre})\s?)?
        (?P<core>{_alt(_VAGUE[lang])}|{_NUMERIC}|{spelled}|{articles}(?=\s+{scales}(?!\w)))
        (?:\s*(?P<s1>{scales})(?!\w)(?:\s+(?P<s2>{scales})(?!\w))?)?
        (?(pre)(?:(?P<gs>{glued})(?!\w))?)
        (?(pre)(?P<dash>,-{{1,2}}|,=)?)
        (?:(?(between)\s+(?:and|en)\s+|\s?[-\u2013]\s?)
           (?:(?P<pre2>{curpre})\s?)?
           (?P<core2>{_NUMERIC}|{spelled})
           (?:\s*(?P<s3>{scales})(?!\w))?
           (?(pre2)(?:(?P<gs2>{glued})(?!\w))?))?
        (?:(?:\s+of)?(?:\s*|-)(?P<cur>{_alt(_CURRENCY_POST[lang])})(?!\w)
          |\s?(?P<pct>%)
          |\s*(?P<pctw>{pct_words})(?!\w)
          |(?P<agehy>{age_suffix})(?!\w)
          |(?:\s+|-)(?P<dur>{_alt(_DURATIONS[lang])})(?P<old>{old})?(?!\w))?
        (?![\w@/]|[.,:]\d)"""
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


def _date_regex(lang: str) -> re.Pattern[str]:
    en = lang == "en"
    months = _alt(_MONTHS[lang])
    months_any = rf"(?:{_alt(_MONTH_ABBR[lang], dotted=True)}|{months})"
    weekday = _alt(_WEEKDAYS[lang])
    wd_suffix = "" if en else r"(?:ochtend|morgen|middag|avond|nacht)?"
    ci = "(?i:{})" if en else "{}"  # English names are case-sensitive ("May", "March"), their modifiers not
    year = r"(?:19|20)\d\d"
    end = r"(?![\w]|[.,:/\-]\d)"
    small = _alt([*_EN_WORDS, "a", "an"]) if en else _alt([*_NL_WORDS, "één"])
    wd_pre = rf"(?:{weekday},?\s+)?"  # "Friday, April 22, 2016", "vrijdag 22 april 2016"
    month_day = (rf"|(?P<md>(?<!\w){wd_pre}(?P<md_m>{months_any})\s+(?P<md_d>[0-3]?\d)"
                 rf"(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<md_y>{year}))?{end})" if en else "")
    pattern = rf"""
         (?P<iso>{_DIGIT_START}(?P<iso_y>{year})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d){end})
        |(?P<num>{_DIGIT_START}(?P<n_a>\d{{1,2}})(?P<n_sep>[-/.])(?P<n_b>\d{{1,2}})(?P=n_sep)(?P<n_y>{year}){end})
        |(?P<dm>(?:(?<!\w){wd_pre})?{_DIGIT_START}(?P<dm_d>[0-3]?\d)(?:st|nd|rd|th|ste|de|e)?\s+
            (?:of\s+)?(?P<dm_m>{months_any})(?!\w)(?:,?\s+(?P<dm_y>{year}))?{end})
        {month_day}
        |(?P<my>(?<!\w)(?P<my_m>{months}),?\s+(?P<my_y>{year}){end})
        |(?P<ago>{_DIGIT_START}(?P<ago_n>\d{{1,3}}|{ci.format(small)})\s+
            (?P<ago_u>{ci.format(_alt(_DURATIONS[lang]))})\s+{ci.format(_AGO[lang])}(?!\w))
        |(?P<wd>(?<!\w)(?:(?P<wmod>{ci.format(_alt(_WEEKDAY_MODS[lang]))})\s+)?(?P<wd_n>{weekday}){wd_suffix}(?!\w))
        |(?P<dayw>(?<!\w)(?P<dayw_w>{ci.format(_alt(_DAY_WORDS[lang]))})(?!\w))
        |(?P<per>(?<!\w)(?P<pmod>{ci.format(_alt(_PERIOD_MODS[lang]))})\s+(?P<per_u>{ci.format(_alt(_PERIODS[lang]))})
            (?!\w))
        |(?P<yr>(?:(?<=mid-)|{_DIGIT_START})(?P<y1>{year})(?:\s?[-\u2013]\s?(?P<y2>{year}|\d\d))?(?!\s?%){end})
        |(?P<mo>(?<!\w){months}(?!\w))"""
    return re.compile(pattern, re.VERBOSE | (0 if en else re.IGNORECASE))


def _misc_regex(lang: str) -> re.Pattern[str]:
    """Spans that are not figures (clock times, phone numbers), name-attached ages and ordinal counts."""
    hour, minute = r"(?:[01]?\d|2[0-3])", r"[0-5]\d"
    zones = r"(?:uur|u\.|h|a\.m\.|p\.m\.|am|pm|AM|PM|GMT|UTC|CET|CEST|BST|EST|EDT|ET)"
    # "om 14.30" is a Dutch clock time (a Dutch decimal has a comma); English "at 14.30" is as often a price
    preps = _alt(_CLOCK_PREPS) if lang == "nl" else "(?!)"
    ordinals = _alt(_ORDINALS[lang])
    if lang == "en":
        counted = r"(?i:for\s+the)\s+(?P<ordw>(?i:{o})|\d{{1,3}}(?:st|nd|rd|th))\s+(?i:time)(?!\w)"
    else:
        counted = r"(?i:voor\s+de)\s+(?P<ordw>(?i:{o})|\d{{1,3}}(?:e|ste|de))\s+(?i:keer)(?!\w)"
    pattern = rf"""
         (?P<clock>{_DIGIT_START}{hour}:{minute}(?::{minute})?(?!\d)(?:\s?{zones}(?!\w))?)
        |(?P<clockp>(?<!\w)(?i:{preps})\s+{hour}(?:[.:]{minute}(?![.,]?\d)|\s+uur(?!\w)))
        |(?P<clockz>{_DIGIT_START}{hour}(?:[.:]{minute})?\s?(?:a\.m\.|p\.m\.|am|pm|AM|PM)(?!\w)
            |{_DIGIT_START}{hour}[.:]{minute}\s?uur(?!\w))
        |(?P<phone>(?<![\w+])(?:\+|00)\d{{1,3}}(?:[\s.\-]?\(?\d{{1,4}}\)?){{2,6}}(?!\w))
        |(?P<phone0>{_DIGIT_START}0\d{{1,3}}(?:[\s\-]?\d{{2,8}}){{1,4}}(?![\w]|[.,]\d))
        |(?P<agename>(?<=[^\W\d_],\s)\d{{1,3}}(?=,\s))
        |(?P<ageparen>(?:(?<=[^\W\d_]\s\()|(?<=[^\W\d_]\.\s\())\d{{1,3}}(?=\)))
        |(?P<ordc>(?<!\w){counted.format(o=ordinals)})"""
    return re.compile(pattern, re.VERBOSE)


# Words, digit runs and the signs that can start a figure; each pattern is tried only where one of its
# possible first tokens starts. Trying a few dozen alternatives at every position of the text made
# finditer 5-10 times slower; the matches are the same (tests/test_detect.py checks it).
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[€$£+]")


def _first_tokens(phrases: Iterable[str]) -> set[str]:
    return {_TOKEN.match(p.lower())[0] for p in phrases}  # type: ignore[index]


class _Scanner(NamedTuple):
    """A pattern with the lower-case first tokens (or stems of Dutch compounds) where a match can start."""

    pattern: re.Pattern[str]
    words: frozenset[str]
    stems: tuple[str, ...] = ()

    def matches(self, text: str, tokens: list[tuple[int, str]]) -> Iterable[re.Match[str]]:
        """Exactly what pattern.finditer(text) gives, trying only the positions that can start a match."""
        done = 0
        for start, token in tokens:
            if start >= done and (token[0].isdigit() or token in self.words or token.startswith(self.stems)):
                match = self.pattern.match(text, start)
                if match:
                    done = match.end()
                    yield match


def _number_words(lang: str) -> tuple[set[str], tuple[str, ...]]:
    """English number words, or the stems that Dutch compounds ("eenentwintig", "tweeduizend") start with."""
    if lang == "en":
        return set(_EN_WORDS), ()
    return set(), (*_NL_WORDS, "één", "honderd", "duizend", "anderhalf")


def _scanners(lang: str) -> tuple[_Scanner, _Scanner, _Scanner]:
    words, stems = _number_words(lang)
    starts = [*_HEDGES[lang], *_BETWEEN[lang], *_CURRENCY_PRE, *_VAGUE[lang], "aged", "a", "an", "een", "één"]
    quantity = _first_tokens(starts) | words
    weekday_stems = tuple(w.lower() for w in _WEEKDAYS[lang]) if lang == "nl" else ()
    dates = _first_tokens([*_MONTHS[lang], *_MONTH_ABBR[lang], *_WEEKDAYS[lang], *_WEEKDAY_MODS[lang],
                           *_DAY_WORDS[lang], *_PERIOD_MODS[lang], "a", "an", "een", "één"]) | words
    misc = {*_CLOCK_PREPS, "for", "voor", "+"}
    return (_Scanner(_quantity_regex(lang), frozenset(quantity), stems),
            _Scanner(_date_regex(lang), frozenset(dates), stems + weekday_stems),
            _Scanner(_misc_regex(lang), frozenset(misc)))


_SCANNERS = {lang: _scanners(lang) for lang in LANGS}
_QUANTITY = {lang: scanners[0].pattern for lang, scanners in _SCANNERS.items()}
_NAME_BEFORE = re.compile(r"(?<![\w'\u2019\-])([^\W\d_][\w'\u2019\-]*)\.?(?:,\s|\s\()\Z")
_PREV_WORD = re.compile(r"([^\W\d_]+)['\u2019]?[\s\-]*\Z")
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WS = re.compile(r"\s+")
_MARKS = re.compile(r"[.,]")
_OF = re.compile(r"\s+of\b")

# ---------------------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------------------

_GROUP_MARK = {"en": ",", "nl": "."}
_CONVENTION = {",": "English", ".": "Dutch"}  # the language that groups thousands with this mark


class _Digits(NamedTuple):
    mantissa: int  # the digits without marks
    decimals: int  # how many of them follow the decimal mark
    note: str | None


def _shown(mantissa: int, decimals: int) -> str:
    if not decimals:
        return str(mantissa)
    whole, frac = divmod(mantissa, 10**decimals)
    return f"{whole}.{frac:0{decimals}d}".rstrip("0").rstrip(".")


def _parse_digits(surface: str, lang: str, before_scale: bool) -> _Digits | None:
    """Read a digit string with "," and "." marks; None where it cannot be a figure."""
    parts = _MARKS.split(surface)
    head = parts[0]
    if len(head) > 1 and head[0] == "0":
        return None  # "06", "007": an identifier or phone prefix
    marks = [c for c in surface if c in ".,"]
    if not marks:
        return None if len(surface) >= 10 else _Digits(int(surface), 0, None)
    if len(set(marks)) == 2:
        decimal_mark = marks[-1]
        if marks.count(decimal_mark) != 1 or not _is_grouped(parts[:-1]):
            return None
        value = _Digits(int("".join(parts)), len(parts[-1]), None)
        if decimal_mark == _GROUP_MARK[lang]:
            convention = _CONVENTION["." if decimal_mark == "," else ","]
            return value._replace(note=f"'{surface}' read as {_shown(*value[:2])}: with both marks the last "
                                       f"('{decimal_mark}') is the decimal mark ({convention} convention)")
        return value
    mark = marks[0]
    if len(marks) > 1:
        if not _is_grouped(parts):
            return None
        value = _Digits(int("".join(parts)), 0, None)
        if mark != _GROUP_MARK[lang]:
            return value._replace(note=f"'{surface}' read as {value.mantissa}: repeated '{mark}' groups "
                                       f"thousands ({_CONVENTION[mark]} convention)")
        return value
    tail = parts[1]
    grouped = _Digits(int(head + tail), 0, None)
    decimal = _Digits(int(head + tail), len(tail), None)
    if len(tail) != 3 or head == "0" or len(head) > 3:
        if mark == _GROUP_MARK[lang]:
            return decimal._replace(note=f"'{surface}' read as {_shown(*decimal[:2])}: '{mark}' followed by "
                                         f"{len(tail)} digit(s) cannot group thousands, so it is a decimal "
                                         "mark")
        return decimal
    if mark == _GROUP_MARK[lang]:
        return grouped._replace(note=f"'{surface}' read as {grouped.mantissa}: {_CONVENTION[mark]} thousands "
                                     "separator")
    if before_scale:
        return decimal._replace(note=f"'{surface}' read as {_shown(*decimal[:2])}: before a scale word "
                                     f"'{mark}' is the decimal mark")
    return grouped._replace(note=f"'{surface}' read as {grouped.mantissa}: a single '{mark}' before exactly "
                                 f"three digits is taken as a thousands separator ({_CONVENTION[mark]} "
                                 "convention; a decimal is rarely written to three places)")


def _is_grouped(parts: list[str]) -> bool:
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def _spelled_value(words: str, lang: str) -> int | None:
    """Value of a spelled-out number ("twenty-one", "two hundred and five", "eenentwintig", "tweeduizend")."""
    if lang == "en":
        total = 0
        for part in re.split(r"[\s\-]+", words):
            if part == "hundred":
                total = (total or 1) * 100
            elif part != "and":
                total += _EN_WORDS[part]
        return total
    word = words.replace("ë", "e").replace("é", "e")
    left, thousand, right = word.partition("duizend")
    if thousand:
        return (_nl_below1000(left) if left else 1) * 1000 + (_nl_below1000(right) if right else 0)
    return _nl_below1000(word)


def _nl_below1000(word: str) -> int:
    left, hundred, right = word.partition("honderd")
    if hundred:
        return (_NL_WORDS[left] if left else 1) * 100 + (_nl_below100(right) if right else 0)
    return _nl_below100(word)


def _nl_below100(word: str) -> int:
    if word in _NL_WORDS:
        return _NL_WORDS[word]
    for tens, value in _NL_TENS.items():
        if word.endswith("en" + tens):
            return _NL_UNITS[word[: -len(tens) - 2]] + value
    raise KeyError(word)


class _Reading(NamedTuple):
    value: float | None
    low: float | None
    high: float | None
    note: str | None


def _norm(words: str) -> str:
    return _WS.sub(" ", words.lower()).replace("\u2019", "'")


def _scale_of(lang: str, *words: str | None) -> int:
    factor = 1
    for word in words:
        if word:
            key = _norm(word)
            factor *= _SCALES[lang].get(key) or _GLUED_SCALES[key]
    return factor


def _read_core(core: str, scale: int, has_scale: bool, lang: str) -> _Reading | None:
    """Value (or vague range) of one figure: digits, spelled words, a vague count or an article + scale."""
    if core[0].isdigit():
        digits = _parse_digits(core, lang, has_scale)
        if digits is None:
            return None
        value = digits.mantissa * scale / 10**digits.decimals
        return _Reading(value, value, value, digits.note)
    key = _norm(core)
    if key in _VAGUE[lang]:
        low, above = _VAGUE[lang][key]
        return _Reading(None, float(low * scale), float(above * scale - 1),
                        f"'{core}' is a vague count: read as {low * scale:,} to {above * scale - 1:,}, "
                        "no point value")
    if key == "anderhalf":
        return _Reading(1.5 * scale, 1.5 * scale, 1.5 * scale, None)
    if not has_scale and key in ("a", "an", "een"):
        return None
    number = 1 if key in ("a", "an", "een") else _spelled_value(key, lang)
    value = float(number * scale)
    return _Reading(value, value, value, None)


def parse_number(surface: str, lang: str) -> tuple[float, str | None]:
    """Value of a digit string or spelled number with an optional scale word, and a note when its separator
    reading was ambiguous ("3,6 miljoen" -> 3600000.0 in Dutch; "1,500" -> 1500.0 in English, noted).
    Raises ValueError for anything else (ranges, vague counts, identifiers)."""
    _check_lang(lang)
    match = _QUANTITY[lang].fullmatch(surface.strip())
    extras = ("hedge", "aged", "between", "pre", "core2", "cur", "pct", "pctw", "agehy", "dur")
    if match is None or any(match[g] for g in extras):
        raise ValueError(f"not a single number: {surface!r}")
    scale_words = (match["s1"], match["s2"])
    reading = _read_core(match["core"], _scale_of(lang, *scale_words), any(scale_words), lang)
    if reading is None or reading.value is None:
        raise ValueError(f"not a single number: {surface!r}")
    return reading.value, reading.note


# ---------------------------------------------------------------------------------------------------------
# Candidates and their selection
# ---------------------------------------------------------------------------------------------------------

# Where two readings cover the same span, the more specific wins; "skip" spans are non-figures.
_PRIORITY = {"skip": 0, "date": 1, "money": 2, "percent": 3, "age": 4, "duration": 5, "number": 6}


class _Candidate(NamedTuple):
    start: int
    end: int
    kind: str
    detection: Detection | None  # None for a span that is not a figure


def _figure(kind: str, text: str, start: int, end: int, reading: _Reading, approximate: bool,
            unit: str | None, note: str | None) -> _Candidate:
    detection = Detection(kind, text[start:end], start, end, reading.value, reading.low, reading.high,
                          approximate, unit, None, None, None, note)
    return _Candidate(start, end, kind, detection)


def _select(candidates: list[_Candidate], length: int) -> list[Detection]:
    """Non-overlapping detections in text order: the longest span wins, then the more specific kind."""
    taken = bytearray(length)
    chosen = []
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, _PRIORITY[c.kind], c.start)):
        if taken.find(1, cand.start, cand.end) == -1:
            taken[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
            if cand.detection is not None:
                chosen.append(cand.detection)
    chosen.sort(key=lambda d: d.start)
    return chosen


def _prev_word(text: str, start: int) -> str:
    match = _PREV_WORD.search(text, max(0, start - 40), start)
    return match[1].lower() if match else ""


def _next_word(text: str, end: int) -> str | None:
    match = _NEXT_WORD.match(text, end)
    return match[1] if match else None


def _join(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None


def _quantity(m: re.Match[str], text: str, lang: str) -> _Candidate | None:
    start, end = m.span()
    core, core2 = m["core"], m["core2"]
    if m["between"] and not core2:
        start = m.start("pre") if m["pre"] else m.start("core")  # "between" without its "and": drop it
    scale1 = _scale_of(lang, m["s1"], m["s2"], m["gs"])
    has_scale1 = bool(m["s1"] or m["gs"])
    scale2 = _scale_of(lang, m["s3"], m["gs2"])
    # "2-3 million": a scale on the second figure only applies to both
    shared = scale2 if core2 and not has_scale1 and scale2 > 1 else 1
    reading = _read_core(core, scale1 * shared, has_scale1 or shared > 1, lang)
    if reading is None:
        return None
    key = _norm(core)
    unit_word = m["cur"] or m["pct"] or m["pctw"] or m["agehy"] or m["dur"]
    hedge = _HEDGES[lang][_norm(m["hedge"])] if m["hedge"] and start == m.start() else None
    if lang == "nl" and key == "acht" and (_next_word(text, end) or "").lower() in (
            "nemen", "neemt", "genomen", "nam", "namen", "slaan", "slaat", "geslagen", "sloeg"):
        return None  # "in acht nemen": to take into account
    counts = hedge or m["cur"] or m["pct"] or m["pctw"] or (
        unit_word and _prev_word(text, start) in _DURATION_CUES)
    if key == "one" and not has_scale1 and (_OF.match(text, end) or not counts):
        return None  # "one of the", "no one", "one day" (some day): a pronoun, not a count
    notes = [reading.note]
    approximate = reading.value is None
    low, high, value = reading.low, reading.high, reading.value
    if core2:
        second = _read_core(core2, scale2, bool(m["s3"] or m["gs2"]), lang)
        if second is None or second.high is None or low is None or low >= second.high:
            return None
        if not unit_word and all(re.fullmatch(r"(?:19|20)\d\d", c) for c in (core, core2)):
            return None  # "2015-2016", "between 2015 and 2016": years, found as dates
        value, high, approximate = None, second.high, True
        notes.append(second.note)
    if hedge:
        approximate = True
        if hedge == LOWER:
            high = None
        elif hedge == UPPER:
            low = None
    reading = _Reading(value, low, high, None)
    if m["pre"] or m["cur"]:
        word = _norm(m["pre"] or m["cur"])
        currency = _CURRENCY_PRE.get(word) or _CURRENCY_POST[lang][word]
        if word in _ASSUMED_USD:
            notes.append(f"'{m['pre'] or m['cur']}' read as US dollars")
        return _figure("money", text, start, end, reading, approximate, currency, _join(*notes))
    if m["pct"] or m["pctw"]:
        return _figure("percent", text, start, end, reading, approximate, "percent", _join(*notes))
    if m["agehy"] or m["old"] or m["aged"]:
        unit = _DURATIONS[lang][_norm(m["dur"])] if m["dur"] else "year"
        return _figure("age", text, start, end, reading, approximate, unit, _join(*notes))
    if m["dur"]:
        return _figure("duration", text, start, end, reading, approximate, _DURATIONS[lang][_norm(m["dur"])],
                       _join(*notes))
    return _figure("number", text, start, end, reading, approximate, None, _join(*notes))


def _misc(m: re.Match[str], text: str, lang: str) -> _Candidate | None:
    kind = m.lastgroup
    if kind == "agename" or kind == "ageparen":  # "Danny Manupassa, 36," / "Danny M. (36)"
        start, end = m.span()
        name = _NAME_BEFORE.search(text, max(0, start - 60), start)
        age = int(m[0])
        if (name is None or not name[1][0].isupper() or name[1] in _NAME_STOP or not 1 <= age <= 120
                or (kind == "agename" and not re.match(r",\s", text[end:end + 2]))):
            return None
        return _figure("age", text, start, end, _Reading(float(age), float(age), float(age), None), False,
                       "year", None)
    if kind == "ordc":
        word = m["ordw"].lower()
        count = _ORDINALS[lang].get(word) or int(re.match(r"\d+", word)[0])  # type: ignore[index]
        note = f"ordinal '{m['ordw']}' counts occurrences: read as {count}"
        return _figure("number", text, *m.span(), _Reading(float(count), float(count), float(count), None),
                       False, None, note)
    if kind == "phone0" and sum(c.isdigit() for c in m[0]) < 9:
        return None  # "01-04-2016" is a date; a Dutch phone number has ten digits
    return _Candidate(*m.span(), "skip", None)


# ---------------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------------------


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")


def detect(text: str, lang: str, published: str | None = None) -> list[Detection]:
    """All figures and dates in `text`, in text order and non-overlapping: the longest, most specific reading
    wins ("1,500 euros" is one money detection). `lang` is "en" or "nl"; `published` is the article's
    publication date as reduced-precision ISO 8601 ("2016-04-22", "2017-03", "2016") or None."""
    _check_lang(lang)
    anchors = _anchors(published)
    tokens = [(m.start(), m[0].lower()) for m in _TOKEN.finditer(text)]
    quantities, dates, misc = _SCANNERS[lang]
    candidates: list[_Candidate] = []
    for m in quantities.matches(text, tokens):
        if (cand := _quantity(m, text, lang)) is not None:
            candidates.append(cand)
    for m in dates.matches(text, tokens):
        candidates.extend(_dates(m, text, lang, anchors, published))
    for m in misc.matches(text, tokens):
        if (cand := _misc(m, text, lang)) is not None:
            candidates.append(cand)
    return _select(candidates, len(text))


_STOPWORDS = {
    "en": frozenset({"the", "of", "and", "to", "a", "in", "is", "was", "were", "that", "for", "on", "with",
                     "said", "by", "as", "at", "from", "it", "he", "they", "has", "have", "been", "which"}),
    "nl": frozenset({"de", "het", "een", "en", "van", "is", "in", "dat", "op", "te", "zijn", "werd", "met",
                     "voor", "niet", "die", "er", "ook", "door", "bij", "naar", "om", "heeft", "hebben"}),
}


def detect_language(text: str) -> str:
    """'en' or 'nl', by counting common function words (ties go to English)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    en = sum(w in _STOPWORDS["en"] for w in words)
    nl = sum(w in _STOPWORDS["nl"] for w in words)
    return "nl" if nl > en else "en"
