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
    _FRACTIONS,
    _GLUED_MEASURES,
    _HEDGES,
    _MEASURES,
    _NAME_STOP,
    _NOT_BEFORE_BARE,
    _ORDINALS,
    _RANK_BEFORE,
    _RANKS,
    _RATE_PERIODS,
    _SUBSTANCES,
    _TON_EUR,
    _VAGUE_BARE,
    LOWER,
    UPPER,
)
from dataset.detect.model import _Candidate, _figure, _join, _next_word, _prev_word
from dataset.detect.numbers import _norm, _read_core, _Reading, _scale_of, _spelled_value
from dataset.detect.patterns import _NAME_BEFORE, _NOUN_BEFORE, _OF


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
    reading = _read_core(core, scale1 * shared, has_scale1 or shared > 1, lang, bool(m["dur"] or m["mu"]))
    if reading is None:
        return None
    if m["andhalf"] and reading.value is not None:  # "eight and a half years"
        plus = reading.value + 0.5 * scale1
        reading = _Reading(plus, plus, plus, reading.note)
    money = bool(m["pre"] or m["cur"])
    if m["rate"] and not money:
        end = m.start("rate")  # only money has a rate ("£2,400 a year"); "10 years a day" is not one
    key = _norm(core)
    unit_word = m["cur"] or m["pct"] or m["pctw"] or m["agehy"] or m["dur"] or m["mu"] or m["mg"]
    hedge = _HEDGES[lang][_norm(m["hedge"])] if m["hedge"] and start == m.start() else None
    during = None
    if hedge and lang == "en" and _norm(m["hedge"]) == "over" and m["dur"] and _over_means_during(text, m):
        start, hedge = m.start("core"), None  # "messages over four months": during, not more than
        during = f"'over' before '{text[start:end]}' read as 'during', not as a lower bound"
    after = _next_word(text, end) or ""
    if lang == "nl" and key == "acht" and after.lower() in (
            "nemen", "neemt", "genomen", "nam", "namen", "slaan", "slaat", "geslagen", "sloeg"):
        return None  # "in acht nemen": to take into account
    if key in _VAGUE_BARE[lang] and _prev_word(text, m.start("core")) in _NOT_BEFORE_BARE[lang]:
        return None  # "the scores of the teams", "een enkele keer", "de verschillende diensten": no count
    if _not_a_quantity(text, start, m.end("core"), core, bool(unit_word)):
        return None
    if key in ("a", "an", "een", "één", "eén", "one") and m["dur"] and not has_scale1:
        if not _one_unit_counts(text, m, lang, hedge is not None):
            return None
    elif key == "one" and not has_scale1 and not _one_counts(text, start, end):
        return None  # "one of the", "no one", "the one": a pronoun, not a count
    notes = [reading.note, during]
    approximate = reading.value is None or reading.approx
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
    if money:
        word = _norm(m["pre"] or m["cur"])
        currency = _CURRENCY_PRE.get(word) or _CURRENCY_POST[lang][word]
        if word in _ASSUMED_USD:
            notes.append(f"'{m['pre'] or m['cur']}' read as US dollars")
        per = _RATE_PERIODS[lang][_norm(m["rate_p"])] if m["rate"] else _rate_span(m, lang)
        return _figure("money", text, start, end, reading, approximate, currency, _join(*notes), per)
    if m["mu"] or m["mg"]:
        measure = _MEASURES[lang].get(_norm(m["mu"] or "")) or _GLUED_MEASURES[m["mg"]]
        if lang == "nl" and measure[1] == "t" and not core[0].isdigit() and after.lower() not in _SUBSTANCES:
            # "bijna een ton verdiend": colloquial for 100,000 euros
            factor = _TON_EUR
            scaled = _Reading(*(None if v is None else v * factor for v in (value, low, high)), None)
            notes.append(f"'{m['mu']}' without a substance after it read as {factor:,} euros (colloquial)")
            return _figure("money", text, start, end, scaled, approximate, "EUR", _join(*notes))
        return _figure(measure[0], text, start, end, reading, approximate, measure[1], _join(*notes))
    if m["pct"] or m["pctw"]:
        return _figure("percent", text, start, end, reading, approximate, "percent", _join(*notes))
    if m["agehy"] or m["old"] or m["aged"]:
        unit = _DURATIONS[lang][_norm(m["dur"])] if m["dur"] else "year"
        return _figure("age", text, start, end, reading, approximate, unit, _join(*notes))
    if m["dur"]:
        return _figure("duration", text, start, end, reading, approximate, _DURATIONS[lang][_norm(m["dur"])],
                       _join(*notes))
    return _figure("number", text, start, end, reading, approximate, None, _join(*notes))


