"""One look for every chart, applied only inside `context()`: importing this module changes nothing global.

Reproducible byte for byte: every chart starts from matplotlib's built-in defaults (a matplotlibrc in the
reader's home or working directory is ignored), uses the DejaVu Sans font that ships inside matplotlib, a
fixed figure size and resolution, a fixed SVG hash salt, and writes no date or software version into the
files. Figures are drawn on an explicit Agg canvas (`matplotlib.figure.Figure`, never pyplot), so no
backend or window state is involved.

SVG text is written as text (`svg.fonttype = "none"`), each `<text>` naming its font ('DejaVu Sans', the
font matplotlib ships and measured the layout with): searchable, selectable and read by screen readers, and
the files are about a third of the size and quicker to write than with every glyph drawn as a path. The
bytes still depend only on matplotlib and the package (no font file of the machine is read). A viewer
without DejaVu Sans substitutes a font of other widths, so a label may end a little off where the layout
measured it; the PNG, drawn from the same figure, is unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from dataset.charts import FORMATS

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#666666"
LIGHT_GREY = "#D9D9D9"
FAINT_GREY = "#EFEFEF"

FULL_WIDTH = 7.0  # inches: a two-column paper's text width (a slide at 16:9 takes it too)
COLUMN_WIDTH = 3.5  # inches: one column of a two-column paper
PNG_DPI = 300
# zlib level 3 rather than Pillow's 6: quicker, for a few more bytes (benchmarks/README.md).
PNG_COMPRESS_LEVEL = 3
BASE_SIZE = 7.5  # points: still legible when a full-width figure is printed at its own size
SMALL_SIZE = 6.5  # points: captions and secondary labels

RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": BASE_SIZE,
    "axes.titlesize": BASE_SIZE,
    "axes.labelsize": BASE_SIZE,
    "xtick.labelsize": BASE_SIZE - 0.5,
    "ytick.labelsize": BASE_SIZE - 0.5,
    "legend.fontsize": BASE_SIZE - 0.5,
    "legend.frameon": False,
    "legend.handletextpad": 0.4,
    "legend.columnspacing": 1.2,
    "legend.borderaxespad": 0.2,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO.values())),
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3.0,
    "ytick.major.size": 0.0,
    "xtick.minor.width": 0.4,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.labelcolor": "#222222",
    "ytick.labelcolor": "#222222",
    "text.color": "#222222",
    "lines.solid_capstyle": "butt",
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.dpi": PNG_DPI,
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "savefig.bbox": None,  # a fixed page size: never "tight", which sizes the page from what was drawn
    "svg.fonttype": "none",
    "svg.hashsalt": "cryptophone-takedowns-figures",
    "svg.image_inline": True,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}

@contextmanager
def context() -> Iterator[None]:
    """Matplotlib's defaults plus RC, for the duration of the block; the caller's settings come back after."""
    with matplotlib.style.context(["default", RC]):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure of a fixed size (inches) on an Agg canvas, laid out by constrained layout."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


# Axes positions (figure fractions) are rounded to multiples of this after the constrained layout: 2**-24 of
# a full-width figure is 3e-5 pt, far below what a PNG pixel (0.24 pt) or the SVG's 6 decimals can show,
# and some 10**8 times the noise `snap_layout` removes, so a solved value lands within that noise of a
# rounding boundary about once in 10**8.
LAYOUT_GRID = 2.0**-24


def fix_layout(fig: Figure) -> None:
    """Run the constrained layout once, snap it to LAYOUT_GRID (`snap_layout`), then keep it: every format
    saved afterwards reuses it, instead of each `savefig` laying the figure out again (a fifth of the time
    spent drawing a chart).

    The engine is removed (`None`, under `context()`'s rc, which turns no automatic layout on), not set to
    "none": "none" leaves a placeholder engine, and `savefig` does a dry draw of any figure with an engine
    before the real one, a third of the time spent writing each file."""
    with context():
        fig.draw_without_rendering()
        snap_layout(fig)
        fig.set_layout_engine(None)


def snap_layout(fig: Figure) -> None:
    """Round every Axes' laid-out position to LAYOUT_GRID, so the files depend on the package, not on the
    process's heap.

    Why: constrained layout solves its margins with kiwisolver, whose answer, for the very same margins,
    differs in the last bits (5e-14 pt) from one call to the next: kiwisolver orders the terms of its
    constraints by the memory addresses of its variables, so the order of the floating-point sums, and their
    rounding, depends on where earlier allocations left the heap (what ran before in the process, pyarrow's
    threads). Nothing visible moves, but the SVG names an Axes' clipping rectangle by a hash of its exact
    bounds (`RendererSVG._make_id`), so the file's bytes changed. Rounding to a grid far coarser than that
    noise gives every run the same positions. Each edge is rounded, not each width, so Axes that share an
    edge keep sharing it; each Axes keeps its `in_layout` flag, which `set_position` clears."""
    for ax in fig.axes:
        box = ax.get_position(original=False)
        x0, y0, x1, y1 = (round(v / LAYOUT_GRID) * LAYOUT_GRID for v in (box.x0, box.y0, box.x1, box.y1))
        in_layout = ax.get_in_layout()
        ax.set_position((x0, y0, x1 - x0, y1 - y0), which="both")
        ax.set_in_layout(in_layout)


def figure_bytes(fig: Figure, fmt: str, *, title: str = "", svg_id: str | None = None) -> bytes:
    """The figure as SVG or PNG bytes, with no date, software version or other run-dependent metadata."""
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format {fmt!r}; use one of {sorted(FORMATS)}")
    if fmt == "png":
        return png_bytes(fig, title)
    metadata: dict[str, str | None] = {"Date": None, "Creator": None}
    if title:
        metadata["Title"] = title
    buffer = io.BytesIO()
    with context(), mpl.rc_context({"svg.id": svg_id}):
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def png_bytes(fig: Figure, title: str = "") -> bytes:
    """The figure as a PNG at PNG_DPI, in RGB when no pixel is see-through (every chart: a white face).

    Matplotlib writes every PNG as RGBA; an alpha channel that is 255 everywhere carries nothing, and
    dropping it makes the files a tenth smaller and quicker to compress, with the same pixels. Pillow writes
    the file, as it does inside matplotlib; the only text chunk is the title.
    """
    raw = io.BytesIO()
    with context():
        fig.savefig(raw, format="rgba", dpi=PNG_DPI)
    pixels = raw.getbuffer()
    width = int(fig.get_figwidth() * PNG_DPI)
    height, rest = divmod(pixels.nbytes, 4 * width)
    if rest:
        raise RuntimeError(f"{pixels.nbytes} bytes of RGBA are not rows of {width} pixels")
    image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    info = PngInfo()
    if title:
        info.add_text("Title", title)
    out = io.BytesIO()
    image.save(out, format="png", pnginfo=info, dpi=(PNG_DPI, PNG_DPI), compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()
