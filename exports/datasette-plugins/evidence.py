"""Datasette plugin: a coded row's quote shown highlighted inside its article's paragraph.

Copied unchanged by the build to `exports/datasette-plugins/evidence.py` (so that the release archive can be
served as it is) and loaded with `datasette serve --plugins-dir exports/datasette-plugins`. It only renders:
the `evidence` table (and the canned query `evidence_for`) holds, for each quote-anchored row, the part of the
paragraph before the quote, the quote and the part after it; this renders the `quote` cell of such a row as
the whole paragraph with the quote in a <mark>, every part HTML-escaped. Without the plugin the three
columns are shown as plain text.

It imports nothing from the `dataset` package (it runs inside Datasette, from a copy).
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape


@hookimpl
def render_cell(row: Any, value: Any, column: str) -> Markup | None:
    """The paragraph around the quote, the quote marked, for a row with `before`, `quote` and `after`."""
    if column != "quote" or not isinstance(value, str):
        return None
    try:
        keys = set(row.keys())
    except AttributeError:
        return None
    if not {"before", "after"} <= keys:
        return None
    before, after = row["before"] or "", row["after"] or ""
    return Markup('<span class="evidence">{}<mark>{}</mark>{}</span>').format(
        escape(before), escape(value), escape(after))