_ISO_UNIT = {"year": "Y", "month": "M", "week": "W", "day": "D"}


def _rate_span(m: re.Match[str], lang: str) -> str | None:
    """The period of "£1,500 for six months": one unit is the unit's name, as "a year" is ("€50 for one month":
    "month"); more are an ISO 8601 duration ("P6M"), as a figure's per_period is coded."""
    if not m["ratefor"]:
        return None
    word = _norm(m["rate_n"])
    count = int(word) if word.isdigit() else _spelled_value(word, lang)
    unit = _DURATIONS[lang][_norm(m["rate_u"])]
    if count is None or count < 1:
        return None
    return unit if count == 1 else f"P{count:g}{_ISO_UNIT[unit]}"


# Nouns before a number that make it a label, not a quantity ("kaai 1742", "flight KL 1742", "Courtroom 4").
_LABEL_NOUNS = frozenset({
    "flight", "vlucht", "kaai", "kade", "dok", "dock", "berth", "pier", "quay", "terminal", "gate", "room",
    "courtroom", "zaal", "rechtszaal", "nummer", "nr", "no", "zaaknummer", "parketnummer", "artikel", "article",
    "section", "paragraph", "lid", "bus", "lijn", "route", "platform", "perron", "huisnummer", "postbus",
    "hangar", "loods", "unit", "box", "cell", "page", "pagina", "code", "line"})
_LABEL_BEFORE = re.compile(r"([^\W\d_]+)\.?\s+(?:[A-Z]{1,3}\s+)?\Z")
# The second number of a labelled range or list: "Article 7 to 9", "Sections 2 and 3", "artikel 7 tot en met 9".
_LABEL_RANGE_BEFORE = re.compile(r"([^\W\d_]+)\.?\s+\d{1,4}[a-z]?\s*"
                                 r"(?:,|[-\u2013/]|(?:to|and|or|through|tot\s+en\s+met|t/m|tot|en|of)\s)\s*\Z")
_CLOCK_AFTER = re.compile(r"\s?(?:GMT|UTC|CET|CEST|BST|EST|EDT|PST|ET|uur|u\.)(?!\w)")
_CLOCK_CORE = re.compile(r"(?:[01]?\d|2[0-3])[.:][0-5]\d|(?:[01]\d|2[0-3])[0-5]\d")


def _not_a_quantity(text: str, start: int, end: int, core: str, has_unit: bool) -> bool:
    """A clock time before a time zone or "uur" ("22.40 GMT", "0600 GMT", "14.30 uur"), or a number labelled
    by a noun ("kaai 1742")."""
    if _CLOCK_CORE.fullmatch(core) and _CLOCK_AFTER.match(text, end):
        return True
    if has_unit:
        return False
    if not core[0].isdigit():
        return False
    return any(label is not None and _label_noun(label[1].lower())
               for label in (_LABEL_BEFORE.search(text, max(0, start - 40), start),
                             _LABEL_RANGE_BEFORE.search(text, max(0, start - 50), start)))


