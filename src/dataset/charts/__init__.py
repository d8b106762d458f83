"""Charts drawn from a published data package alone, reproducible byte for byte.

Every chart reads only the Parquet tables listed in a datapackage.json (see `package.py`) and uses only the
standard library, pandas, pyarrow, matplotlib and Pillow (matplotlib's own PNG writer): nothing from the
pipeline that built the package. Given the same package and the same pinned matplotlib and Pillow, a rerun
writes the same bytes.

    python -m dataset.charts --package datapackage.json --out-dir figures
    python -m dataset.charts.timeline --package datapackage.json --out timeline.svg

`CHARTS` declares each chart: its name, title, how to read it, the tables it reads and its files.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dataset.charts import scope
from dataset.datapackage.parquet import Package, PackageError, load_package, parquet_resources

if TYPE_CHECKING:  # matplotlib is imported by `style` when a chart is drawn, not by listing the charts
    from matplotlib.figure import Figure

__all__ = [
    "CHARTS",
    "Chart",
    "Package",
    "PackageError",
    "chart_resources",
    "draw",
    "drawn_columns",
    "load_package",
    "render",
    "render_all",
    "render_chart",
    "tables_read",
]

# The file formats of every chart and their media types.
FORMATS: dict[str, str] = {"svg": "image/svg+xml", "png": "image/png"}
MARKS_SUFFIX = ".marks.json"  # beside the images: each mark's table and row keys


@dataclass(frozen=True)
class Chart:
    """One chart: drawn by `dataset.charts.<name>.draw(package) -> Figure` from `tables` only."""

    name: str
    title: str
    description: str
    # The columns of its tables that drawing it reads (after `scope.focus`), by table: its cache key is made of
    # these alone (`dataset.pipeline.cache.chart_keys`), so an edit of a column no chart draws redraws none.
    # tests/test_cache.py draws each chart from these columns alone and from every column, and compares bytes.
    columns: dict[str, tuple[str, ...]] = field(hash=False)

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables it is drawn from, in the order its columns list them."""
        return tuple(self.columns)

    @property
    def images(self) -> tuple[str, ...]:
        """The chart drawn, one file per format in FORMATS."""
        return tuple(f"{self.name}.{fmt}" for fmt in FORMATS)

    @property
    def marks(self) -> str:
        """The list of the chart's marks, each with the table and row keys it draws (`marks.py`)."""
        return f"{self.name}{MARKS_SUFFIX}"

    @property
    def files(self) -> tuple[str, ...]:
        """Every file written for the chart: its images, then its marks."""
        return (*self.images, self.marks)


CHARTS: tuple[Chart, ...] = (
    Chart(
        name="timeline",
        title="Timeline of the events, dated as precisely as the sources allow",
        description="One row per event in date order, labelled by what happened and to whom (a heading row "
        "per case when several are drawn), coloured by event type: a dot is an event dated to the day, a bar "
        "a period the source names (a month), a bracketed line a range between two bounds, and a bracket with "
        "an arrowhead pointing left an event known only to have happened by that day; the EN/NL marks on the "
        "right show which articles, in which language, report each event.",
        columns={
            "events": ("event_id", "case_id", "event_type", "date_start", "date_end", "date_precision", "date_basis"),
            "event_actors": ("event_id", "actor_id", "role"),
            "actors": ("actor_id", "name"),
            "event_sources": ("source_id", "event_id", "article_id"),
            "articles": ("article_id", "language", "outlet", "published", "published_precision"),
            "cases": ("case_id", "case_name"),
        },
    ),
    Chart(
        name="stated_figures",
        title="Figures as the sources state them, by what they measure",
        description="One row per stated figure on one log scale, grouped by what it measures (the unit, "
        "which differs between groups, in the row label: compare positions within a group only) and coloured "
        "by the article that states it; the label is the number in the source's "
        "own words, with who states it and for when; a hollow marker is an approximate figure and a "
        "horizontal bar a range stated without a point value.",
        columns={
            "figures": ("figure_id", "article_id", "measure", "unit", "substance", "per_period", "value",
                        "value_low", "value_high", "approximate", "quote", "as_of", "as_of_precision",
                        "stated_by_actor_id"),
            "actors": ("actor_id", "name"),
            "articles": ("article_id", "language", "outlet", "published"),
            "events": ("event_id", "case_id"),
            "event_sources": ("event_id", "article_id"),
            "cases": ("case_id", "case_name"),
        },
    ),
    Chart(
        name="actor_matrix",
        title="Who takes part in which event, and in what role",
        description="Actors (rows) by events (columns, in date order): the marker in a cell gives the "
        "actor's role in that event (agent, target, requester, cooperating party, spokesperson); an empty "
        "cell means the sources do not name the actor in that event.",
        columns={
            "event_actors": ("event_id", "actor_id", "role"),
            "events": ("event_id", "case_id", "event_type", "date_start", "date_end", "date_precision", "date_basis"),
            "actors": ("actor_id", "name", "actor_type", "part_of"),
            "event_sources": ("article_id",),
            "articles": ("article_id", "language", "outlet", "published"),
            "cases": ("case_id", "case_name"),
        },
    ),
    Chart(
        name="mentions",
        title="How often each article names each actor",
        description="Actors (rows) by articles (columns, with their language): the number in a cell is how "
        "many times the article names the actor by any of its registered names, and the dot's area grows "
        "with it; an empty cell means the article does not name the actor.",
        columns={
            "mentions": ("mention_id", "article_id", "actor_id"),
            "actors": ("actor_id", "name"),
            "articles": ("article_id", "language", "outlet", "published", "published_precision", "n_words"),
            "events": ("event_id", "case_id"),
            "event_sources": ("event_id", "article_id"),
            "cases": ("case_id", "case_name"),
        },
    ),
)


