"""W3C Web Annotation export: every quote-anchored row as an annotation on its article (JSON-LD).

One file, `exports/annotations.jsonld`: an AnnotationCollection (Web Annotation Data Model, section 5) whose
one AnnotationPage holds an Annotation for each row of `event_sources`, `figures` and `mentions`, the tables
whose rows are anchored by a quote (`not_figures` of the coding files are not published, so not exported).

- `target`: a SpecificResource whose `source` is the article's URL, with a TextQuoteSelector (`exact`, and a
  `prefix` and `suffix` long enough that the three together occur once in the text) and a
  TextPositionSelector (`start`, `end`). Both select in the article's clean text (`articles.text`, in Unicode
  code points, as the published offsets do), not in the HTML a browser shows at the URL.
- An article without a URL gets a stable identifier of its own: `urn:uuid:` with the UUID version 5 of
  "cryptophone-takedowns:article:<article_id>" in the URL namespace (RFC 9562), the same in every version.
- `body`: the coded row itself, as published, in a TextualBody (`format` application/json, `value` the row
  as a JSON object): the model has no term for the package's columns, and a TextualBody keeps them intact
  under JSON-LD processing.
- `id`: `urn:uuid:` with the UUID version 5 of "cryptophone-takedowns:<table>:<primary key>" (stable across
  versions as long as the row's key is).

The JSON-LD context is the model's own, `http://www.w3.org/ns/anno.jsonld`, referenced, never fetched.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from dataset.datapackage.parquet import json_value
from dataset.exports import ExportFile

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
FILE = "annotations.jsonld"
MEDIATYPE = 'application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"'
NAMESPACE = "cryptophone-takedowns"
# The tables whose rows are anchored in an article by a quote: the column holding the quote, the key columns,
# and the motivation (an event source or a figure describes its passage; a mention identifies an actor).
ANCHORED: dict[str, tuple[str, tuple[str, ...], str]] = {
    "event_sources": ("quote", ("source_id",), "describing"),
    "figures": ("quote", ("figure_id",), "describing"),
    "mentions": ("surface", ("mention_id",), "identifying"),
}
CONTEXT_CHARS = 32  # prefix and suffix: at least this long, longer where needed to be unique


def files(tables: Sequence[str]) -> list[ExportFile]:
    return [ExportFile(
        "annotations", FILE, "jsonld", MEDIATYPE, "W3C Web Annotations",
        "Every quote-anchored row (event sources, stated figures, actor mentions) as a W3C Web Annotation "
        "(JSON-LD, context http://www.w3.org/ns/anno.jsonld): a TextQuoteSelector and a TextPositionSelector "
        "on the article's clean text, the article's URL as the source (urn:uuid of the article_id where it "
        "has none), the coded row as the body.")]


def stable_urn(*parts: str) -> str:
    """A `urn:uuid:` identifier that depends on `parts` alone (UUID v5): the same on every build."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, ":".join((NAMESPACE, *parts))))


def article_source(article_id: str, url: str | None) -> str:
    return url if url else stable_urn("article", article_id)


def quote_context(text: str, start: int, end: int, minimum: int = CONTEXT_CHARS) -> tuple[str, str]:
    """Prefix and suffix around text[start:end]: `minimum` characters each (fewer at the text's ends), grown
    until prefix + exact + suffix occurs only once in the text, so that the quote selector alone re-anchors."""
    size = minimum
    while True:
        prefix, suffix = text[max(0, start - size):start], text[end:end + size]
        needle = prefix + text[start:end] + suffix
        first = text.find(needle)
        if text.find(needle, first + 1) == -1 or (start - size <= 0 and end + size >= len(text)):
            return prefix, suffix
        size *= 2


def anchor(text: str, exact: str, prefix: str, suffix: str) -> tuple[int, int]:
    """Re-anchor a TextQuoteSelector on `text`: the (start, end) of `exact` where prefix + exact + suffix
    occurs. Raises ValueError when it does not occur exactly once."""
    needle = prefix + exact + suffix
    first = text.find(needle)
    if first == -1:
        raise ValueError(f"quote {exact!r} not found with its prefix and suffix")
    if text.find(needle, first + 1) != -1:
        raise ValueError(f"quote {exact!r} occurs more than once with its prefix and suffix")
    return first + len(prefix), first + len(prefix) + len(exact)


def annotations(tables: Mapping[str, pa.Table]) -> list[dict[str, Any]]:
    """The annotations of every anchored row, table by table in ANCHORED order, rows in published order."""
    articles = {row["article_id"]: row for row in tables["articles"].select(["article_id", "url", "text",
                                                                             "language"]).to_pylist()}
    out = []
    for table, (quote_column, key, motivation) in ANCHORED.items():
        if table not in tables:
            continue
        for row in tables[table].to_pylist():
            article = articles[row["article_id"]]
            text, start, end = article["text"], row["start"], row["end"]
            prefix, suffix = quote_context(text, start, end)
            body = json.dumps({k: json_value(v) for k, v in row.items()}, ensure_ascii=False, separators=(",", ":"))
            out.append({
                "id": stable_urn(table, *(str(row[k]) for k in key)),
                "type": "Annotation",
                "motivation": motivation,
                "body": {
                    "type": "TextualBody",
                    "purpose": motivation,
                    "format": "application/json",
                    "value": body,
                },
                "target": {
                    "type": "SpecificResource",
                    "source": article_source(row["article_id"], article["url"]),
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": row[quote_column], "prefix": prefix,
                         "suffix": suffix},
                        {"type": "TextPositionSelector", "start": start, "end": end},
                    ],
                },
            })
    return out


def collection(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any]) -> dict[str, Any]:
    """The whole export: one AnnotationCollection with one page of every annotation."""
    items = annotations(tables)
    name, version = str(descriptor.get("name", NAMESPACE)), str(descriptor.get("version", ""))
    collection_id = stable_urn("annotations", version)
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"{descriptor.get('title', name)} {version}: quote-anchored rows".strip(),
        "total": len(items),
        "first": {
            "id": stable_urn("annotations", version, "page", "0"),
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        },
    }


def write(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any], out_dir: Path) -> list[Path]:
    path = out_dir / FILE
    path.write_text(json.dumps(collection(tables, descriptor), indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return [path]
