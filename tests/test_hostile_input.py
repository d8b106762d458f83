"""Hostile and clumsy hand-written input (issue 16): raw files, sidecars and coding files. One test per family,
each case a member of it: exit 2, a message naming the file (and the line and field where it has them), no
traceback, and the published package byte for byte as it was."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from conftest import cli, run_cli, snapshot

RAW = "data/raw"
REUTERS = "data/raw/000_cb672303a775cf7f.txt.meta.yaml"
NL = "data/coding/articles/nl-2017-03-ennetcom-messages-accessed.yaml"
EVENTS = "data/coding/events.yaml"
ACTORS = "data/coding/actors.yaml"
CASES_FILE = "data/coding/cases.yaml"
SIDECAR = """article_id: hostile-article
title: null
outlet: null
author: null
url: null
published: "2016-04-22"
published_precision: day
language: en
rights: written for this test
"""
TEXT = "Police said on Friday they seized the servers.\n"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` in an input file (which must hold it) with `new`."""
    path = root / rel
    text = path.read_text()
    assert old in text, f"{rel} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1))


def line_of(root: Path, rel: str, text: str) -> int:
    return next(n for n, line in enumerate((root / rel).read_text().splitlines(), 1) if text in line)


def refused(root: Path, *fragments: str, process: bool = False) -> str:
    """Build: exit 2, every fragment in stderr, no traceback, the package unchanged; stderr."""
    before = snapshot(root)
    run = run_cli if process else cli
    result = run("--root", str(root), "build", "--jobs", "1")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert snapshot(root) == before
    return result.stderr


def outside(tmp_path: Path, name: str, data: str = "root:x:0:0:root:/root:/bin/bash\n") -> Path:
    """A file outside the project (as /etc/passwd would be)."""
    path = tmp_path / "outside" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(data)
    return path


def _raw_link(root: Path, tmp_path: Path) -> list[str]:
    (root / RAW / "passwd.txt").symlink_to(outside(tmp_path, "passwd"))
    (root / RAW / "passwd.txt.meta.yaml").write_text(SIDECAR)
    return ["data/raw/passwd.txt: is a symbolic link, not a regular file"]


def _raw_fifo(root: Path, tmp_path: Path) -> list[str]:
    os.mkfifo(root / RAW / "pipe.txt")
    (root / RAW / "pipe.txt.meta.yaml").write_text(SIDECAR)
    return ["data/raw/pipe.txt: is a FIFO (named pipe), not a regular file",
            "data/raw/pipe.txt.meta.yaml: sidecar of data/raw/pipe.txt, which is not a regular file"]


def _raw_directory(root: Path, tmp_path: Path) -> list[str]:
    (root / RAW / "sub").mkdir()
    (root / RAW / "sub" / "a.txt").write_text(TEXT)
    (root / RAW / "sub.meta.yaml").write_text(SIDECAR)
    return ["data/raw/sub: is a directory, not a regular file",
            "data/raw/sub.meta.yaml: sidecar of data/raw/sub, which is not a regular file"]


def _raw_directory_link(root: Path, tmp_path: Path) -> list[str]:
    (root / RAW / "more").symlink_to(outside(tmp_path, "a.txt").parent, target_is_directory=True)
    return ["data/raw/more: is a symbolic link"]


def _raw_directory_is_a_link(root: Path, tmp_path: Path) -> list[str]:
    moved = tmp_path / "outside-raw"
    (root / RAW).rename(moved)
    (root / RAW).symlink_to(moved, target_is_directory=True)
    return ["data/raw: is a symbolic link, not a directory"]


def _sidecar_without_raw(root: Path, tmp_path: Path) -> list[str]:
    (root / RAW / "ghost.txt.meta.yaml").write_text(SIDECAR)
    return ["data/raw/ghost.txt.meta.yaml: sidecar of data/raw/ghost.txt, which does not exist"]


def _sidecar_link(root: Path, tmp_path: Path) -> list[str]:
    (root / RAW / "a.txt").write_text(TEXT)
    (root / RAW / "a.txt.meta.yaml").symlink_to(outside(tmp_path, "meta.yaml", SIDECAR))
    return ["data/raw/a.txt.meta.yaml: is a symbolic link"]


def _coding_file_link(root: Path, tmp_path: Path) -> list[str]:
    (root / "data/coding/articles/hostile.yaml").symlink_to(outside(tmp_path, "hostile.yaml"))
    return ["data/coding/articles/hostile.yaml: is a symbolic link"]


def _coding_directory_link(root: Path, tmp_path: Path) -> list[str]:
    moved = tmp_path / "outside-articles"
    (root / "data/coding/articles").rename(moved)
    (root / "data/coding/articles").symlink_to(moved, target_is_directory=True)
    return ["data/coding/articles: is a symbolic link, not a directory"]


