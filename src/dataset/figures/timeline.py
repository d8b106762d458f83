"""Timeline: every event on a time axis, drawn only as precisely as the sources date it.

    python -m dataset.figures.timeline --package datapackage.json --out timeline.svg

Reads events, event_actors, actors, event_sources and articles. One row per event, top to bottom by its
latest possible day. A day-precision event is a dot; a period the source names (a month) is a bar over
the days it can be (cut at the report's date where the source says so); an event between two bounds is a
line with a bracket at each bound; an event with no earlier bound is a line fading out to the left that
ends, bracketed, at the last day it can have happened. Periods far apart (2016 and 2017) get panels of
their own, with a day the same width in each, and a break mark between them. The right-hand column shows
which article reports each event, by its language (EN, NL).
"""

from __future__ import annotations

import datetime as dt
import itertools
import textwrap
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.lines import Line2D
from matplotlib.ticker import Formatter, Locator

from dataset.figures import chart, labels, style
from dataset.figures.package import Package

NAME = "timeline"

OI = style.OKABE_ITO
TYPE_COLOURS = {
    "arrest": OI["vermillion"],
    "pretrial_detention_order": OI["reddish_purple"],
    "investigation": OI["blue"],
    "service_shutdown": OI["black"],
    "server_seizure": OI["orange"],
    "user_notification": OI["sky_blue"],
    "data_access": OI["bluish_green"],
    "public_statement": style.GREY,
}
GAP_DAYS = 45  # dates further apart than this go into separate panels
TICK_GAP = 0.2  # inches between two date ticks: room for two labels ("1 Apr" and "8") side by side
ROW_HEIGHT = 0.235  # inches per event row
FADE_STEPS = 24
GID_PREFIX = "event-"  # the one artist per event that carries its date: gid "event-<event_id>"


def draw(package: Package) -> Figure:
    """The timeline of `package` as a Figure (one artist per event has gid 'event-<event_id>')."""
    with style.context():
        return _draw(package)


