"""The published tables: each lists its fields (defined in fields.py), keys and cross-column rules.

Tables are listed parents first; the build writes and validates them in this order.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dataset.schema.registry import RowCheck, Table

if TYPE_CHECKING:
    import pandas as pd

_PRECISION_LENGTH = {"day": 10, "month": 7, "year": 4}


def _is_calendar_date(value: object, precision: object) -> bool:
    """True when an ISO reduced-precision date names a real period and its length fits its precision."""
    if not isinstance(value, str) or _PRECISION_LENGTH.get(str(precision)) != len(value):
        return False
    padded = value + "-01" * ((10 - len(value)) // 3)
    try:
        dt.date.fromisoformat(padded)
    except ValueError:
        return False
    return True


def _published_fits_precision(df: pd.DataFrame) -> pd.Series:
    return df["published"].combine(df["published_precision"], _is_calendar_date).astype(bool)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            name="articles",
            title="Articles",
            description="One row per news article in the corpus: its metadata, its clean text, and the hashes "
            "that tie the text to the raw file it was cleaned from.",
            fields=(
                "article_id", "title", "outlet", "author", "url", "published", "published_precision",
                "language", "raw_path", "raw_sha256", "text", "text_sha256", "n_chars", "n_words", "rights",
                "notes",
            ),
            primary_key=("article_id",),
            checks=(
                RowCheck(
                    "published_fits_precision",
                    "`published` is a real calendar date written at exactly `published_precision` "
                    "(YYYY-MM-DD for day, YYYY-MM for month, YYYY for year).",
                    ("published", "published_precision"),
                    _published_fits_precision,
                ),
            ),
        ),
    )
}
