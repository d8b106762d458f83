"""Reading digit strings and spelled numbers: separators, scales, vague counts."""

from __future__ import annotations

import re
from typing import NamedTuple

from dataset.detect.lexicon import (
    _ABOUT_TENS,
    _EN_WORDS,
    _GLUED_SCALES,
    _NL_TENS,
    _NL_UNITS,
    _NL_WORDS,
    _SCALES,
    _VAGUE,
    _check_lang,
)
from dataset.detect.patterns import _MARKS, _WS, quantity_pattern

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
    approx: bool = False  # the words themselves are approximate ("een tiental")


def _norm(words: str) -> str:
    return _WS.sub(" ", words.lower()).replace("\u2019", "'")


def _scale_of(lang: str, *words: str | None) -> int:
    factor = 1
    for word in words:
        if word:
            key = _norm(word)
            factor *= _SCALES[lang].get(key) or _GLUED_SCALES[key]
    return factor


def _read_core(core: str, scale: int, has_scale: bool, lang: str, counted: bool = False) -> _Reading | None:
    """Value (or vague range) of one figure: digits, spelled words, a vague count or an article + scale."""
    if core[0].isdigit():
        digits = _parse_digits(core, lang, has_scale)
        if digits is None:
            return None
        value = digits.mantissa * scale / 10**digits.decimals
        return _Reading(value, value, value, digits.note)
    key = _norm(core).replace("eén", "één")
    if key.replace("-", " ") in _VAGUE[lang]:
        low, above = _VAGUE[lang][key.replace("-", " ")]
        if above is None:
            return _Reading(None, float(low * scale), None,
                            f"'{core}' is a vague count: at least {low * scale:,}, no upper bound, no point value")
        return _Reading(None, float(low * scale), float(above * scale - 1),
                        f"'{core}' is a vague count: read as {low * scale:,} to {above * scale - 1:,}, "
                        "no point value")
    words = key.split()
    if words[-1] in _ABOUT_TENS:  # "een tiental": about ten
        value = float(_ABOUT_TENS[words[-1]] * scale)
        return _Reading(value, value, value, f"'{core}' means about {_ABOUT_TENS[words[-1]]}", True)
    if "half" in words:  # "half a million", "een half jaar"
        return _Reading(0.5 * scale, 0.5 * scale, 0.5 * scale, None)
    if key.endswith(("halve", "half")):  # "anderhalve", "vijfenhalve", "tweeënhalf"
        whole = 1 if key.startswith("anderhal") else _NL_UNITS[key.replace("ë", "e").rsplit("enhal", 1)[0]]
        value = (whole + 0.5) * scale
        return _Reading(value, value, value, None)
    if not (has_scale or counted) and key in ("a", "an", "een"):
        return None
    number = 1 if key in ("a", "an", "een") else _spelled_value(key, lang)
    value = float(number * scale)
    return _Reading(value, value, value, None)


def parse_number(surface: str, lang: str) -> tuple[float, str | None]:
    """Value of a digit string or spelled number with an optional scale word, and a note when its separator
    reading was ambiguous ("3,6 miljoen" -> 3600000.0 in Dutch; "1,500" -> 1500.0 in English, noted).
    Raises ValueError for anything else (ranges, vague counts, identifiers)."""
    _check_lang(lang)
    match = quantity_pattern(lang).fullmatch(surface.strip())
    extras = ("hedge", "aged", "between", "pre", "core2", "cur", "pct", "pctw", "agehy", "dur", "mu", "mg", "rate")
    if match is None or any(match[g] for g in extras):
        raise ValueError(f"not a single number: {surface!r}")
    scale_words = (match["s1"], match["s2"])
    reading = _read_core(match["core"], _scale_of(lang, *scale_words), any(scale_words), lang)
    if reading is None or reading.value is None:
        raise ValueError(f"not a single number: {surface!r}")
    return reading.value, reading.note