def _label_noun(word: str) -> bool:
    """A label noun, also in the plural ("Articles 7 to 9", "artikelen 3 en 4")."""
    return (word in _LABEL_NOUNS or (word.endswith("s") and word[:-1] in _LABEL_NOUNS)
            or (word.endswith("en") and word[:-2] in _LABEL_NOUNS))


# Words before English "over" + duration that make it "more than" ("for over two years", "faces over 20 years");
# elsewhere "over four months" is "during" ("intercepted messages over four months").
_OVER_BOUND_AFTER = frozenset({
    "for", "of", "to", "after", "in", "within", "than", "by", "since", "a", "an", "just", "well", "serve", "serves",
    "served", "serving", "face", "faces", "facing", "faced", "spent", "spend", "spends", "spending", "lasted",
    "lasting", "lasts", "last", "took", "take", "takes", "taking", "get", "gets", "got", "jailed", "sentenced",
    "sentence", "sentences", "term", "terms", "is", "was", "were", "are", "be", "been", "aged", "spanned", "spans",
    "span", "spanning", "stretched", "stretching"})
_OVER_BOUND_BEFORE = re.compile(r"\s+(?:ago|old|in\s+(?:prison|jail|custody)|behind\s+bars|of\s+age)\b",
                                re.IGNORECASE)


def _over_means_during(text: str, m: re.Match[str]) -> bool:
    return (_prev_word(text, m.start()) not in _OVER_BOUND_AFTER and m["old"] is None
            and not _OVER_BOUND_BEFORE.match(text, m.end()))


# Words before "one" that make it a pronoun ("no one", "the one", "at one point").
_ONE_NOT_AFTER = frozenset({"no", "any", "every", "each", "the", "this", "that", "which", "at", "as", "someone",
                            "anyone", "everyone", "little", "only", "last", "such", "what"})
_ONE_NOT_BEFORE = frozenset({"another", "by", "day", "point", "way", "side", "hand", "thing", "aged", "who",
                             "whose", "that", "which"})
_ONE_UNIT_AFTER = frozenset({"later", "earlier", "after", "before", "long", "on", "into", "away", "later,",
                             "eerder", "na", "voor", "lang", "nadat", "daarna", "ervoor", "geleden"})


def _one_counts(text: str, start: int, end: int) -> bool:
    """English "one" counts unless it is a pronoun or part of an idiom ("one of", "no one", "one-time")."""
    if _OF.match(text, end) or text[end:end + 1] == "-":
        return False
    after = (_next_word(text, end) or "").lower()
    return _prev_word(text, start) not in _ONE_NOT_AFTER and after not in _ONE_NOT_BEFORE


def _one_unit_counts(text: str, m: re.Match[str], lang: str, hedged: bool) -> bool:
    """"een week later", "for a year", "a day later" state one unit of time; "one day he would talk", "op een
    dag" (some day), "twice a year" do not."""
    before = _prev_word(text, m.start())
    after = (_next_word(text, m.end()) or "").lower()
    if lang == "nl":
        return before not in ("op", "per", "keer", "eens") and after != "of"
    return hedged or before in _DURATION_CUES or after in _ONE_UNIT_AFTER


def _person_noun(noun: str, lang: str) -> bool:
    """A noun that may name the person whose age follows: not a label ("artikel (3)") and not a plural ("de
    zaken (12)", "the raids, 25,"): Dutch plurals end in -en, English ones in -s (not -ss: "the boss, 45,")."""
    if noun in _LABEL_NOUNS:
        return False
    if lang == "nl":
        return not noun.endswith("en")
    return not (noun.endswith("s") and not noun.endswith("ss"))


