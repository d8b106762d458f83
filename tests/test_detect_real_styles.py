"""dataset.detect on wording of real reports that the first rules got wrong: wire datelines, ranges of dates,
ordinals and compound adjectives, a rate's period, and look-alikes that must stay what they are.

Each family is tried on several members written in the styles of wire copy, broadsheets and Dutch papers
(invented sentences, none copied from an article). A case lists every date, or every detection, the sentence
must give, so a spurious extra one fails as surely as a missed one.
"""

from __future__ import annotations

import pytest

from dataset.detect import Detection, detect


def _dates(text: str, lang: str, published: str | None) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(d.text, d.date, d.date_end, d.precision) for d in detect(text, lang, published) if d.kind == "date"]


def _all(text: str, lang: str, published: str | None = "2023-06-01") -> list[tuple[str, str]]:
    return [(d.kind, d.text) for d in detect(text, lang, published)]


def _one(text: str, lang: str, surface: str, published: str | None = "2023-06-01") -> Detection:
    found = [d for d in detect(text, lang, published) if d.text == surface]
    assert len(found) == 1, [d.text for d in detect(text, lang, published)]
    return found[0]


# --- 1. Wire datelines: the date of the report, a date in its own right -------------------------------------
DATELINES = [
    # (lang, published, text, surface, date); a dateline without a year is the occurrence nearest the
    # publication date, as every year-less date is (no year is invented: with no publication date it is
    # unresolved)
    ("en", "2023-06-14", "HARTWELL, June 14 (Wire) - Police arrested 12 people.", "June 14", "2023-06-14"),
    ("en", "2016-04-22", "AMSTERDAM, April 22 (Reuters) - Dutch police said on Friday they had cracked it.",
     "April 22", "2016-04-22"),
    ("en", "2016-04-22", "THE HAGUE, Netherlands, April 22 (Reuters) - Dutch police said.", "April 22",
     "2016-04-22"),
    ("en", "2016-04-22", "THE HAGUE, April 22 /PRNewswire/ -- Police said.", "April 22", "2016-04-22"),
    ("en", "2022-10-04", "MADRID, October 3 \u2014 Spanish police said.", "October 3", "2022-10-03"),
    ("en", "2023-05-30", "WASHINGTON, Tuesday, May 30 (Wire) - The FBI said.", "Tuesday, May 30", "2023-05-30"),
    ("en", "2016-04-22", "AMSTERDAM, 22 April (Reuters) - Dutch police said.", "22 April", "2016-04-22"),
    ("en", "2016-04-22", "AMSTERDAM, April 22, 2016 (Reuters) - Dutch police said.", "April 22, 2016",
     "2016-04-22"),
    ("en", "2017-01-02", "SYDNEY, Dec. 30 (AAP) - Police said.", "Dec. 30", "2016-12-30"),
    ("nl", "2017-03-03", "ROTTERDAM, 3 maart (ANP) - De politie heeft 12 mensen aangehouden.", "3 maart",
     "2017-03-03"),
    ("nl", "2017-03-03", "Rotterdam, 3 maart 2017 - De politie heeft 12 mensen aangehouden.", "3 maart 2017",
     "2017-03-03"),
    ("nl", "2017-03-03", "Rotterdam, 3 maart - De politie heeft 12 mensen aangehouden.", "3 maart", "2017-03-03"),
    ("nl", "2019-10-02", "BRUSSEL, 2 oktober (Belga) - Het parket meldt 40 aanhoudingen.", "2 oktober",
     "2019-10-02"),
]


@pytest.mark.parametrize(("lang", "published", "text", "surface", "iso"), DATELINES)
def test_dateline_is_a_date(lang: str, published: str, text: str, surface: str, iso: str) -> None:
    found = _one(text, lang, surface, published)
    assert (found.kind, found.date, found.date_end, found.precision) == ("date", iso, iso, "day")
    # the day of the dateline is no figure
    assert not [d for d in detect(text, lang, published) if d.kind == "number" and surface.endswith(d.text)]