def _registry_link(root: Path, tmp_path: Path) -> list[str]:
    target = outside(tmp_path, "cases.yaml", (root / CASES_FILE).read_text())
    (root / CASES_FILE).unlink()
    (root / CASES_FILE).symlink_to(target)
    return ["data/coding/cases.yaml: is a symbolic link"]


NOT_REGULAR: dict[str, Callable[[Path, Path], list[str]]] = {
    "raw-link-to-etc-passwd": _raw_link,
    "raw-fifo": _raw_fifo,
    "raw-directory": _raw_directory,
    "raw-directory-link": _raw_directory_link,
    "raw-directory-is-a-link": _raw_directory_is_a_link,
    "sidecar-without-raw": _sidecar_without_raw,
    "sidecar-link": _sidecar_link,
    "coding-file-link": _coding_file_link,
    "coding-directory-link": _coding_directory_link,
    "registry-link": _registry_link,
}


@pytest.mark.parametrize("case", NOT_REGULAR, ids=list(NOT_REGULAR))
def test_inputs_are_regular_files_inside_the_project(project: Path, tmp_path: Path, case: str) -> None:
    """A link, FIFO, directory or lone sidecar where an input file belongs is refused by name, never opened
    (a FIFO would block the build forever) and never published."""
    refused(project, *NOT_REGULAR[case](project, tmp_path))


AS_OF = '    as_of: "2017"\n    as_of_precision: year\n'
SOURCE = "    event_id: ennetcom-messages-accessed\n"
HUGE = "1" + "0" * 400
# (id, file, old text, new text, text on the line the error must name, field, words of the message)
MISTYPED = [
    ("sidecar-format-list", REUTERS, "format: wordpress-html", "format: [wordpress-html]", "format:", "format",
     "a list of 1 item(s) is not text"),
    ("sidecar-published-list", REUTERS, 'published: "2016-04-22"', 'published: ["2016-04-22"]', "published:",
     "published", "is not text"),
    ("sidecar-language-mapping", REUTERS, "language: en", "language: {en: yes}", "language:", "language",
     "a mapping of 1 item(s) is not text"),
    ("sidecar-encoding-list", REUTERS, "language: en", "language: en\nencoding: [utf-8]", "encoding:", "encoding",
     "is not text"),
    ("source-event-id-list", NL, SOURCE, "    event_id: [ennetcom-messages-accessed]\n", "event_id: [", "event_id",
     "is not text"),
    ("source-id-list", NL, "  - id: s01\n", "  - id: [s01]\n", "id: [", "id", "is not text"),
    ("source-event-id-number", NL, SOURCE, "    event_id: 2016\n", "event_id: 2016", "event_id",
     "'2016' is not a known events.event_id"),
    ("date-expression-list", NL, "    date_expression: donderdag\n", "    date_expression: [donderdag]\n",
     "date_expression: [", "date_expression", "is not text"),
    ("prefix-list", NL, "    date_expression: donderdag\n", "    date_expression: donderdag\n    prefix: [De]\n",
     "prefix:", "prefix", "is not text"),
    ("occurrence-boolean", NL, "    date_expression: donderdag\n",
     "    date_expression: donderdag\n    occurrence: true\n", "occurrence:", "occurrence", "is not a whole number"),
    ("as-of-precision-list", NL, "    as_of_precision: year\n", "    as_of_precision: [year]\n",
     "as_of_precision: [", "as_of_precision", "is not text"),
    ("case-id-list", NL, "case_id: ennetcom", "case_id: [ennetcom]", "case_id:", "case_id", "is not text"),
    ("value-beyond-a-float", NL, "    value: 3600000", f"    value: {HUGE}", "value: 1000", "value",
     "an integer of about 401 digits is not a finite number"),
    ("event-date-year-1", EVENTS, 'date_end: "2016-04-22"', 'date_end: "0001-04-22"', '"0001-04-22"', "date_end",
     "0001-04-22 is before 1900-01-01"),
]


@pytest.mark.parametrize(("file", "old", "new", "line_text", "field", "words"), [c[1:] for c in MISTYPED],
                         ids=[c[0] for c in MISTYPED])
def test_every_value_is_typed_before_use(project: Path, file: str, old: str, new: str, line_text: str,
                                         field: str, words: str) -> None:
    """A value of the wrong shape (a list or mapping where a scalar belongs, a number where text belongs, an
    integer beyond a float, year 1) is reported at its file, line and field, before any code uses it."""
    edit(project, file, old, new)
    refused(project, f"{file}:{line_of(project, file, line_text)}: {field}: ", words)


