"""Stage 1 on the real seed articles: raw files kept as given, clean text right, metadata honest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO

# sha256 of the seed files as handed to the project (checked against ../shared/seeds when copied in).
SEEDS = {
    "data/raw/000_cb672303a775cf7f.txt": "771b02e5b6ca6942aab69acf1d058caf239ce095af515970021bcdbfdc9d2644",
    "data/raw/002_1c2a235e5c2e0eec.txt": "2b93a4de41de603f7bc1e4fa881b12334365526da91b869009a2fbf83bab2494",
}
EN = "reuters-2016-04-ennetcom-servers-seized"
NL = "nl-2017-03-ennetcom-messages-accessed"


def raw_count(tag: str) -> int:
    """How often a tag occurs in the English raw file: each <p> is one paragraph of clean text."""
    return (REPO / "data/raw/000_cb672303a775cf7f.txt").read_text().count(tag)


@pytest.fixture(scope="module")
def articles(built: Path) -> pd.DataFrame:
    return pd.read_parquet(built / "data/processed/articles.parquet").set_index("article_id")


def test_raw_files_are_byte_for_byte_the_seeds() -> None:
    for rel, digest in SEEDS.items():
        assert hashlib.sha256((REPO / rel).read_bytes()).hexdigest() == digest


def test_raw_sha256_column_matches_files(articles: pd.DataFrame) -> None:
    assert dict(zip(articles.raw_path, articles.raw_sha256, strict=True)) == SEEDS


def test_english_clean_text_keeps_sentences_and_drops_markup(articles: pd.DataFrame) -> None:
    text = articles.at[EN, "text"]
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("AMSTERDAM Dutch police said on Friday they have arrested the owner of Ennetcom")
    assert "Rotterdam judges ordered that Danny Manupassa, 36, be held for 14 days" in text
    assert '"The company sold modified telephones for about 1,500 euros each' in text
    assert paragraphs[-2] == ("All 19,000 of the network's users were sent a message on Tuesday notifying them "
                              "that the system was being investigated by police.")
    assert paragraphs[-1].startswith("(Reporting by Toby Sterling")
    assert len(paragraphs) == raw_count("<p>")
    for junk in ("<", ">", "[ad_", "midArticle", "Source", "http", "post_title", "---", "readability", "  "):
        assert junk not in text, junk


def test_dutch_clean_text_drops_date_prefix_and_keeps_paragraphs(articles: pd.DataFrame) -> None:
    text = articles.at[NL, "text"]
    assert text.startswith("De opsporingsdiensten hebben toegang gekregen tot 3,6 miljoen versleutelde berichten")
    assert "date 2017-03" not in text
    paragraphs = text.split("\n\n")
    assert "Afgeschermd" in paragraphs and "Grote onrust" in paragraphs
    assert "bestond uit ongeveer 40.000 geregistreerde smartphones." in text
    assert "\n\n\n" not in text and not text.endswith("\n")


def test_texts_are_normalised_and_hashed(articles: pd.DataFrame) -> None:
    import unicodedata

    for text, digest, n in zip(articles.text, articles.text_sha256, articles.n_chars, strict=True):
        assert unicodedata.normalize("NFC", text) == text
        assert hashlib.sha256(text.encode()).hexdigest() == digest
        assert len(text) == n


def test_dates_precision_and_language_are_honest(articles: pd.DataFrame) -> None:
    assert articles.loc[EN, ["published", "published_precision", "language"]].tolist() == ["2016-04-22", "day", "en"]
    # The Dutch copy is dated to the month only: no invented day.
    assert articles.loc[NL, ["published", "published_precision", "language"]].tolist() == ["2017-03", "month", "nl"]
    assert articles.loc[NL, ["title", "outlet", "author", "url"]].isna().all()
    assert articles.at[EN, "outlet"] == "Reuters"