def _misc(m: re.Match[str], text: str, lang: str) -> _Candidate | None:
    kind = m.lastgroup
    if kind == "agename" or kind == "ageparen":  # "Danny Manupassa, 36," / "Danny M. (36)"
        start, end = m.span()
        name = _NAME_BEFORE.search(text, max(0, start - 60), start)
        age = int(m[0])
        named = name is not None and name[1][0].isupper() and name[1] not in _NAME_STOP
        # a person named by a noun: "the defendant, 38,", "De verdachte (34)"; not "artikel (3)"
        noun = _NOUN_BEFORE.search(text, max(0, start - 60), start)
        by_noun = noun is not None and _person_noun(noun["noun"].lower(), lang)
        if (not (named or by_noun) or not 1 <= age <= 120
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


_FRACTION_FOLLOWERS = frozenset({"of", "less", "more", "fewer", "as", "van", "deel", "meer", "minder", "ervan",
                                 "daarvan", "hiervan"})
_SECOND_TIME = frozenset({"later", "ago", "earlier", "or", "longer"})


def _count_word(word: str, lang: str) -> int:
    key = word.lower().rstrip("-").strip()
    if key.isdigit():
        return int(key)
    if key in ("a", "an", "one", "de", "een", "één", "eén"):
        return 1
    return _spelled_value(key, lang)


def _word(m: re.Match[str], text: str, lang: str) -> _Candidate | None:
    """An ordinal (its own kind, the rank as value), a fraction or a ratio (kind "fraction", a share of 1)."""
    start, end = m.span()
    if m["ratio"]:
        share = 1 / _count_word(m["rden"], lang)
        return _figure("fraction", text, start, end, _Reading(share, share, share, None), False, None, None)
    if m["frac"]:
        den_word = m["fden"].lower()
        after = text[end:end + 1]
        follower = (_next_word(text, end) or "").lower()
        closes = follower in _FRACTION_FOLLOWERS or not after.isspace() or after == ""
        if den_word == "driekwart":
            share = 0.75
        elif den_word in ("half", "helft"):
            if den_word == "helft" and not m["fnum"]:
                return None  # "de tweede helft": a period, not a share
            if den_word == "half" and re.match(r"\s+(?:an?\s+|-)", text[end:end + 4]):
                return None  # "half a million", "half-brother"
            share = 0.5 * (_count_word(m["fnum"], lang) if m["fnum"] and lang == "en" else 1)
        elif m["fnum"] and (den_word.endswith("s") or den_word in ("quarter", "kwart") or closes):
            share = _count_word(m["fnum"], lang) / _FRACTIONS[lang][den_word]
        else:
            return _rank(text, m.start("fden"), m.end("fden"), lang, m["fnum"])
        low, high, approximate = share, share, False
        if m["fh"]:
            hedge = _HEDGES[lang][_norm(m["fh"])]
            approximate = True
            low = None if hedge == UPPER else share
            high = None if hedge == LOWER else share
        return _figure("fraction", text, start, end, _Reading(share, low, high, None), approximate, None, None)
    return _rank(text, start, end, lang, None)


# Dutch "ten eerste", "ten tweede" (firstly, secondly) order the points of an argument, as the English adverb
# "first," does: no rank of anything in the case.
_ENUMERATION_BEFORE = frozenset({"ten"})


def _rank(text: str, start: int, end: int, lang: str, article: str | None) -> _Candidate | None:
    word = text[start:end].lower()
    if word[0].isdigit():
        rank = int(re.match(r"\d+", word)[0])  # type: ignore[index]
    elif word in _RANKS[lang]:
        rank = _RANKS[lang][word]
        before = (article or _prev_word(text, start)).strip().lower()
        if lang == "en" and before not in _RANK_BEFORE:
            return None  # "police first arrested": an adverb
        if word == "second" and (_next_word(text, end) or "").lower() in _SECOND_TIME:
            return None  # "a second later"
        if lang == "nl" and _prev_word(text, start) in _ENUMERATION_BEFORE:
            return None  # "ten tweede": secondly
    else:
        return None
    return _figure("ordinal", text, start, end, _Reading(float(rank), float(rank), float(rank), None), False, None,
                   None)
