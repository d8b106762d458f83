"""Vague quantities ("tientallen", "a few", "enkele honderden", "scores of"): the detector finds them with the
range the codebook gives, leaves alone the words that fix no size ("many", "talloze") and the look-alikes
("een enkele keer", "de verschillende diensten", "the scores"), and the coverage gate asks for each.

The passages are written for this test in the style of wire copy, Dutch and Belgian papers and prosecutors'
releases about fictional takedowns; none is copied from an article. Each lists every vague quantity a coder
would code (surface, low, high); precision and recall are measured over the detections that read a vague
word (no digits, no point value).
"""

from __future__ import annotations

import pytest

from dataset.detect import Detection, detect

Expected = list[tuple[str, float, float | None]]

PASSAGES: dict[str, list[tuple[str, Expected]]] = {
    "en": [
        ("Police in three countries arrested dozens of suspects on Tuesday after investigators spent months "
         "reading messages sent by tens of thousands of users of the service, Europol said.",
         [("dozens", 24, 99), ("tens of thousands", 20_000, 99_999)]),
        ("A few of the network's administrators were detained in Spain, and a handful of resellers in the "
         "Netherlands handed themselves in, prosecutors said in a statement.",
         [("A few", 2, 9), ("a handful", 2, 9)]),
        ("Officers seized several hundred phones and a few thousand euros in cash during raids on a number of "
         "addresses in Rotterdam and The Hague.",
         [("several hundred", 300, None), ("a few thousand euros", 2000, 9999), ("a number of", 2, None)]),
        ("Scores of officers took part in the operation, which the agency said had disrupted hundreds of "
         "planned shipments and saved a couple of lives.",
         [("Scores of", 40, 99), ("hundreds", 200, 999), ("a couple of", 2, 3)]),
        ("Several suspects face charges of money laundering; millions of messages remain to be read, a "
         "spokeswoman said.",
         [("Several", 3, None), ("millions", 2_000_000, 9_999_999)]),
        # no vague quantity: quantifiers that fix no size, and look-alikes
        ("Many of the users were believed to be involved in serious crime, and numerous investigations "
         "drew on countless messages, most of them in Dutch.", []),
        ("The scores of the two teams were level; some of the phones had been wiped, the court heard.", []),
    ],
    "nl": [
        ("De politie heeft dinsdag tientallen verdachten aangehouden. Volgens het OM gebruikten tienduizenden "
         "criminelen de versleutelde telefoons.",
         [("tientallen", 20, 99), ("tienduizenden", 20_000, 99_999)]),
        ("Bij invallen in enkele panden in Amsterdam zijn een paar honderd telefoons en enkele honderden "
         "kilo's drugs in beslag genomen.",
         [("enkele", 2, 9), ("een paar honderd", 200, 999), ("enkele honderden kilo's", 200, 999)]),
        ("Een handvol beheerders van het netwerk werd in Spanje opgepakt; in diverse landen liepen "
         "verscheidene onderzoeken naar de klanten.",
         [("Een handvol", 2, 9), ("diverse", 2, None), ("verscheidene", 3, None)]),
        ("Justitie las meerdere tientallen miljoenen berichten mee en vond aanwijzingen voor een aantal "
         "liquidaties in verschillende steden.",
         [("meerdere tientallen miljoenen", 20_000_000, 99_999_999), ("een aantal", 2, None),
          ("verschillende", 2, None)]),
        ("De verdachten verdienden duizenden euro's per maand met de verkoop van de toestellen, zegt de "
         "officier van justitie.",
         [("duizenden euro's per maand", 2000, 9999)]),
        # no vague quantity: quantifiers that fix no size, and look-alikes
        ("Talloze onderzoeken en veel criminelen maakten gebruik van het netwerk; tal van zaken liepen vast, "
         "de meeste verdachten zwijgen.", []),
        ("Een enkele keer werkten de verschillende diensten samen; de zaken zijn heel verschillende van aard, "
         "zegt de woordvoerder.", []),
    ],
}


def vague_detections(text: str, lang: str) -> list[Detection]:
    """The detections that read a vague word: no point value and no digit in the surface."""
    return [d for d in detect(text, lang, "2021-03-09")
            if d.kind != "date" and d.value is None and not any(c.isdigit() for c in d.text)]


def score(lang: str) -> tuple[int, int, int, list[str]]:
    """(expected, found with the right range, vague detections, what went wrong)."""
    expected = right = detections = 0
    wrong = []
    for text, items in PASSAGES[lang]:
        found = {d.text: d for d in vague_detections(text, lang)}
        detections += len(found)
        expected += len(items)
        for surface, low, high in items:
            d = found.get(surface)
            if d is not None and (d.value_low, d.value_high, d.approximate) == (low, high, True):
                right += 1
            else:
                wrong.append(f"missed or misread {surface!r}: {d}")
        wrong += [f"false {s!r}" for s in found if s not in {i[0] for i in items}]
    return expected, right, detections, wrong


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_vague_quantities_are_found_with_their_range_and_nothing_else(lang: str) -> None:
    """Recall and precision of the vague detection, each 100% on these passages (EN: 12 quantities in 7
    passages; NL: 12 in 7)."""
    expected, right, detections, wrong = score(lang)
    assert wrong == []
    assert (right / expected, right / detections) == (1.0, 1.0)
    assert expected == 12


@pytest.mark.parametrize(("lang", "text"), [
    ("nl", "Bij de actie werden enkele verdachten opgepakt."),
    ("en", "Police detained a handful of suspects."),
    ("en", "Scores of officers took part."),
])
def test_the_coverage_gate_asks_for_a_vague_count_with_its_suggested_range(lang: str, text: str) -> None:
    """A vague count left uncoded fails the gate like a numeral, and the message says how to code it."""
    from dataset.pipeline.coverage import ArticleCoverage, _how, gate

    [d] = detect(text, lang, "2021-03-09")
    report = [ArticleCoverage("a", 1, 0, 0, ((d.start, d.end, d.text, _how(d)),))]
    [problem] = gate(report, {"a": "data/coding/articles/a.yaml"})
    message = str(problem)
    assert f"number {d.text!r} at {d.start}-{d.end} is neither inside a coded figure's quote" in message
    assert (f"value: null, value_low: {d.value_low:g}, value_high: "
            f"{'null' if d.value_high is None else format(d.value_high, 'g')}") in message

