"""Quote anchoring, the W3C Web Annotation way (TextQuoteSelector): the coder writes the exact quote, plus a
`prefix` (the words right before it) or an `occurrence` number only where the quote occurs more than once;
the build finds it and computes the offsets. Offsets are never typed by hand, so a corrected cleaning rule
or a re-collected raw file cannot leave them silently wrong: a quote that is no longer found fails the build.
"""

from __future__ import annotations


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
        raise AnchorError(f"quote not found in the article's clean text: {quote!r}")
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
