"""Charts: drawn from the published package alone, byte-identical on every run, and showing every row.

Content is checked through matplotlib's artists (one artist per event, per figure, per event_actors row),
never through pixels; legibility through the rendered extents of every text (no two labels overlap, none
runs off the page).
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from conftest import REPO, cli, copy_inputs, make_corpus
from dataset import charts
from dataset.charts import (
    CHARTS,
    Package,
    PackageError,
    actor_matrix,
    chart_resources,
    load_package,
    mentions,
    scope,
    stated_figures,
    style,
    timeline,
)
from dataset.charts.labels import figure_label, ordered_events, stated_number

DESCRIPTOR = REPO / "datapackage.json"
FILES = sorted(f for c in CHARTS for f in c.files)
# The package's reader the charts use: with the chart modules, all the code a chart needs.
READER = ("__init__.py", "descriptor.py", "parquet.py")
READER_MODULES = ("dataset.datapackage", "dataset.datapackage.descriptor", "dataset.datapackage.parquet")
FIGURE_MODULES = sorted((REPO / "src/dataset/charts").glob("*.py")) + [
    REPO / "src/dataset/datapackage" / name for name in READER]


def start_python(*args: str, cwd: Path, mplconfig: Path, **extra_env: str) -> subprocess.Popen[str]:
    """A fresh interpreter with its own, empty matplotlib config and cache directory (for what only a new
    process shows: what it imports, what it reads at import, how `python -m` runs a module), started."""
    mplconfig.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MPLCONFIGDIR": str(mplconfig), **extra_env}
    return subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    """The process's exit code and output, once it has ended."""
    try:
        stdout, stderr = process.communicate(timeout=300)
    finally:
        process.kill()  # a no-op once it has ended
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def run_python(*args: str, cwd: Path, mplconfig: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """`start_python`, run to its end."""
    return finished(start_python(*args, cwd=cwd, mplconfig=mplconfig, **extra_env))


def run_main(main: Callable[[Sequence[str]], int], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A chart command's `main(args)` in this process, run from `cwd`: its exit code and output, with every
    warning it raises written to stderr (as a fresh interpreter prints them), so an empty stderr still means
    no warning."""
    out, err = io.StringIO(), io.StringIO()
    with (contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err),
          warnings.catch_warnings(record=True) as caught):
        warnings.simplefilter("always")
        code = main(list(args))
    err.writelines(warnings.formatwarning(w.message, w.category, w.filename, w.lineno) for w in caught)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


@pytest.fixture(scope="module")  # module: its tests form one group on one worker (conftest), drawn once
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every chart rendered once from the repository's package by the command's `main`, in this process
    (test_regeneration_is_byte_identical draws them again in a fresh one)."""
    base = tmp_path_factory.mktemp("rendered")
    result = run_main(charts.main, "--package", str(DESCRIPTOR), "--out-dir", str(base / "out"), cwd=base)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return base / "out"


@pytest.fixture(scope="session")
def package() -> Package:
    return load_package(DESCRIPTOR)


@pytest.fixture(scope="session")
def tables(package: Package) -> dict[str, list[dict]]:
    return {name: package.records(name) for name in package.tables}


def drawn(module: object, package: Package) -> Figure:
    """The chart's Figure, laid out and drawn on its Agg canvas (so text extents are final)."""
    name = module.__name__.rsplit(".", 1)[1]
    fig = charts.draw(name, package)
    with style.context():
        fig.canvas.draw()
    return fig


def gids(fig: Figure, prefix: str) -> list[object]:
    return [a for a in fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix))]


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


# --- reproducible byte for byte ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_regeneration_is_byte_identical(rendered: Path, tmp_path: Path) -> None:
    """A second run, in another process with another matplotlib cache, writes the same bytes."""
    result = run_python("-m", "dataset.charts", "--package", str(DESCRIPTOR), "--out-dir", str(tmp_path / "out"),
                        cwd=tmp_path, mplconfig=tmp_path / "mpl")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in rendered.iterdir()) == FILES
    for name in FILES:
        assert (tmp_path / "out" / name).read_bytes() == (rendered / name).read_bytes(), name


@pytest.mark.slow
def test_a_readers_matplotlibrc_changes_nothing(rendered: Path, tmp_path: Path) -> None:
    """A fresh interpreter: matplotlib reads the matplotlibrc of the working directory once, at import."""
    (tmp_path / "matplotlibrc").write_text("font.size: 20\nlines.linewidth: 5\naxes.grid: True\n"
                                           "svg.fonttype: none\nsavefig.dpi: 50\nsavefig.bbox: tight\n")
    result = run_python("-m", "dataset.charts", "--package", str(DESCRIPTOR), "--out-dir", "out",
                        cwd=tmp_path, mplconfig=tmp_path / "mpl")
    assert result.returncode == 0, result.stderr
    assert digests(tmp_path / "out") == digests(rendered)


def test_files_carry_no_date_or_software_version(rendered: Path) -> None:
    from PIL import Image

    for name in FILES:
        data = (rendered / name).read_bytes()
        assert b"Matplotlib v" not in data and b"matplotlib.org" not in data, name
        assert b"<dc:date>" not in data, name
        if name.endswith(".png"):
            with Image.open(rendered / name) as image:
                assert "Software" not in image.info
                assert round(image.info["dpi"][0]) == style.PNG_DPI
                assert image.size[0] in (style.COLUMN_WIDTH * style.PNG_DPI, style.FULL_WIDTH * style.PNG_DPI)


def test_png_has_matplotlibs_pixels_without_an_alpha_channel_that_carries_nothing(package: Package) -> None:
    """An opaque chart is written as RGB with exactly the pixels of matplotlib's own RGBA PNG; a figure with
    see-through pixels keeps its alpha channel."""
    import io

    import numpy as np
    from PIL import Image

    fig = charts.draw("stated_figures", package)
    style.fix_layout(fig)
    ours = Image.open(io.BytesIO(style.png_bytes(fig, "A title")))
    theirs_bytes = io.BytesIO()
    with style.context():
        fig.savefig(theirs_bytes, format="png")
    theirs = Image.open(theirs_bytes)
    assert (ours.mode, theirs.mode) == ("RGB", "RGBA")
    assert ours.size == theirs.size
    assert np.array_equal(np.asarray(ours), np.asarray(theirs)[..., :3])
    assert ours.info["Title"] == "A title"

    fig.patch.set_alpha(0.0)
    see_through = Image.open(io.BytesIO(style.png_bytes(fig)))
    assert see_through.mode == "RGBA" and "Title" not in see_through.info


def test_fixed_layout_is_the_constrained_one_and_saving_does_not_lay_out_again(package: Package) -> None:
    """`fix_layout` keeps the constrained layout's axes positions, snapped to LAYOUT_GRID (every edge a
    multiple of it, within half a step of where the solver put it), and leaves no engine, so `savefig` neither
    moves anything nor does the dry draw it does for a figure with an engine (a placeholder one included)."""
    from unittest import mock

    from matplotlib.figure import Figure

    constrained = charts.draw("timeline", package)
    with style.context():
        constrained.draw_without_rendering()
    fixed = charts.draw("timeline", package)
    style.fix_layout(fixed)
    assert fixed.get_layout_engine() is None
    assert [a.get_in_layout() for a in fixed.axes] == [a.get_in_layout() for a in constrained.axes]
    edges = [tuple(a.get_position().extents) for a in fixed.axes]
    for ours, solved in zip(edges, [a.get_position().extents for a in constrained.axes], strict=True):
        for edge, was in zip(ours, solved, strict=True):
            assert (edge / style.LAYOUT_GRID).is_integer()
            assert abs(edge - was) <= style.LAYOUT_GRID / 2 + 1e-12  # + the solver's own noise

    with mock.patch.object(Figure, "draw", autospec=True, side_effect=Figure.draw) as draws:
        style.figure_bytes(fixed, "svg")
    assert draws.call_count == 1
    assert [tuple(a.get_position().extents) for a in fixed.axes] == edges


