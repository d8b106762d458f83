"""Quote anchoring, the W3C Web Annotation way (TextQuoteSelector): the coder writes the exact quote, plus a
`prefix` (the words right before it) or an `occurrence` number only where the quote occurs more than once;
the build finds it and computes the offsets. Offsets are never typed by hand, so a corrected cleaning rule
or a re-collected raw file cannot leave them silently wrong: a quote that is no longer found fails the build.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import NamedTuple


class AnchorError(ValueError):
    """The quote cannot be placed; the message says why, for the coder."""


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of quote in text."""
    starts = []
    at = text.find(quote)
    while at >= 0:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def anchor(text: str, quote: str, *, prefix: str | None = None, occurrence: int | None = None) -> int:
    """The start offset of `quote` in `text`, unambiguously, or AnchorError."""
    if not quote:
        raise AnchorError("quote is empty")
    starts = occurrences(text, quote)
    if not starts:
        raise AnchorError(f"quote not found in the article's clean text: {quote!r}{near_match_hint(text, quote)}")
    if prefix is not None:
        starts = [s for s in starts if text[:s].endswith(prefix)]
        if not starts:
            raise AnchorError(f"quote {quote!r} is never preceded by prefix {prefix!r}")
    if occurrence is not None:
        if not 1 <= occurrence <= len(starts):
            raise AnchorError(f"occurrence {occurrence} of quote {quote!r}, but it occurs {len(starts)} time(s)")
        return starts[occurrence - 1]
    if len(starts) > 1:
        raise AnchorError(
            f"quote {quote!r} occurs {len(starts)} times (at offsets {', '.join(map(str, starts))}); add a "
            "`prefix` (the words right before it) or an `occurrence` number"
        )
    return starts[0]


# --- near-match hints for a quote that is not found --------------------------------------------------------
# A quote that is not in the text fails the build as before (never a silent normalisation); the message adds
# the closest passage, its line in the clean text and what differs, so the coder can copy the exact words.

_QUOTE_MARKS = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
                "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
                "\u2033": '"'}
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
_NAMES = {"'": "straight apostrophe", '"': "straight double quote", "\u2019": "curly apostrophe",
          "\u2018": "curly opening single quote", "\u201c": "curly opening double quote",
          "\u201d": "curly closing double quote", "\u201e": "low double quote", "\u2013": "en dash",
          "\u2014": "em dash", "-": "hyphen", "\u00a0": "no-break space", "\n": "line break", " ": "space",
          "\t": "tab"}
