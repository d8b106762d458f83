"""Bad raw input never corrupts the dataset: each case runs the command's entry point (in this process) on a
project copy, expects exit 2, a message naming the file (and line where there is one), no traceback, and the
old package unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import cli, snapshot

SIDECAR = """article_id: {article_id}
title: null
outlet: null
author: null
url: null
published: "{published}"
published_precision: day
language: {language}
rights: written for this test
"""


def add_article(root: Path, name: str, data: bytes, *, article_id: str = "test-article",
                published: str = "2016-04-22", language: str = "en", extra: str = "") -> None:
    (root / "data/raw" / name).write_bytes(data)
    sidecar = SIDECAR.format(article_id=article_id, published=published, language=language) + extra
    (root / "data/raw" / f"{name}.meta.yaml").write_text(sidecar)


def expect_refusal(root: Path, *fragments: str) -> str:
    before = snapshot(root)
    result = cli("--root", str(root), "build")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert snapshot(root) == before
    assert not list(root.glob(".build-*"))
    return result.stderr


CASES = [
    ("windows-1252", "a.txt", "Caf\xe9 prices rose.\n".encode("cp1252"), "",
     ["data/raw/a.txt:1: not UTF-8: byte 0xe9 at offset 3"]),
    ("latin-1-second-line", "a.txt", "First line.\nna\xefve\n".encode("latin-1"), "",
     ["data/raw/a.txt:2: not UTF-8: byte 0xef at offset 14"]),
    ("utf8-bom", "a.txt", b"\xef\xbb\xbfHello world.\n", "", ["data/raw/a.txt:1: starts with a UTF-8 byte-order mark"]),
    ("empty", "a.txt", b"", "", ["data/raw/a.txt: file is empty"]),
    ("binary", "a.txt", b"PK\x03\x04\x00\x00zip", "", ["data/raw/a.txt: binary content: NUL byte at offset 4"]),
    ("front-matter-not-closed", "a.txt", b"---\ntitle: x\n\n<p>Body</p>\n", "",
     ["data/raw/a.txt:1: front matter opened with '---' is never closed"]),
    ("front-matter-yaml-tag", "a.txt", b'---\ntitle: !!python/object/apply:os.system ["echo PWNED"]\n---\n<p>B</p>\n',
     "", ["data/raw/a.txt:2: invalid YAML: could not determine a constructor for the tag"]),
    ("unknown-sidecar-key", "a.txt", b"Some text.\n", "lanugage: en\n",
     ["data/raw/a.txt.meta.yaml:10: lanugage: unknown key"]),
    ("unknown-encoding", "a.txt", b"Some text.\n", "encoding: klingon\n", ["unknown encoding 'klingon'"]),
]


@pytest.mark.parametrize(("name", "data", "extra", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_raw_file_is_refused(project: Path, name: str, data: bytes, extra: str, fragments: list[str]) -> None:
    add_article(project, name, data, extra=extra)
    expect_refusal(project, *fragments)


def test_unknown_language(project: Path) -> None:
    add_article(project, "a.txt", b"Some text.\n", language="fr")
    expect_refusal(project, "data/raw/a.txt.meta.yaml:8: language: 'fr' is not a language code")


def test_impossible_date(project: Path) -> None:
    add_article(project, "a.txt", b"Some text.\n", published="2016-02-30")
    expect_refusal(project, "data/raw/a.txt.meta.yaml:6: published: breaks rule published_fits_precision")


def test_missing_sidecar(project: Path) -> None:
    (project / "data/raw/a.txt").write_text("Some text.\n")
    expect_refusal(project, "data/raw/a.txt: sidecar data/raw/a.txt.meta.yaml is missing")


def test_duplicate_article(project: Path) -> None:
    raw = project / "data/raw/002_1c2a235e5c2e0eec.txt"
    add_article(project, "copy.txt", raw.read_bytes(), article_id="copy")
    expect_refusal(project, "data/raw/copy.txt: same bytes as data/raw/002_1c2a235e5c2e0eec.txt")


def test_raw_file_changed_after_coding(project: Path) -> None:
    raw = project / "data/raw/002_1c2a235e5c2e0eec.txt"
    raw.write_bytes(raw.read_bytes() + b"\n\nEen nieuwe alinea.\n")
    expect_refusal(project, "data/coding/articles/nl-2017-03-ennetcom-messages-accessed.yaml:4: raw_sha256: raw "
                   "file data/raw/002_1c2a235e5c2e0eec.txt changed after it was coded")


def test_declared_encoding_is_decoded(project: Path) -> None:
    add_article(project, "a.txt", "Caf\xe9 prices rose.\n".encode("cp1252"), extra="encoding: cp1252\n")
    assert cli("--root", str(project), "build").returncode == 0
    articles = pd.read_parquet(project / "data/processed/articles.parquet").set_index("article_id")
    assert articles.at["test-article", "text"] == "Café prices rose."


def test_script_and_style_never_reach_the_clean_text(project: Path) -> None:
    html = b"---\ntitle: x\n---\n<p>Visible.</p><script>var secret=1;</script><style>p{color:red}</style><p>Also.</p>"
    add_article(project, "a.txt", html)
    assert cli("--root", str(project), "build").returncode == 0
    articles = pd.read_parquet(project / "data/processed/articles.parquet").set_index("article_id")
    assert articles.at["test-article", "text"] == "Visible.\n\nAlso."
