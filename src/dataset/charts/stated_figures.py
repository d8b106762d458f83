"""Stated figures: every figure the articles state, on a log scale, as the source words it.

    python -m dataset.charts.stated_figures --package datapackage.json --out stated_figures.svg

Reads figures, actors and articles. One row per figure, grouped by what it measures; the row label gives
the measure and its unit, so the shared log axis only ever compares orders of magnitude, never a number
of people with a number of euros. Beside each mark: the number in the source's own words ("19,000",
"ongeveer 40.000", "3,6 miljoen", "tientallen", "more than £2m") where they say what the row codes, else the
row's own bounds ("> 2 million", "< 500", "20-99", "~1,500": `labels.figure_label`), so a bound never reads
as a point value; on the right, who states it and for when. A filled
marker is an exact figure, a hollow one an approximate figure; a range stated without a point value
("tientallen": 20 to 99) is a bar from its low to its high end; a one-sided bound ("more than", "bijna")
is an arrow towards the open side. Colour tells the article.
"""

from __future__ import annotations

import functools
import itertools
import math
import textwrap
from collections.abc import Sequence
from typing import Any

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator

from dataset.charts import chart, chart_main, labels, marks, style
from dataset.datapackage.parquet import Package

NAME = "stated_figures"

ARTICLE_COLOURS = (style.OKABE_ITO["blue"], style.OKABE_ITO["vermillion"], style.OKABE_ITO["bluish_green"],
                   style.OKABE_ITO["reddish_purple"], style.OKABE_ITO["orange"], style.OKABE_ITO["sky_blue"],
                   style.OKABE_ITO["black"])
ROW_HEIGHT = 0.27  # inches per figure
GROUP_GAP = 0.45  # rows of space between two measures
GID_PREFIX = "figure-"  # the one artist per figure: gid "figure-<figure_id>"
MARKER_SIZE = 6.0
OPEN_ARROW = 2.5  # how far (a factor on the log axis) an arrow points towards a bound's open side
VALUE_FIELDS = ("value", "value_low", "value_high")  # what a figure's mark encodes (its marks file's value)
TABLE_LEFT, TABLE_RIGHT = 0.04, 0.99  # where "Stated by" starts and "As of" ends, in the table's width
TABLE_GAP = 4.0  # points at least between a "Stated by" text and its date


def draw(package: Package) -> Figure:
    """The stated figures of `package` as a Figure (one artist per figure has gid 'figure-<figure_id>')."""
    with style.context():
        return _draw(package)


def measure_label(package: Package, measure: str, unit: str, substance: str | None = None,
                  per_period: str | None = None) -> str:
    """What a group of figures measures and in which unit, as the package labels them ('Network users\n
    (persons)', 'Drugs seized: cocaine\n(tonnes)', 'Subscription price\n(Pound Sterling per 6 months)')."""
    name = labels.code_labels(package, "figures", "measure").get(measure, measure)
    if not labels.is_null(substance):
        name += f": {labels.code_labels(package, 'figures', 'substance').get(str(substance), str(substance))}"
    unit_text = labels.code_labels(package, "figures", "unit").get(unit, unit)
    if not labels.is_null(per_period):
        unit_text += f" per {labels.duration_text(str(per_period))}"
    return f"{name}\n({unit_text})"


def group_of(figure: dict[str, Any]) -> tuple[Any, ...]:
    """What figures drawn in one group share: measure, unit, and substance and period where the package has
    them (a package of an earlier version has neither column)."""
    return (figure["measure"], figure["unit"], figure.get("substance"), figure.get("per_period"))


def stated_by(figure: dict[str, Any], names: dict[str, str], articles: dict[str, dict[str, Any]]) -> str:
    """The actor the article says gives the figure, or the outlet where the article states it itself."""
    actor = figure["stated_by_actor_id"]
    if not labels.is_null(actor):
        return names.get(actor, actor)
    article = articles[figure["article_id"]]
    return f"{article['outlet']} (the outlet)" if not labels.is_null(article["outlet"]) else \
        "the outlet (unnamed)"


