"""The coverage gate: every number the detector finds in an article is either inside a coded figure's quote
or listed in the article's coding file under `not_figures`, with a reason from a closed list. The same
detector checks that each coded figure's value agrees with the number its quote states (coding 19000 for
"1,500" is caught).

Vague counts are numbers too: a word that states a count without a numeral and fixes a size, an order of
magnitude or a small band ("dozens", "tientallen", "a few", "enkele", "een paar honderd", "several",
"verscheidene") is detected with the range the codebook gives it and must be coded as a figure with value
null and that range, or listed under `not_figures`; the gate's message gives the range. A quantifier that fixes
no size ("many", "numerous", "countless", "veel", "talloze", "tal van") is not a count and is left to the coder,
as it could only ever be dismissed. The families and their ranges are in `dataset.detect` (its "Vague counts"
rule).

Dates are detected too but are not figures: they date events, so they are not part of the gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dataset.errors import Problem
from dataset.parallel import Runner
from dataset.pipeline.coding import NotFigure
from dataset.pipeline.rows import Origin
from dataset.schema.vocabularies import unknown_code, vocabulary

if TYPE_CHECKING:
    from dataset.detect.model import Detection


@dataclass(frozen=True)
class ArticleCoverage:
    article_id: str
    detected: int
    in_figures: int
    in_not_figures: int
    # (start, end, surface, how to code it) of each number not accounted for
    unaccounted: tuple[tuple[int, int, str, str], ...]

    @property
    def accounted(self) -> int:
        return self.in_figures + self.in_not_figures


def _detect_numbers(items: list[tuple[str, str, str | None]]) -> list[list]:
    from dataset.detect import detect

    return [[d for d in detect(text, language, published) if d.kind != "date"] for text, language, published in items]


def detections_by_article(articles: pd.DataFrame, runner: Runner | None = None) -> dict[str, list]:
    """Every non-date detection of every article, in text order."""
    items = list(zip(articles["text"], articles["language"], articles["published"], strict=True))
    return dict(zip(articles["article_id"], (runner or Runner()).map_chunks(_detect_numbers, items), strict=True))


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def measure(articles: pd.DataFrame, figures: pd.DataFrame, not_figures: Iterable[NotFigure],
            detections: Mapping[str, list]) -> list[ArticleCoverage]:
    figure_spans: dict[str, list[tuple[int, int]]] = {}
    # As Python lists first: iterating an Arrow-backed column makes a pandas scalar of each value (0.2 s for
    # the 36,732 figures of 10,000 articles).
    for a, s, e in zip(figures["article_id"].tolist(), figures["start"].tolist(), figures["end"].tolist(),
                       strict=True):
        figure_spans.setdefault(a, []).append((int(s), int(e)))
    other_spans: dict[str, list[tuple[int, int]]] = {}
    for nf in not_figures:
        other_spans.setdefault(nf.article_id, []).append((nf.start, nf.end))
    out = []
    for article_id in articles["article_id"].tolist():
        found = detections.get(article_id, [])
        figure_at, other_at = figure_spans.get(article_id, []), other_spans.get(article_id, [])
        # Each detection is inside a figure's quote, else inside a not_figure's span, else unaccounted for.
        in_fig = in_not = 0
        missing = []
        for d in found:
            if _inside(d.start, d.end, figure_at):
                in_fig += 1
            elif _inside(d.start, d.end, other_at):
                in_not += 1
            else:
                missing.append((d.start, d.end, d.text, _how(d)))
        out.append(ArticleCoverage(article_id, len(found), in_fig, in_not, tuple(missing)))
    return out


def _bound(value: float | None) -> str:
    return "null" if value is None else f"{value:g}"


def _how(d: Detection) -> str:
    """What the coder can do with a number left unaccounted: a vague count ("enkele", "dozens") or a range
    states no point value and is coded as a range, for which the detector's reading is the suggestion."""
    if d.value is None:
        return (f"; it states a range, no point value: code it as a figure with value: null, value_low: "
                f"{_bound(d.value_low)}, value_high: {_bound(d.value_high)}, approximate: true (the detector's "
                "reading of the codebook's rules), or list it under not_figures with a reason")
    return ""


def gate(report: list[ArticleCoverage], coding_file: Mapping[str, str]) -> list[Problem]:
    """A problem for every number that is neither a figure nor explained."""
    problems = []
    for article in report:
        where = coding_file.get(article.article_id)
        for start, end, surface, how in article.unaccounted:
            if where is None:
                problems.append(Problem(
                    f"articles[{article.article_id}]", f"number {surface!r} at {start}-{end} is not accounted "
                    f"for: the article has no coding file (expected data/coding/articles/{article.article_id}.yaml;"
                    f" `dataset suggest` drafts one){how}", field="text"))
            else:
                problems.append(Problem(
                    where, f"number {surface!r} at {start}-{end} is neither inside a coded figure's quote nor "
                    f"listed under not_figures (with a reason){how}", field="figures"))
    return problems


def check_reasons(not_figures: Iterable[NotFigure]) -> list[Problem]:
    reasons = vocabulary("not_figure_reason")
    return [Problem(nf.origin.path, unknown_code(reasons, nf.reason), field="reason", line=nf.origin.line_of("reason"))
            for nf in not_figures if nf.reason not in reasons]


def check_values(figures: pd.DataFrame, origins: list[Origin], detections: Mapping[str, list]) -> list[Problem]:
    """A coded value must be a number that its own quote states. Only the columns read are iterated: each
    value of an Arrow-backed column is a Python object made on the way (22 columns of 36,732 figures took most
    of this check's time in a 10,000-article build)."""
    problems = []
    read = figures[["article_id", "start", "end", "value", "quote"]]
    for position, row in enumerate(read.itertuples(index=False)):
        inside = [d for d in detections.get(row.article_id, []) if row.start <= d.start and d.end <= row.end]
        stated = {v for d in inside for v in (d.value, d.value_low, d.value_high) if v is not None}
        if not inside:
            message = "its quote states no number the detector can read (expected the figure's number in the quote)"
        elif not pd.isna(row.value) and not any(abs(row.value - v) < 1e-9 for v in stated):
            message = (f"value {row.value:g} contradicts its quote {row.quote!r}, which states "
                       f"{', '.join(f'{v:g}' for v in sorted(stated))}")
        else:
            continue
        origin = origins[position]
        problems.append(Problem(origin.path, message, field="value", line=origin.line_of("value")))
    return problems
