"""Actor mentions: the registry's names and aliases matched against each article's clean text.

A new article gets its mentions without hand work. Matching is case-sensitive ("OM" is the Dutch
prosecution service, "om" is a preposition) and at word boundaries; where names overlap, the longest wins
("Toronto police" is Toronto's police, not a second mention of some "police"), and matches do not overlap
(leftmost first). A name applies in every article, in articles of one language, or (for generic words such
as "prosecutors") only in the articles coded for one case.

Cost is linear in the text: each word of an article is looked up in an index of the applicable names by
their first word, so a registry of thousands of names costs no more per word than one of ten. The names
that apply everywhere are indexed once per language; a case adds only an overlay of its own names (with the
shared names under the same first words), so many cases do not copy the shared names into an index each
(what each replaced, and what it cost: benchmarks/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

import pandas as pd
import pyarrow

from dataset.parallel import Runner
from dataset.pipeline.coding import ActorName
from dataset.pipeline.rows import frame_of, to_arrow

_WORD = re.compile(r"\w+")
_START = re.compile(r"\w+|[^\w\s]")  # where a name can start: a word, or a non-space, non-word character
# Names by their first word; under each, longest first (then alphabetical), with the actor named.
Heads = dict[str, list[tuple[str, str]]]


class Index(NamedTuple):
    """The names that apply in one article: `own` (a case's names, merged with the shared names under the
    same first words) looked up first, then `shared` (every case's, one per language)."""

    own: Heads
    shared: Heads


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `\w` matches in a str pattern


def _head(name: str) -> str:
    """The word a match of `name` starts with (a name that starts with a non-word character: that character)."""
    first = _WORD.match(name)
    return first.group() if first else name[0]


def _heads(names: Iterable[ActorName]) -> Heads:
    """`names` by first word, longest first; where two give the same text, the later (a case's own) wins."""
    by_head: dict[str, dict[str, str]] = {}
    for n in names:
        by_head.setdefault(_head(n.text), {})[n.text] = n.actor_id
    return {head: sorted(named.items(), key=lambda kv: (-len(kv[0]), kv[0])) for head, named in by_head.items()}


class _Shared(NamedTuple):
    """The names that apply in every case, for one language: as ActorNames and as an index, by first word."""

    names: dict[str, list[ActorName]]
    heads: Heads


def _shared(names: Iterable[ActorName], language: str) -> _Shared:
    by_head: dict[str, list[ActorName]] = {}
    for n in names:
        if n.case_id is None and n.language in (None, language):
            by_head.setdefault(_head(n.text), []).append(n)
    return _Shared(by_head, _heads(n for group in by_head.values() for n in group))


def _overlay(shared: _Shared, own: Iterable[ActorName], language: str) -> Index:
    """The index of an article with the case names `own`: an overlay of those names' first words only, so
    its cost is the case's own names, not the shared ones."""
    own = [n for n in own if n.language in (None, language)]
    heads = dict.fromkeys(_head(n.text) for n in own)
    return Index(_heads([n for head in heads for n in shared.names.get(head, [])] + own), shared.heads)


def mentions_in(text: str, index: Index) -> list[tuple[int, int, str, str]]:
    """(start, end, surface, actor_id) of every name in `text`, leftmost-longest, not overlapping."""
    found: list[tuple[int, int, str, str]] = []
    own, shared = index
    at = 0
    for m in _START.finditer(text):
        start = m.start()
        if start < at or (start and _is_word_char(text[start - 1])):
            continue
        head = m.group()
        for name, actor_id in own.get(head) or shared.get(head, ()):
            end = start + len(name)
            if text.startswith(name, start) and not (end < len(text) and _is_word_char(text[end])):
                found.append((start, end, name, actor_id))
                at = end
                break
    return found


def _mentions(names: list[ActorName], article_case: dict[str, str],
              articles: list[tuple[str, str, str]]) -> list[pyarrow.Table]:
    # Each case's names once, and the shared names once per language: building an index then costs the case's
    # own names, not the registry (cases x names, quadratic in time and memory, when it did).
    by_case: dict[str | None, list[ActorName]] = {}
    for n in names:
        by_case.setdefault(n.case_id, []).append(n)
    shared: dict[str, _Shared] = {}
    indexes: dict[tuple[str, str | None], Index] = {}
    rows: list[dict[str, object]] = []
    for article_id, language, text in articles:
        case = article_case.get(article_id)
        if (language, case) not in indexes:
            if language not in shared:
                shared[language] = _shared(names, language)
            own = by_case.get(case, []) if case is not None else []
            indexes[language, case] = _overlay(shared[language], own, language)
        for start, end, surface, actor_id in mentions_in(text, indexes[language, case]):
            rows.append({"mention_id": f"{article_id}-c{start}", "article_id": article_id, "actor_id": actor_id,
                         "start": start, "end": end, "surface": surface})
    return [to_arrow(rows, "mentions")]  # a chunk's rows as one compact table


def find_mentions(articles: pd.DataFrame, names: list[ActorName], article_case: dict[str, str],
                  runner: Runner | None = None) -> pd.DataFrame:
    """The `mentions` table: one row per name occurrence, in article and text order; the id is stable while
    the text is."""
    items = list(zip(articles["article_id"], articles["language"], articles["text"], strict=True))
    return frame_of((runner or Runner()).map_chunks(partial(_mentions, names, article_case), items), "mentions")
