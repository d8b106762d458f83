"""The regular expressions (compiled once per language) and the token scanners that run them only where a
match can start."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import NamedTuple

from dataset.detect.lexicon import (
    _ABOUT_TENS,
    _AGO,
    _BETWEEN,
    _CURRENCY_POST,
    _CURRENCY_PRE,
    _CYCLE_MODS,
    _DAY_PARTS,
    _DAY_WORDS,
    _DECADE_WORDS,
    _DURATIONS,
    _EN_TEENS,
    _EN_TENS,
    _EN_UNITS,
    _EN_WORDS,
    _FEW,
    _FRACTIONS,
    _GLUED_SCALES,
    _HEDGES,
    _MEASURES,
    _MONTH_ABBR,
    _MONTHS,
    _NL_TEENS,
    _NL_TENS,
    _NL_UNITS,
    _NL_WORDS,
    _ORDINALS,
    _PART_OF,
    _PERIOD_MODS,
    _PERIODS,
    _PLURAL_UNITS,
    _RANKS,
    _RATE_FOR,
    _RATE_PERIODS,
    _RATE_SPAN_UNITS,
    _RATE_WORDS,
    _REL_YEARS,
    _SCALES,
    _SEASONS,
    _SPAN_MODS,
    _VAGUE,
    _WEEKDAY_MODS,
    _WEEKDAYS,
    LANGS,
)

# Not right after a word character or anything that glues digits into URLs, ids, times or versions.
_DIGIT_START = r"(?<![\w.,:/+~=&?%@#\-'\u2019])"
_CLOCK_PREPS = ("om", "rond", "vanaf", "tot", "omstreeks", "tussen")
_NUMERIC = r"\d+(?:[.,]\d+)*"


def _alt(words: Iterable[str], dotted: bool = False, hyphens: bool = False) -> str:
    """Alternation of literal words, longest first (Python takes the first alternative that matches);
    `hyphens` lets a hyphen stand for a space ("tens-of-millions")."""
    parts = []
    space = r"(?:\s+|-)" if hyphens else r"\s+"
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        part = re.escape(word).replace(r"\ ", space).replace("'", "['\u2019]")
        parts.append(part + (r"\.?" if dotted else ""))
    return "(?:" + "|".join(parts) + ")"


def _spelled_pattern(lang: str) -> str:
    if lang == "en":
        units, teens, tens = _alt(_EN_UNITS), _alt(_EN_TEENS), _alt(_EN_TENS)
        below100 = rf"(?:{tens}(?:-{units})?|{teens}|{units})"
        return rf"(?:{units}\s+hundred(?:\s+(?:and\s+)?{below100})?|{below100})"
    units_any = _alt([*_NL_UNITS, "één", "eén"])
    units = _alt([*(u for u in _NL_UNITS if u != "een"), "één", "eén"])
    teens, tens = _alt(_NL_TEENS), _alt(_NL_TENS)
    below100_in = rf"(?:(?:{units_any}(?:en|ën))?{tens}|{teens}|{units_any})"
    below100 = rf"(?:(?:{units_any}(?:en|ën))?{tens}|{teens}|{units})"
    below1000_in = rf"(?:{units_any}?honderd{below100_in}?|{below100_in})"
    below1000 = rf"(?:{units_any}?honderd{below100_in}?|{below100})"
    halves = rf"(?:anderhal(?:ve|f)|{units_any}(?:en|ën)hal(?:ve|f))"  # "anderhalve", "vijfenhalve", "tweeënhalf"
    return rf"(?:{halves}|{below1000_in}?duizend{below1000_in}?|{below1000})"


def _quantity_regex(lang: str) -> re.Pattern[str]:
    spelled = _spelled_pattern(lang)
    scales = _alt(_SCALES[lang])
    curpre = _alt(_CURRENCY_PRE)
    articles = _alt(["a", "an", "one"] if lang == "en" else ["een", "één", "eén"])
    measures = _alt(_MEASURES[lang])
    durations = _alt(_DURATIONS[lang])
    half = r"(?:a\s+)?half(?:\s+an?)?" if lang == "en" else r"(?:een\s+)?half"
    about_tens = rf"|(?:een\s+)?{_alt(_ABOUT_TENS)}" if lang == "nl" else ""
    and_half = r"\s+and\s+a\s+half" if lang == "en" else r"\s+en\s+een\s+half"
    rate = rf"(?:\s+|-)(?P<rate>(?:{_alt(_RATE_WORDS[lang])})[\s-]+(?P<rate_p>{_alt(_RATE_PERIODS[lang])}))(?!\w)"
    # money only (the conditionals): "£1,500 for six months", "€900 for a six-month licence"
    span_units = _alt(w for w, u in _DURATIONS[lang].items() if u in _RATE_SPAN_UNITS)
    small = _alt(_EN_WORDS if lang == "en" else [*_NL_WORDS, "één"])
    rate_for = (rf"\s+(?P<ratefor>(?:{_alt(_RATE_FOR[lang])})\s+(?:(?:a|an|een)\s+)?(?P<rate_n>\d{{1,3}}|{small})"
                rf"(?:\s+|-)(?P<rate_u>{span_units}))(?![\w-])")
    rate = rf"(?:{rate}|(?(pre)|(?(cur)|(?!))){rate_for})"
    pct_words = _alt(["percent", "per cent", "pct"] if lang == "en" else ["procent", "pct"])
    age_suffix = r"-year-olds?" if lang == "en" else r"-jarigen?|-jarig"
    old = r"\s+old" if lang == "en" else r"\s+oud"
    aged = r"(?:(?P<hedge>{h})\s+|(?P<aged>aged)\s+)?" if lang == "en" \
        else r"(?:(?P<hedge>{h})\s+)?(?P<aged>)"
    glued = _alt(_GLUED_SCALES)
    pattern = rf"""(?:(?<=-of-)|{_DIGIT_START})
        {aged.format(h=_alt(_HEDGES[lang]))}
        (?:(?P<between>{_alt(_BETWEEN[lang])})\s+)?
        (?:(?P<pre>{curpre})\s?)?
        (?P<core>{_alt(_VAGUE[lang], hyphens=True)}|{_NUMERIC}|{spelled}{about_tens}
           |{half}(?=\s+(?:{scales}|{durations}|{measures})(?!\w))
           |{articles}(?=\s+(?:{scales}|{durations}|{measures})(?!\w)))
        (?P<andhalf>{and_half}(?!\w))?
        (?:(?:\s*|-)(?P<s1>{scales})(?!\w)(?:\s+(?P<s2>{scales})(?!\w))?)?
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
          |(?:\s+|-)(?P<dur>{durations})(?P<old>{old})?(?!\w)
          |(?:\s*|-)(?P<mu>{measures})(?!\w)
          |(?P<mg>(?-i:[tg]))(?!\w))?
        (?:{rate})?
        (?![\w@/]|[.,:]\d)"""
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


def _date_regex(lang: str) -> re.Pattern[str]:
    en = lang == "en"
    months = _alt(_MONTHS[lang])
    months_any = rf"(?:{_alt(_MONTH_ABBR[lang], dotted=True)}|{months})"
    weekday = _alt(_WEEKDAYS[lang])
    # English parts of the day stand apart ("Monday morning"), Dutch ones are glued ("maandagochtend")
    wd_suffix = rf"(?:\s+{_alt(_DAY_PARTS['en'])})?" if en else rf"{_alt(_DAY_PARTS['nl'])}?"
    ci = "(?i:{})" if en else "{}"  # English names are case-sensitive ("May", "March"), their modifiers not
    year = r"(?:19|20)\d\d"
    end = r"(?![\w]|[.,:/\-]\d)"
    small = _alt([*_EN_WORDS, "a", "an"]) if en else _alt([*_NL_WORDS, "één"])
    wd_pre = rf"(?:{weekday}{wd_suffix},?\s+)?"  # "Friday, April 22, 2016", "dinsdagochtend 9 maart 2021"
    month_day = (rf"|(?P<md>(?<!\w){wd_pre}(?P<md_m>{months_any})\s+(?P<md_d>[0-3]?\d)"
                 rf"(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<md_y>{year}))?{end})" if en else "")
    cycle = ci.format(_alt(_CYCLE_MODS[lang]))
    seasons = ci.format(_alt(_SEASONS[lang]))
    plural = ci.format(_alt(_PLURAL_UNITS[lang]))
    of = r"(?:\s+of)?" if en else r"(?:\s+van)?"
    day_part = ci.format(rf"(?:\s+{_alt(_DAY_PARTS['en'])})?") if en else ""  # "yesterday afternoon"
    if en:
        decade = rf"""(?P<dec>(?<![\w'\u2019])(?P<dec_y>(?:19|20)\d0)s(?!\w)|(?<=['\u2019])(?P<dec_2>\d0)s(?!\w)
            |(?<!\w)(?P<dec_w>(?i:{_alt(_DECADE_WORDS['en'])}))(?!\w))"""
    else:
        decade = rf"""(?P<dec>(?<!\w)jaren\s+(?:(?P<dec_w>{_alt(_DECADE_WORDS['nl'])})|['\u2019]?(?P<dec_2>\d0)
            |(?P<dec_y>(?:19|20)\d0))(?!\w))"""
    ranges = _range_patterns(lang, months, months_any, year, end)
    pattern = rf"""
         {ranges}
        |(?P<iso>{_DIGIT_START}(?P<iso_y>{year})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d){end})
        |(?P<num>{_DIGIT_START}(?P<n_a>\d{{1,2}})(?P<n_sep>[-/.])(?P<n_b>\d{{1,2}})(?P=n_sep)(?P<n_y>{year}){end})
        |(?P<dm>(?:(?<!\w){wd_pre})?{_DIGIT_START}(?P<dm_d>[0-3]?\d)(?:st|nd|rd|th|ste|de|e)?\s+
            (?:of\s+)?(?P<dm_m>{months_any})(?!\w)(?:,?\s+(?P<dm_y>{year}))?{end})
        {month_day}
        |(?P<my>(?<!\w)(?P<my_m>{months}),?\s+(?P<my_y>{year}){end})
        |(?P<ago>{_DIGIT_START}(?P<ago_n>\d{{1,3}}|{ci.format(small)})\s+
            (?P<ago_u>{ci.format(_alt(_DURATIONS[lang]))})\s+{ci.format(_alt(_AGO[lang]))}(?!\w))
        |(?P<few>(?<!\w)(?:(?P<few_q>{ci.format(_alt(_FEW[lang]))})\s+)?(?P<few_u>{plural})\s+
            {ci.format(_alt(_AGO[lang]))}(?!\w))
        |(?P<span>(?<!\w)(?P<span_m>{ci.format(_alt(_SPAN_MODS[lang]))})\s+(?P<span_u>{plural})(?!\w))
        |(?P<sea>(?<!\w)(?:(?P<smod>{cycle})\s+)?(?P<sea_n>{seasons})
            (?:{of}\s+(?P<sea_y>{year})(?:\s?[/\-\u2013]\s?(?P<sea_y2>{year}|\d\d))?)?(?![\w\-]))
        |(?P<cm>(?<!\w)(?P<cmod>{cycle})\s+(?P<cm_m>{months})(?!\w))
        |(?P<wd>(?<!\w)(?:(?P<wmod>{ci.format(_alt(_WEEKDAY_MODS[lang]))})\s+)?(?P<wd_n>{weekday}){wd_suffix}(?!\w))
        |(?P<dayw>(?<!\w)(?P<dayw_w>{ci.format(_alt(_DAY_WORDS[lang]))})
            {day_part}(?!\w))
        |(?P<per>(?<!\w)(?P<pmod>{ci.format(_alt(_PERIOD_MODS[lang]))})\s+(?P<per_u>{ci.format(_alt(_PERIODS[lang]))})
            (?!\w))
        |{decade}
        |(?P<yr>(?:(?<=mid-)|{_DIGIT_START})(?P<y1>{year})(?:\s?[-\u2013]\s?(?P<y2>{year}|\d\d))?(?!\s?%){end})
        |(?P<mo>(?<!\w){months}(?!\w))"""
    return re.compile(pattern, re.VERBOSE | (0 if en else re.IGNORECASE))


def _range_patterns(lang: str, months: str, months_any: str, year: str, end: str) -> str:
    """Ranges of dates, one span each (tried before the single dates they contain): days of one month ("between
    1 and 3 June", "1-3 June 2021", "June 1-3", "tussen 12 en 14 april"), day to day ("3 March to 5 April
    2022", "between March 3 and April 5, 2022"), month to month ("March to May 2023", "March-May 2023",
    "van maart tot mei 2023") and year to year after "from", "between", "van", "tussen" ("from 2019 until
    2021", "van 2019 tot en met 2021"; "2019-2021" is the year pattern's). "and"/"en" joins the ends only
    after "between"/"tussen" ("raids on 1 and 3 June" are two days); a preposition before the range is not
    part of it, "between" is (it makes the range)."""
    en = lang == "en"
    between = "[Bb]etween" if en else "tussen"
    dash = r"\s*[-\u2013]\s*"
    words = r"to|until|till|through|thru" if en else r"tot\s+en\s+met|t/m|tot"
    both = "and" if en else "en"
    ordinal = r"(?:st|nd|rd|th)?" if en else r"(?:ste|de|e)?"
    day = rf"[0-3]?\d{ordinal}(?!\d)"
    of = r"(?:of\s+)?" if en else ""
    from_word = r"(?<=[Ff]rom\s)" if en else r"(?<=van\s)"

    def conn(i: int) -> str:
        return rf"(?(rb{i})\s+{both}\s+|(?:{dash}|\s+(?:{words})\s+))"

    def lead(i: int) -> str:
        return rf"(?:(?P<rb{i}>{between})\s+)?"

    alts = [
        rf"(?P<rdd>{lead(1)}{_DIGIT_START}(?P<rdd_d1>{day}){conn(1)}(?P<rdd_d2>{day})\s+{of}(?P<rdd_m>{months_any})"
        rf"(?!\w)(?:,?\s+(?P<rdd_y>{year}))?{end})",
        rf"(?P<rdm>{lead(2)}{_DIGIT_START}(?P<rdm_d1>{day})\s+{of}(?P<rdm_m1>{months_any})(?!\w)"
        rf"(?:,?\s+(?P<rdm_y1>{year}))?{conn(2)}(?P<rdm_d2>{day})\s+{of}(?P<rdm_m2>{months_any})(?!\w)"
        rf"(?:,?\s+(?P<rdm_y2>{year}))?{end})",
        rf"(?P<rmm>{lead(3)}(?<!\w)(?P<rmm_m1>{months})(?:,?\s+(?P<rmm_y1>{year}))?{conn(3)}(?P<rmm_m2>{months}),?\s+"
        rf"(?P<rmm_y2>{year}){end})",
        rf"(?P<ryy>(?:(?P<rb4>{between})\s+|{from_word}){_DIGIT_START}(?P<ryy_y1>{year}){conn(4)}(?P<ryy_y2>{year})"
        rf"(?!\s?%){end})",
    ]
    if en:
        # "June 1-3", "between June 1 and 3", "June 1 to 3, 2021" ("In March 10 to 20 people": no year, no range)
        alts.append(
            rf"(?P<rmd>{lead(5)}(?<!\w)(?P<rmd_m>{months_any})\s+(?P<rmd_d1>{day})"
            rf"(?(rb5)\s+and\s+|(?:[-\u2013]|\s+(?:{words})\s+(?={day},?\s+{year})))(?P<rmd_d2>{day})"
            rf"(?:,?\s+(?P<rmd_y>{year}))?{end})")
        alts.append(
            rf"(?P<rmdd>{lead(6)}(?<!\w)(?P<rmdd_m1>{months_any})\s+(?P<rmdd_d1>{day})(?:,?\s+(?P<rmdd_y1>{year}))?"
            rf"{conn(6)}(?P<rmdd_m2>{months_any})\s+(?P<rmdd_d2>{day})(?:,?\s+(?P<rmdd_y2>{year}))?{end})")
    return "\n        |".join(alts)


def _part_regex(lang: str) -> re.Pattern[str]:
    """A part-of-period modifier right before a date ("early 2021", "mid-October", "eind vorig jaar",
    "halfweg de jaren negentig"), matched at the end of the text before the date."""
    article = r"(?:the|de|het)\s+"
    return re.compile(rf"(?<![\w\-])(?P<part>{_alt(_PART_OF[lang])})(?:\s+|-)(?:{article})?\Z", re.IGNORECASE)


def _rel_year_regex(lang: str) -> re.Pattern[str]:
    """A year relative to publication after a month or a day ("March last year", "22 maart vorig jaar")."""
    of = r"(?:of\s+)?" if lang == "en" else r"(?:van\s+)?"
    return re.compile(rf"\s+{of}(?P<rel>{_alt(_REL_YEARS[lang])})(?!\w)", re.IGNORECASE)


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
        |(?P<agename>(?:(?<=[^\W\d_],\s)|(?<=[^\W\d_]\.,\s))\d{{1,3}}(?=,\s))
        |(?P<ageparen>(?:(?<=[^\W\d_]\s\()|(?<=[^\W\d_]\.\s\())\d{{1,3}}(?=\)))
        |(?P<ordc>(?<!\w){counted.format(o=ordinals)})"""
    return re.compile(pattern, re.VERBOSE)


def _words_regex(lang: str) -> re.Pattern[str]:
    """Ordinals ("the second", "3rd", "eerste", "21ste"), fractions ("half of them", "two-thirds", "een derde
    van", "de helft") and ratios ("one in five", "een op de tien")."""
    hedges = _alt(_HEDGES[lang])
    ranks = _alt(_RANKS[lang])
    if lang == "en":
        small = _alt([*_EN_WORDS, "a", "an"])
        ratio = rf"(?:one|1)\s+in\s+(?P<rden>\d{{1,3}}|{small})"
        fnum = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|\d)(?:\s+|-)"
        rank = rf"{ranks}|\d{{1,3}}(?:st|nd|rd|th)"
        tail = r"(?![\w-])"
        # a rank before a hyphenated superlative ("the second-largest", "third-biggest"); not "second-hand"
        superlative = rf"|(?P<ranksup>{rank})(?=-(?i:[a-z]+est|best|worst|most|least)(?![\w-]))"
    else:
        small = _alt([*_NL_WORDS, "één", "eén"])
        ratio = rf"(?:een|één|eén|1)\s+op\s+(?:de\s+)?(?P<rden>\d{{1,3}}|{small})"
        fnum = r"(?:de|een|één|eén|twee|drie|vier|vijf|\d)\s+"
        rank = rf"{ranks}|\d{{1,3}}(?:ste|de|e)"
        tail = r"(?!\w)"
        superlative = ""
    pattern = rf"""(?<![\w\-])(?:
         (?P<ratio>{ratio}){tail}
        |(?P<frac>(?:(?P<fh>{hedges})\s+)?(?:(?P<fnum>{fnum}))?(?P<fden>{_alt(_FRACTIONS[lang])}|driekwart)){tail}
        |(?P<rank>{rank}){tail}{superlative})"""
    return re.compile(pattern, re.VERBOSE | re.IGNORECASE)


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
    return set(), (*_NL_WORDS, "één", "eén", "honderd", "duizend", "anderhal", *_ABOUT_TENS)