def nudged_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make constrained layout's every answer one ulp off (each Axes' left and right edge moved to the next
    float up): the size of the noise kiwisolver's answer carries from one call to the next, as it orders its
    sums by the heap addresses of its variables."""
    import numpy as np
    from matplotlib import _constrained_layout

    reposition = _constrained_layout.reposition_axes

    def off_by_one_ulp(layoutgrids: object, fig: Figure, *args: object, **kwargs: object) -> None:
        reposition(layoutgrids, fig, *args, **kwargs)
        for ax in fig.axes:
            x0, y0, x1, y1 = ax.get_position(original=False).extents
            x0, x1 = np.nextafter(x0, np.inf), np.nextafter(x1, np.inf)
            ax.set_position((x0, y0, x1 - x0, y1 - y0), which="both")
            ax.set_in_layout(True)

    monkeypatch.setattr(_constrained_layout, "reposition_axes", off_by_one_ulp)


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.name)
@pytest.mark.slow
def test_the_solvers_last_bits_change_no_byte(one_case: Package, chart: charts.Chart, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The cause of a timeline SVG that differed after an in-process build: constrained layout's solver
    answers the same margins with positions that differ in the last bits from call to call, and the SVG names
    each clipping rectangle by a hash of its exact bounds. Snapped to LAYOUT_GRID, a layout one ulp off writes
    the same bytes; without the snapping the same ulp changes the SVG (so this test can fail)."""
    exact = charts.render(chart.name, one_case, [tmp_path / "exact" / f for f in chart.files])
    with monkeypatch.context() as patch:
        nudged_layout(patch)
        nudged = charts.render(chart.name, one_case, [tmp_path / "nudged" / f for f in chart.files])
        # Without the snapping only the SVG is compared (a clip path's id is a hash of its box): it alone is drawn.
        svg = next(f for f in chart.files if f.endswith(".svg"))
        patch.setattr(style, "snap_layout", lambda fig: None)
        [unsnapped] = charts.render(chart.name, one_case, [tmp_path / "unsnapped" / svg])
        patch.undo()
        patch.setattr(style, "snap_layout", lambda fig: None)
        [plain] = charts.render(chart.name, one_case, [tmp_path / "plain" / svg])
    assert [p.read_bytes() for p in nudged] == [p.read_bytes() for p in exact]
    assert unsnapped.read_bytes() != plain.read_bytes()


@pytest.mark.slow
def test_every_chart_is_the_same_whatever_ran_before_it(package: Package, one_case: Package, multi_case: Package,
                                                         tmp_path: Path) -> None:
    """Every chart of two packages, drawn in this process after the seed's charts and each other's, in
    reverse order, with allocations in between (which move kiwisolver's variables on the heap), is byte for
    byte what a fresh process draws."""
    fresh = {name: start_python("-m", "dataset.charts", "--package", str(p.descriptor), "--out-dir",
                                str(tmp_path / "fresh" / name), cwd=tmp_path, mplconfig=tmp_path / "mpl" / name)
             for name, p in (("one_case", one_case), ("multi_case", multi_case))}
    ballast = []
    for i, (name, p) in enumerate([("seed", package), ("multi_case", multi_case), ("one_case", one_case)]):
        for c in reversed(CHARTS):
            ballast.append([object() for _ in range(1 + 997 * i + 31 * len(ballast))])
            charts.render(c.name, p, [tmp_path / "here" / name / f for f in c.files])
    for name, process in fresh.items():
        result = finished(process)
        assert result.returncode == 0, result.stderr
        assert digests(tmp_path / "here" / name) == digests(tmp_path / "fresh" / name), name


def test_committed_figures_match_the_committed_package(rendered: Path) -> None:
    """figures/ at the project root is what the committed datapackage.json draws, byte for byte."""
    committed = REPO / "figures"
    stale = [n for n in FILES if not (committed / n).is_file()
             or (committed / n).read_bytes() != (rendered / n).read_bytes()]
    assert not stale, (f"figures/ is stale for {stale}; regenerate with: "
                       ".venv/bin/python -m dataset.charts --package datapackage.json --out-dir figures")


# --- only the published tables ----------------------------------------------------------------------------------


def test_charts_need_only_the_descriptor_and_the_parquet(rendered: Path, tmp_path: Path) -> None:
    """An unpacked package (datapackage.json and data/processed, nothing else) draws the same charts."""
    unpacked = tmp_path / "package"
    (unpacked / "data").mkdir(parents=True)
    shutil.copy2(DESCRIPTOR, unpacked / "datapackage.json")
    shutil.copytree(REPO / "data/processed", unpacked / "data/processed")
    result = run_main(charts.main, "--package", str(unpacked / "datapackage.json"), "--out-dir",
                      str(unpacked / "out"), cwd=unpacked)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (unpacked / "out").iterdir()) == FILES
    assert digests(unpacked / "out") == digests(rendered)


