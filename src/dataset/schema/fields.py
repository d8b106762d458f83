"""Every column of every published table, defined once by name (after PUDL's metadata/fields.py).

A field used by several tables (article_id, actor_id, ...) has one definition here; a table may narrow its
description in `tables.py`, never its type or constraints.
"""

from __future__ import annotations

import datetime as dt

from dataset.schema.registry import Field

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# No article of this corpus predates it: an earlier publication date is a typo (0016 for 2016), and the
# date arithmetic that resolves "last Tuesday" needs room before it. The latest date is the release date.
EARLIEST_DATE = dt.date(1900, 1, 1)
SHA256 = r"[0-9a-f]{64}"
ISO_REDUCED_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
# An ISO 8601 duration in whole years, months, weeks or days (P6M, P1Y, P2W, P1Y6M).
DURATION = r"P(?:\d+Y(?:\d+M)?(?:\d+D)?|\d+M(?:\d+D)?|\d+W|\d+D)"

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
        "string", "Precision of `published`: day, month or year.", vocabulary="date_precision",
        codes=("day", "month", "year"),
    ),
    "language": Field("string", "Language of the article text (ISO 639-1).", vocabulary="language"),
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
    # --- cases ----------------------------------------------------------------------------------------------
    "case_id": Field("string", "Identifier of a case: one takedown of one network (e.g. `ennetcom`).", pattern=SLUG),
    "case_name": Field("string", "Readable name of the case."),
    "country": Field(
        "string", "Country (ISO 3166-1 alpha-2) of the actor, or where the case or event took place; null where "
        "the text does not say.", required=False, pattern=r"[A-Z]{2}",
    ),
    "description": Field("string", "One line on who or what this is, for a reader who does not know the case."),
    # --- actors ---------------------------------------------------------------------------------------------
    "actor_id": Field(
        "string", "Identifier of an actor in the actor registry (data/coding/actors.yaml), the same across "
        "articles and cases.", pattern=SLUG,
    ),
    "name": Field("string", "Canonical English name of the actor."),
    "actor_type": Field("string", "Kind of actor.", vocabulary="actor_type"),
    "part_of": Field(
        "string", "The actor this one is part of (an office of a prosecution service); null where none.",
        required=False, pattern=SLUG,
    ),
    "wikidata_id": Field(
        "string", "Wikidata item of the actor, only where a coder verified it; null otherwise (never guessed).",
        required=False, pattern=r"Q[1-9][0-9]*",
    ),
    # --- mentions and quotes ---------------------------------------------------------------------------------
    "mention_id": Field(
        "string", "Identifier of a mention: the article_id, `-c`, and the start offset.", pattern=SLUG,
    ),
    "start": Field(
        "integer", "Offset of the first character in the article's clean text (0-based, Unicode code points).",
        minimum=0, unit="character",
    ),
    "end": Field(
        "integer", "Offset just past the last character (text[start:end] is the quote).", minimum=1,
        unit="character",
    ),
    "surface": Field("string", "The name exactly as it appears in the text (== text[start:end])."),
    "quote": Field(
        "string", "Exact quote from the article's clean text (== text[start:end]); written by the coder, "
        "located by the build (W3C Web Annotation TextQuoteSelector), never typed as offsets.",
    ),
    # --- events ---------------------------------------------------------------------------------------------
    "event_id": Field(
        "string", "Identifier of an event in the event registry (data/coding/events.yaml); an event reported "
        "by several articles is one event with several sources.", pattern=SLUG,
    ),
    "event_type": Field("string", "What happened.", vocabulary="event_type"),
    "plover_type": Field(
        "string", "PLOVER event type derived from event_type; null where PLOVER has no fitting type.",
        required=False, vocabulary="plover_type",
    ),
    "plover_mode": Field(
        "string", "PLOVER mode derived from event_type; null with plover_type.", required=False,
        vocabulary="plover_mode",
    ),
    "summary": Field("string", "One English sentence saying what happened, as the sources report it."),
    "location": Field("string", "Place where the event happened, as precise as the text says; null where not "
                      "said.", required=False),
    "date_start": Field(
        "date", "First day on which the event may have happened (for a period: its first day); null where the "
        "text gives no lower bound.",
        required=False,
    ),
    "date_end": Field(
        "date", "Last day on which the event may have happened (for a period: its last day); null where the "
        "text gives no upper bound.",
        required=False,
    ),
    "date_precision": Field(
        "string", "Precision of the dates: day, week, month or year (date_start and date_end then lie in one "
        "such period), range (a span such as a season: its first and last day); for a period, how precisely "
        "each end is known; null for bounded dates.", required=False, vocabulary="date_precision",
    ),
    "date_basis": Field("string", "How the dates were established.", vocabulary="date_basis"),
    "date_expression": Field(
        "string", "The article's own words that date the event or bound it (\"on Tuesday\", \"in april "
        "2016\", \"donderdag\"); null where the article has none.", required=False,
    ),
    "role": Field("string", "Part the actor plays in the event.", vocabulary="role"),
    # --- event sources --------------------------------------------------------------------------------------
    "source_id": Field(
        "string", "Identifier of an event source (a passage of an article reporting an event): the article_id "
        "and the coder's short id (s01, s02, ...). Stable across versions: a corrected quote, offsets or event "
        "keep it, and a removed source's id is never reused.", pattern=SLUG,
    ),
    # --- figures --------------------------------------------------------------------------------------------
    "figure_id": Field(
        "string", "Identifier of a stated figure: the article_id and the coder's short id.", pattern=SLUG,
    ),
    "value": Field(
        "number", "The figure as a number (\"3,6 miljoen\" = 3600000, \"40.000\" = 40000, \"19,000\" = "
        "19000); null for a range stated without a point value (\"tientallen\").", required=False,
    ),
    "value_low": Field(
        "number", "Lower end of the stated range (UCDP style): equal to value when exact; null where the "
        "text sets no lower bound (\"nearly\", \"bijna\").", required=False,
    ),
    "value_high": Field(
        "number", "Upper end of the stated range: equal to value when exact; null where the text sets no "
        "upper bound (\"more than\", \"ruim\").", required=False,
    ),
    "approximate": Field(
        "boolean", "True where the text hedges the figure (about, some, nearly, more than, ongeveer, bijna, "
        "ruim, meer dan, tientallen); a round number without a hedge is not approximate.",
    ),
    "unit": Field(
        "string", "Unit of value, value_low and value_high, as stated: a code of the `unit` list or any ISO 4217 "
        "currency (GBP, EUR; money is never converted).", vocabulary="unit",
    ),
    "measure": Field("string", "What the figure counts or measures.", vocabulary="measure"),
    "substance": Field(
        "string", "The drug a figure of drugs seized is about; null for every other measure.", required=False,
        vocabulary="substance",
    ),
    "per_period": Field(
        "string", "The period a price or rate is for, as an ISO 8601 duration (\"£1,500 for six months\" is "
        "1500 GBP per P6M); required for a measure that is a rate (subscription_price), null otherwise.",
        required=False, pattern=DURATION,
    ),
    **{
        f"{column}_normalised": Field(
            "number", f"{column} in the base unit of its unit's dimension (unit_normalised): tonnes (t) and "
            "grams as kg, weeks as days; null where no fixed conversion exists (counts, currencies, months, years).",
            required=False,
        )
        for column in ("value", "value_low", "value_high")
    },
    "unit_normalised": Field(
        "string", "Base unit of the normalised values (kg for mass, l for volume, m for length, day for "
        "time; the `base_unit` of each dimension in data/coding/vocabularies.yaml); null where the unit has no "
        "fixed conversion.", required=False,
    ),
    "subject_actor_id": Field("string", "Actor the figure is about.", pattern=SLUG),
    "stated_by_actor_id": Field(
        "string", "Actor the article says gives the figure; null where the outlet states it itself.",
        required=False, pattern=SLUG,
    ),
    "as_of": Field(
        "string", "Date the figure is stated for, ISO 8601 at its precision: the date in the quote where it has "
        "one, else the article's publication date.", pattern=ISO_REDUCED_DATE,
    ),
    "as_of_precision": Field("string", "Precision of as_of: day, month or year.", vocabulary="date_precision",
                             codes=("day", "month", "year")),
    # --- corrections ----------------------------------------------------------------------------------------
    "version": Field(
        "string", "Version of the package that first carries the correction (semantic versioning).",
        pattern=r"\d+\.\d+\.\d+",
    ),
    "table_name": Field("string", "Table of the corrected value.", pattern=r"[a-z_]+"),
    "row_key": Field(
        "string", "Primary key of the corrected row, as a JSON object from key column to value (the row keeps "
        "its key across versions).",
    ),
    "column_name": Field("string", "Column of the corrected value.", pattern=r"[a-z_]+"),
    "old_value": Field("string", "The value before the correction, as JSON (null is `null`)."),
    "new_value": Field("string", "The value after the correction, as JSON (null is `null`); the value published."),
    "reason": Field(
        "string", "Why, in the coder's words: the rule applied to a correction, or why a number in the text is "
        "not a stated figure.",
    ),
}


# Keys of the hand-written input files that are not published columns, typed here like the columns: every
# value a coder writes is checked against this registry (`input_field`) before any other code uses it.
INPUT_FIELDS: dict[str, Field] = {
    "format": Field("string", "Raw format of a raw file (sidecar); recognised from the file when left out.",
                    required=False),
    "encoding": Field("string", "Text encoding of a raw file (sidecar); UTF-8 when left out.", required=False),
    "prefix": Field("string", "The words right before a quote that occurs more than once.", required=False),
    "occurrence": Field("integer", "Which occurrence of a quote is meant (1 is the first).", required=False,
                        minimum=1),
    "id": Field("string", "A figure's or an event source's short id within its article (f01, s01).", pattern=SLUG),
}


def input_field(key: object) -> Field | None:
    """The registry's definition of a key written in an input file (a column or an input key); None for a
    key that holds a list or mapping (its own reader checks it) or is unknown."""
    if not isinstance(key, str):
        return None
    return FIELDS.get(key) or INPUT_FIELDS.get(key)
