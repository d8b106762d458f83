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
* **Vague counts** are words that state a count without a numeral; they have ``value`` None, a range and
  ``approximate``, so the coverage gate requires each to be coded as a range or listed under ``not_figures``.
  Where the line is drawn: a word is a vague count when it fixes a size, an order of magnitude or a small
  band, so that a range can be coded; a quantifier that fixes no size is not ("many", "numerous",
  "countless", "most", "some", "veel", "vele", "talloze", "tal van", "ontelbare", "de meeste": they would
  only ever be dismissed, and "veel" is as often "much" or "often"). The families and their ranges:
  - plural number nouns: at least two of the named unit and fewer than the next power of ten (tientallen and
    "tens of" 20..99, honderden 200..999, duizenden 2,000..9,999, tens of thousands / tienduizenden
    20,000..99,999, and so on to billions / miljarden); "dozens" and "dozijnen" are 24..99 (two dozen up),
    "scores of" 40..99 (two score up); "scores" and "tens" count only with "of";
  - a few: "a few", "a handful", "enkele", "een paar", "een handvol" are 2..9 (as "a few weeks ago" is two
    to nine weeks); "a couple of" is 2..3;
  - several, open above: "several" and "verscheidene" are at least 3, "meerdere", "a number of", "een
    aantal", "diverse", "verschillende" at least 2, with no upper bound (nothing in the word caps them);
  - a few or several before a plural number noun keeps the noun's range ("enkele honderden", "meerdere
    tientallen" 20..99); before a scale word the scale multiplies ("a few hundred" 200..999, "een paar
    duizend" 2,000..9,999, "several thousand" at least 3,000).
  Dutch "enkele", "diverse", "verschillende" count only where no determiner or degree word comes before
  them ("een enkele keer", "de verschillende diensten", "heel verschillende zaken" are no counts).
  "between 10 and 20", "tussen 10 en 20" and "10-20" are ranges too (value None); "10 to 20" and "10 tot 20"
  are not, because "from 5 to 10 percent" more often states a change than a range.
* **Words that are not counts.** English "one" is reported only with a scale or unit ("one million",
  "one euro", "for one year") or a bound ("at least one"), never in "one of", "no one", "one day" (some
  day); Dutch "een" only before a scale word ("een miljoen"), "één" always. Ordinals rank rather than count
  and are skipped, except "for the third time" / "voor de derde keer", which counts occurrences.
* **Measures** (issue 20): mass, volume and length are their own kinds with the stated unit ("17 tonnes" is
  mass 17 "t", "8,000kg" mass 8000 "kg", "2,5 liter" volume 2.5 "l", "40ft" length 40 "ft"); the value stays in
  the stated unit. Units may be glued to the digits; single-letter symbols ("1.2t", "500g") only glued and in
  lower case ("5G" is no mass). Dutch "een ton" / "twee ton" without a substance after it is colloquial for
  100,000 euros (money, noted); "4,2 ton cocaïne" is mass.
