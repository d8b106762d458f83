"""`dataset suggest`: a draft coding file for a new article, for a coder to confirm.

The draft is in the coding layer's own format, with `draft: true` at the top: the build refuses a coding
file that still says so, so nothing in a draft reaches the published tables before a coder has reviewed
every entry. It holds:
- every detected figure (number, amount, duration, age, percentage) with a quote made unique in the text,
  its value, range, approximation and the unit where the detector knows it;
- every date expression as a candidate event source, with the date it resolves to;
- the actors the registry's names find, and, marked as unknown, names that look like actors but are not in
  the registry (capitalised sequences, organisation words in both languages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml

from dataset.pipeline.anchor import occurrences
from dataset.pipeline.coding import ActorName
from dataset.pipeline.mentions import find_mentions

# Words that mark an organisation in English or Dutch news (a small gazetteer, not a model).
_ORG_WORDS = (
    "Police", "Politie", "Prosecutor", "Prosecutors", "Ministry", "Ministerie", "Department", "Court",
    "Rechtbank", "Parket", "Agency", "Europol", "Eurojust", "FBI", "Justice", "Justitie", "Service", "Dienst",
    "Office", "Bureau", "Gendarmerie", "B.V.", "BV", "Ltd", "Inc",
)
_CAPITALISED = re.compile(r"(?<![\w.])(?:[A-Z][\w'\u2019.-]+)(?:\s+(?:van|de|der|den|of|the|[A-Z][\w'\u2019.-]+))*")
_SENTENCE = re.compile(r"[^.!?\n]*[.!?]?")
_UNITS = {"EUR", "USD", "CAD", "day", "year"}


def unique_quote(text: str, start: int, end: int) -> str:
    """The shortest quote around text[start:end], widened word by word, that occurs once in the text."""
    left, right = start, end
    while len(occurrences(text, text[left:right])) > 1:
        grown = False
        if right < len(text):
            nxt = text.find(" ", right + 1)
            right = len(text) if nxt < 0 else nxt
            grown = True
        if len(occurrences(text, text[left:right])) > 1 and left > 0:
            prev = text.rfind(" ", 0, left - 1)
            left = 0 if prev < 0 else prev + 1
            grown = True
        if not grown:
            break
    return text[left:right].strip()


def sentence_span(text: str, position: int) -> tuple[int, int]:
    """Offsets of the sentence that holds `position` (a candidate event's quote)."""
    for match in _SENTENCE.finditer(text):
        if match.start() <= position < match.end():
            return match.start(), match.end()
    return position, position + 1


def candidate_names(text: str, known: Iterable[str]) -> list[str]:
    """Capitalised sequences that look like actors (an organisation word or two capitalised words) but that
    no registry name covers."""
    known_set = set(known)
    found = []
    for match in _CAPITALISED.finditer(text):
        name = match.group().strip(" .")
        words = name.split()
        looks_like_actor = any(w in _ORG_WORDS for w in words) or sum(w[:1].isupper() for w in words) >= 2
        if looks_like_actor and not any(k in name for k in known_set) and name not in found:
            found.append(name)
    return found


def draft(article: dict[str, object], detections: list, names: list[ActorName], case_id: str | None) -> str:
    """The draft coding file for one article (a row of `articles` as a dict) as YAML text."""
    import pandas as pd

    text = str(article["text"])
    frame = pd.DataFrame([{k: article[k] for k in ("article_id", "language", "text")}])
    mentions = find_mentions(frame, names, {str(article["article_id"]): case_id} if case_id else {})
    figures, events = [], []
    for d in detections:
        if d.kind == "date":
            events.append({
                "event_id": None,
                "quote": unique_quote(text, *sentence_span(text, d.start)),
                "date_expression": d.text,
                "resolved": {"date": d.date, "date_end": d.date_end, "precision": d.precision},
            })
            continue
        entry = {
            "id": f"f{len(figures) + 1:02d}",
            "quote": unique_quote(text, d.start, d.end),
            "value": d.value,
            "value_low": d.value_low,
            "value_high": d.value_high,
            "approximate": d.approximate,
            "unit": d.unit if d.unit in _UNITS else None,
            "measure": None,
            "subject_actor_id": None,
            "stated_by_actor_id": None,
        }
        figures.append(entry)
    doc = {
        "draft": True,
        "article_id": article["article_id"],
        "raw_sha256": article["raw_sha256"],
        "case_id": case_id,
        "events": events,
        "figures": figures,
        "not_figures": [],
        "actors_found": sorted(set(mentions["actor_id"])),
        "unknown_names": candidate_names(text, (n.text for n in names)),
    }
    header = (
        "# DRAFT coding made by `dataset suggest`: the build refuses this file while it says `draft: true`.\n"
        "# Review every entry against the article: give each event an event_id from data/coding/events.yaml\n"
        "# (add new events there), fill unit/measure/subject/stated_by of each figure, move numbers that are\n"
        "# not figures to not_figures with a reason, add unknown names worth coding to actors.yaml, then\n"
        "# delete `draft`, `resolved`, `actors_found` and `unknown_names`.\n"
    )
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)