def test_dateline_without_a_year_invents_none() -> None:
    found = _one("HARTWELL, June 14 (Wire) - Police said.", "en", "June 14", None)
    assert (found.date, found.date_end, found.precision) == (None, None, "unresolved")
    assert found.note and "dateline" in found.note
    # a month-dated paper: the nearest 22 April is the same whichever day of April it appeared
    month = _one("AMSTERDAM, April 22 (Reuters) - Police said.", "en", "April 22", "2016-04")
    assert (month.date, month.precision) == ("2016-04-22", "day")


def test_dateline_without_a_date_gives_none() -> None:
    assert _all("DEN HAAG (ANP) - De politie heeft mensen aangehouden.", "nl") == []
    assert _all("BRUSSELS (Reuters) - Belgian police said.", "en") == []


@pytest.mark.parametrize("text", [
    "LONDON, May 4 - 5 people were held.",  # a dash before a number: no dateline, a range of numbers
    "In May 3 (three) people were held.",   # a lower-case parenthesis is no agency
])
def test_dateline_look_alikes(text: str) -> None:
    assert not any(d.kind == "date" and d.precision == "day" for d in detect(text, "en", "2023-06-01"))


# --- 2. Ranges of dates: one span, the year shared where it is written once ---------------------------------
RANGES = [
    ("en", "Police intercepted messages from March to May 2023.", "March to May 2023", "2023-03-01", "2023-05-31"),
    ("en", "The raids took place March-May 2023.", "March-May 2023", "2023-03-01", "2023-05-31"),
    ("en", "The raids took place March\u2013May 2023.", "March\u2013May 2023", "2023-03-01", "2023-05-31"),
    ("en", "From January 2020 to March 2021 police read messages.", "January 2020 to March 2021", "2020-01-01",
     "2021-03-31"),
    ("en", "The network ran from December to February 2021.", "December to February 2021", "2020-12-01",
     "2021-02-28"),
    ("en", "The trial ran between 1 and 3 June.", "between 1 and 3 June", "2023-06-01", "2023-06-03"),
    ("en", "The trial ran between June 1 and 3.", "between June 1 and 3", "2023-06-01", "2023-06-03"),
    ("en", "Hearings are listed for June 1-3, 2021.", "June 1-3, 2021", "2021-06-01", "2021-06-03"),
    ("en", "Hearings are listed for June 1 to 3, 2021.", "June 1 to 3, 2021", "2021-06-01", "2021-06-03"),
    ("en", "in the period 1-3 June 2021.", "1-3 June 2021", "2021-06-01", "2021-06-03"),
    ("en", "from 3 March to 5 April 2022 the app ran.", "3 March to 5 April 2022", "2022-03-03", "2022-04-05"),
    ("en", "Between March 3 and April 5, 2022, detectives copied it.", "Between March 3 and April 5, 2022",
     "2022-03-03", "2022-04-05"),
    ("en", "The network operated 2019-2021.", "2019-2021", "2019-01-01", "2021-12-31"),
    ("en", "The 2019-20 accounts showed it.", "2019-20", "2019-01-01", "2020-12-31"),
    ("en", "The network operated from 2019 until 2021.", "2019 until 2021", "2019-01-01", "2021-12-31"),
    ("en", "The network operated from 2019 to 2021.", "2019 to 2021", "2019-01-01", "2021-12-31"),
    ("en", "Cocaine moved through Antwerp between 2019 and 2021.", "between 2019 and 2021", "2019-01-01",
     "2021-12-31"),
    ("nl", "De politie las van maart tot mei 2023 berichten mee.", "maart tot mei 2023", "2023-03-01",
     "2023-05-31"),
    ("nl", "Tussen maart en mei 2020 ging het mis.", "Tussen maart en mei 2020", "2020-03-01", "2020-05-31"),
    ("nl", "De zitting was tussen 12 en 14 april.", "tussen 12 en 14 april", "2023-04-12", "2023-04-14"),
    ("nl", "De zitting was van 12 tot 14 april 2022.", "12 tot 14 april 2022", "2022-04-12", "2022-04-14"),
    ("nl", "De zaak diende van 1 tot en met 3 juni.", "1 tot en met 3 juni", "2023-06-01", "2023-06-03"),
    ("nl", "De zaak diende van 30 mei t/m 2 juni 2022.", "30 mei t/m 2 juni 2022", "2022-05-30", "2022-06-02"),
    ("nl", "in de periode van januari 2018 tot en met juni 2019.", "januari 2018 tot en met juni 2019",
     "2018-01-01", "2019-06-30"),
    ("nl", "In de periode 2019-2021 ging het mis.", "2019-2021", "2019-01-01", "2021-12-31"),
    ("nl", "Van 2019 tot en met 2021 liep het onderzoek.", "2019 tot en met 2021", "2019-01-01", "2021-12-31"),
    ("nl", "tussen 2015 en 2017 werden telefoons verkocht.", "tussen 2015 en 2017", "2015-01-01", "2017-12-31"),
]


