"""What a chart shows when the package is larger than a page: one case, and a bounded number of rows.

The charts are drawn for a paper: one row per event, per actor or per figure, one column per article. The
corpus grows to many cases and many thousands of articles, so before a chart is drawn the package is
narrowed, deterministically, to what fits a page, and the chart's caption says what was left out:

- the case asked for (`--case`), or, when the package holds several cases and is too large for one page,
  the case that the most articles report;
- at most `Limits.articles` articles: those that report the most of the case's events;
- at most `Limits.events` events: those reported by the most of these articles;
- at most `Limits.actors` actors per matrix (the most involved, the most named) and `Limits.figures`
  stated figures (in article and text order).

A package within the limits is drawn whole, with nothing added to its captions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from dataset.datapackage.parquet import Package, PackageError

# Tables `focus` needs besides a chart's own, to know which case and which articles each row belongs to.
TABLES: tuple[str, ...] = ("events", "event_sources", "articles", "cases")


@dataclass(frozen=True)
class Limits:
    """The most rows of each kind one chart draws (what fits a 9-inch-high page at the charts' type sizes)."""

    events: int = 28
    articles: int = 4
    actors: int = 20
    figures: int = 20


LIMITS = Limits()


def cases(package: Package) -> list[str]:
    return sorted(package.table("events")["case_id"].unique())


def focus(package: Package, case_id: str | None = None, limits: Limits = LIMITS) -> Package:
    """`package` narrowed to one page's worth of rows (see the module docstring), with a note of what was cut."""
    tables = dict(package.tables)
    events, sources = tables["events"], tables["event_sources"]
    notes: list[str] = []
    known = cases(package)
    if case_id is not None and case_id not in known:
        shown = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
        raise PackageError(f"{package.descriptor}: no case {case_id!r} in the events table (cases: {shown})")
    names = case_names(package)
    if case_id is not None and len(known) > 1:
        notes.append(f"Case {names.get(case_id, case_id)} only, one of {len(known)} cases.")
    elif case_id is not None:
        case_id = None  # the package's only case: nothing to narrow
    elif len(known) > 1 and (
            len(events) > limits.events or sources["article_id"].nunique() > limits.articles):
        reporting = sources.merge(events[["event_id", "case_id"]], on="event_id").groupby("case_id")["article_id"]
        counts = reporting.nunique().reset_index(name="n").sort_values(["n", "case_id"], ascending=[False, True])
        case_id = str(counts["case_id"].iloc[0])
        notes.append(f"Case {names.get(case_id, case_id)} only, the most reported of {len(known)} cases (--case "
                     "draws another).")
    narrowed = case_id is not None
    if case_id is not None:
        events = events[events["case_id"] == case_id]
        sources = sources[sources["event_id"].isin(events["event_id"])]

    per_article = sources.groupby("article_id")["event_id"].nunique().reset_index(name="n")
    if len(per_article) > limits.articles:
        per_article = per_article.merge(tables["articles"][["article_id", "published"]], on="article_id")
        kept = per_article.sort_values(["n", "published", "article_id"], ascending=[False, True, True])
        sources = sources[sources["article_id"].isin(kept["article_id"].head(limits.articles))]
        events = events[events["event_id"].isin(sources["event_id"])]
        notes.append(f"{limits.articles} of {len(per_article)} articles, those reporting the most events.")
        narrowed = True

    if len(events) > limits.events:
        per_event = sources.groupby("event_id")["article_id"].nunique().rename("n")
        ranked = events.assign(n=events["event_id"].map(per_event).fillna(0))
        ranked = ranked.sort_values(["n", "date_start", "event_id"], ascending=[False, True, True])
        notes.append(f"{limits.events} of {len(events)} events, those reported by the most articles.")
        events = events[events["event_id"].isin(ranked["event_id"].head(limits.events))]
        sources = sources[sources["event_id"].isin(events["event_id"])]
    tables["events"], tables["event_sources"] = events, sources

    if narrowed:
        articles = set(sources["article_id"])
        for name in ("articles", "mentions", "figures"):
            if name in tables:
                tables[name] = tables[name][tables[name]["article_id"].isin(articles)]
    if "event_actors" in tables:
        links = tables["event_actors"]
        links = links[links["event_id"].isin(events["event_id"])]
        tables["event_actors"] = _top_actors(links, limits.actors, "in events, the most involved", notes)
    if "mentions" in tables:
        tables["mentions"] = _top_actors(tables["mentions"], limits.actors, "named, the most often named", notes)
    if narrowed and "cases" in tables:
        tables["cases"] = tables["cases"][tables["cases"]["case_id"].isin(events["case_id"])]
    if "figures" in tables and len(tables["figures"]) > limits.figures:
        figures = tables["figures"]
        order = {a: i for i, a in enumerate(tables["articles"].sort_values(["published", "article_id"])["article_id"])}
        ranked = figures.assign(rank=figures["article_id"].map(order)).sort_values(["rank", "start", "figure_id"])
        tables["figures"] = figures[figures["figure_id"].isin(ranked["figure_id"].head(limits.figures))]
        notes.append(f"{limits.figures} of {len(figures)} stated figures, the first in article order.")
    if not notes:  # notes name every cut, and narrowing to a case always adds one
        return package
    return replace(package, tables=tables, note=" ".join(["Shown:", *notes]))


def case_names(package: Package) -> dict[str, str]:
    """case_id -> its name, for the notes (a note names a case as the charts do, never by its id)."""
    if "cases" not in package.tables:
        return {}
    table = package.table("cases")
    column = "name" if "name" in table.columns else "case_name"
    return {str(c): str(n) for c, n in zip(table["case_id"], table[column], strict=True)}


def _top_actors(rows: pd.DataFrame, limit: int, why: str, notes: list[str]) -> pd.DataFrame:
    """`rows` (event_actors or mentions) of the `limit` actors with the most rows."""
    counts = rows.groupby("actor_id").size().reset_index(name="n")
    if len(counts) <= limit:
        return rows
    kept = counts.sort_values(["n", "actor_id"], ascending=[False, True])["actor_id"].head(limit)
    notes.append(f"{limit} of {len(counts)} actors {why}.")
    return rows[rows["actor_id"].isin(kept)]