def _draw(package: Package) -> Figure:
    names = {a["actor_id"]: a["name"] for a in package.records("actors")}
    articles = {a["article_id"]: a for a in package.records("articles")}
    figures = package.records("figures")
    order = list(labels.code_labels(package, "figures", "measure"))  # the registry's order: the network's size first

    def key(f: dict[str, Any]) -> tuple[Any, ...]:
        rank = order.index(f["measure"]) if f["measure"] in order else len(order)
        return (rank, *(str(v) for v in group_of(f)), f["as_of"], f["figure_id"])

    figures.sort(key=key)
    cited = sorted({f["article_id"] for f in figures}, key=lambda a: (articles[a]["published"], a))
    case_of = labels.article_cases(package)
    several = len({c for a in cited for c in case_of.get(a, [])}) > 1
    case_name = labels.case_names(package)
    cases = {a: ", ".join(case_name.get(c, c) for c in case_of.get(a, [])) if several else "" for a in cited}
    colours = {a: ARTICLE_COLOURS[i % len(ARTICLE_COLOURS)] for i, a in enumerate(cited)}

    # Row positions: figures of one measure (and unit, substance, period) together, a gap between groups.
    ys: list[float] = []
    groups: list[tuple[tuple[Any, ...], list[float]]] = []
    y = 0.0
    for f in figures:
        if groups and groups[-1][0] == group_of(f):
            y += 1.0
            groups[-1][1].append(y)
        else:
            y += (1.0 + GROUP_GAP) if groups else 0.0
            groups.append((group_of(f), [y]))
        ys.append(y)
    bottom = (ys[-1] if ys else 0.0) + 0.7

    caption = labels.source_line(package, cited, chart(NAME).tables, style.FULL_WIDTH, style.SMALL_SIZE)
    caption_in = 0.08 + caption.count("\n") * 0.11 + 0.11
    height = 0.75 + ROW_HEIGHT * (bottom + 0.7) + caption_in
    fig = style.new_figure(style.FULL_WIDTH, height)
    fig.get_layout_engine().set(rect=(0, caption_in / height, 1, 1 - caption_in / height), w_pad=0.02, wspace=0.0)
    grid = fig.add_gridspec(1, 2, width_ratios=[3.15, 2.05])
    ax = fig.add_subplot(grid[0, 0])
    table = fig.add_subplot(grid[0, 1], sharey=ax)

    values = [v for f in figures for v in (f["value"], f["value_low"], f["value_high"]) if not labels.is_null(v)]
    positive = [v for v in values if v > 0]
    lo_exp = math.floor(math.log10(min(positive))) if positive else 0
    hi_exp = math.ceil(math.log10(max(positive))) if positive else 1
    lo_exp, hi_exp = min(lo_exp, 0), max(hi_exp, lo_exp + 2)
    # A log axis has no place for zero or a negative number ("fewer than 100" is coded 0 to 100): such values
    # get a slot of their own a decade left of the axis, labelled as what it holds, past a dotted break.
    slot = 10.0 ** (lo_exp - 1) if len(positive) < len(values) else None
    ax.set_xscale("log")
    ax.set_xlim((slot or 10.0 ** lo_exp) / 1.6, 10 ** (hi_exp + 0.05))
    ax.set_ylim(bottom, -0.7)
    xmax_log = math.log10(ax.get_xlim()[1])
    stated = {f["figure_id"]: {k: f[k] for k in VALUE_FIELDS} for f in figures}  # before any is moved to the slot
    texts = {f["figure_id"]: labels.figure_label(f) for f in figures}  # what each row says was stated
    if slot is not None:
        figures = [_in_slot(f, slot) for f in figures]
        ax.axvline(math.sqrt(slot * 10.0 ** lo_exp), color=style.GREY, linewidth=0.6, linestyle=":", zorder=0)

    for f, y in zip(figures, ys, strict=True):
        colour = colours[f["article_id"]]
        right_edge = _draw_figure(ax, f, y, colour)
        text = texts[f["figure_id"]]
        marks.record(fig, GID_PREFIX + f["figure_id"], "figures", [{"figure_id": f["figure_id"]}], text,
                     stated[f["figure_id"]])
        # The stated number beside its mark, on the side with room for it.
        if math.log10(right_edge) > xmax_log - 1.45:
            left_edge = min(v for v in (f["value"], f["value_low"], f["value_high"]) if not labels.is_null(v))
            ax.annotate(text, (left_edge, y), xytext=(-7, 0), textcoords="offset points", ha="right", va="center",
                        color=colour, fontsize=style.BASE_SIZE, gid=f"stated-{f['figure_id']}")
        else:
            ax.annotate(text, (right_edge, y), xytext=(7, 0), textcoords="offset points", ha="left", va="center",
                        color=colour, fontsize=style.BASE_SIZE, gid=f"stated-{f['figure_id']}")

    # Axes: the measure (and unit) once per group, a hairline between groups, plain-number log ticks.
    ax.set_yticks([sum(g[1]) / len(g[1]) for g in groups], [measure_label(package, *g[0]) for g in groups])
    ax.tick_params(axis="y", length=0, pad=4)
    for previous, current in itertools.pairwise(groups):
        between = (previous[1][-1] + current[1][0]) / 2
        for a in (ax, table):
            a.axhline(between, color=style.LIGHT_GREY, linewidth=0.5, zorder=0)
    ax.xaxis.set_minor_locator(FixedLocator([m * 10.0 ** e for e in range(lo_exp, hi_exp) for m in range(2, 10)]))
    ticks = [10.0 ** e for e in range(lo_exp, hi_exp + 1)]
    tick_labels = [_power_text(e) for e in range(lo_exp, hi_exp + 1)]
    if slot is not None:
        ticks.insert(0, slot)
        tick_labels.insert(0, "0" if all(v >= 0 for v in values) else "\u2264 0")
    ax.set_xticks(ticks, tick_labels)
    ax.tick_params(axis="x", which="minor", length=1.8)
    ax.xaxis.grid(True, which="major", color=style.FAINT_GREY, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)
    # One axis for every measure, said plainly: each group has its own unit, so only positions within a group
    # compare (a log scale shows each number's order of magnitude; a panel per unit would leave most empty).
    ax.set_xlabel("Value as stated, log scale. Units differ between groups (see each row label):\n"
                  "compare positions within a group only.", fontsize=style.SMALL_SIZE + 0.5)

    rows = _table(table, figures, ys, names, articles, cases)
    languages = labels.code_labels(package, "articles", "language")
    fig.legend(*_legend(cited, articles, languages, colours, figures, cases), loc="outside upper left", ncols=2,
               fontsize=style.SMALL_SIZE, handlelength=1.8, columnspacing=1.0)
    fig.text(0.005, 0.008, caption, ha="left", va="bottom", fontsize=style.SMALL_SIZE, color=style.GREY)
    _fit_table(fig, table, rows)
    return fig