def _scanners(lang: str) -> tuple[_Scanner, _Scanner, _Scanner, _Scanner]:
    words, stems = _number_words(lang)
    starts = [*_HEDGES[lang], *_BETWEEN[lang], *_CURRENCY_PRE, *_VAGUE[lang], "aged", "a", "an", "een", "één",
              "eén", "half"]
    quantity = _first_tokens(starts) | words
    weekday_stems = tuple(w.lower() for w in _WEEKDAYS[lang]) if lang == "nl" else ()
    dates = _first_tokens(["between", "tussen", *_MONTHS[lang], *_MONTH_ABBR[lang], *_WEEKDAYS[lang],
                           *_WEEKDAY_MODS[lang],
                           *_DAY_WORDS[lang], *_PERIOD_MODS[lang], *_FEW[lang], *_PLURAL_UNITS[lang],
                           *_SPAN_MODS[lang], *_SEASONS[lang], *_CYCLE_MODS[lang], *_DECADE_WORDS["en"],
                           "jaren", "a", "an", "een", "één"]) | words
    misc = {*_CLOCK_PREPS, "for", "voor", "+"}
    return (_Scanner(_quantity_regex(lang), frozenset(quantity), stems),
            _Scanner(_date_regex(lang), frozenset(dates), stems + weekday_stems),
            _Scanner(_misc_regex(lang), frozenset(misc)),
            _Scanner(_words_regex(lang), frozenset(_first_tokens([*_HEDGES[lang], *_RANKS[lang], *_FRACTIONS[lang],
                                                                  "driekwart", "de", "one", "een", "één", "eén",
                                                                  "a", "an"]) | words), stems))