@pytest.mark.slow
def test_the_figure_code_alone_reproduces_the_charts(rendered: Path, tmp_path: Path) -> None:
    """A reviewer's setup: the unpacked package, and of the code only dataset/charts and the package's reader
    (dataset/datapackage: descriptor.py, parquet.py; no pipeline at all). A fresh interpreter, whose only
    `dataset` is that copy."""
    code = tmp_path / "code/dataset"
    code.mkdir(parents=True)
    (code / "__init__.py").write_text("")
    shutil.copytree(REPO / "src/dataset/charts", code / "charts", ignore=shutil.ignore_patterns("__pycache__"))
    (code / "datapackage").mkdir()
    for name in READER:
        shutil.copy2(REPO / "src/dataset/datapackage" / name, code / "datapackage" / name)
    unpacked = tmp_path / "package"
    (unpacked / "data").mkdir(parents=True)
    shutil.copy2(DESCRIPTOR, unpacked / "datapackage.json")
    shutil.copytree(REPO / "data/processed", unpacked / "data/processed")
    script = ("import sys, dataset.charts as f; print(f.__file__, file=sys.stderr); "
              "sys.exit(f.main(['--package', 'datapackage.json', '--out-dir', 'out']))")
    result = run_python("-c", script, cwd=unpacked, mplconfig=tmp_path / "mpl", PYTHONPATH=str(tmp_path / "code"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == str(code / "charts/__init__.py")
    assert digests(unpacked / "out") == digests(rendered)


@pytest.mark.slow
def test_rendering_imports_nothing_from_the_pipeline(tmp_path: Path) -> None:
    """A fresh interpreter: this one has imported the whole pipeline already."""
    script = (
        "import sys; from pathlib import Path; from dataset.charts import render_all\n"
        f"render_all(Path({str(DESCRIPTOR)!r}), Path({str(tmp_path / 'out')!r}))\n"
        "print(sorted(m for m in sys.modules if m.startswith('dataset.') and not m.startswith('dataset.charts')))\n"
    )
    result = run_python("-c", script, cwd=tmp_path, mplconfig=tmp_path / "mpl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(sorted(READER_MODULES))


@pytest.mark.parametrize("path", FIGURE_MODULES, ids=lambda p: p.name)
def test_figure_modules_import_only_stdlib_pandas_pyarrow_matplotlib_pillow(path: Path) -> None:
    allowed = set(sys.stdlib_module_names) | {"pandas", "pyarrow", "matplotlib", "PIL"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] in allowed or name == "dataset.charts" or name.startswith("dataset.charts.") \
                or name in READER_MODULES, \
                f"{path.name} imports {name}"


def test_each_chart_sees_only_the_tables_it_declares(package: Package) -> None:
    for chart in CHARTS:
        restricted = package.only(chart.tables)
        assert set(restricted.tables) == set(chart.tables)
        charts.draw(chart.name, package)  # draws from the declared tables alone (others raise KeyError)
    with pytest.raises(KeyError, match="declare it"):
        package.only(("events",)).table("figures")


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[subprocess.CompletedProcess[str],
                                                                            list[Path]]]:
    """Each chart module run as `python -m dataset.charts.<name>`, a fresh interpreter each (how `python -m`
    runs a chart module: runpy warns about a module imported twice), all started at once: they are
    independent, and on two cores four take the time of two. Name -> (result, the files it was asked for)."""
    base = tmp_path_factory.mktemp("standalone")
    started = {}
    for chart in CHARTS:
        outs = [base / chart.name / f"copy.{fmt}" for fmt in charts.FORMATS]
        outs[0].parent.mkdir()
        args = [a for out in outs for a in ("--out", str(out))]
        started[chart.name] = start_python("-m", f"dataset.charts.{chart.name}", "--package", str(DESCRIPTOR),
                                           *args, cwd=outs[0].parent, mplconfig=outs[0].parent / "mpl"), outs
    return {name: (finished(process), outs) for name, (process, outs) in started.items()}


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.name)
@pytest.mark.slow
def test_each_chart_module_runs_standalone(chart: charts.Chart, rendered: Path,
                                           standalone: dict[str, tuple[subprocess.CompletedProcess[str],
                                                                       list[Path]]]) -> None:
    result, outs = standalone[chart.name]
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no runpy warning about the module being imported twice
    for out in outs:
        assert out.read_bytes() == (rendered / f"{chart.name}{out.suffix}").read_bytes()


def test_a_changed_table_is_refused(tmp_path: Path) -> None:
    """The descriptor's sha256 is checked: a chart is never drawn from data the descriptor does not describe."""
    unpacked = tmp_path / "package"
    (unpacked / "data").mkdir(parents=True)
    shutil.copy2(DESCRIPTOR, unpacked / "datapackage.json")
    shutil.copytree(REPO / "data/processed", unpacked / "data/processed")
    with (unpacked / "data/processed/figures.parquet").open("ab") as f:
        f.write(b"\0")
    with pytest.raises(PackageError, match="sha256"):
        load_package(unpacked / "datapackage.json", ["figures"])
    result = run_main(partial(charts.chart_main, "stated_figures"), "--package",
                      str(unpacked / "datapackage.json"), "--out", "x.svg", cwd=tmp_path)
    assert result.returncode == 2
    assert "figures.parquet has sha256" in result.stderr
    assert not (tmp_path / "x.svg").exists()


def test_drawing_leaves_matplotlib_settings_alone(package: Package) -> None:
    before = dict(mpl.rcParams)
    fig = charts.draw("timeline", package)
    style.figure_bytes(fig, "svg")
    assert dict(mpl.rcParams) == before


# --- what each chart shows --------------------------------------------------------------------------------------


def test_timeline_has_one_mark_per_event_dated_honestly(package: Package, tables: dict) -> None:
    fig = drawn(timeline, package)
    marks = {a.get_gid().removeprefix(timeline.GID_PREFIX): a for a in gids(fig, timeline.GID_PREFIX)}
    events = tables["events"]
    assert len(marks) == len(gids(fig, timeline.GID_PREFIX)) == len(events)
    assert set(marks) == {e["event_id"] for e in events}
    for event in events:
        mark, start, end = marks[event["event_id"]], event["date_start"], event["date_end"]
        if start is None:  # open start: a bracket at the end of its last possible day, arrowhead to the left,
            # of a fixed size in points (never a line to the panel's edge, which would suggest a start)
            assert isinstance(mark, Line2D) and list(mark.get_xdata()) == [end.toordinal() + 1]
            assert mark.get_marker() is timeline.OPEN_START
            left_edge = mark.axes.transData.transform((mark.axes.get_xlim()[0], 0))[0]
            assert mark.get_window_extent(fig.canvas.get_renderer()).x0 > left_edge + 2
        elif event["date_precision"] == "day" and start == end:  # a point, in the middle of its day
            assert isinstance(mark, Line2D) and list(mark.get_xdata()) == [start.toordinal() + 0.5]
            assert mark.get_marker() == "o"
        else:  # a span over every day it may have happened on, never a point
            assert isinstance(mark, Line2D)
            assert list(mark.get_xdata()) == [start.toordinal(), end.toordinal() + 1]
    assert sum(m.get_marker() is timeline.OPEN_START for m in marks.values()) == \
        sum(e["date_start"] is None for e in events)


def test_timeline_rows_are_in_date_order_with_short_labels(package: Package, tables: dict) -> None:
    fig = drawn(timeline, package)
    order = [e["event_id"] for e in ordered_events(package)]
    marks = {a.get_gid().removeprefix(timeline.GID_PREFIX): a for a in gids(fig, timeline.GID_PREFIX)}
    rows = [marks[e].get_ydata()[0] for e in order]
    assert rows == list(range(len(order)))
    row_labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(row_labels) == len(order) and all(len(line) <= timeline.LABEL_CHARS for t in row_labels
                                                  for line in t.split("\n"))
    assert len(set(row_labels)) == len(row_labels)  # no two rows read alike
    assert "Arrest of Danny Manupassa" in row_labels  # what happened, and to whom
    assert "Statement by Wim de Bruin" in row_labels


def test_timeline_marks_each_reporting_article_by_language(package: Package, tables: dict) -> None:
    fig = drawn(timeline, package)
    language = {a["article_id"]: a["language"].upper() for a in tables["articles"]}
    expected = {(s["event_id"], s["article_id"]) for s in tables["event_sources"]}
    marks = {tuple(t.get_gid().removeprefix("source-").split("--")): t.get_text() for t in gids(fig, "source-")}
    assert set(marks) == expected
    assert all(text == language[article] for (_, article), text in marks.items())
    assert Counter(marks.values()) == Counter(language[article] for _, article in expected)
    assert set(marks.values()) == {"EN", "NL"}


def test_stated_figures_one_mark_per_figure_as_stated(package: Package, tables: dict) -> None:
    fig = drawn(stated_figures, package)
    rows = {f["figure_id"]: f for f in tables["figures"]}
    marks = {a.get_gid().removeprefix(stated_figures.GID_PREFIX): a for a in gids(fig, stated_figures.GID_PREFIX)}
    assert len(gids(fig, stated_figures.GID_PREFIX)) == len(rows) and set(marks) == set(rows)
    for figure_id, row in rows.items():
        mark = marks[figure_id]
        assert isinstance(mark, Line2D)
        if row["value"] is None:  # a range without a point value: a bar from low to high (an open end: an arrow)
            low, high = row["value_low"], row["value_high"]
            assert list(mark.get_xdata()) == [low if low is not None else high, high if high is not None else low]
            assert mark.get_linewidth() > 2
        else:  # a point at the value, hollow when approximate
            assert list(mark.get_xdata()) == [row["value"]]
            assert (mark.get_markerfacecolor() == "white") == bool(row["approximate"])
    stated = {t.get_gid().removeprefix("stated-"): t.get_text() for t in gids(fig, "stated-")}
    assert set(stated) == set(rows)
    for figure_id, text in stated.items():
        assert text.lstrip("~") in rows[figure_id]["quote"]
    assert {"19,000", "ongeveer 40.000", "3,6 miljoen", "tientallen"} <= set(stated.values())
    assert Counter(stated.values())["19,000"] == 2


def test_stated_figures_never_mix_units_in_a_row(package: Package, tables: dict) -> None:
    fig = drawn(stated_figures, package)
    row_labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    groups = {(f["measure"], f["unit"]) for f in tables["figures"]}
    assert len(row_labels) == len(groups) == len({m for m, _ in groups})
    for measure, unit in groups:
        label = stated_figures.measure_label(package, measure, unit)
        [resource] = [r for r in json.loads(package.descriptor.read_text(encoding="utf-8"))["resources"]
                      if r["name"] == "figures"]
        [field] = [f for f in resource["schema"]["fields"] if f["name"] == "unit"]
        [unit_label] = [c["label"] for c in field["categories"] if c["value"] == unit]
        assert label in row_labels and label.endswith(f"({unit_label})") and unit_label != unit
    assert fig.axes[0].get_xscale() == "log"
    assert "log scale" in fig.axes[0].get_xlabel()


def test_stated_figures_name_who_states_them_and_when(package: Package) -> None:
    shown = {" ".join(t.split()) for t in texts(drawn(stated_figures, package))}  # names wrap in the table
    assert {"Netherlands Public Prosecution Service", "Reuters (the outlet)", "the outlet (unnamed)"} <= set(shown)
    assert {"22 Apr 2016", "19 Apr 2016", "Mar 2017", "2017"} <= set(shown)
    assert not any("1 Mar 2017" in t for t in shown)  # a month-dated figure is never given a day


def test_actor_matrix_one_mark_per_event_actor_row(package: Package, tables: dict) -> None:
    fig = drawn(actor_matrix, package)
    ax = fig.axes[0]
    columns = [e["event_id"] for e in ordered_events(package)]
    row_names = [t.get_text() for t in ax.get_yticklabels()]
    names = {a["actor_id"]: a["name"] for a in tables["actors"]}
    collections = gids(fig, actor_matrix.GID_PREFIX)
    assert all(isinstance(c, PathCollection) for c in collections)
    shown = Counter()
    for collection in collections:
        role = collection.get_gid().removeprefix(actor_matrix.GID_PREFIX)
        for x, y in collection.get_offsets():
            shown[(columns[round(x)], row_names[round(y)], role)] += 1
    expected = Counter((r["event_id"], names[r["actor_id"]], r["role"]) for r in tables["event_actors"])
    assert shown == expected
    assert sum(len(c.get_offsets()) for c in collections) == len(tables["event_actors"])
    markers = {c.get_gid(): c.get_paths()[0].vertices.tobytes() for c in collections}
    assert len(set(markers.values())) == len(markers)  # every role has its own marker shape
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [r for r in ("agent", "target", "requester", "cooperating party", "spokesperson")
                      if r.replace(" ", "_") in {row["role"] for row in tables["event_actors"]}]


def test_mentions_counts_every_mention(package: Package, tables: dict) -> None:
    fig = drawn(mentions, package)
    cells = gids(fig, mentions.GID_PREFIX)
    pairs = Counter((m["article_id"], m["actor_id"]) for m in tables["mentions"])
    assert {tuple(c.get_gid().removeprefix(mentions.GID_PREFIX).split("--")) for c in cells} == set(pairs)
    numbers = [int(t) for t in texts(fig) if t.isdigit()]
    assert sum(numbers) == len(tables["mentions"])


@pytest.mark.parametrize("module", [timeline, stated_figures, actor_matrix, mentions], ids=lambda m: m.NAME)
def test_every_chart_cites_its_sources(module: object, package: Package) -> None:
    caption = next(t for t in texts(drawn(module, package)) if t.startswith("Source: "))
    flat = caption.replace("\n", " ")
    assert "Reuters, 2016-04-22 (EN)" in flat
    assert "unnamed Dutch outlet, 2017-03 (NL)" in flat  # named as the headers name it, never by its id
    assert "nl-2017-03-ennetcom-messages-accessed" not in flat
    assert f"{package.name} {package.version}" in flat
    chart = charts.chart(module.NAME)
    assert f"tables {', '.join(chart.tables)}." in flat


@pytest.mark.parametrize("dpi", [72, style.PNG_DPI], ids=["svg", "png"])
@pytest.mark.parametrize("module", [timeline, stated_figures, actor_matrix, mentions], ids=lambda m: m.NAME)
def test_no_label_overlaps_another_or_leaves_the_page(module: object, dpi: int, package: Package) -> None:
    """At the resolution of each output (SVG is laid out at 72 dpi, PNG at 300), every text fits."""
    assert_texts_fit(laid_out(module.NAME, package), dpi)


# Each chart of each package drawn and laid out once in a worker: its texts are measured at both files'
# resolutions on the one figure, as `charts.render` saves both files from one figure (drawing and laying out
# is most of a check's time). The package is kept with its figure, so that its id names it.
_LAID_OUT: dict[tuple[str, int, str | None], tuple[Package, Figure]] = {}


def laid_out(name: str, package: Package, case: str | None = None) -> Figure:
    """Chart `name` of `package` (its `case`) drawn and laid out (`style.fix_layout`), as it is saved."""
    key = (name, id(package), case)
    if key not in _LAID_OUT:
        fig = charts.draw(name, package, case)
        style.fix_layout(fig)
        _LAID_OUT[key] = (package, fig)
    return _LAID_OUT[key][1]


def assert_texts_fit(fig: Figure, dpi: int) -> None:
    """No visible text runs off the page or overlaps another one, drawn at `dpi` with the one layout that
    both files are written with (`style.fix_layout`, run here on a figure not laid out yet)."""
    if fig.get_layout_engine() is not None:
        style.fix_layout(fig)
    fig.set_dpi(dpi)
    with style.context():
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    boxes = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, f"{text.get_text()!r} runs off the page"
        assert page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5, f"{text.get_text()!r} runs off the page"
        if text.get_rotation() == 0:  # rotated column labels are parallel; their bounding boxes always overlap
            boxes.append((text.get_text(), box))
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        overlap_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        assert overlap_w <= 0.5 or overlap_h <= 0.5, f"{a!r} overlaps {b!r}"


def test_figure_sizes_suit_a_paper(package: Package) -> None:
    for chart in CHARTS:
        width, height = laid_out(chart.name, package).get_size_inches()
        assert width in (style.COLUMN_WIDTH, style.FULL_WIDTH), chart.name
        assert height <= 9.0, chart.name


# --- a package larger than a page ------------------------------------------------------------------------------


def test_a_package_that_fits_a_page_is_drawn_whole(package: Package) -> None:
    assert scope.focus(package) is package
    assert scope.focus(package, "ennetcom") is package
    with pytest.raises(PackageError, match=r"no case 'encrochat'.*cases: ennetcom"):
        scope.focus(package, "encrochat")


def test_limits_keep_the_most_reported_rows_and_say_what_was_cut(package: Package, tables: dict) -> None:
    limits = scope.Limits(events=5, articles=1, actors=3, figures=2)
    small = scope.focus(package, limits=limits)
    sources = pd.DataFrame(tables["event_sources"])
    per_article = sources.groupby("article_id").event_id.nunique()
    top_article = per_article.idxmax()  # the Reuters report codes more events than the Dutch one
    assert per_article[top_article] > per_article.min()
    assert set(small.table("articles").article_id) == {top_article}
    kept = small.table("events")
    assert len(kept) == 5 and set(kept.event_id) <= set(sources[sources.article_id == top_article].event_id)
    assert set(small.table("event_sources").event_id) == set(kept.event_id)
    assert set(small.table("event_actors").event_id) <= set(kept.event_id)
    assert small.table("event_actors").actor_id.nunique() == 3
    assert small.table("mentions").actor_id.nunique() == 3
    assert len(small.table("figures")) == 2 and set(small.table("figures").article_id) == {top_article}
    n_figures = sum(f["article_id"] == top_article for f in tables["figures"])
    assert small.note.startswith(f"Shown: 1 of 2 articles, those reporting the most events. 5 of "
                                 f"{per_article[top_article]} events, those reported by the most articles. 3 of ")
    assert "actors in events, the most involved." in small.note and "actors named, the most often named." in small.note
    assert small.note.endswith(f" 2 of {n_figures} stated figures, the first in article order.")
    assert scope.focus(small, limits=limits) is small  # narrowing twice changes nothing


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus of 150 articles in 3 cases (benchmarks/make_corpus.py), built by the command's entry
    point."""
    root = tmp_path_factory.mktemp("large") / "corpus"
    generated = make_corpus("--articles", "150", "--seed", "3", "--out", str(root))
    assert generated.returncode == 0, generated.stderr
    built = cli("--root", str(root), "build")
    assert built.returncode == 0, built.stderr
    return root


@pytest.mark.slow
def test_a_large_package_is_drawn_one_case_to_a_page(large: Path, tmp_path: Path) -> None:
    whole = load_package(large / "datapackage.json")
    events, sources = whole.table("events"), whole.table("event_sources")
    reporting = sources.merge(events, on="event_id").groupby("case_id").article_id.nunique()
    assert len(reporting) == 3
    case = sorted(reporting.index, key=lambda c: (-reporting[c], c))[0]
    for chart in CHARTS:
        fig = charts.draw(chart.name, whole)
        width, height = fig.get_size_inches()
        assert width in (style.COLUMN_WIDTH, style.FULL_WIDTH) and height <= 9.0, chart.name
        caption = next(t for t in texts(fig) if t.startswith("Source: ")).replace("\n", " ")
        name = dict(zip(whole.table("cases").case_id, whole.table("cases").case_name, strict=True))[case]
        assert f"Shown: Case {name} only, the most reported of 3 cases" in caption
    marks = {a.get_gid().removeprefix(timeline.GID_PREFIX) for a in gids(drawn(timeline, whole), timeline.GID_PREFIX)}
    assert marks and marks <= set(events[events.case_id == case].event_id)
    # The committed charts of that package are the ones drawn here.
    [again] = charts.render("timeline", whole, [tmp_path / "timeline.svg"])
    assert (large / "figures/timeline.svg").read_bytes() == again.read_bytes()


@pytest.mark.parametrize("dpi", [72, style.PNG_DPI], ids=["svg", "png"])
@pytest.mark.slow
def test_every_case_of_a_large_package_fits_its_timeline(large: Path, dpi: int) -> None:
    """Each case of the generated package spans a few weeks in a panel narrowed by four source columns: its
    date ticks are thinned to what the panel's width holds (they once overlapped, "29 1 / Dec Jan")."""
    whole = load_package(large / "datapackage.json")
    for case in sorted(whole.table("events").case_id.unique()):
        fig = charts.draw("timeline", whole, case)
        assert_texts_fit(fig, dpi)
        ticks = [t.get_text() for ax in fig.axes[:-1] for t in ax.get_xticklabels()]
        assert ticks and all(t.split("\n")[0] in {"1", "8", "15", "22"} for t in ticks), (case, ticks)


@pytest.mark.slow
def test_a_case_asked_for_is_drawn_alone_even_when_all_cases_fit(large: Path) -> None:
    whole = load_package(large / "datapackage.json")
    roomy = scope.Limits(events=10_000, articles=10_000, actors=10_000, figures=10_000)
    assert scope.focus(whole, limits=roomy) is whole
    case = sorted(whole.table("events").case_id.unique())[1]
    one = scope.focus(whole, case, limits=roomy)
    name = dict(zip(whole.table("cases").case_id, whole.table("cases").case_name, strict=True))[case]
    assert one.note == f"Shown: Case {name} only, one of 3 cases."
    assert set(one.table("events").case_id) == {case}
    reporting = set(whole.table("event_sources").merge(whole.table("events"), on="event_id").query(
        "case_id == @case").article_id)
    assert set(one.table("articles").article_id) == reporting == set(one.table("figures").article_id)


@pytest.mark.slow
def test_the_command_line_draws_the_case_asked_for(large: Path, tmp_path: Path) -> None:
    whole = load_package(large / "datapackage.json")
    events = whole.table("events")
    other = sorted(events.case_id.unique())[-1]
    result = run_main(partial(charts.chart_main, "timeline"), "--package", str(large / "datapackage.json"),
                      "--case", other, "--out", "t.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "t.svg").read_text(encoding="utf-8")
    drawn_ids = {e for e in events.event_id if f'id="{timeline.GID_PREFIX}{e}"' in svg}
    assert drawn_ids and drawn_ids <= set(events[events.case_id == other].event_id)
    result = run_main(charts.main, "--package", str(large / "datapackage.json"), "--case", "nope", "--out-dir",
                      "out", cwd=tmp_path)
    assert result.returncode == 2 and "no case 'nope'" in result.stderr
    assert not (tmp_path / "out").exists()


# --- the declarative list and the resources for datapackage.json ------------------------------------------------


def test_charts_declare_readable_descriptions_and_published_tables() -> None:
    published = {r["name"] for r in json.loads(DESCRIPTOR.read_text())["resources"] if r["format"] == "parquet"}
    assert len({c.name for c in CHARTS}) == len(CHARTS)
    for chart in CHARTS:
        assert chart.title and chart.description.endswith(".")
        assert set(chart.tables) <= published and "articles" in chart.tables
        assert chart.files == (f"{chart.name}.svg", f"{chart.name}.png", f"{chart.name}.marks.json")


def test_chart_resources_are_valid_frictionless_resources(rendered: Path, tmp_path: Path) -> None:
    from frictionless import validate

    resources = chart_resources(rendered, DESCRIPTOR)
    assert [r["path"] for r in resources] == [f"figures/{f}" for c in CHARTS for f in c.files]
    for resource in resources:
        assert "hash" not in resource and "bytes" not in resource
        chart = charts.chart(resource["name"].rsplit("-", 1)[0])
        assert resource["format"] == resource["path"].rsplit(".", 1)[1]
        if resource["name"].endswith("-marks"):  # listed right after the chart's images, which name it
            assert resource["path"] == f"figures/{chart.marks}" and resource["mediatype"] == "application/json"
            assert resource["title"] == f"Marks of: {chart.title}" and "primary keys" in resource["description"]
        else:
            assert resource["mediatype"] == {"svg": "image/svg+xml", "png": "image/png"}[resource["format"]]
            assert (resource["title"], resource["description"]) == (chart.title, chart.description)
            assert resource["marks"] == f"figures/{chart.marks}"
        assert [s["title"] for s in resource["sources"]] == list(chart.tables)
        assert all(s["path"] == f"data/processed/{s['title']}.parquet" for s in resource["sources"])
    # The pipeline adds hash and bytes; the result validates with the package, files checked.
    unpacked = tmp_path / "package"
    (unpacked / "data").mkdir(parents=True)
    shutil.copytree(REPO / "data/processed", unpacked / "data/processed")
    shutil.copytree(rendered, unpacked / "figures")
    shutil.copytree(REPO / "exports", unpacked / "exports")  # the package's other generated resources
    descriptor = json.loads(DESCRIPTOR.read_text())
    published = {r["name"]: r for r in descriptor["resources"] if r["path"].startswith("figures/")}
    assert [{k: v for k, v in r.items() if k not in ("hash", "bytes")} for r in published.values()] == resources
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] not in published]
    for resource in resources:
        data = (unpacked / resource["path"]).read_bytes()
        descriptor["resources"].append({**resource, "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                                        "bytes": len(data)})
    (unpacked / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate(str(unpacked / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    with pytest.raises(FileNotFoundError):
        chart_resources(tmp_path / "empty")


# --- mark-level provenance: from any mark to the rows (and the quote) behind it ----------------------------------


def marks_file(chart: charts.Chart, package: Package, out: Path, case: str | None = None) -> list[dict]:
    """The chart's marks file as `render` writes it, asked for alone: the marks are recorded as the chart is
    drawn, so the file is the same bytes without its images (`test_a_marks_file_alone_is_the_one_written_with_
    its_images`), which are most of the time spent rendering."""
    charts.render(chart.name, package, [out / chart.marks], case)
    document = json.loads((out / chart.marks).read_text(encoding="utf-8"))
    assert document["chart"] == chart.name
    return document["marks"]


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.name)
def test_a_marks_file_alone_is_the_one_written_with_its_images(chart: charts.Chart, rendered: Path,
                                                               package: Package, tmp_path: Path) -> None:
    [alone] = charts.render(chart.name, package, [tmp_path / chart.marks])
    assert alone.read_bytes() == (rendered / chart.marks).read_bytes()


def row_of(package: Package, table: str, key: dict) -> dict:
    """The one row of `table` with primary key `key`."""
    found = [r for r in package.records(table) if all(r[k] == v for k, v in key.items())]
    assert len(found) == 1, (table, key)
    return found[0]


def iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("which", ["seed", *(pytest.param(p, marks=pytest.mark.loads(p))
                                             for p in ("multi_case", "bounded"))])
@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.name)
def test_every_mark_is_rederived_from_the_rows_it_lists(chart: charts.Chart, which: str, tmp_path: Path,
                                                        request: pytest.FixtureRequest) -> None:
    """Each chart's marks file lists every tagged artist of the figure once (by its SVG id), and every value
    and label in it is computed again here from the rows it names alone, and matched to what matplotlib
    drew: the tick label of the mark's row, the text beside it, the point's position."""
    package = request.getfixturevalue("package" if which == "seed" else which)
    marks = marks_file(chart, package, tmp_path)
    fig = charts.draw(chart.name, package)
    by_gid = {a.get_gid(): a for a in fig.findobj(lambda a: a.get_gid() is not None)}
    assert marks == sorted(marks, key=lambda m: (m["mark"], -1 if m["index"] is None else m["index"]))
    assert len({(m["mark"], m["index"]) for m in marks}) == len(marks)
    for m in marks:
        rows = [row_of(package, m["table"], key) for key in m["rows"]]
        artist = by_gid[m["mark"]]
        if chart.name == "timeline" and m["table"] == "events":
            [event] = rows
            assert m["value"] == {k: iso(event[k]) for k in timeline.DATE_FIELDS}
            y = int(artist.get_ydata()[0])
            assert artist.axes.get_shared_y_axes().get_siblings(fig.axes[0])
            assert fig.axes[0].get_yticklabels()[y].get_text() == m["label"]
            end = event["date_end"] or event["date_start"]
            assert max(artist.get_xdata()) <= end.toordinal() + 1
        elif chart.name == "timeline":
            assert m["table"] == "event_sources" and m["value"] is None
            assert {(r["event_id"], r["article_id"]) for r in rows} == {tuple(m["mark"][7:].split("--"))}
            article = row_of(package, "articles", {"article_id": rows[0]["article_id"]})
            assert m["label"] == artist.get_text() == article["language"].upper()
            assert all(r["quote"] for r in rows)
        elif chart.name == "stated_figures":
            [row] = rows
            assert m["table"] == "figures" and m["mark"] == stated_figures.GID_PREFIX + row["figure_id"]
            assert m["value"] == {k: (None if pd.isna(row[k]) else row[k]) for k in stated_figures.VALUE_FIELDS}
            assert m["label"] == figure_label(row)
            assert_label_states(row, m["label"])
            assert by_gid[f"stated-{row['figure_id']}"].get_text() == m["label"]
            if not pd.isna(row["value"]) and row["value"] > 0:
                assert list(artist.get_xdata()) == [row["value"]]
        elif chart.name == "actor_matrix":
            [row] = rows
            assert m["table"] == "event_actors" and m["mark"] == actor_matrix.GID_PREFIX + row["role"]
            assert m["value"] == row["role"]
            actor = row_of(package, "actors", {"actor_id": row["actor_id"]})
            _, y = artist.get_offsets()[m["index"]]
            assert m["label"] == actor["name"] == artist.axes.get_yticklabels()[int(y)].get_text()
        else:
            assert m["table"] == "mentions"
            article_id, actor_id = m["mark"].removeprefix(mentions.GID_PREFIX).split("--")
            assert {(r["article_id"], r["actor_id"]) for r in rows} == {(article_id, actor_id)}
            ids = [r["mention_id"] for r in package.records("mentions")
                   if (r["article_id"], r["actor_id"]) == (article_id, actor_id)]
            assert sorted(k["mention_id"] for k in m["rows"]) == sorted(ids)
            assert m["value"] == len(ids) and m["label"] == str(len(ids))
    listed = {m["mark"] for m in marks}
    prefix = {"timeline": ("event-", "source-"), "stated_figures": ("figure-",), "actor_matrix": ("role-",),
              "mentions": ("mentions-",)}[chart.name]
    assert listed == {g for g in by_gid if g.startswith(prefix)}
    if chart.name == "actor_matrix":  # one mark per point drawn, one point per event_actors row
        assert len(marks) == sum(len(by_gid[g].get_offsets()) for g in listed) == len(package.records("event_actors"))


LOWER_BOUND_WORDS = ("> ", "more than ", "at least ", "over ", "meer dan ", "ruim ", "ten minste ", "minstens ")
UPPER_BOUND_WORDS = ("< ", "nearly ", "almost ", "fewer than ", "less than ", "up to ", "under ", "at most ", "bijna ",
                     "minder dan ", "hooguit ", "tot ")


def assert_label_states(row: dict, label: str) -> None:
    """The label beside a figure says what kind of figure its row codes, checked here without the chart's
    code: a lower bound (value_high null) reads 'more than'/'>', an upper bound (value_low null) 'nearly'/'<',
    a range without a point value 'a-b' (or its vague count, 'tientallen'), and never '~' (which reads as
    'about that value') on a bound or a range."""
    value, low, high = (None if pd.isna(row[k]) else row[k] for k in ("value", "value_low", "value_high"))
    vague = not any(c.isdigit() for c in label)  # "tientallen", "Dozens", "verscheidene": the source's count
    if high is None:
        assert label.lower().startswith(LOWER_BOUND_WORDS) or (vague and value is None), (row["figure_id"], label)
    elif low is None or (value is None and low <= 0):  # "fewer than 100" is coded 0 to 100
        assert label.lower().startswith(UPPER_BOUND_WORDS) or "\u2013" in label, (row["figure_id"], label)
    elif value is None:
        assert "\u2013" in label or vague, (row["figure_id"], label)
    if value is None or low is None or high is None:
        assert not label.startswith("~"), (row["figure_id"], label)


# figure_id suffix -> an invented row's quote, value, value_low, value_high, approximate, unit, measure, and the
# label it gets: a figure stated as a bound or a range keeps what the source said, never "~2" for "more than £2m".
BOUNDED = {
    "lower-bound": ("more than £2m in cash", None, 2e6, None, True, "GBP", "cash_seized", "more than £2m"),
    "upper-bound": ("nearly 500 phones", 500.0, None, 500.0, True, "device", "registered_devices", "nearly 500"),
    "range": ("between 20 and 99 suspects", None, 20.0, 99.0, True, "person", "arrests", "20\u201399"),
    "bound-not-beside-its-hedge": ("2 million messages or more", 2e6, 2e6, None, True, "message", "messages_read",
                                   "> 2 million"),
    "upper-bound-coded-only": ("some 54 million", None, None, 54e6, True, "EUR", "cash_seized", "< 54 million"),
    "scale-onto-number": ("£1.5m in cash", 1.5e6, 1.5e6, 1.5e6, False, "GBP", "cash_seized", "£1.5m"),
}


@pytest.mark.parametrize("case", BOUNDED, ids=BOUNDED.keys())
def test_a_bound_or_a_range_is_labelled_as_stated(case: str) -> None:
    quote, value, low, high, approximate, *_, label = BOUNDED[case]
    row = {"figure_id": case, "quote": quote, "value": value, "value_low": low, "value_high": high,
           "approximate": approximate}
    assert figure_label(row) == label
    assert_label_states(row, label)


@pytest.fixture(scope="module")
def bounded(package: Package) -> Package:
    """The seed with the first of its figures replaced by the invented ones of BOUNDED: a lower bound, an upper
    bound, a range and the rest, each drawn from its row as the chart draws any figure."""
    figures = package.table("figures").copy()
    columns = ["quote", "value", "value_low", "value_high", "approximate", "unit", "measure"]
    for row, (suffix, spec) in zip(figures.index, BOUNDED.items(), strict=False):
        figures.loc[row, columns] = list(spec[:7])
        figures.loc[row, "figure_id"] = f"{figures.loc[row, 'article_id']}-{suffix}"
    return replace(package, tables={**package.tables, "figures": figures})


def test_bounded_figures_are_drawn_with_their_labels(bounded: Package) -> None:
    """Each invented figure's label is drawn beside its mark, and every text still fits the page."""
    fig = charts.draw(stated_figures.NAME, bounded)
    beside = {t.get_gid().removeprefix("stated-"): t.get_text() for t in fig.findobj(Text)
              if (t.get_gid() or "").startswith("stated-")}
    for row in bounded.records("figures"):
        suffix = row["figure_id"].removeprefix(f"{row['article_id']}-")
        if suffix in BOUNDED:
            assert beside[row["figure_id"]] == BOUNDED[suffix][-1]
    for dpi in (72, style.PNG_DPI):
        assert_texts_fit(fig, dpi)


def test_a_readers_path_from_a_dot_to_its_quote(rendered: Path, package: Package) -> None:
    """From the published files alone: a figure's dot in the SVG (its id), through the marks file listed in
    datapackage.json beside the SVG, to the row of figures and its quote; likewise an event's mark to the
    quotes of the articles that report it."""
    descriptor = json.loads((REPO / "datapackage.json").read_text())
    svg_resource = next(r for r in chart_resources(rendered, DESCRIPTOR) if r["name"] == "stated_figures-svg")
    marks = json.loads((rendered / svg_resource["marks"].removeprefix("figures/")).read_text())["marks"]
    svg = (rendered / "stated_figures.svg").read_text()
    figures_path = next(r["path"] for r in descriptor["resources"] if r["name"] == "figures")
    table = pd.read_parquet(REPO / figures_path).set_index("figure_id")
    for m in marks:
        assert f'id="{m["mark"]}"' in svg
        row = table.loc[m["rows"][0]["figure_id"]]
        quote = row["quote"]
        assert m["label"].lstrip("~") in quote or m["label"] in (stated_number(quote, True), figure_label(row))
    timeline_marks = json.loads((rendered / "timeline.marks.json").read_text())["marks"]
    sources = {r["source_id"]: r for r in package.records("event_sources")}
    for m in (m for m in timeline_marks if m["table"] == "event_sources"):
        assert all(set(k) == {"source_id"} for k in m["rows"])  # each row by its key, the source's id
        rows = [sources[k["source_id"]] for k in m["rows"]]
        assert all(r["quote"] and m["mark"] == f"source-{r['event_id']}--{r['article_id']}" for r in rows)
    events = {m["rows"][0]["event_id"] for m in timeline_marks if m["table"] == "events"}
    assert events == {r["event_id"] for r in package.records("events")}


# --- the number as the source states it -------------------------------------------------------------------------


@pytest.mark.parametrize(("quote", "approximate", "stated"), [
    ("a network of 19,000 customers", False, "19,000"),
    ("ongeveer 40.000 geregistreerde smartphones", True, "ongeveer 40.000"),
    ("3,6 miljoen versleutelde berichten", False, "3,6 miljoen"),
    ("tientallen strafrechtelijke onderzoeken", True, "tientallen"),
    ("about 1,500 euros each", True, "about 1,500"),
    ("Danny Manupassa, 36,", False, "36"),
    ("be held for 14 days", False, "14"),
    ("meer dan 2 miljoen berichten", True, "meer dan 2 miljoen"),
    ("sold 500 phones, roughly", True, "~500"),
])
def test_stated_number(quote: str, approximate: bool, stated: str) -> None:
    assert stated_number(quote, approximate) == stated


def test_dates_are_never_given_false_precision() -> None:
    from dataset.charts.labels import event_date_text, reduced_date_text

    assert reduced_date_text("2017-03", "month") == "Mar 2017"
    assert reduced_date_text("2016-04-22", "day") == "22 Apr 2016"
    bounded = {"date_start": None, "date_end": dt.date(2016, 4, 22), "date_precision": None, "date_basis": "bounded"}
    assert event_date_text(bounded) == "by 22 Apr 2016"
    month = {"date_start": dt.date(2016, 4, 1), "date_end": dt.date(2016, 4, 22), "date_precision": "month",
             "date_basis": "stated"}
    assert event_date_text(month) == "Apr 2016"


NOT_POSITIVE = {  # figure_id suffix -> (value, value_low, value_high): valid rows a log axis cannot place
    "fewer-than-100": (None, 0.0, 100.0),
    "exactly-zero": (0.0, 0.0, 0.0),
    "a-fall": (-5.0, -5.0, -5.0),
}


@pytest.mark.parametrize("dpi", [72, style.PNG_DPI], ids=["svg", "png"])
@pytest.mark.parametrize("case", NOT_POSITIVE, ids=NOT_POSITIVE.keys())
def test_stated_figures_draw_zero_and_negative_values(package: Package, case: str, dpi: int) -> None:
    """"Fewer than 100" is coded 0 to 100; a change can be negative: every valid row is drawn (a log axis
    used to fail on them), in a slot left of the axis labelled with what it holds, and every text still fits."""
    figures_table = package.table("figures").copy()
    row = figures_table.index[0]
    value, low, high = NOT_POSITIVE[case]
    figures_table.loc[row, ["value", "value_low", "value_high"]] = [value, low, high]
    changed = replace(package, tables={**package.tables, "figures": figures_table})
    fig = charts.draw(stated_figures.NAME, changed)
    figure_id = figures_table.loc[row, "figure_id"]
    [mark] = [a for a in gids(fig, stated_figures.GID_PREFIX) if a.get_gid() == stated_figures.GID_PREFIX + figure_id]
    ax = mark.axes
    slot = ax.get_xticks()[0]
    assert 0 < ax.get_xlim()[0] < slot < min(v for v in figures_table["value"].dropna() if v > 0)
    assert ax.get_xticklabels()[0].get_text() == ("0" if case != "a-fall" else "\u2264 0")
    assert mark.get_xdata()[0] == slot
    if case == "fewer-than-100":
        assert list(mark.get_xdata()) == [slot, 100.0]
    assert len(gids(fig, stated_figures.GID_PREFIX)) == len(figures_table)
    assert_texts_fit(fig, dpi)


# --- any package: the seed, one case of three events, several cases, 200 cases --------------------------------

FIXTURE = REPO / "tests/fixtures/nightline"
REGISTRIES = ("cases", "actors", "events")


def add_fixture(root: Path, *, merge: bool) -> Path:
    """The invented NightLine case (tests/fixtures/nightline) in the project tree `root`: its raw articles
    and coding files copied in, its registry entries appended to the seed's (`merge`) or written alone."""
    import yaml

    for sub in ("data/raw", "data/coding/articles"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        for path in sorted((FIXTURE / sub).iterdir()):
            shutil.copy2(path, root / sub / path.name)
    for name in REGISTRIES:
        ours = yaml.safe_load((FIXTURE / f"data/coding/{name}.yaml").read_text(encoding="utf-8"))
        target = root / f"data/coding/{name}.yaml"
        if merge:
            seed = yaml.safe_load(target.read_text(encoding="utf-8"))
            ours = {name: [*seed[name], *ours[name]]}
        target.write_text(yaml.safe_dump(ours, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def one_case(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """A one-case package of three events: the NightLine fixture built alone."""
    root = tmp_path_factory.mktemp("one-case")
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    add_fixture(root, merge=False)
    result = cli("--root", str(root), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return load_package(root / "datapackage.json")


@pytest.fixture(scope="module")
def multi_case(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """The seed and the NightLine fixture built together: two cases, four articles, EN and NL."""
    root = add_fixture(copy_inputs(tmp_path_factory.mktemp("multi-case")), merge=True)
    result = cli("--root", str(root), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return load_package(root / "datapackage.json")


@pytest.fixture(scope="module")
def corpus_200(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """A generated corpus of 200 cases (benchmarks/make_corpus.py, its cases-per-article rule raised from one
    per 50 articles to 200 for 400 articles, so the test builds in seconds rather than minutes)."""
    root = tmp_path_factory.mktemp("corpus-200") / "corpus"
    make_corpus("--articles", "1", "--seed", "1", "--out", str(root.parent / "warm"))  # loads the module
    import sys as _sys

    with pytest.MonkeyPatch.context() as patch:  # for this corpus only: the module serves other fixtures too
        patch.setattr(_sys.modules["make_corpus"], "n_cases", lambda n_articles: 200)
        generated = make_corpus("--articles", "400", "--seed", "5", "--out", str(root))
    assert generated.returncode == 0, generated.stderr
    result = cli("--root", str(root), "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    package = load_package(root / "datapackage.json")
    assert package.table("cases").shape[0] == 200
    return package


PACKAGES = ("seed", "one_case", "multi_case", "multi_case:nightline", "corpus_200")


def _marks(package: str) -> tuple[pytest.MarkDecorator, ...]:
    """A package's marks: the module-scoped fixture it loads, and `slow` for a generated corpus."""
    if package == "seed":
        return ()
    return (pytest.mark.loads(package.partition(":")[0]), *((pytest.mark.slow,) if package == "corpus_200" else ()))


@pytest.fixture(params=[pytest.param(p, marks=_marks(p)) for p in PACKAGES])
def any_package(request: pytest.FixtureRequest) -> tuple[Package, str | None]:
    """Each package the charts must hold, with the case drawn (None: the package's own choice)."""
    name, _, case = request.param.partition(":")
    package = request.getfixturevalue("package" if name == "seed" else name)
    return package, case or None


@pytest.mark.parametrize("dpi", [72, style.PNG_DPI], ids=["svg", "png"])
@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.name)
def test_every_chart_of_every_package_fits(any_package: tuple[Package, str | None], chart: charts.Chart,
                                           dpi: int) -> None:
    """No two texts overlap and none leaves the page, measured by matplotlib's own text extents, on the seed,
    a one-case package of three events, two cases together (and one of them asked for) and 200 cases."""
    package, case = any_package
    fig = laid_out(chart.name, package, case)
    width, height = fig.get_size_inches()
    assert width in (style.COLUMN_WIDTH, style.FULL_WIDTH) and height <= 9.0
    assert_texts_fit(fig, dpi)


def test_several_cases_say_which_mark_is_whose(multi_case: Package) -> None:
    """Two cases drawn together: every chart names the case of each mark, by its name (never its id)."""
    names = dict(zip(multi_case.table("cases").case_id, multi_case.table("cases").case_name, strict=True))
    case_of = dict(zip(multi_case.table("events").event_id, multi_case.table("events").case_id, strict=True))
    fig = drawn(timeline, multi_case)
    row_labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    headings = {t.get_text(): i for i, t in enumerate(fig.axes[0].get_yticklabels()) if t.get_fontweight() == "bold"}
    assert set(headings) == set(names.values())
    assert len(set(row_labels)) == len(row_labels)
    for mark in gids(fig, timeline.GID_PREFIX):
        row = mark.get_ydata()[0]
        heading = max((i, name) for name, i in headings.items() if i < row)[1]
        assert heading == names[case_of[mark.get_gid().removeprefix(timeline.GID_PREFIX)]]
    matrix = drawn(actor_matrix, multi_case)
    columns = [t.get_text() for t in matrix.axes[0].get_xticklabels()]
    ordered = [e for e in ordered_events(multi_case)]
    assert sorted(c.split(": ", 1)[0] for c in columns) == sorted(names[e["case_id"]] for e in ordered)
    assert len(set(columns)) == len(columns)
    shown = texts(drawn(stated_figures, multi_case)) + texts(drawn(mentions, multi_case))
    assert any(t.startswith("NightLine: ") for t in shown) and any(t.startswith("Ennetcom: ") for t in shown)
    assert not any(case_id in t for t in shown for case_id in names)  # ids are lower case: "nightline"


@pytest.mark.slow
def test_dataset_figures_command(one_case: Package, tmp_path: Path) -> None:
    """`dataset figures` is `python -m dataset.charts`: the same files, --case checked the same way."""
    root = one_case.descriptor.parent
    result = cli("--root", str(root), "figures", "--out-dir", str(tmp_path / "cli"))
    assert result.returncode == 0, result.stderr
    module = run_python("-m", "dataset.charts", "--package", str(one_case.descriptor), "--out-dir",
                        str(tmp_path / "module"), cwd=tmp_path, mplconfig=tmp_path / "mpl")
    assert module.returncode == 0, module.stderr
    assert digests(tmp_path / "cli") == digests(tmp_path / "module")
    asked = cli("figures", "--package", str(one_case.descriptor), "--out-dir", str(tmp_path / "case"),
                "--case", "nightline")
    assert asked.returncode == 0 and digests(tmp_path / "case") == digests(tmp_path / "cli")
    wrong = cli("--root", str(root), "figures", "--out-dir", str(tmp_path / "none"), "--case", "nope")
    assert wrong.returncode == 2 and "no case 'nope'" in wrong.stderr and not (tmp_path / "none").exists()