def _draw(package: Package) -> Figure:
    events = labels.ordered_events(package)
    names = {a["actor_id"]: a["name"] for a in package.records("actors")}
    participants: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in package.records("event_actors"):
        participants[row["event_id"]].append(row)
    reported: dict[str, set[str]] = defaultdict(set)
    for row in package.records("event_sources"):
        reported[row["event_id"]].add(row["article_id"])
    articles = sorted((a for a in package.records("articles") if any(a["article_id"] in r for r in reported.values())),
                      key=lambda a: (a["published"], a["article_id"]))

    panels = _panels(events)
    n = len(events)
    caption = labels.source_line(package, sorted({a for r in reported.values() for a in r}), chart(NAME).tables,
                                 style.FULL_WIDTH, style.SMALL_SIZE)
    caption_in = 0.08 + caption.count("\n") * 0.11 + 0.11
    height = 0.95 + ROW_HEIGHT * n + caption_in
    fig = style.new_figure(style.FULL_WIDTH, height)
    fig.get_layout_engine().set(rect=(0, caption_in / height, 1, 1 - caption_in / height), w_pad=0.02,
                                wspace=0.015)

    spans = [hi - lo for lo, hi, _, _ in panels]
    source_width = 0.8 * max(1, len(articles))  # inches for the "Reported in" column
    panel_inches = max(1.5, style.FULL_WIDTH - 2.45 - source_width)  # what is left beside the row labels
    ratios = [s / sum(spans) * panel_inches for s in spans] + [source_width]
    grid = fig.add_gridspec(1, len(panels) + 1, width_ratios=ratios)
    axes = [fig.add_subplot(grid[0, 0])]
    axes += [fig.add_subplot(grid[0, i], sharey=axes[0]) for i in range(1, len(panels))]
    source_ax = fig.add_subplot(grid[0, len(panels)], sharey=axes[0])

    rows = {e["event_id"]: i for i, e in enumerate(events)}
    used_styles: set[str] = set()
    drawn: set[str] = set()  # an event whose range crosses a break is drawn in both panels, tagged once
    for ax, (lo, hi, first_day, last_day) in zip(axes, panels, strict=True):
        ax.set_xlim(lo, hi)
        for event in events:
            first, last = _bounds(event)
            if last < lo or first > hi:
                continue
            tagged = event["event_id"] not in drawn
            used_styles.add(_draw_event(ax, event, rows[event["event_id"]], lo, hi, tagged=tagged))
            drawn.add(event["event_id"])
        _date_axis(ax, first_day, last_day)

    for i, ax in enumerate(axes):
        ax.set_ylim(n - 0.5, -0.5)
        ax.yaxis.grid(True, color=style.FAINT_GREY, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines["left"].set_visible(False)
        if i > 0:
            ax.tick_params(axis="y", labelleft=False)
    axes[0].set_yticks(range(n))
    axes[0].set_yticklabels([labels.event_label(e, participants[e["event_id"]], names) for e in events])
    for left, right in itertools.pairwise(axes):
        _break_marks(left, right)

    _sources_column(source_ax, events, articles, reported, n)
    handles, texts = _legend_entries(used_styles)
    fig.legend(handles, texts, loc="outside upper left", ncols=len(handles), handler_map={_Fade: _FadeHandler()},
               handlelength=2.4, fontsize=style.SMALL_SIZE)
    fig.text(0.005, 0.008, caption, ha="left", va="bottom", fontsize=style.SMALL_SIZE, color=style.GREY)
    return fig


def _colour(event: dict[str, Any]) -> str:
    return TYPE_COLOURS.get(event["event_type"], style.GREY)


def _bounds(event: dict[str, Any]) -> tuple[float, float]:
    """First and last possible instant of an event, in days (an open bound is taken as the known one)."""
    start, end = event["date_start"], event["date_end"]
    start = end if labels.is_null(start) else start
    end = start if labels.is_null(end) else end
    return float(start.toordinal()), float(end.toordinal() + 1)


def _panels(events: Sequence[dict[str, Any]]) -> list[tuple[float, float, dt.date, dt.date]]:
    """Panels: (left, right) limits in day ordinals and the first and last known date they show. Known dates
    are split into panels at gaps of more than GAP_DAYS; a panel with an open-start event gets room on the left
    for its fading line."""
    days = sorted({d.toordinal() for e in events for d in (e["date_start"], e["date_end"]) if not labels.is_null(d)})
    clusters: list[list[int]] = []
    for day in days:
        if clusters and day - clusters[-1][-1] <= GAP_DAYS:
            clusters[-1].append(day)
        else:
            clusters.append([day])
    panels = []
    for cluster in clusters:
        lo, hi = cluster[0], cluster[-1] + 1
        span = hi - lo
        pad = max(1.5, 0.06 * span)
        open_start = any(labels.is_null(e["date_start"]) and lo <= e["date_end"].toordinal() < hi for e in events)
        left = lo - pad - (max(4.0, 0.2 * span) if open_start else 0.0)
        panels.append((left, hi + pad, dt.date.fromordinal(lo), dt.date.fromordinal(hi - 1)))
    return panels


def _draw_event(ax: Any, event: dict[str, Any], y: int, lo: float, hi: float, *, tagged: bool = True) -> str:
    """Draw one event in its row; returns which date style it used (for the legend)."""
    colour = _colour(event)
    gid = GID_PREFIX + event["event_id"] if tagged else None
    start, end = event["date_start"], event["date_end"]
    if labels.is_null(start) or labels.is_null(end):
        if labels.is_null(start):  # no earlier bound: fade out towards the past
            edge = end.toordinal() + 1
            ax.add_collection(_fade(lo, edge, y, colour, gid, fade_left=True))
        else:  # no later bound: fade out towards the future
            edge = start.toordinal()
            ax.add_collection(_fade(edge, hi, y, colour, gid, fade_left=False))
        ax.add_line(Line2D([edge], [y], marker="|", markersize=7, markeredgewidth=1.4, color=colour))
        return "open"
    first, last = start.toordinal(), end.toordinal() + 1
    if event["date_basis"] != "bounded" and event["date_precision"] == "day" and last - first == 1:
        ax.add_line(Line2D([first + 0.5], [y], marker="o", markersize=5.5, color=colour, linestyle="none", gid=gid))
        return "day"
    if event["date_basis"] == "bounded":
        ax.add_line(Line2D([first, last], [y, y], color=colour, linewidth=1.2, marker="|", markersize=7,
                           markeredgewidth=1.4, gid=gid))
        return "between"
    ax.add_line(Line2D([first, last], [y, y], color=colour, linewidth=6.0, alpha=0.75, gid=gid))
    return f"period:{event['date_precision']}"


def _fade(x0: float, x1: float, y: float, colour: str, gid: str | None, *, fade_left: bool) -> LineCollection:
    """A line from x0 to x1 whose opacity falls to nothing towards the open end (one artist)."""
    step = (x1 - x0) / FADE_STEPS
    segments = [[(x0 + i * step, y), (x0 + (i + 1) * step, y)] for i in range(FADE_STEPS)]
    red, green, blue, _ = to_rgba(colour)
    alphas = [((i + 0.5) / FADE_STEPS) ** 1.3 for i in range(FADE_STEPS)]
    if not fade_left:
        alphas.reverse()
    return LineCollection(segments, colors=[(red, green, blue, a) for a in alphas], linewidths=1.6,
                          capstyle="butt", gid=gid)


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
    """Date ticks fitted to the panel's width (`_DateTicks`), and the months and year the panel covers as
    its axis label."""
    ax.xaxis.set_major_locator(_DateTicks(first, last))
    ax.xaxis.set_major_formatter(_DateLabels(last.toordinal() - first.toordinal() + 1))
    (y0, m0), (y1, m1) = (first.year, first.month), (last.year, last.month)
    if (y0, m0) == (y1, m1):
        text = f"{labels.MONTH_NAMES[m0 - 1]} {y0}"
    elif y0 == y1:
        text = f"{labels.MONTH_NAMES[m0 - 1]}{labels.EN_DASH}{labels.MONTH_NAMES[m1 - 1]} {y0}"
    else:
        text = f"{labels.MONTHS[m0 - 1]} {y0} {labels.EN_DASH} {labels.MONTHS[m1 - 1]} {y1}"
    ax.set_xlabel(text)


def _break_marks(left: Any, right: Any) -> None:
    """The usual '//' where the time axis is broken between two panels."""
    size = 0.012
    for ax, x in ((left, 1.0), (right, 0.0)):
        ax.plot([x - size, x + size], [-0.025, 0.025], transform=ax.transAxes, color="#333333", linewidth=0.8,
                clip_on=False)
        if x == 1.0:
            ax.spines["right"].set_visible(False)


def _sources_column(ax: Any, events: Sequence[dict[str, Any]], articles: Sequence[dict[str, Any]],
                    reported: dict[str, set[str]], n: int) -> None:
    ax.set_xlim(-0.6, len(articles) - 0.4)
    ax.set_ylim(n - 0.5, -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, labelsize=style.SMALL_SIZE, pad=2)
    headers = []
    for article in articles:
        who = textwrap.fill(labels.article_short(article), 12, break_on_hyphens=False)
        headers.append(f"{who}\n{labels.reduced_date_text(article['published'], article['published_precision'])}")
    ax.set_xticks(range(len(articles)), headers, multialignment="center")
    ax.set_title("Reported in", fontsize=style.SMALL_SIZE, color=style.GREY, pad=3)
    for y, event in enumerate(events):
        for x, article in enumerate(articles):
            if article["article_id"] in reported.get(event["event_id"], ()):
                ax.text(x, y, str(article["language"]).upper(), ha="center", va="center",
                        fontsize=style.SMALL_SIZE - 0.5, color="#222222", gid=f"source-{event['event_id']}--"
                        f"{article['article_id']}", bbox={"boxstyle": "round,pad=0.18", "facecolor": style.FAINT_GREY,
                                                          "edgecolor": style.LIGHT_GREY, "linewidth": 0.5})


class _Fade:
    """Legend stand-in for a line fading out to the left."""


class _FadeHandler(HandlerBase):
    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        y = height / 2 - ydescent
        x0, x1 = -xdescent, -xdescent + width - 2  # the cap stays clear of the entry's text
        fade = _fade(x0, x1, y, style.GREY, "", fade_left=True)
        fade.set_transform(trans)
        cap = Line2D([x1], [y], marker="|", markersize=7, markeredgewidth=1.4, color=style.GREY, transform=trans)
        return [fade, cap]


def _legend_entries(used: set[str]) -> tuple[list[Any], list[str]]:
    grey = style.GREY
    periods = [p for p in ("week", "month", "year") if f"period:{p}" in used]
    periods += sorted(u.removeprefix("period:") for u in used if u.startswith("period:")
                      and u.removeprefix("period:") not in periods)
    if periods:
        used = used | {"period"}
    entries = {
        "day": (Line2D([], [], marker="o", markersize=5.5, color=grey, linestyle="none"), "dated to the day"),
        "period": (Line2D([], [], color=grey, linewidth=6.0, alpha=0.75), f"dated only to the {'/'.join(periods)}"),
        "between": (Line2D([], [], color=grey, linewidth=1.2, marker="|", markersize=7, markeredgewidth=1.4),
                    "known only between two dates"),
        "open": (_Fade(), "known only to be by this day"),
    }
    chosen = [entries[k] for k in ("day", "period", "between", "open") if k in used]
    return [h for h, _ in chosen], [t for _, t in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    from dataset.figures import chart_main

    return chart_main(NAME, argv)


if __name__ == "__main__":
    raise SystemExit(main())
