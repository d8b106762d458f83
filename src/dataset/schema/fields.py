"""Every column of every published table, defined once by name (after PUDL's metadata/fields.py).

A field used by several tables (article_id, actor_id, ...) has one definition here; a table may narrow its
description in `tables.py`, never its type or constraints.
"""

from __future__ import annotations

from dataset.schema.registry import Field
from dataset.schema.vocabularies import DATE_PRECISION, LANGUAGE

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SHA256 = r"[0-9a-f]{64}"
ISO_REDUCED_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"

FIELDS: dict[str, Field] = {
    # --- articles -----------------------------------------------------------------------------------------
    "article_id": Field(
        "string",
        "Stable, readable identifier of an article (outlet-year-month-topic), chosen by the coder in the raw "
        "file's sidecar. Lower-case letters, digits and hyphens only.",
        pattern=SLUG,
    ),
    "title": Field("string", "Headline as published; null where the raw copy does not carry one.", required=False),
    "outlet": Field(
        "string", "News organisation that published the article; null where the raw copy does not say.",
        required=False,
    ),
    "author": Field(
        "string", "Reporters as credited in the article's byline or credit line; null where none is credited.",
        required=False,
    ),
    "url": Field(
        "string", "Original address of the article as recorded in the raw copy; null where unknown.",
        required=False, pattern=r"https?://\S+",
    ),
    "published": Field(
        "string",
        "Publication date in ISO 8601 at its known precision: YYYY-MM-DD, YYYY-MM or YYYY. A month-dated article "
        "is written 2017-03, never given an invented day.",
        pattern=ISO_REDUCED_DATE,
    ),
    "published_precision": Field(
        "string", "Precision of `published`: day, month or year.", vocabulary=DATE_PRECISION,
    ),
    "language": Field("string", "Language of the article text (ISO 639-1).", vocabulary=LANGUAGE),
    "raw_path": Field(
        "string", "Path of the raw file, relative to the project root; the raw file is never edited.",
        pattern=r"data/raw/\S+",
    ),
    "raw_sha256": Field("string", "SHA-256 of the raw file's bytes, as hexadecimal.", pattern=SHA256),
    "text": Field(
        "string",
        "Clean text of the article: markup and boilerplate removed, paragraphs separated by one blank line, "
        "white space inside a paragraph collapsed to single spaces, Unicode NFC. Every character offset in "
        "the dataset points into this text.",
    ),
    "text_sha256": Field("string", "SHA-256 of the clean text encoded as UTF-8, as hexadecimal.", pattern=SHA256),
    "n_chars": Field("integer", "Length of the clean text in Unicode code points.", minimum=1, unit="character"),
    "n_words": Field(
        "integer", "Number of words in the clean text (runs of letters or digits, Unicode-aware).",
        minimum=1, unit="word",
    ),
    "rights": Field(
        "string",
        "Copyright and permission note for the article text. The texts are not covered by the dataset's "
        "CC-BY-4.0 licence.",
    ),
    "notes": Field("string", "Coder's note on the source (how a date or attribution was established).",
                   required=False),
}