* **Rates**: money followed by a period ("£2,400 a year", "€3,000 per month", "2000 euro per maand") keeps it
  in ``per``; only money takes a rate. A period with a count belongs to its figure too, as the codebook codes
  "£1,500 for six months" (1500 GBP, per_period P6M): "£1,500 for six months", "$2,000 per six-month
  (subscription)", "€900 for a six-month (licence)", "1500 euro voor zes maanden" are one money detection with
  ``per`` the ISO 8601 duration ("P6M"; one unit stays the unit's name: "€50 for one month" is "month"). Only
  years, months, weeks and days (per_period's units); "12 suspects for six months" keeps its duration. The
  period before the price ("a six-month subscription costs €1,500") is not joined.
* **Compounds and fractions**: "half a million" 500,000; "eight and a half years", "vijfenhalve maand",
  "tweeënhalf jaar", "anderhalve kilo" add the half; "een tiental" is about 10 (approximate). "half of them",
  "two-thirds", "a third of", "de helft", "een derde van", "driekwart", "one in five", "een op de tien" are
  kind "fraction" with a share of 1 as value; "a third suspect", "een derde verdachte" are ordinals.
* **Ordinals** are kind "ordinal" with the rank as value: digits with a suffix ("3rd", "21ste") always, Dutch
  words ("eerste", "tweede") always, English words only after a determiner ("the second raid"; "police first
  arrested" is an adverb), also before a hyphenated superlative ("the second-largest", "3rd-biggest"; not
  "second-hand", "third-party"). Dutch "ten eerste", "ten tweede" (firstly, secondly) order an argument, like
  the English adverb, and are skipped. "for the third time" / "voor de derde keer" stays a count of
  occurrences.
* **"one" and "een" with a unit**: "one in Canada" counts; "a day later", "for a year", "een week later",
  "exact een jaar later" are durations of one; "one day he would", "op een dag" (some day), "twice a year" are
  not. Durations also come in hours, minutes, seconds and decades ("48 hours", "240 uur"), and as compound
  adjectives ("a six-month inquiry", "a 14-day hold", "een 14-daagse termijn", "24-urige", "3-maands").
* **Ages**: "36-year-old", "de 36-jarige", "36 years old", "aged 36", a capitalised name followed by
  ", 36," (the wire style "Danny Manupassa, 36,", also "Ricardo K., 24,") or by "(36)" (the Dutch style "Danny
  M. (36)"), and a determiner with a singular noun ("the defendant, 38,", "his wife, 41,", "De verdachte (34)",
  "een man (45)"); not after a label noun ("artikel (3)") or a plural ("de zaken (12)", "the raids, 25,").
* **English "over" before a duration** is "during" ("intercepted messages over four months": four months,
  exact, noted) unless a word that makes it a bound comes first ("for over two years", "faces over 20 years",
  "sentenced to", "lasted", "spanned") or "in prison", "ago", "old" follows.
* **Not figures**: clock times ("02:43", "14.30 uur", "om 9 uur", "3 p.m.", "22.40 GMT", "0600 GMT"), numbers
  labelled by a noun ("kaai 1742", "flight KL 1742", "Courtroom 4", "artikel 140"), both numbers of a labelled
  range or list ("Article 7 to 9", "Sections 2 and 3", "artikel 7 tot en met 9"), phone numbers ("+31 20 123
  4567", "06-12345678"), digits glued to letters or inside URLs and identifiers ("P2000", "idUSKCN0XJ2HQ"),
  version strings ("1.2.3"), and the digits of a detected date (the date wins: one detection per span).
* **Years**: a four-digit number 1900-2099 is a year (precision "year") unless a lower-case content word
  follows it ("2000 smartphones") and no year cue (in, since, sinds, eind...) precedes it.
* **Wire datelines** ("HARTWELL, June 14 (Wire) -", "THE HAGUE, Netherlands, April 22 (Reuters) -", "April 22
  /PRNewswire/ --", "MADRID, October 3 - ", "ROTTERDAM, 3 maart (ANP) -"): the month and day before an agency
  in parentheses or slashes, or before a dash and the story, are a date (the report's), noted as a dateline;
  without a year it is the occurrence nearest the publication date like any year-less date (unresolved with
  no publication date: no year is invented). "DEN HAAG (ANP) -" states no date.
* **Ranges of dates** are one detection, precision "range", ``date`` the first day of the first end and
  ``date_end`` the last day of the last: "March to May 2023", "March-May 2023", "van maart tot mei 2023" are
  2023-03-01 to 2023-05-31; "between 1 and 3 June", "1-3 June 2021", "June 1-3", "tussen 12 en 14 april",
  "van 12 tot (en met) 14 april"; "3 March to 5 April 2022", "between March 3 and April 5, 2022"; "2019-2021",
  "2019-20", "from 2019 until 2021", "between 2019 and 2021", "van 2019 tot en met 2021" (2019-01-01 to
  2021-12-31). A year written once holds for both ends ("December to February 2021" starts in December 2020);
  with none the span is the occurrence nearest the publication date. Both ends are included ("tot" too). "and"
  / "en" make a range only after "between" / "tussen" ("raids on 3 and 5 June" are a number and a date); a
  month range needs a year ("from March to May" is not joined); "In March 10-20 people" and "In March
  10 to 20 people" are the month and counts. "between" and "tussen" are part of the surface, "from" and "van" are not.
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

* **Precision "range"** (seasons, vague relative dates, narrowed periods, decades) is a code of the
  codebook's date_precision list (data/coding/vocabularies.yaml): ``date`` and ``date_end`` are the first and
  last day, which a coder codes as a stated event with precision range, or as bounds (precision null).
  "unresolved" is the detector's alone: the coder codes its ``date`` and ``date_end`` as bounds.
* **Seasons** are meteorological (spring March-May, summer June-August, autumn/herfst/najaar
  September-November, winter December-February, running into the next year), precision "range" (``date``
  and ``date_end`` are days). "summer of 2021", "zomer van 2019", "spring 2020" state the year; "winter
  2020/21" is December 2020 to February 2021, and "winter 2020" is read the same way, with a note naming the
  other reading (the winter ending in February 2020). "last summer", "afgelopen voorjaar", "vorige zomer",
  Belgian "voorbije/verleden zomer" is the latest one ended before the publication day; "this/deze winter"
  the one running on it, else the one starting in its year; "next/komende" the first starting after it. A
  bare season after an article or preposition ("in the summer", "sinds de zomer") is the one nearest the
  publication day (noted); "fall" needs a modifier or a year ("the fall of the regime"), "the summer of
  love" is none.
* **Modified months**: "last October", "afgelopen oktober" is the latest October ended before the
  publication day (in a February 2024 article "last February" is February 2023), "this March" the one of
  the publication year, "next May" the first after it (precision "month"). A month or a day followed by a
  year relative to publication is in that year: "March last year", "maart vorig jaar", "June 3 last year",
  "3 juni dit jaar". "vorige maand" / "last month" are periods (above).
* **US month-day without a year** ("April 22") is a date after "on", "since"... or before punctuation, a
  function word ("messages April 1 and read them") or with an abbreviated month ("Feb. 4", "Jan 5");
  "In March 10 people were arrested" is the month March and the count 10, and "In March 10-20 people"
  the month and the count 10-20 (after a month cue, "in", "during"..., with a word after the numbers).
* **Vague relative dates** are precision "range": "a few / several / some weeks ago", "enkele dagen
  geleden", "een paar maanden geleden", bare "weeks ago", English "back" and Belgian "terug" for "ago" read
  the vague count as 2 to 9 whole units back (days; Monday-Sunday weeks; calendar months or years): "a few
  weeks ago" in a Thursday 24 November 2022 paper is 2022-09-19 to 2022-11-13. "in recent weeks", "the past
  few months", "de afgelopen / voorbije / laatste weken" run from 9 units back to the publication day;
  "the coming weeks", "de komende dagen" from it to 9 units on.
* **Parts of the day** belong to the day: "this morning", "vanochtend", "deze namiddag" are the publication
  day, "gisteravond", "yesterday afternoon" the day before, "Tuesday night", "dinsdagavond" the weekday's
  day; English parts after a day word or weekday are part of the surface.
* **Early, mid, late** (begin, medio, half, halfweg, halverwege, midden, eind, einde; "the end of", "het
  begin van") narrow the period after them to a third, precision "range": a year by four months ("early
  2021" January-April, "medio 2018" May-August, "late last year" September-December), a season by its
  months ("late summer" = August), a month by days 1-10, 11-20, 21 to the end ("mid-February", "eind
  augustus"), a week Monday-Tuesday, Wednesday-Thursday, Friday-Sunday ("begin volgende week"), a decade by
  0-3, 4-6, 7-9 ("halfweg de jaren negentig" 1994-1996). The modifier (with its article: "the end of",
  "het einde van", "the late 1990s") is part of the surface, a preposition before it is not ("since late
  last year" has the surface "late last year"). A narrowed relative period is resolved like the period: "eind
  vorige maand" in a March 2017 article is 2017-02-21 to 2017-02-28; where the publication date leaves it
  open it is unresolved with the outer bounds. A day stays a day ("early Tuesday").
* **A weekday beside a stated date** ("Tuesday, March 9", "dinsdagochtend 9 maart", "Monday morning, March 8")
  is one detection of that day; where the weekday does not fall on the stated date, the date wins and the
  note says so.
* **Decades**: "the 1990s", "the '90s", "the nineties" (after "the": "in his nineties" is an age), "de jaren
  negentig", "de jaren '80", "de jaren 2000" are ranges of ten years; two digits and words are the 1900s.

Why no library: Babel's ``parse_decimal`` applies one locale's convention and answers 1.5 for "1,500" in
nl_NL, so the ambiguity rules above would still be ours; dateparser's ``search_dates`` reads "36" as the year
1936 and "3,6" as 6 March, resolves "on Friday" to the Friday a week before a Friday anchor, and cannot take
a month-precision anchor at all. quantulum3 is English only and reads "3,6 miljoen" as 3 and 6 mill-joules.
(Their timings: benchmarks/README.md.) Everything here is precompiled regular expressions, a few passes over
the text, and integer arithmetic for exact values.
"""


from __future__ import annotations

import re

from dataset.detect.dates import _anchors, _dates
from dataset.detect.lexicon import _check_lang
from dataset.detect.model import Detection, _Candidate, _select
from dataset.detect.numbers import parse_number
from dataset.detect.patterns import _TOKEN, scanners
from dataset.detect.quantities import _misc, _quantity, _word

__all__ = ["Detection", "detect", "detect_language", "parse_number"]


def detect(text: str, lang: str, published: str | None = None) -> list[Detection]:
    """All figures and dates in `text`, in text order and non-overlapping: the longest, most specific reading
    wins ("1,500 euros" is one money detection). `lang` is "en" or "nl"; `published` is the article's
    publication date as reduced-precision ISO 8601 ("2016-04-22", "2017-03", "2016") or None."""
    _check_lang(lang)
    anchors = _anchors(published)
    tokens = [(m.start(), m[0].lower()) for m in _TOKEN.finditer(text)]
    quantities, dates, misc, words = scanners(lang)
    candidates: list[_Candidate] = []
    for m in quantities.matches(text, tokens):
        if (cand := _quantity(m, text, lang)) is not None:
            candidates.append(cand)
    for m in dates.matches(text, tokens):
        candidates.extend(_dates(m, text, lang, anchors, published))
    for m in misc.matches(text, tokens):
        if (cand := _misc(m, text, lang)) is not None:
            candidates.append(cand)
    for m in words.matches(text, tokens):
        if (cand := _word(m, text, lang)) is not None:
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
