"""Raw article formats -> clean text. Pure functions on strings.

The clean text is what every offset in the dataset points into, so its rules are fixed and simple:
paragraphs separated by exactly one blank line ("\\n\\n"), white space inside a paragraph collapsed to one
space, no leading or trailing white space, Unicode NFC. Markup and publishing boilerplate never reach it.

Formats (a raw file's sidecar may name one; otherwise it is recognised from the file's first bytes):
- ``wordpress-html``: a blog export: YAML front matter between ``---`` lines, then an HTML body with
  WordPress shortcodes (``[ad_1]``) and a trailing "Source" link to the original.
- ``dated-text``: plain text that starts with `` date YYYY[-MM[-DD]] `` and has blank-line paragraphs.
- ``text``: plain UTF-8 text with blank-line paragraphs.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from dataset.errors import InputError
from dataset.yamlio import loads

_WS = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SHORTCODE = re.compile(r"\[/?[a-z][a-z0-9_]*\]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)
_DATED = re.compile(r"\A\s*date\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?=\s)")
# Elements whose content is never article text.
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "head"})
_BLOCKS = frozenset({
    "p", "div", "section", "article", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "tr", "pre", "figure", "figcaption", "header", "footer", "aside",
})
# The strings BeautifulSoup's get_text() keeps (by exact type): not comments, doctypes, processing
# instructions, nor the text of script, style, template or ruby annotations (<rt>, <rp>).
_TEXT_TYPES = (NavigableString, CData)
# Link texts that a blog export appends to point at the original; they are not the article's words.
_SOURCE_LINK_TEXTS = frozenset({"source", "bron", "read more", "lees meer"})


@dataclass(frozen=True)
class Cleaned:
    """The clean text of one raw file, and what the format itself says about the article."""

    text: str
    embedded: dict[str, object] = field(default_factory=dict)


def join_paragraphs(paragraphs: list[str]) -> str:
    """The canonical clean text: normalised paragraphs, empty ones dropped, one blank line between."""
    kept = [_WS.sub(" ", unicodedata.normalize("NFC", p)).strip() for p in paragraphs]
    return "\n\n".join(p for p in kept if p)


def split_paragraphs(text: str) -> list[str]:
    return _PARAGRAPH_BREAK.split(text)


def html_paragraphs(html: str) -> list[str]:
    """Paragraph texts of an HTML fragment, parsed with a real HTML parser (never regular expressions): each
    block element set apart by a paragraph break before and after, each <br> one, no _NOT_TEXT element's
    content and no link back to the source."""
    return split_paragraphs("".join(_strings(BeautifulSoup(html, "html.parser"), layout=True)))


def _strings(root: Tag, *, layout: bool) -> Iterator[str]:
    """The text of `root` as its get_text() gives it once the _NOT_TEXT elements are removed; with `layout`,
    also without source links (see `_SOURCE_LINK_TEXTS`), with "\\n\\n" for each <br> and around each block.

    One walk of the parsed tree, with a stack (no recursion limit on deep markup), instead of editing the
    tree and calling get_text(): a find_all pass per kind of element made that twice the time of this walk,
    which gives the same text (tests/test_formats.py checks it against the tree-editing version)."""
    stack = [iter(root.contents)]
    closers = [""]
    while stack:
        for node in stack[-1]:
            if isinstance(node, Tag):
                if node.name in _NOT_TEXT:
                    continue
                closer = ""
                if layout:
                    if node.name == "br":
                        yield "\n\n"
                        continue
                    if node.name == "a" and _is_source_link(node):
                        continue
                    if node.name in _BLOCKS:
                        closer = "\n\n"
                        yield closer
                stack.append(iter(node.contents))
                closers.append(closer)
                break
            if type(node) in _TEXT_TYPES:
                yield node
        else:
            stack.pop()
            yield closers.pop()


def _is_source_link(link: Tag) -> bool:
    """A link whose words (as `get_text(" ", strip=True)` joins them) only point at the original article."""
    words = " ".join(s.strip() for s in _strings(link, layout=False) if s.strip())
    return words.lower() in _SOURCE_LINK_TEXTS


def clean_wordpress_html(raw: str, where: str) -> Cleaned:
    match = _FRONT_MATTER.match(raw)
    if match is None:
        if raw.startswith("---"):
            raise InputError.one(where, "front matter opened with '---' is never closed", line=1)
        raise InputError.one(where, "expected YAML front matter between '---' lines at the top", line=1)
    front = loads(match.group(1), where, line_offset=1)
    if front is not None and not isinstance(front, dict):
        raise InputError.one(where, "front matter is not a YAML mapping", line=2)
    body = _SHORTCODE.sub("\n\n", raw[match.end():])
    return Cleaned(join_paragraphs(html_paragraphs(body)), {"front_matter": dict(front or {})})


def clean_dated_text(raw: str, where: str) -> Cleaned:
    match = _DATED.match(raw)
    if match is None:
        raise InputError.one(where, "expected the text to start with ' date YYYY[-MM[-DD]] '", line=1)
    return Cleaned(join_paragraphs(split_paragraphs(raw[match.end():])), {"date": match.group(1)})


def clean_plain_text(raw: str, where: str) -> Cleaned:
    return Cleaned(join_paragraphs(split_paragraphs(raw)))


FORMATS: dict[str, Callable[[str, str], Cleaned]] = {
    "wordpress-html": clean_wordpress_html,
    "dated-text": clean_dated_text,
    "text": clean_plain_text,
}


def sniff(raw: str) -> str:
    """Recognise a raw format from the first characters (used where no sidecar names one)."""
    if raw.startswith("---"):
        return "wordpress-html"
    if _DATED.match(raw):
        return "dated-text"
    return "text"


# Byte-order marks, longest first (UTF-32-LE's begins with UTF-16-LE's), and the encoding each one names.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)", "utf-32"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian)", "utf-32"),
    (codecs.BOM_UTF8, "UTF-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian)", "utf-16"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian)", "utf-16"),
)
# Where text mostly of ASCII letters has its NUL bytes in each of these encodings: positions modulo 4.
_NUL_PLACES = (("utf-32-le", (1, 2, 3)), ("utf-32-be", (0, 1, 2)), ("utf-16-le", (1, 3)), ("utf-16-be", (0, 2)))


def decode(data: bytes, where: str, encoding: str | None = None) -> str:
    """Raw bytes -> str. UTF-8 unless the sidecar declares another encoding, which is then honoured; never
    guessed, but where none is declared and the bytes look like another encoding, the message says which."""
    if not data.strip():
        raise InputError.one(where, "file is empty (expected an article text)")
    if encoding is not None:
        return _decode_declared(data, where, encoding)
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            raise InputError.one(where, f"starts with a {name} byte-order mark (expected plain UTF-8; declare "
                                 f"`encoding: {codec}` in the sidecar to accept it)", line=1)
    nul = data.find(b"\x00")
    if nul >= 0:
        codec = _nul_pattern(data)
        if codec is not None:
            raise InputError.one(where, f"looks like {codec.upper()} text without a byte-order mark (NUL bytes "
                                 f"between the letters; declare `encoding: {codec}` in the sidecar to read it)")
        raise InputError.one(where, f"binary content: NUL byte at offset {nul} (expected text)")
    return _decode(data, where, "utf-8")


def _nul_pattern(data: bytes) -> str | None:
    """The UTF-16/32 encoding whose NUL pattern the start of `data` has (mostly ASCII text in it: NUL bytes at
    fixed places, none elsewhere) and which decodes all of it; None when none does."""
    sample = data[: 4096 - 4096 % 4]
    quads = max(len(sample) // 4, 1)
    zeros = [sample[i::4].count(0) for i in range(4)]
    for codec, places in _NUL_PLACES:
        others = [zeros[i] for i in range(4) if i not in places]
        if sum(others) == 0 and all(zeros[i] >= quads // 2 for i in places):
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                continue
            return codec
    return None


def encoding_problem(encoding: str) -> str | None:
    """What is wrong with a declared encoding name (None: Python decodes text with it)."""
    try:
        # A codec that does not decode bytes to text (rot13, base64) says so in the standard library's flag.
        known = getattr(codecs.lookup(encoding), "_is_text_encoding", True)
    except (LookupError, ValueError):  # ValueError: a name with a NUL character
        known = False
    return None if known else (f"unknown encoding {encoding!r} (expected a Python codec name of a text "
                               "encoding, e.g. utf-16 or cp1252)")


def _decode_declared(data: bytes, where: str, encoding: str) -> str:
    problem = encoding_problem(encoding)
    if problem is not None:
        raise InputError.one(where, problem, field="encoding")
    text = _decode(data, where, encoding)
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError.one(where, f"binary content: NUL character at position {nul} of the {encoding} text "
                             "(expected text)")
    return text


def _decode(data: bytes, where: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError.one(
            where,
            f"not {'UTF-8' if encoding == 'utf-8' else encoding}: byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start} (declare the file's encoding in its sidecar, e.g. `encoding: cp1252`)",
            line=line,
        ) from None


def clean(raw: str, fmt: str, where: str) -> Cleaned:
    return FORMATS[fmt](raw, where)
