"""The `dataset` command. Heavy libraries are imported inside the subcommands, so `--help` stays fast.

Exit codes: 0 success, 2 bad input (the problems are printed, no traceback), 1 internal error (a traceback
and a request to report it).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from dataset.errors import InputError


def _build(args: argparse.Namespace) -> int:
    from dataset.build import build
    from dataset.project import find_project

    report = build(find_project(root=args.root))
    rows = ", ".join(f"{name}: {n}" for name, n in report.rows.items())
    print(f"built {report.version}: {rows}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dataset",
        description="Build, check and cite the cryptophone-takedowns data package.",
    )
    p.add_argument("--root", type=Path, default=None,
                   help="project or unpacked package to work on (default: found upward from here)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="build data/processed/, datapackage.json and CITATION.cff from data/raw/")
    b.set_defaults(run=_build)
    return p


def main(argv: Sequence[str] | None = None) -> int:
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
    except Exception:
        traceback.print_exc()
        print("error: internal error in dataset: this is a bug, please report it with the traceback above",
              file=sys.stderr)
        return 1