_WORD = re.compile(r"\S+")


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` in NFC, quote marks and dashes straight, whitespace runs as one space, lower case; and for each
    character of the result the offset in `text` it comes from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.combining(ch) and out:
            composed = unicodedata.normalize("NFC", out[-1] + ch)
            if len(composed) == 1:
                out[-1] = composed
                continue
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        ch = _QUOTE_MARKS.get(ch) or _DASHES.get(ch) or ch
        for c in unicodedata.normalize("NFC", ch).lower():
            out.append(c)
            where.append(i)
    return "".join(out), where


def _shown(ch: str) -> str:
    name = _NAMES.get(ch)
    if name is None and unicodedata.combining(ch):
        name = f"combining {unicodedata.name(ch, 'mark').lower()}"
    return f"{ch!r} ({name or f'U+{ord(ch):04X}'})"


def _differences(passage: str, quote: str) -> list[str]:
    """What differs between the text's passage and the coder's quote, in words a coder can act on."""
    found = []
    if unicodedata.normalize("NFC", quote) != quote:
        found.append("the quote has decomposed accents (NFD: a letter followed by a combining mark), the text "
                     "composed ones (NFC): type or paste the accented letters again")
    elif unicodedata.normalize("NFC", passage) != passage:
        found.append("the text has decomposed accents (NFD) where the quote has composed ones (NFC)")
    a, b = unicodedata.normalize("NFC", passage), unicodedata.normalize("NFC", quote)
    seen = set()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        left, right = a[i1:i2], b[j1:j2]
        if left.lower() == right.lower():
            what = f"case: {left!r} in the text, {right!r} in the quote"
        elif (left + right).strip() == "" or left.split() == right.split():
            if "\n" in left:
                what = "a paragraph or line break in the text where the quote has " + (
                    "a space" if right else "nothing")
            else:
                what = (f"whitespace: {' + '.join(_shown(c) for c in left) or 'nothing'} in the text, "
                        f"{' + '.join(_shown(c) for c in right) or 'nothing'} in the quote")
        elif len(left) == len(right) and all(
                (_QUOTE_MARKS.get(x) or _DASHES.get(x) or x) == (_QUOTE_MARKS.get(y) or _DASHES.get(y) or y)
                for x, y in zip(left, right, strict=True)):
            what = ", ".join(f"{_shown(x)} in the text, {_shown(y)} in the quote"
                             for x, y in zip(left, right, strict=True) if x != y)
        else:
            continue
        if what not in seen:
            seen.add(what)
            found.append(what)
    words_a, words_b = a.split(), b.split()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [w.lower() for w in words_a],
                                                      [w.lower() for w in words_b], autojunk=False).get_opcodes():
        left, right = " ".join(words_a[i1:i2]), " ".join(words_b[j1:j2])
        if op == "delete":
            found.append(f"the quote drops {left!r}")
        elif op == "insert":
            found.append(f"the quote adds {right!r}")
        elif op == "replace" and _fold_word(left) != _fold_word(right):
            found.append(f"{left!r} in the text, {right!r} in the quote")
    return found


def _fold_word(word: str) -> str:
    return _folded(word)[0]


def _closest(folded_text: str, folded_quote: str) -> tuple[int, int] | None:
    """The span of `folded_text` most like `folded_quote` (a dropped, added or changed word), or None where
    nothing is alike: candidate windows are those sharing the most words with the quote, then ranked by
    difflib's ratio."""
    quote_words = folded_quote.split()
    if not quote_words:
        return None
    wanted = set(quote_words)
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded_text)]
    n = len(quote_words)
    hits = [w in wanted for _, _, w in words]
    # the number of the quote's words in each window of n words of the text
    window = sum(hits[:n])
    scored = [(window, 0)]
    for i in range(1, max(1, len(words) - n + 1)):
        window += hits[i + n - 1] - hits[i - 1]
        scored.append((window, i))
    best: tuple[float, int, int] | None = None
    for count, i in sorted(scored, key=lambda s: (-s[0], s[1]))[:8]:
        if count == 0:
            break
        for lo in range(max(0, i - 2), i + 3):
            for hi in range(lo + max(1, n - 2), min(len(words), lo + n + 2) + 1):
                if hi <= lo or hi > len(words):
                    continue
                start, end = words[lo][0], words[hi - 1][1]
                ratio = difflib.SequenceMatcher(None, folded_text[start:end], folded_quote, autojunk=False).ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, start, end)
    if best is None or best[0] < 0.6:
        return None
    # widen by a word on each side, then trim to where the quote's characters start and end matching ("<p>"
    # glued to the first word is left out, a half-matched word at an edge kept whole)
    start = folded_text.rfind(" ", 0, max(0, best[1] - 1)) + 1
    end = folded_text.find(" ", best[2] + 1)
    end = len(folded_text) if end < 0 else end
    blocks = [b for b in difflib.SequenceMatcher(None, folded_text[start:end], folded_quote,
                                                 autojunk=False).get_matching_blocks() if b.size >= 3]
    if not blocks:
        return best[1], best[2]
    first, last = blocks[0], blocks[-1]
    # as many characters before the first matching block as the quote has before it, and after the last
    head = max(0, start + first.a - min(first.b, first.a))
    tail = min(len(folded_text), start + last.a + last.size + len(folded_quote) - last.b - last.size)
    return head, max(tail, head + 1)


class NearMatch(NamedTuple):
    start: int
    end: int
    line: int  # 1-based line of the clean text
    passage: str
    differences: list[str]


def near_match(text: str, quote: str) -> NearMatch | None:
    """The passage of `text` closest to a quote that does not occur in it, and what differs; None where no
    passage is close."""
    folded_text, where = _folded(text)
    folded_quote = _folded(quote)[0].strip()
    if not folded_quote:
        return None
    at = folded_text.find(folded_quote)
    span = (at, at + len(folded_quote)) if at >= 0 else _closest(folded_text, folded_quote)
    if span is None:
        return None
    start, end = where[span[0]], where[span[1] - 1] + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    passage = text[start:end]
    return NearMatch(start, end, text.count("\n", 0, start) + 1, passage, _differences(passage, quote))


def near_match_hint(text: str, quote: str) -> str:
    """The hint appended to a quote-not-found error (empty where nothing in the text is close)."""
    match = near_match(text, quote)
    if match is None:
        return "; no passage of the text is close to it"
    differs = "; ".join(match.differences) or "nothing a coder would see (compare the characters)"
    return (f"; closest passage, at line {match.line} of the clean text (offsets {match.start}-{match.end}): "
            f"{match.passage!r}; what differs: {differs}")
