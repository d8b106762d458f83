"""The exports for other tools (dataset.exports): W3C Web Annotations, generated from the published package,
listed in datapackage.json with their hashes, byte-identical on rebuild."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from conftest import cli, copy_inputs
from dataset.exports import EXPORTS_DIR
from dataset.exports.annotations import ANCHORED, CONTEXT, anchor, quote_context

W3C = Path(__file__).parent / "fixtures/w3c/anno.jsonld"
JSONLD_KEYWORDS = {"@context", "@id", "@type", "@value", "@language", "@list", "@set", "@graph"}


def load(root: Path, name: str) -> list[dict[str, Any]]:
    return pq.read_table(root / f"data/processed/{name}.parquet").to_pylist()


@pytest.fixture(scope="module")
def annotations(built: Path) -> dict[str, Any]:
    return json.loads((built / EXPORTS_DIR / "annotations.jsonld").read_text(encoding="utf-8"))


def test_every_annotation_reanchors_at_its_published_offsets(built: Path, annotations: dict[str, Any]) -> None:
    """The quote selector alone (exact, prefix, suffix) finds the passage again in the article's text, at the
    offsets the position selector and the published row give."""
    articles = {a["article_id"]: a for a in load(built, "articles")}
    items = annotations["first"]["items"]
    expected = {}
    for table, (_quote, key, _) in ANCHORED.items():
        for row in load(built, table):
            expected[(table, tuple(row[k] for k in key))] = row
    assert annotations["total"] == len(items) == len(expected) == 24 + 9 + 36
    seen = set()
    for item in items:
        row = json.loads(item["body"]["value"])
        table = next(t for t, (_, key, _) in ANCHORED.items() if set(key) <= set(row) and
                     (t, tuple(row[k] for k in key)) in expected)
        seen.add((table, tuple(row[k] for k in ANCHORED[table][1])))
        quote_sel, position = item["target"]["selector"]
        text = articles[row["article_id"]]["text"]
        start, end = anchor(text, quote_sel["exact"], quote_sel["prefix"], quote_sel["suffix"])
        assert (start, end) == (position["start"], position["end"]) == (row["start"], row["end"])
        assert text[start:end] == row[ANCHORED[table][0]] == quote_sel["exact"]
        url = articles[row["article_id"]]["url"]
        assert item["target"]["source"] == (url or "urn:uuid:" + str(uuid.uuid5(
            uuid.NAMESPACE_URL, f"cryptophone-takedowns:article:{row['article_id']}")))
    assert seen == set(expected)
    assert len({item["id"] for item in items}) == len(items)


def test_an_article_without_a_url_has_a_stable_urn(built: Path, annotations: dict[str, Any]) -> None:
    """The Dutch seed has no URL: its annotations' source is one urn:uuid, the same on every build."""
    nl = "nl-2017-03-ennetcom-messages-accessed"
    assert next(a for a in load(built, "articles") if a["article_id"] == nl)["url"] is None
    sources = {i["target"]["source"] for i in annotations["first"]["items"]
               if json.loads(i["body"]["value"])["article_id"] == nl}
    assert sources == {"urn:uuid:c6a935e8-e39e-512d-82b7-555c4bbd41b3"}


def _terms(context: dict[str, Any]) -> tuple[set[str], set[str], set[str]]:
    """The context's properties, classes (terms mapped to a capitalised local name) and motivations."""
    terms = {k: v for k, v in context.items() if ":" not in str(k)}
    prefixes = {k for k, v in terms.items() if isinstance(v, str) and v.startswith("http")}
    classes = {k for k, v in terms.items() if isinstance(v, str) and k not in prefixes and k[0].isupper()}
    motivations = {k for k, v in terms.items() if isinstance(v, str) and v.startswith("oa:") and k[0].islower()
                   and k not in {"bodyText", "text", "start", "end", "exact", "prefix", "suffix", "styleClass",
                                 "sourceDate", "sourceDateStart", "sourceDateEnd"}}
    properties = {k for k in terms if k not in prefixes and k not in classes} - motivations
    return properties, classes, motivations


def test_the_export_fits_the_web_annotation_context(annotations: dict[str, Any]) -> None:
    """Against the model's own JSON-LD context (vendored: no network in tests): every key is a term it
    defines, every type one of its classes, every motivation and purpose one of its motivations, and each
    object has what the model requires of it (an Annotation: id, type, body, target; a quote selector:
    exact; a position selector: integers start <= end)."""
    w3c = json.loads(W3C.read_text(encoding="utf-8"))
    assert "W3C" in w3c["dc:rights"]
    properties, classes, motivations = _terms(w3c["@context"])
    assert {"TextQuoteSelector", "TextPositionSelector", "Annotation"} <= classes
    assert annotations["@context"] == CONTEXT == "http://www.w3.org/ns/anno.jsonld"

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            assert key in properties or key in JSONLD_KEYWORDS, f"{key!r} is not a term of the context"
            if key == "type":
                assert value in classes, value
            if key in ("motivation", "purpose"):
                assert value in motivations, value
            walk(value)

    walk(annotations)
    assert annotations["type"] == "AnnotationCollection" and annotations["first"]["type"] == "AnnotationPage"
    for item in annotations["first"]["items"]:
        assert item.keys() >= {"id", "type", "body", "target"} and item["type"] == "Annotation"
        assert item["id"].startswith("urn:uuid:")
        assert item["body"]["type"] == "TextualBody" and isinstance(item["body"]["value"], str)
        assert item["target"]["source"].startswith(("http://", "https://", "urn:uuid:"))
        quote_sel, position = item["target"]["selector"]
        assert quote_sel["type"] == "TextQuoteSelector" and isinstance(quote_sel["exact"], str) and quote_sel["exact"]
        assert position["type"] == "TextPositionSelector"
        assert isinstance(position["start"], int) and isinstance(position["end"], int)
        assert 0 <= position["start"] < position["end"]


def test_quote_context_grows_until_the_passage_is_unique() -> None:
    text = "x" * 100 + "AB" + "x" * 100 + "AB" + "x" * 99 + "y"
    prefix, suffix = quote_context(text, 202, 204, minimum=4)
    assert anchor(text, "AB", prefix, suffix) == (202, 204)
    assert len(suffix) > 4  # 4 characters each side occur around both copies
    with pytest.raises(ValueError, match="more than once"):
        anchor(text, "AB", "xx", "xx")
    with pytest.raises(ValueError, match="not found"):
        anchor(text, "AB", "y", "")


def test_exports_are_listed_with_their_hashes(built: Path) -> None:
    package = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    exported = {r["path"]: r for r in package["resources"] if r["path"].startswith(EXPORTS_DIR + "/")}
    on_disk = {p.relative_to(built).as_posix() for p in (built / EXPORTS_DIR).rglob("*") if p.is_file()}
    assert set(exported) == on_disk and "exports/annotations.jsonld" in on_disk
    for path, res in exported.items():
        data = (built / path).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and res["bytes"] == len(data)
        assert res["sources"] and all((built / s["path"]).is_file() for s in res["sources"])


def test_exports_are_byte_identical_on_rebuild(tmp_path: Path, built: Path) -> None:
    again = copy_inputs(tmp_path / "again")
    assert cli("--root", str(again), "build", "--jobs", "2").returncode == 0

    def digests(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted((root / EXPORTS_DIR).rglob("*")) if p.is_file()}

    assert digests(again) == digests(built)
    assert (again / "datapackage.json").read_bytes() == (built / "datapackage.json").read_bytes()
