"""Closed lists used by the tables. Each code carries its definition; the codebook prints them."""

from __future__ import annotations

from dataset.schema.registry import Vocabulary

LANGUAGE = Vocabulary(
    "language",
    "Language of an article (ISO 639-1). Only languages the cleaning and detection rules support are allowed.",
    {"en": "English", "nl": "Dutch"},
)

DATE_PRECISION = Vocabulary(
    "date_precision",
    "How precisely a date is known (after ACLED's time_precision). A date at month precision says nothing "
    "about the day; a reader must not treat its first day as the date.",
    {
        "day": "The day is known.",
        "week": "Only the calendar week (Monday to Sunday) is known.",
        "month": "Only the month is known.",
        "year": "Only the year is known.",
    },
)
