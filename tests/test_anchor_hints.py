"""A coded quote that is not in the article's clean text still fails the build (no silent normalisation), and
the error says which passage is closest, on which line of the clean text, and what differs."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from conftest import cli
from dataset.pipeline.anchor import AnchorError, anchor, near_match

TEXT = (
    "AMSTERDAM Dutch police said on Friday they have arrested the owner of a cryptophone network.\n\n"
    "Investigators read \u201cmillions of messages\u201d over four months, the agency\u2019s spokesman said.\n\n"
    "Bij de actie werd 4,2 ton coca\u00efne in beslag genomen. De verdachte zweeg.\n"
    "Het OM spreekt van een doorbraak."
)

HINTS = {
    "curly-apostrophe": ("the agency's spokesman said", "the agency\u2019s spokesman said", 3,
                         "\"'\" (straight apostrophe) in the quote"),
    "straight-double-quotes": ('read "millions of messages"', "read \u201cmillions of messages\u201d", 3,
                               "'\u201c' (curly opening double quote) in the text"),
    "nfd": (unicodedata.normalize("NFD", "4,2 ton coca\u00efne"), "4,2 ton coca\u00efne", 5, "decomposed accents (NFD"),
    "paragraph-break": ("of a cryptophone network. Investigators read", "of a cryptophone network.\n\nInvestigators "
                        "read", 1, "a paragraph or line break in the text where the quote has a space"),
    "double-space": ("De verdachte  zweeg.", "De verdachte zweeg.", 5, "whitespace"),
    "case": ("het OM spreekt van een doorbraak", "Het OM spreekt van een doorbraak", 6, "case: 'H' in the text, "
             "'h' in the quote"),
    "dropped-word": ("police said on Friday they arrested the owner", "police said on Friday they have arrested "
                     "the owner", 1, "the quote drops 'have'"),
    "added-word": ("Investigators read millions of encrypted messages", "Investigators read \u201cmillions of "
                   "messages", 3, "the quote adds 'encrypted'"),
    "changed-word": ("Bij de actie werd 4,2 ton heroïne in beslag genomen", "Bij de actie werd 4,2 ton coca\u00efne "
                     "in beslag genomen", 5, "'coca\u00efne' in the text, 'hero\u00efne' in the quote"),
}


@pytest.mark.parametrize(("quote", "passage", "line", "differs"), HINTS.values(), ids=HINTS.keys())
def test_a_quote_not_found_names_the_closest_passage_and_what_differs(quote: str, passage: str, line: int,
                                                                      differs: str) -> None:
    with pytest.raises(AnchorError) as raised:
        anchor(TEXT, quote)
    message = str(raised.value)
    assert message.startswith(f"quote not found in the article's clean text: {quote!r}")
    match = near_match(TEXT, quote)
    assert match is not None and (match.passage, match.line) == (passage, line)
    assert TEXT[match.start:match.end] == passage
    assert f"at line {line} of the clean text (offsets {match.start}-{match.end}): {passage!r}" in message
    assert differs in message


def test_nothing_close_is_said_plainly() -> None:
    with pytest.raises(AnchorError, match="no passage of the text is close to it"):
        anchor(TEXT, "the weather in Lisbon was fine all week")


def test_the_hint_is_fast_on_a_long_article() -> None:
    """difflib on the few windows that share the most words with the quote: well under a second for 100 kB."""
    text = (TEXT + "\n\n") * (100_000 // len(TEXT))
    text += "The court in Utrecht ordered that the suspect be held for fourteen days."
    started = time.perf_counter()
    match = near_match(text, "The court in Utrecht ordered the suspect held for 14 days.")
    assert time.perf_counter() - started < 1.0
    assert match is not None and match.passage.startswith("The court in Utrecht ordered that the suspect")


def test_the_build_reports_the_hint_at_the_quotes_line(project: Path) -> None:
    """Through the build: the coding file's line and field, then the hint; the build still fails."""
    path = project / "data/coding/articles/reuters-2016-04-ennetcom-servers-seized.yaml"
    text = path.read_text(encoding="utf-8")
    old = "quote: Canada's Department of Justice said the matter"
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, "quote: Canada\u2019s Department of Justice said the matter"), encoding="utf-8")
    result = cli("--root", str(project), "build")
    assert result.returncode == 2
    assert (f"reuters-2016-04-ennetcom-servers-seized.yaml:{line}: quote: quote not found in the article's clean "
            "text") in result.stderr
    assert "\"'\" (straight apostrophe) in the text, '\u2019' (curly apostrophe) in the quote" in result.stderr