def chart(name: str) -> Chart:
    for c in CHARTS:
        if c.name == name:
            return c
    raise KeyError(f"no chart named {name!r}; charts: {[c.name for c in CHARTS]}")


def draw(name: str, package: Package, case: str | None = None) -> Figure:
    """Build chart `name`'s Figure from `package` narrowed to a page (`scope.focus`: one case, bounded rows),
    which the chart sees restricted to its declared tables."""
    from dataset.charts import style

    c = chart(name)
    module = importlib.import_module(f"dataset.charts.{c.name}")
    with style.context():
        return module.draw(scope.focus(package, case).only(c.tables))


def render(name: str, package: Package, outputs: Sequence[Path], case: str | None = None) -> list[Path]:
    """Draw chart `name` once, lay it out once, and write it to each of `outputs` (format from each file's
    extension: .svg, .png, or MARKS_SUFFIX for the list of its marks): the SVG and the PNG share one layout,
    and the marks are those of that very figure."""
    from dataset.charts import marks, style

    c = chart(name)
    fig = draw(name, package, case)
    style.fix_layout(fig)
    written = []
    for out in outputs:
        out = Path(out)
        if out.name.endswith(MARKS_SUFFIX):
            data = marks.to_bytes(c.name, marks.of(fig))
        else:
            data = style.figure_bytes(fig, out.suffix.lower().lstrip("."), title=c.title, svg_id=c.name)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        written.append(out)
    return written


def render_chart(descriptor: Path, name: str, out_dir: Path, case: str | None = None) -> list[Path]:
    """Chart `name`'s files (`Chart.files`) in `out_dir`, drawn from the package at `descriptor`, of which it
    reads only the chart's own tables: one self-contained task, so the build draws its charts side by side."""
    c = chart(name)
    return _render_files(c, load_package(Path(descriptor), tables_read(c)), Path(out_dir), case)


def render_all(descriptor: Path, out_dir: Path, case: str | None = None) -> list[Path]:
    """Draw every chart in CHARTS from the package at `descriptor` into `out_dir`; the files, in CHARTS order.
    The tables are read once; each chart sees those `render_chart` would read, so the files are the same."""
    package = load_package(Path(descriptor), sorted({t for c in CHARTS for t in tables_read(c)}))
    return [path for c in CHARTS for path in _render_files(c, package, Path(out_dir), case)]


def tables_read(c: Chart) -> tuple[str, ...]:
    """What drawing chart `c` reads: its own tables and those `scope.focus` needs to narrow the package."""
    return tuple(dict.fromkeys((*c.tables, *scope.TABLES)))


def drawn_columns(c: Chart, package: Package) -> Package:
    """`package` (as `scope.focus` leaves it for chart `c`) with only the columns `c.columns` declares, of its
    own tables: all that drawing it reads, so it draws the same bytes from this as from every column."""
    return replace(package, tables={t: package.table(t)[list(c.columns[t])] for t in c.tables})


def _render_files(c: Chart, package: Package, out_dir: Path, case: str | None) -> list[Path]:
    return render(c.name, package.only(tables_read(c)), [out_dir / f for f in c.files], case)


