#!/usr/bin/env python3
"""Benchmarks of the data package's pipeline (`make bench`): prints a table and writes benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py [--sizes 1000,10000] [--quantulum-python .venv-bench/bin/python]

Measured in one run (every goal is printed and written down, never asserted):

a. ``dataset build`` on generated corpora of 1,000 and 10,000 articles (benchmarks/make_corpus.py), in one
   process (``--jobs 1``) and with the per-article stages on a pool of ``--build-jobs`` workers: wall time,
   articles/s, peak RSS of the build process (``os.wait4``; with one process that is all the build's memory),
   and the ratio 10k/1k in one process (goal <= 11: linear cost);
b. the build of the real corpus (a copy of this checkout's data/raw, data/coding and pyproject.toml) against
   the floor ``python -c "import pandas, pyarrow, pandera.pandas, frictionless, matplotlib"``, medians of
   ``--runs`` runs after one warm-up run (goal: build <= 2x floor);
c. number detection on the generated texts, English and Dutch halves apart: ``dataset.detect.detect``
   against quantulum3 (which runs in its own interpreter, ``--quantulum-python``, built from
   benchmarks/requirements-bench.lock, so it never enters the project's lock), each in a subprocess that
   times its import, its first call and its calls over the texts separately; throughput (articles/s, MB/s)
   and, against the generator's ground_truth.jsonl, recall (planted figures that a detection overlaps),
   value accuracy (of those, the share with a detection stating the planted value) and precision
   (detections that overlap a planted figure); dates are scored for ``detect`` alone (goal: >= 5x
   quantulum3's throughput on English at no lower recall);
d. startup: ``dataset --help`` wall time, median (goal < 0.5 s);
e. incremental builds (the cache and the stamp in .cache/dataset/): against the floor of (b), a no-op build
   of the real corpus (nothing changed since its last build; goal <= 0.5x floor) and its build after one
   coding file changed (goal <= 2x floor), medians of ``--runs`` runs, each run a new change; and the largest
   corpus after one coding file changed against its full build in (a) (same ``--jobs``; goal <= 10%). The
   builds of (a) and (b) are full builds (``--no-cache``).

``--profile`` also profiles the build of the largest corpus (py-spy when found, else cProfile) into the work
directory and prints where the time goes.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import detection_eval  # noqa: E402 - the hand-annotated evaluation passages (issue 20)
import make_corpus  # noqa: E402 - benchmarks/ is not a package

from dataset.parallel import default_jobs  # noqa: E402 - standard library only: what `dataset build` defaults to
from dataset.pipeline.cache import CACHE_ENV  # noqa: E402 - standard library only

NUMERIC_KINDS = ("number", "money", "duration", "age", "percent")
FLOOR = "import pandas, pyarrow, pandera.pandas, frictionless, matplotlib"
LIBRARIES = ("pandas", "pyarrow", "pandera", "frictionless", "matplotlib", "beautifulsoup4", "PyYAML", "numpy")


# ---------------------------------------------------------------------------------------------------------
# Running and timing commands
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def timed(cmd: Sequence[str | os.PathLike[str]], env: dict[str, str] | None = None) -> Run:
    """Run a command; wall time and the peak RSS of that one process (os.wait4 gives its own rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"))


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
    return run


def repeat(cmd: Sequence[str | os.PathLike[str]], runs: int, what: str, warmup: bool = True) -> list[Run]:
    if warmup:
        checked(timed(cmd), what)
    return [checked(timed(cmd), what) for _ in range(runs)]


def median(runs: Iterable[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


# ---------------------------------------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------------------------------------


def _first(path: str, pattern: str) -> str | None:
    try:
        match = re.search(pattern, Path(path).read_text(), re.MULTILINE)
    except OSError:
        return None
    return match.group(1).strip() if match else None


def describe_machine(python: str, quantulum: dict[str, str]) -> dict[str, str]:
    mem_kb = _first("/proc/meminfo", r"^MemTotal:\s+(\d+)")
    versions = {}
    for lib in LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = "not installed"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "date (UTC)": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "nproc": nproc or str(os.cpu_count()),
        "cpu": _first("/proc/cpuinfo", r"^model name\s*:\s*(.+)$") or platform.processor() or "unknown",
        "memory": f"{int(mem_kb) / 1024 / 1024:.1f} GiB" if mem_kb else "unknown",
        "os": platform.platform(),
        "python": f"{platform.python_version()} ({python})",
        "dataset": metadata.version("cryptophone-takedowns"),
        **versions,
        "quantulum3": quantulum.get("version", quantulum.get("error", "?")),
        "quantulum3 python": quantulum.get("python", "-"),
    }


# ---------------------------------------------------------------------------------------------------------
# a, b, d: builds and startup
# ---------------------------------------------------------------------------------------------------------


def ensure_corpus(n: int, seed: int, out: Path, jobs: int) -> float | None:
    """Generate the corpus unless `out` already holds this one; the generation time, or None if reused."""
    manifest = out / make_corpus.MANIFEST
    if manifest.is_file():
        m = json.loads(manifest.read_text())
        if (m.get("articles"), m.get("seed"), m.get("generator_sha256")) == (n, seed, make_corpus.generator_sha256()):
            return None
    cmd = [sys.executable, HERE / "make_corpus.py", "--articles", str(n), "--seed", str(seed), "--out", out,
           "--jobs", str(jobs), "--force"]
    return checked(timed(cmd), f"generating {n} articles").seconds


def dataset_cmd(*args: str | os.PathLike[str]) -> list[str | os.PathLike[str]]:
    return [sys.executable, "-m", "dataset", *args]


def copy_real_corpus(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "data").mkdir(parents=True)
    for part in ("raw", "coding"):
        shutil.copytree(ROOT / "data" / part, dest / "data" / part)
    for name in ("pyproject.toml", "releases.json"):
        if (ROOT / name).is_file():
            shutil.copyfile(ROOT / name, dest / name)


def edit_coding(root: Path, n: int) -> Path:
    """Change one coding file as a coder would: the first event source's date expression in the first article
    coding file is set to null, or back (the change reaches the event_sources table, so its charts and exports
    too; a date expression must stay words of its own quote, so it is not rewritten). `n` numbers the edits."""
    path = sorted((root / "data" / "coding" / "articles").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    cleared = re.compile(r'^(\s*date_expression: )null  # was: (.*)$', re.MULTILINE)
    if cleared.search(text):
        edited = cleared.sub(lambda m: f"{m[1]}{m[2]}", text, count=1)
    else:
        edited, count = re.subn(r'^(\s*date_expression: )(?!null\b)(\S.*)$', lambda m: f"{m[1]}null  # was: {m[2]}",
                                text, count=1, flags=re.MULTILINE)
        if not count:
            raise SystemExit(f"{path}: no date_expression to edit (edit {n})")
    path.write_text(edited, encoding="utf-8")
    return path


def incremental(root: Path, runs: int, what: str, *build_args: str) -> list[Run]:
    """`runs` builds of `root`, each after a new edit of one coding file (after one warm-up edit and build)."""
    found = []
    for n in range(runs + 1):
        edit_coding(root, n)
        run = checked(timed(dataset_cmd("--root", root, "build", *build_args)), what)
        if n:
            found.append(run)
    return found


def help_cmd() -> list[str | os.PathLike[str]]:
    script = Path(sys.executable).with_name("dataset")
    return [script, "--help"] if script.is_file() else dataset_cmd("--help")


# ---------------------------------------------------------------------------------------------------------
# c: detection
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Score:
    planted: int = 0
    found: int = 0
    value_ok: int = 0
    detections: int = 0
    true_detections: int = 0
    dates: int = 0
    dates_found: int = 0
    dates_ok: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [planted, found, value_ok]

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else float("nan")

    @property
    def value_accuracy(self) -> float:
        return self.value_ok / self.found if self.found else float("nan")

    @property
    def precision(self) -> float:
        return self.true_detections / self.detections if self.detections else float("nan")


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))  # type: ignore[arg-type]


def score(truth: dict[str, list[dict]], found: dict[str, list[list]], dates: bool) -> Score:
    """Planted figures (and dates) against what an engine found, by overlapping spans."""
    s = Score()
    for article_id, planted in truth.items():
        detections = found.get(article_id, [])
        numeric = [d for d in detections if d[0] != "date"]
        date_detections = [d for d in detections if d[0] == "date"]
        figures = [g for g in planted if g["kind"] in NUMERIC_KINDS]
        for g in figures:
            over = [d for d in numeric if d[1] < g["end"] and g["start"] < d[2]]
            kind = s.by_kind.setdefault(g["kind"], [0, 0, 0])
            s.planted += 1
            kind[0] += 1
            if not over:
                continue
            s.found += 1
            kind[1] += 1
            if g["value"] is not None:
                ok = any(_same(d[3], g["value"]) for d in over)
            else:  # a vague count: its range
                ok = any(d[3] is None and _same(d[4], g["value_low"]) and _same(d[5], g["value_high"]) for d in over)
            s.value_ok += ok
            kind[2] += ok
        s.detections += len(numeric)
        s.true_detections += sum(any(d[1] < g["end"] and g["start"] < d[2] for g in figures) for d in numeric)
        if dates:
            for g in (g for g in planted if g["kind"] == "date"):
                over = [d for d in date_detections if d[1] < g["end"] and g["start"] < d[2]]
                s.dates += 1
                s.dates_found += bool(over)
                s.dates_ok += any((d[6], d[7], d[8]) == (g["date"], g["date_end"], g["precision"]) for d in over)
    return s


def load_texts(corpus: Path, limit: int) -> dict[str, list[dict]]:
    """The built articles' clean texts by language, in table order, at most `limit` per language (0: all)."""
    import pyarrow.parquet as pq

    table = pq.read_table(corpus / "data" / "processed" / "articles.parquet",
                          columns=["article_id", "language", "published", "text"])
    by_lang: dict[str, list[dict]] = {"en": [], "nl": []}
    for row in table.to_pylist():
        texts = by_lang[row["language"]]
        if not limit or len(texts) < limit:
            texts.append({"id": row["article_id"], "text": row["text"], "language": row["language"],
                          "published": row["published"]})
    return by_lang


def load_truth(corpus: Path, ids: set[str]) -> dict[str, list[dict]]:
    truth: dict[str, list[dict]] = {i: [] for i in ids}
    with open(corpus / make_corpus.GROUND_TRUTH, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["article_id"] in truth:
                truth[record["article_id"]].append(record)
    return truth


def run_engine(python: str, engine: str, texts: list[dict], work: Path) -> tuple[dict, dict[str, list[list]]]:
    src, dst = work / f"texts-{engine}-{texts[0]['language']}.jsonl", work / f"found-{engine}.jsonl"
    src.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    run = timed([python, HERE / "detect_worker.py", "--engine", engine, "--input", src, "--output", dst])
    if run.returncode != 0:
        return {"error": (run.stderr.strip().splitlines() or ["failed"])[-1]}, {}
    timing = json.loads(run.stdout.strip().splitlines()[-1])
    timing["process_s"], timing["max_rss_mb"] = run.seconds, run.max_rss_mb
    found = {}
    for line in dst.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        found[item["id"]] = item["found"]
    return timing, found


def quantulum_info(python: str) -> dict[str, str]:
    if not Path(python).exists():
        return {"error": f"not installed ({python} missing: make .venv-bench)"}
    probe = subprocess.run(
        [python, "-c", "import importlib.metadata as m, sys; import quantulum3; "
                       "print(m.version('quantulum3'), sys.version.split()[0])"],
        capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return {"error": f"cannot import quantulum3 with {python}"}
    version, py = probe.stdout.split()
    return {"version": version, "python": f"{py} ({python})"}


# ---------------------------------------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------------------------------------


def profile_build(corpus: Path, work: Path, py_spy: str | None) -> list[str]:
    """Profile one build; lines saying where its time goes (inclusive share of samples, or cumulative s)."""
    if py_spy:
        raw = work / "build-profile.pyspy.txt"
        checked(timed([py_spy, "record", "--rate", "50", "--format", "raw", "-o", raw, "--",
                       *dataset_cmd("--root", corpus, "build")]), "py-spy")
        inclusive: collections.Counter[str] = collections.Counter()
        total = 0
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            total += int(count)
            frames = {re.sub(r":\d+\)$", ")", f).replace(str(ROOT) + "/", "") for f in stack.split(";")}
            for frame in frames:
                inclusive[frame] += int(count)
        lines = [f"py-spy, {total} samples at 50 Hz ({raw}); inclusive share:"]
        for frame, count in inclusive.most_common(60):
            if "dataset/" in frame or "frictionless/resource" in frame or "yaml/__init__" in frame:
                lines.append(f"  {count / total:6.1%}  {frame}")
        return lines
    import pstats

    prof = work / "build-profile.cprof"
    checked(timed([sys.executable, "-m", "cProfile", "-o", prof, "-m", "dataset", "--root", corpus, "build"]),
            "cProfile")
    stats = pstats.Stats(str(prof))
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])  # type: ignore[attr-defined]
    lines = [f"cProfile ({prof}; cProfile inflates pure-Python code); cumulative seconds:"]
    for (filename, _, name), (_, _, _, cumulative, _) in rows[:80]:
        if "/dataset/" in filename or "frictionless/resource/resource" in filename or "yaml/__init__" in filename:
            lines.append(f"  {cumulative:8.2f} s  {Path(filename).name}:{name}")
    return lines


# ---------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------


def pct(x: float) -> str:
    return "n/a" if x != x else f"{x:.1%}"  # NaN check


def yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000", help="corpus sizes to build (comma-separated)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dataset-bench",
                   help="where corpora and scratch files go (reused between runs)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="generator processes")
    p.add_argument("--runs", type=int, default=5, help="runs of each short measurement (median)")
    p.add_argument("--build-runs", type=int, default=1, help="builds of each generated corpus (median)")
    p.add_argument("--build-jobs", type=int, default=os.cpu_count() or 1,
                   help="workers of the pooled build of each corpus (it is also built with --jobs 1)")
    p.add_argument("--detect-articles", type=int, default=2000,
                   help="articles per language for the detection benchmark (0: the whole corpus)")
    p.add_argument("--quantulum-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    p.add_argument("--profile", action="store_true", help="also profile the build of the largest corpus")
    p.add_argument("--py-spy", default=shutil.which("py-spy"), help="py-spy executable (default: on PATH)")
    p.add_argument("--results", type=Path, default=HERE / "RESULTS.md", help="'-' to write no file")
    args = p.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MPLCONFIGDIR", str(work / "mplconfig"))
    os.environ.pop(CACHE_ENV, None)  # each project's own cache: a shared one would flatter (e)
    quantulum = quantulum_info(args.quantulum_python)
    machine = describe_machine(sys.executable, quantulum)
    say = print

    # a. builds of generated corpora
    builds = {}
    jobs_list = sorted({1, args.build_jobs})
    for n in sizes:
        corpus = work / f"corpus-{n}"
        say(f"corpus of {n} articles in {corpus} ...", flush=True)
        generated = ensure_corpus(n, args.seed, corpus, args.jobs)
        manifest = json.loads((corpus / make_corpus.MANIFEST).read_text())
        for jobs in jobs_list:
            say(f"  building {args.build_runs}x with --jobs {jobs} ...", flush=True)
            runs = repeat(dataset_cmd("--root", corpus, "build", "--jobs", str(jobs), "--no-cache"), args.build_runs,
                          f"build of {corpus}", warmup=False)
            builds[n, jobs] = {"seconds": median(runs), "rss": max(r.max_rss_mb for r in runs),
                               "generated": generated, "manifest": manifest, "report": runs[-1].stdout.strip()}
    largest = work / f"corpus-{sizes[-1]}"

    # b. the real corpus against the import floor
    say("real corpus and import floor ...", flush=True)
    real = work / "real-corpus"
    copy_real_corpus(real)
    real_runs = repeat(dataset_cmd("--root", real, "build", "--no-cache"), args.runs, "build of the real corpus")
    floor_runs = repeat([sys.executable, "-c", FLOOR], args.runs, "import floor")
    # d. startup
    help_runs = repeat(help_cmd(), args.runs, "dataset --help")
    # e. incremental builds: the real corpus (its cache and stamp filled by a first build), then the largest
    say("incremental builds ...", flush=True)
    checked(timed(dataset_cmd("--root", real, "build")), "build of the real corpus")
    noop_runs = repeat(dataset_cmd("--root", real, "build"), args.runs, "no-op build of the real corpus")
    edit_runs = incremental(real, args.runs, "build of the real corpus after an edit")
    scratch = work / f"incremental-{sizes[-1]}"
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(largest, scratch)
    big_jobs = str(jobs_list[-1])
    big_cold = checked(timed(dataset_cmd("--root", scratch, "build", "--jobs", big_jobs)), "cached build")
    big_edit = incremental(scratch, 1, "build after an edit", "--jobs", big_jobs)[0]
    shutil.rmtree(scratch)

    # c. detection
    say("detection ...", flush=True)
    texts = load_texts(largest, args.detect_articles)
    truth = load_truth(largest, {t["id"] for lang in texts.values() for t in lang})
    detection: dict[tuple[str, str], tuple[dict, Score | None]] = {}
    for lang in ("en", "nl"):
        subset = {t["id"]: truth[t["id"]] for t in texts[lang]}
        for engine, python in (("detect", sys.executable), ("quantulum", args.quantulum_python)):
            if engine == "quantulum" and "error" in quantulum:
                detection[(engine, lang)] = (quantulum, None)
                continue
            say(f"  {engine} on {len(texts[lang])} {lang} texts ...", flush=True)
            timing, found = run_engine(python, engine, texts[lang], work)
            detection[(engine, lang)] = (timing, score(subset, found, engine == "detect") if found else None)

    profile = profile_build(largest, work, args.py_spy) if args.profile else []

    # ---- report
    out: list[str] = ["# Benchmark results", "",
                      "Written by `benchmarks/run.py` (`make bench`); numbers from one run on the machine below. "
                      "Goals are reported, never asserted.", "", "## Machine", ""]
    out += table(("", ""), machine.items())
    out += ["", "## Builds of generated corpora (a)", ""]
    rows = []
    for (n, jobs), b in builds.items():
        m = b["manifest"]
        gen = "reused" if b["generated"] is None else f"{b['generated']:.1f} s ({n / b['generated']:.0f}/s)"
        rss = f"{b['rss']:.0f} MB" + ("" if jobs == 1 else " (main process)")
        rows.append((f"{n:,}", f"{m['en']:,} / {m['nl']:,}", f"{m['raw_bytes'] / 1e6:.1f} MB", gen, jobs,
                     f"{b['seconds']:.1f} s", f"{n / b['seconds']:.0f}", rss))
    out += table(("articles", "en / nl", "raw size", "generation", "--jobs", "build wall", "articles/s",
                  "peak RSS"), rows)
    goals = []
    if len(sizes) >= 2:
        small, big = sizes[0], sizes[-1]
        ratio = builds[big, 1]["seconds"] / builds[small, 1]["seconds"]
        goal = 1.1 * big / small
        goals.append((f"build {big:,} / build {small:,}, one process (linear cost)", f"{ratio:.2f}", f"<= {goal:g}",
                      yes(ratio <= goal)))
    real_s, floor_s, help_s = median(real_runs), median(floor_runs), median(help_runs)
    goals.append(("real corpus build / import floor", f"{real_s:.2f} s / {floor_s:.2f} s = {real_s / floor_s:.2f}",
                  "<= 2", yes(real_s / floor_s <= 2)))
    goals.append(("`dataset --help` wall (median)", f"{help_s:.3f} s", "< 0.5 s", yes(help_s < 0.5)))
    noop_s, edit_s = median(noop_runs), median(edit_runs)
    big_full = builds[sizes[-1], jobs_list[-1]]["seconds"]
    goals.append(("no-op build (real corpus) / import floor", f"{noop_s:.2f} s / {floor_s:.2f} s = "
                  f"{noop_s / floor_s:.2f}", "<= 0.5", yes(noop_s / floor_s <= 0.5)))
    goals.append(("real corpus, one coding file changed / import floor", f"{edit_s:.2f} s / {floor_s:.2f} s = "
                  f"{edit_s / floor_s:.2f}", "<= 2", yes(edit_s / floor_s <= 2)))
    goals.append((f"{sizes[-1]:,} articles, one coding file changed / full build (--jobs {big_jobs})",
                  f"{big_edit.seconds:.1f} s / {big_full:.1f} s = {big_edit.seconds / big_full:.1%}", "<= 10%",
                  yes(big_edit.seconds <= 0.1 * big_full)))
    out += ["", f"Last build: `{builds[sizes[-1], jobs_list[-1]]['report']}`", ""]
    out += ["## Real corpus, import floor and startup (b, d)", ""]
    out += table(("measurement", f"median of {args.runs}", "min", "max", "peak RSS"), [
        (f"`dataset build` (default `--jobs`: {default_jobs()}), real corpus", f"{real_s:.2f} s",
         f"{min(r.seconds for r in real_runs):.2f} s",
         f"{max(r.seconds for r in real_runs):.2f} s", f"{max(r.max_rss_mb for r in real_runs):.0f} MB"),
        (f"`python -c \"{FLOOR}\"`", f"{floor_s:.2f} s", f"{min(r.seconds for r in floor_runs):.2f} s",
         f"{max(r.seconds for r in floor_runs):.2f} s", f"{max(r.max_rss_mb for r in floor_runs):.0f} MB"),
        ("`dataset --help`", f"{help_s:.3f} s", f"{min(r.seconds for r in help_runs):.3f} s",
         f"{max(r.seconds for r in help_runs):.3f} s", f"{max(r.max_rss_mb for r in help_runs):.0f} MB"),
    ])
    out += ["", "## Incremental builds (e)", ""]
    out += table(("measurement", "wall", "peak RSS"), [
        (f"no-op build, real corpus (median of {args.runs})", f"{noop_s:.3f} s",
         f"{max(r.max_rss_mb for r in noop_runs):.0f} MB"),
        (f"real corpus, one coding file changed (median of {args.runs})", f"{edit_s:.2f} s",
         f"{max(r.max_rss_mb for r in edit_runs):.0f} MB"),
        (f"{sizes[-1]:,} articles, full build (`--no-cache`, a)", f"{big_full:.1f} s", ""),
        (f"{sizes[-1]:,} articles, first build filling the cache", f"{big_cold.seconds:.1f} s",
         f"{big_cold.max_rss_mb:.0f} MB"),
        (f"{sizes[-1]:,} articles, one coding file changed", f"{big_edit.seconds:.1f} s",
         f"{big_edit.max_rss_mb:.0f} MB"),
    ])
    out += ["", f"## Detection (c): {sizes[-1]:,}-article corpus, "
            f"{'all' if not args.detect_articles else f'first {args.detect_articles:,}'} articles per language", ""]
    rows = []
    for (engine, lang), (timing, s) in detection.items():
        name = "dataset.detect" if engine == "detect" else "quantulum3"
        if "error" in timing:
            rows.append((name, lang, timing["error"], "", "", "", "", "", "", ""))
            continue
        dates = f"{pct(s.dates_found / s.dates)} / {pct(s.dates_ok / s.dates)}" if s and s.dates else "-"
        rows.append((name, lang, f"{timing['texts']:,}", f"{timing['texts'] / timing['run_s']:,.0f}",
                     f"{timing['bytes'] / 1e6 / timing['run_s']:.2f}",
                     f"{timing['import_s']:.2f} s + {timing['warmup_s']:.2f} s",
                     pct(s.recall) if s else "n/a", pct(s.value_accuracy) if s else "n/a",
                     pct(s.precision) if s else "n/a", dates))
    out += table(("engine", "lang", "articles", "articles/s", "MB/s", "import + first call", "recall",
                  "value accuracy", "precision", "dates found / right"), rows)
    kinds_rows = []
    for (engine, lang), (_, s) in detection.items():
        if s is None:
            continue
        name = "dataset.detect" if engine == "detect" else "quantulum3"
        for kind in NUMERIC_KINDS:
            planted, found, ok = s.by_kind.get(kind, [0, 0, 0])
            if planted:
                kinds_rows.append((name, lang, kind, planted, pct(found / planted), pct(ok / planted)))
    if kinds_rows:
        out += ["", "Recall and right values by kind of planted figure:", ""]
        out += table(("engine", "lang", "kind", "planted", "found", "found with the right value"), kinds_rows)
    d_en, q_en = detection.get(("detect", "en")), detection.get(("quantulum", "en"))
    if d_en and q_en and d_en[1] and q_en[1] and "error" not in q_en[0]:
        speed = (d_en[0]["texts"] / d_en[0]["run_s"]) / (q_en[0]["texts"] / q_en[0]["run_s"])
        goals.append(("detect / quantulum3 throughput, English", f"{speed:.1f}x", ">= 5x", yes(speed >= 5)))
        goals.append(("detect recall >= quantulum3 recall, English", f"{pct(d_en[1].recall)} vs {pct(q_en[1].recall)}",
                      "no lower", yes(d_en[1].recall >= q_en[1].recall)))
    else:
        missing = [f"{name}: {run[0].get('error', 'no result')}" for name, run in
                   (("dataset.detect", d_en), ("quantulum3", q_en)) if run and (run[1] is None or "error" in run[0])]
        goals.append(("detect / quantulum3 throughput, English", "; ".join(missing) or "not measured", ">= 5x",
                      "not measured"))
    out += ["", "## Detection on the evaluation set (passages written for the project, hand-annotated)", ""]
    out += detection_eval.report_lines(detection_eval.load(), args.quantulum_python)
    out += ["", "## Goals", ""]
    out += table(("goal", "measured", "target", "met"), goals)
    if profile:
        out += ["", "## Profile of the largest build", "", "```", *profile, "```"]
    out += ["", "## How measured", "",
            "- Corpora: `benchmarks/make_corpus.py --articles N --seed "
            f"{args.seed}` (see its docstring); reused from `{work}` when already generated.",
            "- Build: `python -m dataset --root DIR build --jobs J` in a subprocess; wall time with "
            "`time.perf_counter`, peak RSS of that process from `os.wait4` (pool workers are not its children: "
            "the `--jobs 1` row is the whole build's memory). The real corpus is built with the default `--jobs` "
            "(the CPUs): its charts are drawn by workers, whose memory its peak RSS leaves out.",
            "- Detection: `benchmarks/detect_worker.py` runs each engine in its own interpreter; articles/s and "
            "MB/s (UTF-8) cover the calls over the texts only; import and the first call are timed apart. "
            "A planted figure is found when a detection overlaps its span; its value is right when an overlapping "
            "detection states the planted value (a vague count: its range). Precision: detections that overlap a "
            "planted figure (dates excluded: quantulum3 reports the year of a date as a number).",
            "- quantulum3 is installed without its optional classifier (scikit-learn), from "
            "`benchmarks/requirements-bench.lock`; it is English-only, so the Dutch row shows it on text it was "
            "not made for.", ""]
    report = "\n".join(out)
    print()
    print(report)
    if str(args.results) != "-":
        args.results.write_text(report, encoding="utf-8")
        print(f"\nwritten to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
