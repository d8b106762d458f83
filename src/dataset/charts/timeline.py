"""Timeline: every event on a time axis, drawn only as precisely as the sources date it.

    python -m dataset.charts.timeline --package datapackage.json --out timeline.svg

Reads events, event_actors, actors, event_sources and articles. One row per event, top to bottom by its
latest possible day. A day-precision event is a dot; a period the source names (a month) is a translucent
bar over the days it can be (cut at the report's date where the source says so); an event between two
bounds, which happened at some point between them, is a line with a bracket at each bound; an event that
lasted from its start to its end (date_basis `period`) is an opaque bar with square ends; an event with no
earlier bound is a bracket at the last day it can have happened with a short arrowhead to the left, of a
fixed size, suggesting no start. Periods far apart (2016 and 2017) get panels of their own, with a day the
same width in each (each at least MIN_PANEL wide), and a break mark between them; only a line between two
bounds crosses a break. With several cases, each case's events follow a heading row with the case's name.
The right-hand column shows which article reports each event, by its language (EN, NL). Colours and labels
of event types come from the package (its datapackage.json categories).
"""

from __future__ import annotations

import datetime as dt
import itertools
import textwrap
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.path import Path as MarkerPath
from matplotlib.ticker import Formatter, Locator

from dataset.charts import chart, chart_main, labels, marks, style
from dataset.datapackage.parquet import Package

NAME = "timeline"

OI = style.OKABE_ITO
# An event type's colour: its place in the package's list of event types (the registry's order), in this
# palette; statements, last in that order, grey. A longer list starts the palette again.
TYPE_PALETTE = (OI["vermillion"], OI["reddish_purple"], OI["blue"], OI["black"], OI["orange"], OI["yellow"],
                OI["sky_blue"], OI["bluish_green"], style.GREY)
GAP_DAYS = 45  # dates further apart than this go into separate panels
TICK_GAP = 0.2  # inches between two date ticks: room for two labels ("1 Apr" and "8") side by side
ROW_HEIGHT = 0.25  # inches per row: two lines of a wrapped label
LABEL_WIDTH = 2.3  # inches: the widest row label; longer ones wrap onto a second line
LEGEND_COLUMNS = 4  # legend entries in one row across the full page width
LABEL_CHARS = 40  # characters of a row label's line (DejaVu Sans at 7 pt: about 0.058 in each)
SOURCE_COLUMN = 0.62  # inches per article in the "Reported in" column
MIN_PANEL = 0.85  # inches: the narrowest panel (its two-line date label and one tick)
GID_PREFIX = "event-"  # the one artist per event that carries its date: gid "event-<event_id>"
DATE_FIELDS = ("date_start", "date_end", "date_basis", "date_precision")  # what an event's mark encodes


def draw(package: Package) -> Figure:
    """The timeline of `package` as a Figure (one artist per event has gid 'event-<event_id>')."""
    with style.context():
        return _draw(package)


def rows_of(package: Package) -> list[tuple[str, dict[str, Any] | None, str]]:
    """The timeline's rows, top to bottom: (kind, event, label). With several cases each case gets a heading
    row (kind "case", its name) above its events, cases in the order of their first event; one case, no
    heading. Event labels say what happened and to whom, and no two read alike (`labels.distinct_labels`)."""
    events = labels.ordered_events(package)
    names = {a["actor_id"]: a["name"] for a in package.records("actors")}
    participants: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in package.records("event_actors"):
        participants[row["event_id"]].append(row)
    type_labels = labels.code_labels(package, "events", "event_type")
    texts = labels.distinct_labels([labels.event_label(e, participants[e["event_id"]], names, type_labels)
                                    for e in events],
                                   events)
    texts = [textwrap.fill(t, LABEL_CHARS, break_on_hyphens=False) for t in texts]
    label_of = {e["event_id"]: t for e, t in zip(events, texts, strict=True)}
    cases = list(dict.fromkeys(e["case_id"] for e in events))
    if len(cases) < 2:
        return [("event", e, label_of[e["event_id"]]) for e in events]
    case_name = labels.case_names(package)
    rows: list[tuple[str, dict[str, Any] | None, str]] = []
    for case in cases:
        rows.append(("case", None, case_name.get(case, case)))
        rows += [("event", e, label_of[e["event_id"]]) for e in events if e["case_id"] == case]
    return rows