def _in_slot(f: dict[str, Any], slot: float) -> dict[str, Any]:
    """The figure with each value that is not positive moved to the axis's slot for them (its stated number,
    drawn beside it, still says what it is)."""
    return {**f, **{k: slot for k in ("value", "value_low", "value_high") if not labels.is_null(f[k]) and f[k] <= 0}}


def _power_text(exponent: int) -> str:
    """1, 10, 100, 1,000, 10,000, 100,000, 1M, 10M, 100M, 1B: plain numbers that fit under their tick."""
    if exponent >= 9:
        return f"{10 ** (exponent - 9):,}B"
    if exponent >= 6:
        return f"{10 ** (exponent - 6):,}M"
    if exponent >= 0:
        return f"{10 ** exponent:,}"
    return f"{10.0 ** exponent:g}"


def _draw_figure(ax: Any, f: dict[str, Any], y: float, colour: str) -> float:
    """Draw one figure's mark; returns the right end of what was drawn (in data units)."""
    value, low, high = f["value"], f["value_low"], f["value_high"]
    approximate = bool(f["approximate"])
    face = "white" if approximate else colour
    gid = GID_PREFIX + f["figure_id"]
    low = None if labels.is_null(low) else low
    high = None if labels.is_null(high) else high
    if labels.is_null(value):  # a range without a point value: a bar from low to high
        first = low if low is not None else high
        last = high if high is not None else low
        ax.add_line(Line2D([first, last], [y, y], color=colour, linewidth=4.5, alpha=0.35 if approximate else 0.8,
                           solid_capstyle="butt", gid=gid))
        ax.add_line(Line2D([first, last], [y, y], color=colour, linewidth=0, marker="|", markersize=8,
                           markeredgewidth=1.2))
        _open_side(ax, y, colour, low, high, first, last)
        return last * OPEN_ARROW if high is None else last  # the label goes past an upward arrow's tip
    right = value
    if low is not None and high is not None and (low != value or high != value):
        ax.add_line(Line2D([low, high], [y, y], color=colour, linewidth=1.0, marker="|", markersize=6))
        right = high
    _open_side(ax, y, colour, low, high, value, value)
    if high is None and low is not None:
        right = value * OPEN_ARROW
    ax.add_line(Line2D([value], [y], marker="o", markersize=MARKER_SIZE, markerfacecolor=face, markeredgecolor=colour,
                       markeredgewidth=1.3, linestyle="none", gid=gid))
    return right


def _open_side(ax: Any, y: float, colour: str, low: float | None, high: float | None, first: float,
               last: float) -> None:
    """An arrow towards the open side of a one-sided bound ('more than' opens upwards, 'nearly' downwards)."""
    if low is None and high is not None:
        ax.annotate("", (first / OPEN_ARROW, y), xytext=(first, y),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.0, "mutation_scale": 7})
    if high is None and low is not None:
        ax.annotate("", (last * OPEN_ARROW, y), xytext=(last, y),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.0, "mutation_scale": 7})


