"""Actor mentions: the registry's names and aliases matched against each article's clean text.

A new article gets its mentions without hand work. Matching is case-sensitive ("OM" is the Dutch
prosecution service, "om" is a preposition) and at word boundaries; where names overlap, the longest wins
("Toronto police" is Toronto's police, not a second mention of some "police"), and matches do not overlap
(leftmost first). A name applies in every article, in articles of one language, or (for generic words such
as "prosecutors") only in the articles coded for one case.

Cost is linear in the text: each word of an article is looked up in an index of the applicable names by
their first word, so a registry of thousands of names costs no more per word than one of ten (one regular
expression alternating every name was compiled per language and case and tried at every character).
"""

from __future__ import annotations

import re
from functools import partial

import pandas as pd

from dataset.coding import ActorName
from dataset.parallel import Runner

_WORD = re.compile(r"\w+")
_START = re.compile(r"\w+|[^\w\s]")  # where a name can start: a word, or a non-space, non-word character
# Names indexed by their first word; under each, longest first (then alphabetical), with the actor named.
Index = dict[str, list[tuple[str, str]]]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `\w` matches in a str pattern


def _head(name: str) -> str:
    """The word a match of `name` starts with (a name that starts with a non-word character: that character)."""
    first = _WORD.match(name)
    return first.group() if first else name[0]


def name_index(names: list[ActorName], language: str, case: str | None) -> Index:
    """The names that apply in an article of `language` coded for `case`, by first word."""
    by_head: dict[str, dict[str, str]] = {}
    for n in names:
        if n.language in (None, language) and n.case_id in (None, case):
            by_head.setdefault(_head(n.text), {})[n.text] = n.actor_id
    return {head: sorted(named.items(), key=lambda kv: (-len(kv[0]), kv[0])) for head, named in by_head.items()}


def mentions_in(text: str, index: Index) -> list[tuple[int, int, str, str]]:
    """(start, end, surface, actor_id) of every name in `text`, leftmost-longest, not overlapping."""
    found: list[tuple[int, int, str, str]] = []
    at = 0
    for m in _START.finditer(text):
        start = m.start()
        if start < at or (start and _is_word_char(text[start - 1])):
            continue
        for name, actor_id in index.get(m.group(), ()):
            end = start + len(name)
            if text.startswith(name, start) and not (end < len(text) and _is_word_char(text[end])):
                found.append((start, end, name, actor_id))
                at = end
                break
    return found


def _mentions(names: list[ActorName], article_case: dict[str, str],
              articles: list[tuple[str, str, str]]) -> list[dict[str, object]]:
    indexes: dict[tuple[str, str | None], Index] = {}
    rows: list[dict[str, object]] = []
    for article_id, language, text in articles:
        case = article_case.get(article_id)
        if (language, case) not in indexes:
            indexes[language, case] = name_index(names, language, case)
        for start, end, surface, actor_id in mentions_in(text, indexes[language, case]):
            rows.append({"mention_id": f"{article_id}-c{start}", "article_id": article_id, "actor_id": actor_id,
                         "start": start, "end": end, "surface": surface})
    return rows


def find_mentions(articles: pd.DataFrame, names: list[ActorName], article_case: dict[str, str],
                  runner: Runner | None = None) -> list[dict[str, object]]:
    """One row per name occurrence, in article and text order; the id is stable while the text is."""
    items = list(zip(articles["article_id"], articles["language"], articles["text"], strict=True))
    return (runner or Runner()).map_chunks(partial(_mentions, names, article_case), items)