def _draw(package: Package) -> Figure:
    rows_drawn = rows_of(package)
    events = [e for kind, e, _ in rows_drawn if kind == "event" and e is not None]
    reported: dict[str, set[str]] = defaultdict(set)
    for row in package.records("event_sources"):
        reported[row["event_id"]].add(row["article_id"])
    articles = sorted((a for a in package.records("articles") if any(a["article_id"] in r for r in reported.values())),
                      key=lambda a: (a["published"], a["article_id"]))

    n = len(rows_drawn)
    caption = labels.source_line(package, sorted({a for r in reported.values() for a in r}), chart(NAME).tables,
                                 style.FULL_WIDTH, style.SMALL_SIZE)
    caption_in = 0.08 + caption.count("\n") * 0.11 + 0.11
    languages = labels.code_labels(package, "articles", "language")
    headers = [_source_header(a, languages) for a in articles]
    header_in = 0.3 + 0.11 * max((h.count("\n") + 1 for h in headers), default=1)  # legend, "Reported in", heads
    height = 0.25 + header_in + 0.5 + ROW_HEIGHT * max(n, 2) + caption_in
    fig = style.new_figure(style.FULL_WIDTH, height)
    fig.get_layout_engine().set(rect=(0, caption_in / height, 1, 1 - caption_in / height), w_pad=0.02,
                                wspace=0.015)

    source_width = SOURCE_COLUMN * max(1, len(articles))  # inches for the "Reported in" column
    label_inches = min(LABEL_WIDTH, 0.06 * max((len(line) for _, _, t in rows_drawn for line in t.split("\n")),
                                               default=10))
    panel_inches = max(1.5, style.FULL_WIDTH - 0.25 - label_inches - source_width)  # beside the row labels
    panels = _panels(events, int(panel_inches // MIN_PANEL))
    ratios = [*_panel_widths(panels, panel_inches), source_width]
    grid = fig.add_gridspec(1, len(panels) + 1, width_ratios=ratios)
    axes = [fig.add_subplot(grid[0, 0])]
    axes += [fig.add_subplot(grid[0, i], sharey=axes[0]) for i in range(1, len(panels))]
    source_ax = fig.add_subplot(grid[0, len(panels)], sharey=axes[0])

    rows = {e["event_id"]: i for i, (kind, e, _) in enumerate(rows_drawn) if kind == "event" and e is not None}
    used_styles: set[str] = set()
    colours = {code: TYPE_PALETTE[i % len(TYPE_PALETTE)]
               for i, code in enumerate(labels.code_labels(package, "events", "event_type"))}
    drawn: set[str] = set()  # a line between two bounds that crosses a break is drawn in each panel, tagged once
    for ax, (lo, hi, first_day, last_day) in zip(axes, panels, strict=True):
        ax.set_xlim(lo, hi)
        for event in events:
            first, last = _bounds(event)
            if last < lo or first > hi:
                continue
            tagged = event["event_id"] not in drawn
            colour = colours.get(event["event_type"], style.GREY)
            used_styles.add(_draw_event(ax, event, rows[event["event_id"]], colour, tagged=tagged))
            if tagged:
                marks.record(fig, GID_PREFIX + event["event_id"], "events", [{"event_id": event["event_id"]}],
                             rows_drawn[rows[event["event_id"]]][2], {k: event[k] for k in DATE_FIELDS})
            drawn.add(event["event_id"])
        _date_axis(ax, first_day, last_day)

    for i, ax in enumerate(axes):
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_yticks([y for y, (kind, _, _) in enumerate(rows_drawn) if kind == "event"], minor=True)
        ax.yaxis.grid(True, which="minor", color=style.FAINT_GREY, linewidth=0.6)
        ax.tick_params(axis="y", which="minor", length=0)
        ax.set_axisbelow(True)
        ax.spines["left"].set_visible(False)
        if i > 0:
            ax.tick_params(axis="y", labelleft=False)
    axes[0].set_yticks(range(n), [text for _, _, text in rows_drawn])
    for tick, (kind, _, _) in zip(axes[0].get_yticklabels(), rows_drawn, strict=True):
        if kind == "case":
            tick.set_fontweight("bold")
    for left, right in itertools.pairwise(axes):
        _break_marks(left, right)

    _sources_column(source_ax, rows_drawn, articles, headers, reported, n)
    quotes: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in package.records("event_sources"):
        quotes[(row["event_id"], row["article_id"])].append({"source_id": row["source_id"]})
    languages = {a["article_id"]: str(a["language"]).upper() for a in articles}
    for (event_id, article_id), keys in quotes.items():
        if event_id in rows:  # the article's language in the event's row of "Reported in"
            marks.record(fig, f"source-{event_id}--{article_id}", "event_sources", keys, languages[article_id], None)
    handles, texts = _legend_entries(used_styles, labels.code_labels(package, "events", "date_precision"))
    # one row holds four entries across the page; more wrap into two rows (the layout makes room above)
    columns = len(handles) if len(handles) <= LEGEND_COLUMNS else -(-len(handles) // 2)
    fig.legend(handles, texts, loc="outside upper left", ncols=columns, handler_map={_OpenStart: _OpenHandler()},
               handlelength=2.4, fontsize=style.SMALL_SIZE)
    fig.text(0.005, 0.008, caption, ha="left", va="bottom", fontsize=style.SMALL_SIZE, color=style.GREY)
    return fig


def _bounds(event: dict[str, Any]) -> tuple[float, float]:
    """First and last possible instant of an event, in days (an open bound is taken as the known one)."""
    start, end = event["date_start"], event["date_end"]
    start = end if labels.is_null(start) else start
    end = start if labels.is_null(end) else end
    return float(start.toordinal()), float(end.toordinal() + 1)


def _panels(events: Sequence[dict[str, Any]], most: int) -> list[tuple[float, float, dt.date, dt.date]]:
    """At most `most` panels: (left, right) limits in day ordinals and the first and last day they show.

    What is drawn as one piece stays in one panel (a day's dot, a period's bar, a one-sided bound's mark):
    these are merged where they overlap or lie at most GAP_DAYS apart. Only a line between two bounds may
    cross a break, each of its bounds (bracketed) in the panel of its day. Where more panels would be needed
    than fit, the two nearest are merged until they fit."""
    pieces: list[tuple[int, int]] = []
    for event in events:
        first, last = (int(b) for b in _bounds(event))
        if event["date_basis"] == "bounded" and not labels.is_null(event["date_start"]):
            pieces += [(first, first + 1), (last - 1, last)]
        else:
            pieces.append((first, last))
    clusters: list[list[int]] = []
    for first, last in sorted(pieces):
        if clusters and first - clusters[-1][1] <= GAP_DAYS:
            clusters[-1][1] = max(clusters[-1][1], last)
        else:
            clusters.append([first, last])
    while len(clusters) > max(1, most):
        k = min(range(len(clusters) - 1), key=lambda i: (clusters[i + 1][0] - clusters[i][1], i))
        clusters[k:k + 2] = [[clusters[k][0], max(clusters[k][1], clusters[k + 1][1])]]
    panels = []
    for lo, hi in clusters:
        pad = max(1.5, 0.06 * (hi - lo))
        panels.append((lo - pad, hi + pad, dt.date.fromordinal(lo), dt.date.fromordinal(hi - 1)))
    return panels or [(0.0, 1.0, dt.date(2000, 1, 1), dt.date(2000, 1, 1))]


def _panel_widths(panels: Sequence[tuple[float, float, dt.date, dt.date]], inches: float) -> list[float]:
    """Each panel's width: a day the same width in every panel, except that no panel is narrower than
    MIN_PANEL inches (room for its two-line date label and a tick), taken from the widest ones."""
    spans = [hi - lo for lo, hi, _, _ in panels]
    floor = min(MIN_PANEL, inches / len(panels))
    widths = [s / sum(spans) * inches for s in spans]
    while any(w < floor - 1e-9 for w in widths):
        small = [w < floor + 1e-9 for w in widths]
        rest = inches - floor * sum(small)
        wide = sum(s for s, is_small in zip(spans, small, strict=True) if not is_small)
        widths = [floor if is_small else s / wide * rest for s, is_small in zip(spans, small, strict=True)]
    return widths


def _draw_event(ax: Any, event: dict[str, Any], y: int, colour: str, *, tagged: bool = True) -> str:
    """Draw one event in its row (one artist, gid 'event-<event_id>' where `tagged`); returns which date style
    it used."""
    gid = GID_PREFIX + event["event_id"] if tagged else None
    start, end = event["date_start"], event["date_end"]
    if labels.is_null(start) or labels.is_null(end):
        # One bound only: a bracket at that day with an arrowhead towards the unknown side, both of a fixed
        # size in points, so the mark suggests no other date (a line to the panel's edge would).
        edge = end.toordinal() + 1 if labels.is_null(start) else start.toordinal()
        marker = OPEN_START if labels.is_null(start) else OPEN_END
        ax.add_line(Line2D([edge], [y], marker=marker, markersize=11, markeredgewidth=1.3, markerfacecolor="none",
                           color=colour, linestyle="none", gid=gid))
        return "open" if labels.is_null(start) else "open_end"
    first, last = start.toordinal(), end.toordinal() + 1
    if event["date_basis"] == "period":  # lasted the whole time: an opaque bar with square ends
        ax.add_line(Line2D([first, last], [y, y], color=colour, linewidth=2.6, solid_capstyle="butt", marker="s",
                           markersize=4.2, gid=gid))
        return "lasted"
    if event["date_basis"] != "bounded" and event["date_precision"] == "day" and last - first == 1:
        ax.add_line(Line2D([first + 0.5], [y], marker="o", markersize=5.5, color=colour, linestyle="none", gid=gid))
        return "day"
    if event["date_basis"] == "bounded":
        ax.add_line(Line2D([first, last], [y, y], color=colour, linewidth=1.2, marker="|", markersize=7,
                           markeredgewidth=1.4, gid=gid))
        return "between"
    ax.add_line(Line2D([first, last], [y, y], color=colour, linewidth=6.0, alpha=0.75, gid=gid))
    return f"period:{event['date_precision']}"


def _open_marker(direction: float) -> MarkerPath:
    """A bracket at x=0 with a short line and an arrowhead towards `direction` (-1 the past, +1 the future)."""
    d = direction
    vertices = [(0, -0.5), (0, 0.5), (0, 0), (d * 0.9, 0), (d * 0.55, 0.22), (d * 0.9, 0), (d * 0.55, -0.22)]
    codes = [MarkerPath.MOVETO, MarkerPath.LINETO, MarkerPath.MOVETO, MarkerPath.LINETO, MarkerPath.MOVETO,
             MarkerPath.LINETO, MarkerPath.LINETO]
    return MarkerPath(vertices, codes)


OPEN_START = _open_marker(-1.0)
OPEN_END = _open_marker(1.0)


class _DateTicks(Locator):
    """Ticks within a panel's dates, as many as leave TICK_GAP inches between two labels at the width the
    panel is drawn (known only at draw time, after the layout): every week (days 1, 8, 15, 22; never the
    29th, two days from the next 1st), fortnight or month start for a panel of up to three months; month
    starts, quarters or years for a longer one."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        self.span = last.toordinal() - first.toordinal() + 1

    def __call__(self) -> list[float]:
        lo, hi = self.axis.get_view_interval()
        axes = self.axis.axes  # its width as laid out, in inches: the same choice at every resolution
        inches_per_day = axes.get_position().width * axes.figure.get_figwidth() / (hi - lo)
        # (which days get a tick, the fewest days between two of them), densest first; the last always fits.
        choices: list[tuple[Callable[[dt.date], bool], int]] = (
            [(lambda d: d.day in (1, 8, 15, 22), 7), (lambda d: d.day in (1, 15), 14), (lambda d: d.day == 1, 28)]
            if self.span <= 92 else
            [(lambda d: d.day == 1, 28), (lambda d: d.day == 1 and d.month % 3 == 1, 90),
             (lambda d: d.day == 1 and d.month == 1, 365)]
        )
        wanted = next((pick for pick, gap in choices if gap * inches_per_day >= TICK_GAP), choices[-1][0])
        days = (dt.date.fromordinal(d) for d in range(self.first.toordinal(), self.last.toordinal() + 1))
        ticks = [d for d in days if wanted(d)] or [self.first]
        offset = 0.5 if self.span <= 92 else 0.0  # a short panel's tick marks the middle of its day
        return [d.toordinal() + offset for d in ticks]


class _DateLabels(Formatter):
    """The labels of `_DateTicks`: day numbers with the month under the first tick of each month (a panel
    of up to three months), else month abbreviations, with the year at each January of a panel of more than
    400 days."""

    def __init__(self, span: int) -> None:
        self.span = span

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        texts, previous = [], None
        for value in values:
            d = dt.date.fromordinal(int(value))
            if self.span > 400 and d.month == 1:
                texts.append(str(d.year))
            elif self.span > 92:
                texts.append(labels.MONTHS[d.month - 1])
            else:
                texts.append(f"{d.day}\n{labels.MONTHS[d.month - 1]}" if (d.year, d.month) != previous
                             else str(d.day))
                previous = (d.year, d.month)
        return texts

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self.format_ticks([x])[0]


def _date_axis(ax: Any, first: dt.date, last: dt.date) -> None:
    """Date ticks fitted to the panel's width (`_DateTicks`), and the months and years the panel covers as
    its axis label, on two lines where it spans two years (a narrow panel's label stays within it)."""
    ax.xaxis.set_major_locator(_DateTicks(first, last))
    ax.xaxis.set_major_formatter(_DateLabels(last.toordinal() - first.toordinal() + 1))
    ax.set_xlabel(period_text(first, last), fontsize=style.SMALL_SIZE + 0.5)


def period_text(first: dt.date, last: dt.date) -> str:
    """'Apr 2016', 'Feb-Mar 2017', 'Nov 2019-\nJul 2020' (en dashes): the months a panel covers, fitting it."""
    (y0, m0), (y1, m1) = (first.year, first.month), (last.year, last.month)
    if (y0, m0) == (y1, m1):
        return f"{labels.MONTHS[m0 - 1]} {y0}"
    if y0 == y1:
        return f"{labels.MONTHS[m0 - 1]}{labels.EN_DASH}{labels.MONTHS[m1 - 1]} {y0}"
    return f"{labels.MONTHS[m0 - 1]} {y0}{labels.EN_DASH}\n{labels.MONTHS[m1 - 1]} {y1}"


def _break_marks(left: Any, right: Any) -> None:
    """The usual '//' where the time axis is broken between two panels."""
    size = 0.012
    for ax, x in ((left, 1.0), (right, 0.0)):
        ax.plot([x - size, x + size], [-0.025, 0.025], transform=ax.transAxes, color="#333333", linewidth=0.8,
                clip_on=False)
        if x == 1.0:
            ax.spines["right"].set_visible(False)


def _source_header(article: dict[str, Any], languages: dict[str, str]) -> str:
    """A column of "Reported in": the outlet (wrapped) over the date, as every chart names an article."""
    who = textwrap.fill(labels.article_short(article, languages), 10, break_on_hyphens=False)
    return f"{who}\n{labels.reduced_date_text(article['published'], article['published_precision'])}"


def _sources_column(ax: Any, rows: Sequence[tuple[str, dict[str, Any] | None, str]],
                    articles: Sequence[dict[str, Any]], headers: Sequence[str], reported: dict[str, set[str]],
                    n: int) -> None:
    ax.set_xlim(-0.6, len(articles) - 0.4)
    ax.set_ylim(n - 0.5, -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(axis="y", which="both", left=False, labelleft=False)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, labelsize=style.SMALL_SIZE, pad=2)
    ax.set_xticks(range(len(articles)), headers, multialignment="center")
    ax.set_title("Reported in", fontsize=style.SMALL_SIZE, color=style.GREY, pad=3)
    for y, (_, event, _) in enumerate(rows):
        if event is None:
            continue
        for x, article in enumerate(articles):
            if article["article_id"] in reported.get(event["event_id"], ()):
                ax.text(x, y, str(article["language"]).upper(), ha="center", va="center",
                        fontsize=style.SMALL_SIZE - 0.5, color="#222222", gid=f"source-{event['event_id']}--"
                        f"{article['article_id']}", bbox={"boxstyle": "round,pad=0.18", "facecolor": style.FAINT_GREY,
                                                          "edgecolor": style.LIGHT_GREY, "linewidth": 0.5})


class _OpenStart:
    """Legend stand-in for the mark of an event known only to have happened by a day."""


class _OpenHandler(HandlerBase):
    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        mark = Line2D([-xdescent + width * 0.7], [height / 2 - ydescent], marker=OPEN_START, markersize=11,
                      markeredgewidth=1.3, markerfacecolor="none", color=style.GREY, linestyle="none",
                      transform=trans)
        return [mark]


def _legend_entries(used: set[str], precisions: dict[str, str]) -> tuple[list[Any], list[str]]:
    """The legend of the date styles drawn; `precisions`: the date precisions' labels, in their order."""
    grey = style.GREY
    periods = [precisions.get(p, p) for p in precisions if f"period:{p}" in used]
    periods += sorted(u.removeprefix("period:") for u in used if u.startswith("period:")
                      and u.removeprefix("period:") not in precisions)
    if periods:
        used = used | {"period"}
    entries = {
        "day": (Line2D([], [], marker="o", markersize=5.5, color=grey, linestyle="none"), "dated to the day"),
        "period": (Line2D([], [], color=grey, linewidth=6.0, alpha=0.75), f"dated only to the {'/'.join(periods)}"),
        "lasted": (Line2D([], [], color=grey, linewidth=2.6, solid_capstyle="butt", marker="s", markersize=4.2),
                   "lasted from start to end"),
        "between": (Line2D([], [], color=grey, linewidth=1.2, marker="|", markersize=7, markeredgewidth=1.4),
                    "at some point between two dates"),
        "open": (_OpenStart(), "known only to be by this day"),
        "open_end": (Line2D([], [], marker=OPEN_END, markersize=11, markeredgewidth=1.3, markerfacecolor="none",
                            color=grey, linestyle="none"), "known only to be from this day"),
    }
    chosen = [entries[k] for k in ("day", "period", "lasted", "between", "open", "open_end") if k in used]
    return [h for h, _ in chosen], [t for _, t in chosen]


if __name__ == "__main__":
    raise SystemExit(chart_main(NAME))