@functools.cache
def scanners(lang: str) -> tuple[_Scanner, _Scanner, _Scanner, _Scanner]:
    """The quantity, date, misc and word scanners of `lang`, compiled at their first use, not on import: a build
    whose detections all come from its cache unpickles `Detection`s (importing this module) and detects
    nothing, and the four patterns of two languages take ~40 ms to compile."""
    return _scanners(lang)


def quantity_pattern(lang: str) -> re.Pattern[str]:
    """The pattern of one quantity in `lang` (the first scanner's), for `parse_number`."""
    return scanners(lang)[0].pattern
_PART_BEFORE = {lang: _part_regex(lang) for lang in LANGS}
_REL_YEAR_AFTER = {lang: _rel_year_regex(lang) for lang in LANGS}
# "the defendant, 38," / "De verdachte (34)" / "een man (45)": a determiner, at most one adjective, a noun.
_NOUN_BEFORE = re.compile(r"(?<![\w'\u2019\-])(?i:the|a|an|his|her|their|its|our|de|het|een|zijn|haar|hun)\s+"
                          r"(?:[^\W\d_]+\s+)?(?P<noun>[^\W\d_]{3,})(?:,\s|\s\()\Z")
_NAME_BEFORE = re.compile(r"(?<![\w'\u2019\-])([^\W\d_][\w'\u2019\-]*)\.?(?:,\s|\s\()\Z")
_PREV_WORD = re.compile(r"([^\W\d_]+)['\u2019]?[\s\-]*\Z")
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WS = re.compile(r"\s+")
_MARKS = re.compile(r"[.,]")
_OF = re.compile(r"\s+of\b")