def chart_resources(out_dir: Path, descriptor: Path | None = None) -> list[dict[str, Any]]:
    """One Frictionless resource per chart file in `out_dir`, without `hash` and `bytes` (the caller adds them).

    `path` is relative to the package root ("figures/<file>"). `sources` lists the tables the chart reads as
    Frictionless source objects ({"title": <table>}, plus the table's "path" when `descriptor` is given):
    the Data Package standard requires each source to be an object, so plain names would not validate.
    Each chart's images are followed by its marks file (JSON, "<chart>-marks"), and each image names it
    in "marks", so a reader of the descriptor finds the rows behind any mark of the image.
    """
    out_dir = Path(out_dir)
    paths = parquet_resources(Path(descriptor)) if descriptor is not None else {}
    root = Path(descriptor).parent if descriptor is not None else None
    resources = []
    for c in CHARTS:
        for file in c.files:
            if not (out_dir / file).is_file():
                raise FileNotFoundError(f"{out_dir / file}: not drawn; run render_chart or render_all first")
            sources: list[dict[str, str]] = []
            for table in c.tables:
                source = {"title": table}
                if root is not None and table in paths:
                    source["path"] = paths[table].relative_to(root).as_posix()
                sources.append(source)
            if file == c.marks:
                resources.append({
                    "name": f"{c.name}-marks",
                    "path": f"figures/{file}",
                    "format": "json",
                    "mediatype": "application/json",
                    "title": f"Marks of: {c.title}",
                    "description": MARKS_DESCRIPTION,
                    "sources": sources,
                })
                continue
            fmt = file.rsplit(".", 1)[1]
            resources.append({
                "name": f"{c.name}-{fmt}",
                "path": f"figures/{file}",
                "format": fmt,
                "mediatype": FORMATS[fmt],
                "title": c.title,
                "description": c.description,
                "sources": sources,
                "marks": f"figures/{c.marks}",
            })
    return resources


MARKS_DESCRIPTION = (
    "Every mark the chart draws, in its SVG's id order: 'mark' is the id of its element in the SVG ('index' the "
    "point within it, for a set of points drawn as one element), 'table' and 'rows' the table and the primary "
    "keys of the rows it draws, 'label' the text that names it on the chart and 'value' what its position or "
    "size encodes. From a figure's row (table figures) or an event source's row (event_sources) the quote is "
    "one look-up away."
)


# --- command line ----------------------------------------------------------------------------------------------

CASE_HELP = ("draw this case_id only (default: the whole package when it fits a page, else the case the most "
             "articles report)")


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m dataset.charts --package datapackage.json --out-dir DIR`: every chart, SVG and PNG."""
    parser = argparse.ArgumentParser(prog="python -m dataset.charts", description=main.__doc__)
    parser.add_argument("--package", type=Path, default=Path("datapackage.json"),
                        help="the data package's datapackage.json (default: ./datapackage.json)")
    parser.add_argument("--out-dir", type=Path, default=Path("figures"), help="where to write (default: figures)")
    parser.add_argument("--case", help=CASE_HELP)
    args = parser.parse_args(argv)
    try:
        return _print_paths(render_all(args.package, args.out_dir, args.case))
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def chart_main(name: str, argv: Sequence[str] | None = None) -> int:
    """`python -m dataset.charts.<name> --package datapackage.json --out FILE.svg|FILE.png [...]`."""
    c = chart(name)
    parser = argparse.ArgumentParser(prog=f"python -m dataset.charts.{name}", description=c.description)
    parser.add_argument("--package", type=Path, default=Path("datapackage.json"),
                        help="the data package's datapackage.json (default: ./datapackage.json)")
    parser.add_argument("--out", type=Path, action="append", required=True,
                        help=f"output file, .svg, .png or {MARKS_SUFFIX} (repeatable); e.g. {c.files[0]}")
    parser.add_argument("--case", help=CASE_HELP)
    args = parser.parse_args(argv)
    bad = [str(p) for p in args.out
           if p.suffix.lower().lstrip(".") not in FORMATS and not p.name.endswith(MARKS_SUFFIX)]
    if bad:
        parser.error(f"--out must end in one of {['.' + f for f in FORMATS] + [MARKS_SUFFIX]}: {', '.join(bad)}")
    try:
        return _print_paths(render(name, load_package(args.package, tables_read(c)), args.out, args.case))
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _print_paths(paths: Sequence[Path]) -> int:
    """Print the files written, one a line; 0, or 141 (as `dataset` does) when a reader closed the pipe first
    (`python -m dataset.charts | head -1`): the files are written, and standard output goes to /dev/null so
    that the interpreter's last flush is quiet."""
    try:
        for path in paths:
            print(path)
        sys.stdout.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return 0
