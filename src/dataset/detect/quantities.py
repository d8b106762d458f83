"""Candidates from the quantity and miscellaneous patterns: figures with their kind, unit and bounds, and
spans that are not figures."""

from __future__ import annotations

import re

from dataset.detect.lexicon import (
    _ASSUMED_USD,
    _CURRENCY_POST,
    _CURRENCY_PRE,
    _DURATION_CUES,
    _DURATIONS,
    _HEDGES,
    _NAME_STOP,
    _ORDINALS,
    LOWER,
    UPPER,
)
from dataset.detect.model import _Candidate, _figure, _join, _next_word, _prev_word
from dataset.detect.numbers import _norm, _read_core, _Reading, _scale_of
from dataset.detect.patterns import _NAME_BEFORE, _OF


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
