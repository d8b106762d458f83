"""Actor matrix: which actor takes part in which event, and in what role.

    python -m dataset.charts.actor_matrix --package datapackage.json --out actor_matrix.svg

Reads event_actors, events, actors, event_sources and articles. Rows are the actors that take part in at
least one event, state bodies first (police, prosecution, court, government), then companies, people and
groups; columns are the events in the timeline's order (by latest possible day), labelled with their type
and date. Each row of event_actors is one marker; its shape and colour give the role. An actor with two
roles in one event gets two markers side by side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dataset.charts import chart, chart_main, labels, marks, style
from dataset.datapackage.parquet import Package

NAME = "actor_matrix"

OI = style.OKABE_ITO
# Role -> (marker, colour, size): distinct in shape as well as colour, so the chart survives greyscale.
ROLE_MARKS = {
    "agent": ("o", OI["blue"], 6.5),
    "target": ("X", OI["vermillion"], 7.0),
    "requester": ("D", OI["orange"], 5.5),
    "cooperating_party": ("^", OI["bluish_green"], 6.5),
    "spokesperson": ("s", OI["reddish_purple"], 5.5),
}
FALLBACK_MARK = ("P", style.GREY, 6.5)
ACTOR_TYPES = ("police", "prosecution", "court", "government", "company", "person", "group")
CELL = 0.3  # inches per row and per column
MAX_HEIGHT = 9.0  # inches: a page
GID_PREFIX = "role-"  # one scatter collection per role, gid "role-<role>", one point per event_actors row


def draw(package: Package) -> Figure:
    """The actor x event matrix of `package` as a Figure (collections with gid 'role-<role>')."""
    with style.context():
        return _draw(package)


def _draw(package: Package) -> Figure:
    events = labels.ordered_events(package)
    first_day = {}
    for e in events:  # columns grouped by case, cases in the order of their first event
        first_day.setdefault(e["case_id"], len(first_day))
    events.sort(key=lambda e: first_day[e["case_id"]])
    column = {e["event_id"]: i for i, e in enumerate(events)}
    links = package.records("event_actors")
    actors = {a["actor_id"]: a for a in package.records("actors")}

    # Actors in events: state bodies first, each in order of its first event; a part after its whole.
    first_event: dict[str, int] = {}
    for link in links:
        first_event[link["actor_id"]] = min(first_event.get(link["actor_id"], len(events)), column[link["event_id"]])

    def actor_key(actor_id: str) -> tuple[Any, ...]:
        actor = actors[actor_id]
        kind = actor["actor_type"]
        rank = ACTOR_TYPES.index(kind) if kind in ACTOR_TYPES else len(ACTOR_TYPES)
        whole = actor["part_of"] if not labels.is_null(actor["part_of"]) and actor["part_of"] in first_event else None
        anchor = first_event[whole] if whole else first_event[actor_id]
        return (rank, anchor, whole or actor_id, whole is not None, actor_id)

    rows = sorted(first_event, key=actor_key)
    row = {a: i for i, a in enumerate(rows)}

    reported = {s["article_id"] for s in package.records("event_sources")}
    caption = labels.source_line(package, sorted(reported), chart(NAME).tables, style.FULL_WIDTH, style.SMALL_SIZE)
    caption_in = 0.08 + caption.count("\n") * 0.11 + 0.11
    longest = max((len(t) for t in column_labels(package, events)), default=10)
    top = 0.75 + 0.042 * longest + caption_in  # column labels rise at 50 degrees
    cell = min(CELL, (MAX_HEIGHT - top) / max(1, len(rows)))  # rows closer together rather than off the page
    height = top + cell * len(rows)
    fig = style.new_figure(style.FULL_WIDTH, height)
    fig.get_layout_engine().set(rect=(0, caption_in / height, 0.99, 1 - caption_in / height), w_pad=0.02)
    ax = fig.add_subplot()

    # Markers: one collection per role; an actor with several roles in one event gets them side by side.
    cell_roles: dict[tuple[str, str], list[str]] = defaultdict(list)
    for link in links:
        cell_roles[(link["event_id"], link["actor_id"])].append(link["role"])
    order = list(ROLE_MARKS)
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (event_id, actor_id), roles in sorted(cell_roles.items()):
        roles = sorted(roles, key=lambda r: (order.index(r) if r in order else len(order), r))
        for k, role in enumerate(roles):
            shift = (k - (len(roles) - 1) / 2) * 0.28
            points[role].append((column[event_id] + shift, row[actor_id]))
            marks.record(fig, GID_PREFIX + role, "event_actors", [{"event_id": event_id, "actor_id": actor_id,
                                                                  "role": role}],
                         actors[actor_id]["name"], role, index=len(points[role]) - 1)
    present = sorted(points, key=lambda r: (order.index(r) if r in order else len(order), r))
    for role in present:
        marker, colour, size = ROLE_MARKS.get(role, FALLBACK_MARK)
        xs, ys = zip(*points[role], strict=True)
        ax.scatter(xs, ys, s=size**2, marker=marker, color=colour, linewidths=0, gid=GID_PREFIX + role, zorder=3)

    ax.set_xlim(-0.5, len(events) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)), [actors[a]["name"] for a in rows])
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(events)), column_labels(package, events), rotation=50, ha="left",
                  rotation_mode="anchor")
    ax.tick_params(axis="x", length=0, pad=3)
    ax.tick_params(axis="y", length=0, pad=4)
    ax.set_xticks([i + 0.5 for i in range(len(events) - 1)], minor=True)
    ax.set_yticks([i + 0.5 for i in range(len(rows) - 1)], minor=True)
    ax.tick_params(which="minor", length=0)
    ax.grid(True, which="minor", color=style.FAINT_GREY, linewidth=0.7)
    ax.set_axisbelow(True)
    for spine in ax.spines.values():
        spine.set_visible(False)

    handles = [Line2D([], [], marker=ROLE_MARKS.get(r, FALLBACK_MARK)[0], color=ROLE_MARKS.get(r, FALLBACK_MARK)[1],
                      markersize=ROLE_MARKS.get(r, FALLBACK_MARK)[2], markeredgewidth=0, linestyle="none")
               for r in present]
    role_labels = labels.code_labels(package, "event_actors", "role")
    ax.legend(handles, [role_labels.get(r, r) for r in present], loc="upper left",
              bbox_to_anchor=(1.01, 1.0), title="Role in the event", title_fontsize=style.BASE_SIZE - 0.5,
              alignment="left", labelspacing=0.9)
    _year_bands(ax, events)
    fig.text(0.005, 0.008, caption, ha="left", va="bottom", fontsize=style.SMALL_SIZE, color=style.GREY)
    return fig


def _year_bands(ax: Any, events: Sequence[dict[str, Any]]) -> None:
    """Under the matrix, the year of each run of columns, with a line where the year changes (columns are
    grouped by case first, so a line also parts two cases)."""
    years = [(e["case_id"], labels.event_sort_key(e)[0].year) for e in events]
    runs: list[list[int]] = []
    for i, year in enumerate(years):
        if runs and years[runs[-1][0]] == year:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        ax.annotate(str(years[run[0]][1]), ((run[0] + run[-1]) / 2, 0.0), xycoords=("data", "axes fraction"),
                    xytext=(0, -4), textcoords="offset points", ha="center", va="top", color=style.GREY)
    for run in runs[1:]:
        ax.axvline(run[0] - 0.5, color=style.GREY, linewidth=0.8, zorder=1)


def column_labels(package: Package, events: Sequence[dict[str, Any]]) -> list[str]:
    """One label per column, all distinct: what happened and to whom ('Arrest of Danny Manupassa'), with the
    date where two would read alike (the year bands below date the rest); with several cases, the case's
    name first ('NightLine: ...')."""
    names = {a["actor_id"]: a["name"] for a in package.records("actors")}
    participants: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in package.records("event_actors"):
        participants[row["event_id"]].append(row)
    several = len({e["case_id"] for e in events}) > 1
    case_name = labels.case_names(package)
    type_labels = labels.code_labels(package, "events", "event_type")
    texts = [f"{case_name.get(e['case_id'], e['case_id']) + ': ' if several else ''}"
             f"{labels.event_label(e, participants[e['event_id']], names, type_labels)}"
             for e in events]
    return labels.distinct_labels(texts, events)


if __name__ == "__main__":
    raise SystemExit(chart_main(NAME))
