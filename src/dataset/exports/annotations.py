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

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dataset.datapackage.parquet import json_value
from dataset.exports import ANCHORED as QUOTED
from dataset.exports import ExportFile

if TYPE_CHECKING:
    from dataset.pipeline.cache import Store

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
FILE = "annotations.jsonld"
MEDIATYPE = 'application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"'
NAMESPACE = "cryptophone-takedowns"
# The quote-anchored tables (`dataset.exports.ANCHORED`: the quote's column, the key columns), each with its
# motivation (an event source or a figure describes its passage; a mention identifies an actor).
MOTIVATIONS = {"event_sources": "describing", "figures": "describing", "mentions": "identifying"}
ANCHORED: dict[str, tuple[str, tuple[str, ...], str]] = {
    table: (quote, key, MOTIVATIONS[table]) for table, (quote, key) in QUOTED.items()}
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


def annotation(table: str, row: Mapping[str, Any], article: Mapping[str, Any]) -> dict[str, Any]:
    """The annotation of one row of an anchored `table`, on its `article` (its url and text)."""
    quote_column, key, motivation = ANCHORED[table]
    text, start, end = article["text"], row["start"], row["end"]
    prefix, suffix = quote_context(text, start, end)
    body = json.dumps({k: json_value(v) for k, v in row.items()}, ensure_ascii=False, separators=(",", ":"))
    return {
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
    }


def collection(descriptor: Mapping[str, Any], items: list[dict[str, Any]], total: int) -> dict[str, Any]:
    """The whole export: one AnnotationCollection of `total` annotations with one page of `items`."""
    name, version = str(descriptor.get("name", NAMESPACE)), str(descriptor.get("version", ""))
    collection_id = stable_urn("annotations", version)
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"{descriptor.get('title', name)} {version}: quote-anchored rows".strip(),
        "total": total,
        "first": {
            "id": stable_urn("annotations", version, "page", "0"),
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        },
    }


# The file is `json.dumps(collection(...), indent=1, ensure_ascii=False)` and a newline. It is written in
# pieces: the document with no items, up to its empty list of items (the last key of the last object, so the
# document ends with EMPTY_END), then each annotation as json.dumps gives it alone with its lines indented by
# the list's depth (ITEM_INDENT; a JSON string holds no raw newline), separated as json.dumps separates them.
EMPTY_END = '[]\n }\n}'
ITEM_INDENT = "\n   "
ITEMS_END = "\n  ]\n }\n}"
# Rows of a table per piece, on average (cut where a row's key hashes so, `chunk_bounds`): a changed row
# writes its piece again, a few hundred annotations, and the rest of the file comes from the build's cache.
PIECE_ROWS = 256
PIECE_MOST = 2048


def piece_text(table: str, rows: pa.Table, articles: Mapping[str, Mapping[str, Any]]) -> bytes:
    """The annotations of `rows` of `table` as they stand in the file, one after the other (UTF-8)."""
    items = (json.dumps(annotation(table, row, articles[row["article_id"]]), indent=1, ensure_ascii=False)
             for row in rows.to_pylist())
    return ("," + ITEM_INDENT).join(item.replace("\n", ITEM_INDENT) for item in items).encode("utf-8")


def pieces(table: str, rows: pa.Table) -> list[pa.Table]:
    """`rows` cut into pieces at boundaries set by the rows' keys (`chunk_bounds`), so that an edited row changes
    its own piece only, and an added or removed one the pieces around it."""
    from dataset.pipeline.cache import chunk_bounds

    key = ANCHORED[table][1]
    names = zip(*(rows.column(k).to_pylist() for k in key), strict=True)
    keys = [hashlib.sha256(":".join((table, *map(str, name))).encode()).hexdigest() for name in names]
    return [rows.slice(start, end - start) for start, end in chunk_bounds(keys, PIECE_ROWS, PIECE_MOST)]


def cached_piece(store: Store, table: str, rows: pa.Table, articles: Mapping[str, Mapping[str, Any]],
                 article_digests: dict[str, str]) -> bytes:
    """`piece_text`, from the build's cache when stored under what it is made of: the rows (their Arrow
    stream), each of their articles' url and text, and the code."""
    from dataset.pipeline.cache import code_fingerprint, fingerprint, table_digest

    used = sorted(set(rows.column("article_id").to_pylist()))
    for article_id in used:
        if article_id not in article_digests:
            article = articles[article_id]
            article_digests[article_id] = fingerprint(article["url"], article["text"])
    key = fingerprint("annotations", code_fingerprint(), table, table_digest(rows),
                      [(a, article_digests[a]) for a in used])
    data = store.load("annotations", key)
    if data is None:
        data = piece_text(table, rows, articles)
        store.save("annotations", key, data)
    return data


def write(tables: Mapping[str, pa.Table], descriptor: Mapping[str, Any], out_dir: Path,
          store: Store | None = None) -> list[Path]:
    """Write the export; with a `store` (the build's cache), each piece of the annotations whose rows and
    articles are unchanged is taken from it (`cached_piece`), so an edit writes its own annotations again,
    not 170 MB of them (a 10,000-article package). The bytes are the same either way."""
    articles = {row["article_id"]: row for row in tables["articles"].select(["article_id", "url", "text",
                                                                             "language"]).to_pylist()}
    article_digests: dict[str, str] = {}
    parts: list[bytes] = []
    total = 0
    for table in ANCHORED:
        if table not in tables:
            continue
        total += tables[table].num_rows
        for rows in pieces(table, tables[table]):
            parts.append(piece_text(table, rows, articles) if store is None
                         else cached_piece(store, table, rows, articles, article_digests))
    document = json.dumps(collection(descriptor, [], total), indent=1, ensure_ascii=False)
    if not document.endswith(EMPTY_END):
        raise ValueError("the annotation collection does not end with its list of items")
    path = out_dir / FILE
    with open(path, "wb") as out:
        out.write(document[:-len(EMPTY_END)].encode("utf-8"))
        if parts:
            out.write(("[" + ITEM_INDENT).encode("utf-8"))
            between = ("," + ITEM_INDENT).encode("utf-8")
            for n, part in enumerate(parts):  # written one by one: joined first, 170 MB more to allocate and copy
                out.write(between + part if n else part)
            out.write((ITEMS_END + "\n").encode("utf-8"))
        else:
            out.write((EMPTY_END + "\n").encode("utf-8"))
    return [path]
