"""What the data package says about itself: name, title, licences, contributors, version.

The version and release date are written once, in pyproject.toml; everything else about the package is
written once, here. datapackage.json and CITATION.cff are both generated from this module.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from dataset.errors import InputError

NAME = "cryptophone-takedowns"
TITLE = "Cryptophone takedowns: actors, events and stated figures from news reports"
DESCRIPTION = (
    "Tidy tables of the actors, events and stated figures in news reports of police and prosecutors taking "
    "down encrypted-phone (cryptophone, PGP-phone) networks, starting with the Dutch police's seizure of "
    "Ennetcom's servers in 2016. Every coded row carries its provenance: the article, the exact quote and "
    "its character offsets in the article's clean text, checked at build time."
)
KEYWORDS = ("encrypted communication", "cryptophone", "PGP phone", "policing", "prosecution",
            "organised crime", "Ennetcom", "Netherlands", "news coding", "event data")
AUTHORS = ({"name": "Cryptophone Takedowns dataset contributors"},)
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
TEXT_RIGHTS = (
    "The coded tables are licensed CC-BY-4.0. The article texts in articles.text and the quotes in the coded "
    "tables remain under their publishers' copyright and are included for non-commercial research; see each "
    "article's `rights` column."
)


@dataclass(frozen=True)
class Release:
    version: str
    released: str


def release(pyproject: Path) -> Release:
    """The version and release date, read from pyproject.toml (their only home)."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        return Release(data["project"]["version"], data["tool"]["dataset"]["released"])
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise InputError.one(str(pyproject), f"cannot read version and [tool.dataset] released: {exc}") from None
