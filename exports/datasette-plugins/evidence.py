"""Datasette plugin: a coded row's quote shown highlighted inside its article's paragraph.

Copied unchanged by the build to `exports/datasette-plugins/evidence.py` (so that the release archive can be
served as it is) and loaded with `datasette serve --plugins-dir exports/datasette-plugins`. It only renders:
the `evidence` table (and the canned query `evidence_for`) holds, for each quote-anchored row, the part of the
paragraph before the quote, the quote and the part after it; this renders the `quote` cell of such a row as
the whole paragraph with the quote in a <mark>, every part HTML-escaped. A coded row's own page (a figure, an
event source, a mention) shows its quote the same way, its paragraph looked up in `evidence` by article and
offsets. Without the plugin the columns are shown as plain text.

It imports nothing from the `dataset` package (it runs inside Datasette, from a copy).
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape


def _marked(before: str | None, quote: str, after: str | None) -> Markup:
    return Markup('<span class="evidence">{}<mark>{}</mark>{}</span>').format(
        escape(before or ""), escape(quote), escape(after or ""))


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """The paragraph around the quote, the quote marked: from the row itself where it has `before` and `after`
    (the evidence table and query), else from `evidence` for a row with `article_id`, `start` and `end`."""
    if column not in ("quote", "surface") or not isinstance(value, str):  # a mention's quote is its surface
        return None
    try:
        keys = set(row.keys())
    except AttributeError:
        return None
    if column == "quote" and {"before", "after"} <= keys:
        return _marked(row["before"], value, row["after"])
    if table in (None, "evidence") or not {"article_id", "start", "end"} <= keys:
        return None
    # a table page expands a foreign key into {"value": ..., "label": ...}; a row page gives the value itself
    where = tuple(v["value"] if isinstance(v, dict) else v for v in (row["article_id"], row["start"], row["end"]))

    async def from_evidence() -> Markup | None:
        found = await datasette.get_database(database).execute(
            'SELECT before, after FROM evidence WHERE article_id = ? AND start = ? AND "end" = ? LIMIT 1', where)
        first = found.first()
        return None if first is None else _marked(first["before"], value, first["after"])

    return from_evidence
