"""Mentions: how often each article names each actor, by the article's language.

    python -m dataset.charts.mentions --package datapackage.json --out mentions.svg

Reads mentions, actors and articles. Rows are the actors named at least once, most-named first; columns
are the articles in publication order, headed by outlet, date, language and length in words (so counts
can be read against the article's length). Each cell gives the count, with a dot whose area grows with it;
an empty cell means that article never names the actor. Column width (3.5 in).
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure

from dataset.charts import chart, chart_main, labels, marks, style
from dataset.datapackage.parquet import Package

NAME = "mentions"
CELL_HEIGHT = 0.24  # inches per actor row
GID_PREFIX = "mentions-"  # one artist per (article, actor) cell with mentions: gid "mentions-<article>--<actor>"


def draw(package: Package) -> Figure:
    """Mention counts of `package` as a Figure (one dot per article and actor named, gid 'mentions-...')."""
    with style.context():
        return _draw(package)


def _draw(package: Package) -> Figure:
    mention_ids: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in package.records("mentions"):
        mention_ids[(m["article_id"], m["actor_id"])].append(m["mention_id"])
    counts = Counter({cell: len(ids) for cell, ids in mention_ids.items()})
    names = {a["actor_id"]: a["name"] for a in package.records("actors")}
    articles = sorted((a for a in package.records("articles") if any(k[0] == a["article_id"] for k in counts)),
                      key=lambda a: (a["published"], a["article_id"]))
    totals = Counter()
    for (_, actor), n in counts.items():
        totals[actor] += n
    actors = sorted(totals, key=lambda a: (-totals[a], names.get(a, a), a))
    biggest = max(counts.values(), default=1)
    case_of = labels.article_cases(package)
    several = len({c for a in articles for c in case_of.get(a["article_id"], [])}) > 1
    case_name = labels.case_names(package)
    languages = labels.code_labels(package, "articles", "language")
    headers = [_header(a, languages, [case_name.get(c, c) for c in case_of.get(a["article_id"], [])] if several else [])
               for a in articles]
    # One column of a paper holds three articles' headers side by side; more take the full width.
    width = style.COLUMN_WIDTH if len(articles) <= 3 else style.FULL_WIDTH

    caption = labels.source_line(package, [a["article_id"] for a in articles], chart(NAME).tables,
                                 width, style.SMALL_SIZE)
    caption_in = 0.08 + caption.count("\n") * 0.11 + 0.11
    header_in = 0.11 * max((h.count("\n") + 1 for h in headers), default=1)
    height = 0.45 + header_in + CELL_HEIGHT * len(actors) + caption_in
    fig = style.new_figure(width, height)
    fig.get_layout_engine().set(rect=(0, caption_in / height, 1, 1 - caption_in / height), w_pad=0.02)
    ax = fig.add_subplot()

    for x, article in enumerate(articles):
        for y, actor in enumerate(actors):
            n = counts.get((article["article_id"], actor), 0)
            if not n:
                continue
            colour = style.OKABE_ITO["blue"]
            ax.scatter([x], [y], s=14 + 150 * n / biggest, color=colour, alpha=0.25, linewidths=0,
                       gid=f"{GID_PREFIX}{article['article_id']}--{actor}")
            ax.text(x, y, str(n), ha="center", va="center", fontsize=style.SMALL_SIZE, color="#222222")
            marks.record(fig, f"{GID_PREFIX}{article['article_id']}--{actor}", "mentions",
                         [{"mention_id": m} for m in mention_ids[(article["article_id"], actor)]], str(n), n)

    ax.set_xlim(-0.55, len(articles) - 0.45)
    ax.set_ylim(len(actors) - 0.5, -0.5)
    ax.set_yticks(range(len(actors)), [names.get(a, a) for a in actors])
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(articles)), headers, fontsize=style.SMALL_SIZE,
                  multialignment="center")
    ax.tick_params(length=0)
    ax.set_yticks([i + 0.5 for i in range(len(actors) - 1)], minor=True)
    ax.tick_params(which="minor", length=0)
    ax.grid(True, which="minor", axis="y", color=style.FAINT_GREY, linewidth=0.7)
    ax.set_axisbelow(True)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("Times named in the article", fontsize=style.SMALL_SIZE, color=style.GREY)
    fig.text(0.01, 0.008, caption, ha="left", va="bottom", fontsize=style.SMALL_SIZE, color=style.GREY)
    return fig


def _header(article: dict[str, Any], languages: dict[str, str], cases: Sequence[str] = ()) -> str:
    """A column's head: the case (when several are drawn), the outlet, the date, the language and length."""
    who = textwrap.fill(labels.article_short(article, languages), 12, break_on_hyphens=False)
    when = labels.reduced_date_text(article["published"], article["published_precision"])
    case = f"{', '.join(cases)}\n" if cases else ""
    return f"{case}{who}\n{when}\n{str(article['language']).upper()}, {article['n_words']} words"


if __name__ == "__main__":
    raise SystemExit(chart_main(NAME))
