"""Actor mentions: the registry's names and aliases matched against each article's clean text.

A new article gets its mentions without hand work. Matching is case-sensitive ("OM" is the Dutch
prosecution service, "om" is a preposition) and at word boundaries; where names overlap, the longest wins
("Toronto police" is Toronto's police, not a second mention of some "police"). A name applies in every
article, in articles of one language, or (for generic words such as "prosecutors") only in the articles
coded for one case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from dataset.coding import ActorName


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first: Python's alternation takes the first alternative that matches at a position.
    ordered = sorted(set(names), key=lambda n: (-len(n), n))
    if not ordered:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def find_mentions(articles: pd.DataFrame, names: list[ActorName], article_case: dict[str, str]) -> list[dict]:
    """One row per name occurrence, in article and text order; the id is stable while the text is."""
    patterns: dict[tuple[str, str | None], tuple[re.Pattern[str] | None, dict[str, str]]] = {}
    rows: list[dict[str, object]] = []
    for article_id, language, text in zip(articles["article_id"], articles["language"], articles["text"],
                                          strict=True):
        case = article_case.get(article_id)
        key = (language, case)
        if key not in patterns:
            applicable = [n for n in names
                          if n.language in (None, language) and n.case_id in (None, case)]
            patterns[key] = (_pattern(n.text for n in applicable), {n.text: n.actor_id for n in applicable})
        pattern, actor_of = patterns[key]
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            rows.append({
                "mention_id": f"{article_id}-c{match.start()}",
                "article_id": article_id,
                "actor_id": actor_of[match.group()],
                "start": match.start(),
                "end": match.end(),
                "surface": match.group(),
            })
    return rows