@pytest.mark.parametrize(("lang", "text", "surface", "first", "last"), RANGES)
def test_range_of_dates_is_one_span(lang: str, text: str, surface: str, first: str, last: str) -> None:
    assert _dates(text, lang, "2023-06-01") == [(surface, first, last, "range")]
    assert not [d for d in detect(text, lang, "2023-06-01") if d.kind != "date"]


def test_range_without_a_year_follows_the_publication_date() -> None:
    # the occurrence nearest the publication day, as a year-less "22 april" is; unknown day: bounds
    assert _dates("tussen 12 en 14 april", "nl", "2016-12-30") == [
        ("tussen 12 en 14 april", "2017-04-12", "2017-04-14", "range")]
    assert _dates("between 1 and 3 June", "en", None) == [("between 1 and 3 June", None, None, "unresolved")]
    found = _one("from 30 December to 2 January police read it", "en", "30 December to 2 January", "2017-01-10")
    assert (found.date, found.date_end, found.precision) == ("2016-12-30", "2017-01-02", "range")


def test_range_note_says_where_the_year_comes_from() -> None:
    found = _one("from March to May 2023", "en", "March to May 2023")
    assert found.note and "written once" in found.note


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # look-alikes: labels, scores, votes, phone numbers, counts
    ("en", "Section 2-3 of the act and a 3-2 vote.", []),
    ("en", "Article 7 to 9 applies, as do Articles 7 to 9 and Sections 2 and 3.", []),
    ("en", "The press office is on 020-5551234.", []),
    ("nl", "Artikel 7 tot en met 9 en artikelen 3 en 4 zijn van toepassing; bel 010-1234567.", []),
    ("en", "Ages 18-25 were recruited; between 10 and 20 phones were found.",
     [("number", "18-25"), ("number", "between 10 and 20")]),
    ("nl", "Er werden tussen 10 en 20 telefoons gevonden.", [("number", "tussen 10 en 20")]),
    ("en", "Between 2,000 and 2,500 users paid.", [("number", "Between 2,000 and 2,500")]),
    # two days sharing a month are two dates, not a range ("and" joins a range only after "between")
    ("en", "Raids on 3 and 5 June.", [("number", "3"), ("date", "5 June")]),
    ("en", "Raids on 3 March and 5 April 2022.", [("date", "3 March"), ("date", "5 April 2022")]),
    # "In March 10 people": still the month and a count
    ("en", "In March 10 people were arrested.", [("date", "March"), ("number", "10")]),
    # ... and so are days written as a range: the numbers count what follows, a coder must code them
    ("en", "In March 10-20 people were arrested.", [("date", "March"), ("number", "10-20")]),
    ("en", "In March 10 to 20 people were arrested.", [("date", "March"), ("number", "10"), ("number", "20")]),
    ("en", "During June 3-5 officers were questioned.", [("date", "June"), ("number", "3-5")]),
    # a day cue, punctuation or a year after keeps them dates
    ("en", "On March 10-20 the servers were copied.", [("date", "March 10-20")]),
    ("en", "In March 10-20, arrests followed.", [("date", "March 10-20")]),
    ("en", "In March 10-20, 2016 people were arrested.", [("date", "March 10-20, 2016")]),
    ("en", "Raids ran from June 1-3 and then stopped.", [("date", "June 1-3")]),
    ("en", "On March 10 to 12 police raided homes.", [("date", "March 10"), ("number", "12")]),
])
def test_range_look_alikes(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _all(text, lang) == expected


# --- 3. Ordinals, compound adjectives and a rate's period ------------------------------------------------------
@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "The third arrest came after the second-largest seizure.", [("ordinal", "third"), ("ordinal", "second")]),
    ("en", "It was the third-biggest haul and the 2nd-highest bail.", [("ordinal", "third"), ("ordinal", "2nd")]),
    # not ranks: "second-hand", "third-party", an adverb
    ("en", "He sold second-hand phones to third-party resellers; police first arrested him.", []),
    ("nl", "De derde aanhouding volgde; de tweede grootste vangst.", [("ordinal", "derde"), ("ordinal", "tweede")]),
    # "ten eerste", "ten tweede" order the points of an argument (firstly, secondly), as English "first," does
    ("nl", "Ten eerste was het duur. Ten tweede kostte het veel; ten derde was het traag.", []),
])
def test_ordinals(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _all(text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "surface", "value", "unit"), [
    ("en", "a six-month investigation", "six-month", 6, "month"),
    ("en", "a 14-day hold", "14-day", 14, "day"),
    ("en", "a two-year inquiry", "two-year", 2, "year"),
    ("nl", "een 14-daagse termijn", "14-daagse", 14, "day"),
    ("nl", "een 24-urige dienst", "24-urige", 24, "hour"),
    ("nl", "een 3-maands contract", "3-maands", 3, "month"),
])
def test_compound_adjectives_are_durations(lang: str, text: str, surface: str, value: float, unit: str) -> None:
    found = _one(text, lang, surface)
    assert (found.kind, found.value, found.unit) == ("duration", value, unit)