DEEP_FLOW = "[" * 100_000 + "]" * 100_000
DEEP_BLOCK = "".join(f"{' ' * depth}k:\n" for depth in range(1, 200))
LAUGHS = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9))
# (id, file, text appended, line the error is on (None: the file), words of the message)
OVERSIZED = [
    ("flow-nesting-segfaults-libyaml", NL, f"notes: {DEEP_FLOW}\n", "last", "collections nest more than 32 deep"),
    ("block-nesting", REUTERS, f"deep:\n{DEEP_BLOCK}", "depth", "collections nest more than 32 deep"),
    ("billion-laughs", NL, f"l0: &l0 x\n{LAUGHS}", "laughs", "aliases expand to more than 10,000 nodes"),
    ("integer-of-5000-digits", NL, f"notes: {'9' * 5000}\n", "last", "invalid YAML: cannot read"),
    ("unhashable-key", REUTERS, "? [a, b]\n: c\n", "key", "invalid YAML: a list cannot be a key"),
    ("larger-than-16-mib", REUTERS, "# " + "x" * (16 * 2**20) + "\n", None, "file is larger than 16,777,216 bytes"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("file", "appended", "where", "words"), [c[1:] for c in OVERSIZED],
                         ids=[c[0] for c in OVERSIZED])
def test_yaml_is_bounded_before_it_is_parsed(project: Path, file: str, appended: str, where: str | None,
                                             words: str) -> None:
    """Nesting that crashes libyaml's composer (a segfault, no message), alias expansion that exhausts memory,
    integers Python cannot read and files too large are refused at their line. In a real process: a crash
    would show as a negative exit code, not a failed assertion."""
    path = project / file
    before = len(path.read_text().splitlines())
    path.write_text(path.read_text() + appended)
    lines = {"last": before + 1, "depth": before + 1 + 32, "laughs": before + 6, "key": before + 1}
    refused(project, f"{file}:{lines[where]}: " if where else f"{file}: ", words, process=True)


def _edits(*edits: tuple[str, str, str]) -> list[tuple[str, str, str]]:
    return list(edits)


ANOTHER_CASE = "  - case_id: other\n    case_name: Other\n    country: NL\n    description: Another takedown.\n"
# (id, edits, file, text on the line the error must name, field, words of the message)
UNCHECKED = [
    ("article-of-unknown-case", _edits((NL, "case_id: ennetcom", "case_id: encrochat")), NL, "case_id:",
     "case_id", "'encrochat' is not a known cases.case_id"),
    ("source-of-another-case", _edits(
        (CASES_FILE, "cases:\n", "cases:\n" + ANOTHER_CASE),
        (EVENTS, "  - event_id: ennetcom-investigation\n    case_id: ennetcom",
         "  - event_id: ennetcom-investigation\n    case_id: other"),
    ), NL, "event_id: ennetcom-investigation", "event_id", "is of case 'other', but this article is coded for case "
     "'ennetcom'"),
    ("case-names-of-unknown-case", _edits((ACTORS, "      any: [Ennetcom]\n",
                                           "      any: [Ennetcom]\n    case_names:\n      encrochat: [het bedrijf]\n")),
     ACTORS, "encrochat: [het bedrijf]", "case_names", "'encrochat' is not a case_id"),
    ("names-of-unknown-language", _edits((ACTORS, "      any: [Ennetcom]\n", "      fr: [Ennetcom]\n")), ACTORS,
     "fr: [Ennetcom]", "names", "'fr' is not a language code or `any`"),
    ("published-after-release", _edits((REUTERS, 'published: "2016-04-22"', 'published: "2030-04-22"')), REUTERS,
     "published:", "published", "is after this version's release date"),
    ("published-in-year-1", _edits((REUTERS, 'published: "2016-04-22"', 'published: "0001-04-22"')), REUTERS,
     "published:", "published", "is before 1900-01-01"),
    ("event-after-its-only-source", _edits((EVENTS, 'date_end: "2016-04-22"', 'date_end: "2016-05-22"')), EVENTS,
     "date_start: null", "date_start", "breaks rule event_not_after_sources"),
    ("figure-as-of-after-publication", _edits((NL, AS_OF, '    as_of: "2018-01"\n    as_of_precision: month\n')),
     NL, 'as_of: "2018-01"', "as_of", "breaks rule as_of_not_after_published"),
    ("unknown-encoding-at-the-sidecar", _edits((REUTERS, "language: en", "language: en\nencoding: rot13")), REUTERS,
     "encoding:", "encoding", "unknown encoding 'rot13'"),
]


@pytest.mark.parametrize(("edits", "file", "line_text", "field", "words"), [c[1:] for c in UNCHECKED],
                         ids=[c[0] for c in UNCHECKED])
def test_what_was_silently_accepted_is_refused(project: Path, edits: list[tuple[str, str, str]], file: str,
                                               line_text: str, field: str, words: str) -> None:
    """References to nothing or to another case, dates that cannot be true for the article that reports them
    (after the release date in pyproject.toml, after the only source), and a bad declared encoding."""
    for rel, old, new in edits:
        edit(project, rel, old, new)
    refused(project, f"{file}:{line_of(project, file, line_text)}: {field}: ", words)


UTF16_TEXT = "Police said on Friday they seized the servers of the network.\n"
# (id, bytes of the raw file, what the message says its encoding looks like)
ENCODINGS = [
    ("utf-16-with-bom", UTF16_TEXT.encode("utf-16"), "data/raw/a.txt:1: starts with a UTF-16 (little-endian) "
     "byte-order mark (expected plain UTF-8; declare `encoding: utf-16`"),
    ("utf-32-be-with-bom", UTF16_TEXT.encode("utf-32-be").join([b"\x00\x00\xfe\xff", b""]),
     "data/raw/a.txt:1: starts with a UTF-32 (big-endian) byte-order mark"),
    ("utf-16-le-without-bom", UTF16_TEXT.encode("utf-16-le"), "data/raw/a.txt: looks like UTF-16-LE text without a "
     "byte-order mark"),
    ("utf-32-le-without-bom", UTF16_TEXT.encode("utf-32-le"), "data/raw/a.txt: looks like UTF-32-LE text"),
]


@pytest.mark.parametrize(("data", "words"), [c[1:] for c in ENCODINGS], ids=[c[0] for c in ENCODINGS])
def test_undeclared_encoding_is_named(project: Path, data: bytes, words: str) -> None:
    """Bytes in another Unicode encoding, with no `encoding:` declared, are refused with the encoding they
    look like (a byte-order mark, NUL bytes between ASCII letters) and the declaration that reads them."""
    (project / RAW / "a.txt").write_bytes(data)
    (project / RAW / "a.txt.meta.yaml").write_text(SIDECAR)
    refused(project, words)


def test_declared_utf16_is_read(project: Path) -> None:
    """`encoding: utf-16` is honoured: the NUL bytes of UTF-16 are not taken for binary content."""
    (project / RAW / "a.txt").write_bytes(UTF16_TEXT.encode("utf-16"))
    (project / RAW / "a.txt.meta.yaml").write_text(SIDECAR + "encoding: utf-16\n")
    result = cli("--root", str(project), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    articles = pd.read_parquet(project / "data/processed/articles.parquet").set_index("article_id")
    assert articles.at["hostile-article", "text"] == UTF16_TEXT.strip()


DETECT_SIDECAR = ("article_id: a\ntitle: null\noutlet: null\nauthor: null\nurl: null\npublished: 2016-04-22\n"
           "published_precision: day\nlanguage: en\nrights: null\n")
DETECT_INPUTS = {  # what is beside or instead of the article -> (where, words of the message)
    "sidecar-list-value": ("sidecar", DETECT_SIDECAR.replace("published: 2016-04-22", "published: [2016]"),
                           "a.txt.meta.yaml:6: published: a list of 1 item(s) is not text"),
    "sidecar-unknown-encoding": ("sidecar", DETECT_SIDECAR + "encoding: rot13\n", "a.txt.meta.yaml:10: encoding:"),
    "sidecar-misspelt-key": ("sidecar", DETECT_SIDECAR + "lanugage: nl\n", "a.txt.meta.yaml:10: lanugage: unknown key"),
    "sidecar-not-a-mapping": ("sidecar", "- a\n- b\n", "a.txt.meta.yaml:1: expected a YAML mapping"),
    "article-is-a-fifo": ("fifo", "", "a.txt: is a FIFO"),
    "article-is-a-directory": ("directory", "", "a.txt: is a directory"),
}


@pytest.mark.parametrize("command", ["detect", "suggest"])
@pytest.mark.parametrize(("kind", "content", "message"), DETECT_INPUTS.values(), ids=DETECT_INPUTS.keys())
def test_detect_and_suggest_check_what_they_read(project: Path, tmp_path: Path, command: str, kind: str,
                                                 content: str, message: str) -> None:
    """`dataset detect` and `suggest` read an article given on the command line and its sidecar: the sidecar is
    checked as the build checks it, and a FIFO or directory is refused without being opened (a FIFO would
    block for ever)."""
    article = tmp_path / "a.txt"
    if kind == "fifo":
        os.mkfifo(article)
    elif kind == "directory":
        article.mkdir()
    else:
        article.write_text("About 1,500 euros each.\n", encoding="utf-8")
        (tmp_path / "a.txt.meta.yaml").write_text(content, encoding="utf-8")
    extra = ("--case", "ennetcom") if command == "suggest" else ()
    result = cli("--root", str(project), command, str(article), *extra, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
