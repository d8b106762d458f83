"""Mark-level provenance: for every mark a chart draws, the table and the row keys it comes from.

A chart records each mark as it draws it (`record`), on the Figure itself, so the list cannot drift from
what was drawn; `render` checks that every mark names an artist of the figure (its SVG id) and writes the
list beside the images as `<chart>.marks.json`. A reader goes from a dot in a paper's figure (its id in
the SVG, or its label) to the rows behind it, and from a figure's or an event source's row to its quote.

Each mark is {"mark": SVG id, "index": point in a collection or null, "table": name, "rows": [primary
keys], "label": the text that names the mark on the chart, "value": what its position or size encodes}.
The file is JSON with sorted keys, marks in (mark, index) order: the same package gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from dataset.datapackage.parquet import json_value

_ATTRIBUTE = "_dataset_marks"  # where a Figure keeps its marks while it is drawn and written


def record(fig: Figure, mark: str, table: str, rows: Sequence[Mapping[str, Any]], label: str, value: Any,
           index: int | None = None) -> None:
    """Note that `fig` draws mark `mark` (the gid of its artist; `index`: the point in a collection) from
    `rows` (each the primary key of one row of `table`), named `label` on the chart, encoding `value`."""
    marks = fig.__dict__.setdefault(_ATTRIBUTE, [])
    marks.append({"mark": mark, "index": index, "table": table, "rows": [json_value(dict(r)) for r in rows],
                  "label": label, "value": json_value(value)})


def of(fig: Figure) -> list[dict[str, Any]]:
    """The marks `fig` records, in (mark, index) order; each must name an artist of the figure by its gid."""
    marks = sorted(fig.__dict__.get(_ATTRIBUTE, []), key=lambda m: (m["mark"], m["index"] if m["index"] is not
                                                                       None else -1))
    gids = {a.get_gid() for a in fig.findobj(lambda a: a.get_gid() is not None)}
    missing = sorted({m["mark"] for m in marks} - gids)
    if missing:
        raise RuntimeError(f"marks recorded without an artist of that id: {missing}")
    return marks


def to_bytes(chart: str, marks: Sequence[Mapping[str, Any]]) -> bytes:
    """The marks file: JSON with sorted keys and fixed indentation, so a diff of two releases shows marks."""
    document = {"chart": chart, "marks": list(marks)}
    return (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode()