@pytest.mark.parametrize(("lang", "text", "surface", "value", "currency", "per"), [
    # the codebook: "£1,500 for six months" is 1500 GBP, per_period P6M: the period belongs to the figure
    ("en", "Users paid £1,500 for six months.", "£1,500 for six months", 1500, "GBP", "P6M"),
    ("en", "It charged $2,000 per six-month subscription.", "$2,000 per six-month", 2000, "USD", "P6M"),
    ("en", "The force paid €900 for a six-month licence.", "€900 for a six-month", 900, "EUR", "P6M"),
    ("en", "The service cost 1,000 euros for six months.", "1,000 euros for six months", 1000, "EUR", "P6M"),
    ("en", "A handset cost €3,000 per three months.", "€3,000 per three months", 3000, "EUR", "P3M"),
    ("en", "A handset cost €1,200 for 12 months.", "€1,200 for 12 months", 1200, "EUR", "P12M"),
    ("en", "A trial cost €50 for one month.", "€50 for one month", 50, "EUR", "month"),
    ("en", "Users paid £2,400 a year.", "£2,400 a year", 2400, "GBP", "year"),
    ("nl", "Het kostte 1500 euro voor zes maanden.", "1500 euro voor zes maanden", 1500, "EUR", "P6M"),
    ("nl", "Een abonnement kost 250 euro per drie maanden.", "250 euro per drie maanden", 250, "EUR", "P3M"),
])
def test_rate_keeps_its_period(lang: str, text: str, surface: str, value: float, currency: str, per: str) -> None:
    found = _one(text, lang, surface)
    assert (found.kind, found.value, found.unit, found.per) == ("money", value, currency, per)
    assert [d.kind for d in detect(text, lang, "2023-06-01")] == ["money"]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # only money takes a period: a count or a duration before "for six months" keeps it as a duration
    ("en", "Police held 12 suspects for six months.", [("number", "12"), ("duration", "six months")]),
    ("nl", "12 verdachten zaten voor zes maanden vast.", [("number", "12"), ("duration", "zes maanden")]),
    # hours are no period of a rate (per_period is years, months, weeks or days)
    ("en", "It cost $200 for 48 hours.", [("money", "$200"), ("duration", "48 hours")]),
])
def test_rate_period_only_after_money(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert _all(text, lang) == expected