def _table(ax: Any, figures: Sequence[dict[str, Any]], ys: Sequence[float], names: dict[str, str],
           articles: dict[str, dict[str, Any]], cases: dict[str, str]) -> list[tuple[Text, Text, str, str]]:
    """Who states each figure and for when, as a two-column table beside the plot; with several cases the
    case comes first ("NightLine: ..."), so two cases' figures in one group are told apart. Returns each row's
    texts, its case and the name (for `_fit_table`)."""
    ax.set_xlim(0, 1)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(axis="both", length=0, labelleft=False, labelbottom=False)
    ax.text(TABLE_LEFT, -0.7, "Stated by", ha="left", va="bottom", fontsize=style.SMALL_SIZE, color=style.GREY)
    ax.text(TABLE_RIGHT, -0.7, "As of", ha="right", va="bottom", fontsize=style.SMALL_SIZE, color=style.GREY)
    rows = []
    for f, y in zip(figures, ys, strict=True):
        case = cases.get(f["article_id"], "")
        name = stated_by(f, names, articles)
        who = textwrap.fill(f"{case}: " * bool(case) + name, 30, break_on_hyphens=False)
        who_text = ax.text(TABLE_LEFT, y, who, ha="left", va="center", fontsize=style.SMALL_SIZE, linespacing=1.05)
        date_text = ax.text(TABLE_RIGHT, y, labels.reduced_date_text(f["as_of"], f["as_of_precision"]), ha="right",
                            va="center", fontsize=style.SMALL_SIZE)
        rows.append((who_text, date_text, case, name))
    return rows


def _fit_table(fig: Figure, table: Any, rows: Sequence[tuple[Text, Text, str, str]]) -> None:
    """Re-wrap each 'Stated by' text that would run into its 'As of' date at the width the layout gives the
    table (with several cases, "Ennetcom: Reuters (the outlet)" did), in as few lines as the room left allows.
    A text that fits keeps its 30-character wrap, so a page that fits is unchanged."""
    if not rows:
        return
    # The table's width, from a layout whose positions are then undone: constrained layout starts from the
    # Axes' positions, so `style.fix_layout` lays the figure out exactly as it would have without this pass.
    before = [(ax, ax.get_position(original=True), ax.get_position(original=False), ax.get_in_layout())
              for ax in fig.axes]
    fig.get_layout_engine().execute(fig)
    width = table.get_position().width * fig.get_figwidth() * 72.0  # points
    for ax, original, active, in_layout in before:
        ax.set_position(original, which="original")
        ax.set_position(active, which="active")
        ax.set_in_layout(in_layout)
    for who, date, case, name in rows:
        room = width * (TABLE_RIGHT - TABLE_LEFT) - _text_width(date.get_text(), date) - TABLE_GAP
        if all(_text_width(line, who) <= room for line in who.get_text().split("\n")):
            continue
        # The case on a line of its own unless that takes more lines than wrapping the words as they come.
        candidates = [[f"{case}:", *_wrapped(name, room, who)]] if case else []
        candidates.append(_wrapped(f"{case}: " * bool(case) + name, room, who))
        who.set_text("\n".join(min(candidates, key=len)))


def _wrapped(text: str, room: float, like: Text) -> list[str]:
    """`text`'s words in lines no wider than `room` points (a word wider than that on a line of its own)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _text_width(f"{lines[-1]} {word}", like) <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _text_width(text: str, like: Text) -> float:
    """The width in points of `text` in `like`'s font, the wider of its renderings at the SVG's 72 dpi (hinted
    wider at small sizes) and the PNG's resolution."""
    return max(_renderer(dpi).get_text_width_height_descent(text, like.get_fontproperties(), ismath=False)[0] * 72.0
               / dpi for dpi in (72, style.PNG_DPI))


@functools.lru_cache(maxsize=2)
def _renderer(dpi: int) -> RendererAgg:
    return RendererAgg(1, 1, dpi)


def _legend(cited: Sequence[str], articles: dict[str, dict[str, Any]], languages: dict[str, str],
            colours: dict[str, str],
            figures: Sequence[dict[str, Any]], cases: dict[str, str]) -> tuple[list[Any], list[str]]:
    handles: list[Any] = []
    texts: list[str] = []
    for article_id in cited:
        handles.append(Line2D([], [], marker="o", markersize=MARKER_SIZE, color=colours[article_id], linestyle="none"))
        case = cases.get(article_id, "")
        texts.append(f"{case}: " * bool(case) + labels.article_citation(articles[article_id], languages))
    grey = style.GREY
    if any(not f["approximate"] for f in figures):
        handles.append(Line2D([], [], marker="o", markersize=MARKER_SIZE, color=grey, linestyle="none"))
        texts.append("exact")
    if any(f["approximate"] and not labels.is_null(f["value"]) for f in figures):
        handles.append(Line2D([], [], marker="o", markersize=MARKER_SIZE, markerfacecolor="white",
                              markeredgecolor=grey, markeredgewidth=1.3, linestyle="none"))
        texts.append("approximate")
    if any(labels.is_null(f["value"]) for f in figures):
        handles.append(Line2D([], [], color=grey, linewidth=4.5, alpha=0.35))
        texts.append("range, no point value")
    return handles, texts


if __name__ == "__main__":
    raise SystemExit(chart_main(NAME))
