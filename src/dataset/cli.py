"""The `dataset` command. Heavy libraries are imported inside the subcommands, so `--help` stays fast.

Exit codes: 0 success, 2 bad input (the problems are printed, no traceback), 1 internal error (a traceback
and a request to report it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from dataset.errors import InputError

CHECK_JOBS_HELP = ("processes for Frictionless's checks of a large package (default: the CPUs available); the "
                   "result does not depend on it")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _build(args: argparse.Namespace) -> int:
    from dataset.pipeline import stamp
    from dataset.project import find_project

    project = find_project(root=args.root)
    inputs = None
    if args.check or not args.no_cache:
        # Nothing changed since the last build: said from the stamp's hashes, without importing the pipeline.
        with stamp.build_lock(project.root):
            found = stamp.stale(project.root, every_reason=args.check)
        if args.check:
            for reason in found.reasons:
                print(f"stale: {reason}", file=sys.stderr)
            if found.reasons:
                print("error: the package is not up to date with its inputs (run `dataset build`)", file=sys.stderr)
                return 1
        if not found.reasons and found.last is not None:
            print(f"up to date, nothing changed since the last build ({found.last.summary})")
            return 0
        inputs = found.inputs
    from dataset.parallel import Runner, default_jobs

    # The runner comes first: with several jobs its fork server imports the charts' libraries on another core
    # while this process imports the pipeline.
    with Runner(args.jobs or default_jobs()) as runner:
        from dataset.pipeline.build import build

        report = build(project, runner, cache=not args.no_cache, inputs=inputs)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary)
    return 0


def _release(args: argparse.Namespace) -> int:
    from dataset.parallel import CHECKS_PRELOAD, Runner, default_jobs
    from dataset.project import find_project

    with Runner(args.jobs or default_jobs(), preload=CHECKS_PRELOAD) as runner:
        from dataset.datapackage.release import release

        project = find_project(root=args.root)
        done = release(project, args.out, runner, args.previous, cache=not args.no_cache)
    print(f"wrote {done.archive} ({len(done.files)} files)")
    print(f"wrote {done.checksum}: {done.sha256}")
    if args.wheel:
        from dataset.datapackage.distributions import build_distributions
        from dataset.metadata import release as release_of

        for path in build_distributions(project.root, done.archive.parent, release_of(project.pyproject).released):
            print(f"wrote {path}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from dataset.parallel import CHECKS_PRELOAD, Runner, default_jobs
    from dataset.project import find_project

    path = args.path if args.path is not None else find_project(root=args.root).root
    # As for the build, the runner first: its fork server imports Frictionless while this process starts.
    with Runner(args.jobs or default_jobs(), preload=CHECKS_PRELOAD) as runner:
        from dataset.datapackage.verify import verify

        done = verify(path, runner)
    if done.archive_checksum:
        print(f"ok: {done.path} matches its .sha256")
    manifest = f", {done.manifest_files} files match SHA256SUMS" if done.manifest_files else ""
    copies = f"; {done.copies} Parquet tables hold the same rows as their CSV copies" if done.copies else ""
    print(f"ok: {done.path}: {done.resources} resources match the sha256 and bytes in datapackage.json"
          f"{manifest}; Frictionless: valid{copies}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from dataset.datapackage.diff import changelog_section, diff_paths, render_text, to_json

    result = diff_paths(args.old, args.new)
    render = to_json if args.json else changelog_section if args.changelog else render_text
    sys.stdout.write(render(result))
    return 0


def _cite(args: argparse.Namespace) -> int:
    from dataset.cite import render
    from dataset.project import find_project

    try:
        cff = find_project(root=args.root).citation
    except InputError:
        if args.root is not None:
            raise
        from dataset.datapackage.load import package_dir

        cff = package_dir() / "CITATION.cff"
    sys.stdout.write(render(cff, args.format))
    return 0


def _read_article(path: Path, lang: str | None, published: str | None) -> tuple[dict, list]:
    """A raw article (any supported format, sidecar used when present) or plain text, and its detections."""
    import hashlib

    from dataset.detect import detect, detect_language
    from dataset.errors import Collector
    from dataset.inputs import read_regular
    from dataset.pipeline.articles import SIDECAR_SUFFIX, check_sidecar
    from dataset.pipeline.formats import clean, decode, sniff
    from dataset.yamlio import load_mapping

    if not path.exists():
        raise InputError.one(str(path), "no such file")
    # The path is the user's own argument: a link to a file is followed, but a FIFO, device or directory is never
    # opened (reading a FIFO would wait for ever).
    data = read_regular(path.resolve(), str(path))
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    meta: dict = {}
    if sidecar.exists():
        meta = load_mapping(sidecar.resolve(), str(sidecar))
        problems = Collector()
        check_sidecar(meta, str(sidecar), problems)
        problems.raise_if_any()
    raw = decode(data, str(path), meta.get("encoding"))
    cleaned = clean(raw, meta.get("format") or sniff(raw), str(path))
    lang = lang or meta.get("language") or detect_language(cleaned.text)
    published = published or meta.get("published") or cleaned.embedded.get("date")
    try:
        found = detect(cleaned.text, lang, published)
    except ValueError as exc:
        raise InputError.one(str(path), str(exc), field="published") from None
    article = {"article_id": meta.get("article_id") or path.stem.lower(), "language": lang, "text": cleaned.text,
               "raw_sha256": hashlib.sha256(data).hexdigest(), "published": published,
               "author": meta.get("author")}  # the byline's people: never drafted as actors (suggest)
    return article, found


def _detect(args: argparse.Namespace) -> int:
    import json

    _, found = _read_article(args.path, args.lang, args.published)
    for d in found:
        print(json.dumps(d.to_dict(), ensure_ascii=False))
    return 0


def _suggest(args: argparse.Namespace) -> int:
    from dataset.pipeline.coding import Coding, read_registries
    from dataset.project import find_project
    from dataset.suggest import draft_all, vocabularies_of

    project = find_project(root=args.root)
    article, found = _read_article(args.path, None, None)
    # Only the registries: the corpus's coding files are not read (a draft needs none of them), and
    # problems in the registries are the build's to report.
    registries = Coding()
    read_registries(project, registries, registries.problems)
    drafts = draft_all(article, found, registries.names, registries.rows, args.case, vocabularies_of(project))
    if args.out is None:
        print(drafts.printed(), end="")
    else:
        print(drafts.write(project.coding, args.out, lambda text: _write_draft(args.out, text, args.force)))
    return 0


def _write_draft(out: Path, text: str, force: bool) -> None:
    """Write a draft coding file; an existing file (a coder's work) is kept unless `force` is given, and then
    replaced by a rename, so it is never left half-written."""
    import os
    import tempfile

    if not out.parent.is_dir():
        raise InputError.one(str(out), f"cannot write the draft: directory {out.parent} does not exist")
    exists = InputError.one(str(out), "cannot write the draft: already exists (a draft never overwrites a coding "
                            "file; --force replaces it)")
    if os.path.lexists(out):
        if out.is_symlink() or not out.is_file():
            raise InputError.one(str(out), "cannot write the draft: not a regular file (a link, directory or "
                                 "device is never written through)")
        if not force:
            raise exists
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        if force:
            os.replace(tmp, out)
        else:
            os.link(tmp, out)  # fails if a file appeared meanwhile: still never overwrites
    except FileExistsError:
        raise exists from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _coverage(args: argparse.Namespace) -> int:
    import pandas as pd

    from dataset.pipeline import coverage
    from dataset.pipeline.articles import build_articles
    from dataset.pipeline.coding import read_coding
    from dataset.project import find_project

    project = find_project(root=args.root)
    articles, _ = build_articles(project)
    coding = read_coding(project, articles)
    figures = coding.pop_frame("figures")
    report = coverage.measure(articles, figures, coding.not_figures, coverage.detections_by_article(articles))
    rows = pd.DataFrame([{"article_id": r.article_id, "detected": r.detected, "figures": r.in_figures,
                          "not_figures": r.in_not_figures, "unaccounted": len(r.unaccounted)} for r in report])
    print(rows.to_string(index=False))
    detected, unaccounted = int(rows.detected.sum()), int(rows.unaccounted.sum())
    share = 100.0 if detected == 0 else 100 * (detected - unaccounted) / detected
    print(f"overall: {detected - unaccounted} of {detected} detected numbers accounted for ({share:.1f}%)")
    for r in report:  # what is left to code: each number neither a figure nor listed under not_figures
        for start, end, surface, how in r.unaccounted:
            print(f"unaccounted: {r.article_id}: {surface!r} at {start}-{end}{how}")
    return 0 if unaccounted == 0 else 2


def _figures(args: argparse.Namespace) -> int:
    """`dataset figures`: what `python -m dataset.charts` does (the one `main` of the charts), with the package
    and the output directory found from --root: the charts are drawn from the published package alone."""
    from dataset.charts import main as charts_main

    package = args.package or (args.root or Path.cwd()) / "datapackage.json"
    out_dir = args.out_dir or package.parent / "figures"
    return charts_main(["--package", str(package), "--out-dir", str(out_dir),
                         *(["--case", args.case] if args.case else [])])


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dataset",
        description="Build, check and cite the cryptophone-takedowns data package.",
    )
    p.add_argument("--root", type=Path, default=None,
                   help="project or unpacked package to work on (default: found upward from here)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="build data/processed/, datapackage.json and CITATION.cff from data/raw/")
    b.add_argument("--jobs", type=_positive, default=None, metavar="N",
                   help="processes for the per-article stages of a corpus of 500 articles or more (default: the "
                   "CPUs available); the output does not depend on it")
    b.add_argument("--no-cache", action="store_true",
                   help="build everything again: neither use nor fill the cache in .cache/dataset/ (or in "
                   "$DATASET_CACHE_DIR when set; the output is the same bytes), and do not stop early when "
                   "nothing changed since the last build")
    b.add_argument("--check", action="store_true",
                   help="build nothing: exit 0 if the package is up to date with its inputs (data/raw, data/coding, "
                   "the code, the lock file, pyproject.toml) since the last build, else 1, naming what is stale")
    b.set_defaults(run=_build)
    d = sub.add_parser("detect", help="print every number, amount and date in an article as JSON Lines")
    d.add_argument("path", type=Path, help="a raw article (any supported format) or plain UTF-8 text")
    d.add_argument("--lang", choices=("en", "nl"), help="language (detected when not given)")
    d.add_argument("--published", help="publication date YYYY-MM-DD, YYYY-MM or YYYY (resolves relative dates)")
    d.set_defaults(run=_detect)
    g = sub.add_parser("suggest", help="draft a coding file for a new raw article (for a coder to confirm)")
    g.add_argument("path", type=Path, help="the raw article")
    g.add_argument("--case", default=None, help="case_id the article belongs to")
    g.add_argument("--out", type=Path, default=None,
                   help="write the draft here instead of printing it (never over an existing file)")
    g.add_argument("--force", action="store_true", help="with --out: replace an existing file")
    g.set_defaults(run=_suggest)
    c = sub.add_parser("coverage", help="count detected numbers accounted for by coding, per article")
    c.set_defaults(run=_coverage)
    r = sub.add_parser("release", help="write dist/<name>-<version>.zip and its .zip.sha256 (checks the package first)")
    r.add_argument("--out", type=Path, default=None, help="directory to write into (default: <project>/dist)")
    r.add_argument("--jobs", type=_positive, default=None, metavar="N", help=CHECK_JOBS_HELP)
    r.add_argument("--previous", type=Path, default=None, metavar="ZIP",
                   help="the last release's archive, to check this release against (default: dist/<its name>)")
    r.add_argument("--no-cache", action="store_true",
                   help="run every Frictionless check again, even those the last build passed with these files")
    r.add_argument("--wheel", action="store_true",
                   help="also build the wheel and sdist (carrying the data package), byte-reproducibly")
    r.set_defaults(run=_release)
    v = sub.add_parser("verify", help="check a release zip, an unpacked release or a project against its hashes")
    v.add_argument("path", type=Path, nargs="?", default=None,
                   help="a .zip, an unpacked release or a project root (default: the project)")
    v.add_argument("--jobs", type=_positive, default=None, metavar="N", help=CHECK_JOBS_HELP)
    v.set_defaults(run=_verify)
    d = sub.add_parser("diff", help="rows and schema changed between two versions (directories or zips)")
    d.add_argument("old", type=Path, help="the older package: directory or release zip")
    d.add_argument("new", type=Path, help="the newer package: directory or release zip")
    how = d.add_mutually_exclusive_group()
    how.add_argument("--json", action="store_true", help="machine-readable output (stable key order)")
    how.add_argument("--changelog", action="store_true", help="a Keep-a-Changelog \"Data\" section")
    d.set_defaults(run=_diff)
    f = sub.add_parser("figures", help="draw every chart (SVG, PNG and its list of marks) from a data package")
    f.add_argument("--package", type=Path, default=None,
                   help="the package's datapackage.json (default: the one in --root, else here)")
    f.add_argument("--out-dir", type=Path, default=None, help="where to write (default: figures/ beside the package)")
    f.add_argument("--case", default=None, help="draw this case only (case_id; default: the whole package when it "
                   "fits a page, else the case the most articles report)")
    f.set_defaults(run=_figures)
    c = sub.add_parser("cite", help="print the citation of this version (from CITATION.cff)")
    c.add_argument("--format", choices=("apa", "bibtex", "cff"), default="apa", help="default: apa")
    c.set_defaults(run=_cite)
    return p


# What a command exits with when the machine could not finish its work: it ran out of memory, or one of its worker
# processes ended before its task was done (killed by the system, which is how it usually runs out of memory; or
# ended as it started, by a script without a main guard: `_in_starting_worker`). Neither is a bug nor bad input.
NO_RESOURCES = 3

# What a command that could not write its output exits with: a reader closed the pipe (`dataset diff a b | head`).
# 128 + SIGPIPE, as a command killed by the signal reports itself in the shell.
CLOSED_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """The `dataset` command. Every error is a message and an exit code; a traceback only for a bug."""
    if _in_starting_worker():
        # One write, line and newline together: every worker says this at once, to the build's own stderr.
        sys.stderr.write("error: dataset was called again in a worker process as it started: the worker runs the "
                         "script that called it again (Python's multiprocessing does), so call it under "
                         "`if __name__ == \"__main__\":` in that script; nothing was done in this worker\n")
        return 2
    try:
        code = _run(argv)
        sys.stdout.flush()  # a closed pipe shows here when the output was short enough to be buffered
        return code
    except BrokenPipeError:
        # The command's work is done (a build's package is written before its summary is printed); the reader
        # wanted no more. Standard output goes to /dev/null so that the interpreter's last flush is quiet.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return CLOSED_PIPE


def _in_starting_worker() -> bool:
    """Whether this process is a worker process that multiprocessing is starting: it imports the script that
    started the build again, to find the task's function, and a script that calls `main` outside
    `if __name__ == "__main__":` calls it there too. Done, that call would start workers of its own from a
    worker, or wait for the build lock that its own build holds, forever. Read from the `_inheriting` flag that
    multiprocessing itself checks before it starts a process (and only where multiprocessing was imported: a
    `dataset` command never imports it before this)."""
    mp = sys.modules.get("multiprocessing")
    return mp is not None and bool(getattr(mp.current_process(), "_inheriting", False))


def _reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (poll reports an error on its write end):
    a BrokenPipeError from anything else is a bug."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), 0)  # no event asked for: only errors and hang-ups are reported
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll here, or standard output is not a file
        return False


def _run(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return exc.exit_code
    except PermissionError as exc:
        print(f"error: {exc.filename}: permission denied (the command needs to read and write here)",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if isinstance(exc, BrokenPipeError) and _reader_gone():
            raise
        from concurrent.futures.process import BrokenProcessPool  # here: only a failed command pays for it

        if isinstance(exc, BrokenProcessPool):
            sys.stderr.write("error: a worker process ended before its work was done: killed by the system (out of "
                             "memory?), or ended as it started by the script that runs dataset (call it under "
                             "`if __name__ == \"__main__\":`); the command did not finish (a build leaves the "
                             "package as it was); run it again, or with --jobs 1\n")  # one write, as above
            return NO_RESOURCES
        if isinstance(exc, MemoryError):
            print("error: out of memory: the command did not finish (a build leaves the package as it was); run it "
                  "with fewer --jobs, or where more memory is free", file=sys.stderr)
            return NO_RESOURCES
        traceback.print_exc()
        print("error: internal error in dataset: this is a bug, please report it with the traceback above",
              file=sys.stderr)
        return 1
