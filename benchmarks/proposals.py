#!/usr/bin/env python3
"""The build with the profile's proposed fixes applied in memory, to measure them before anyone edits src/.

    .venv/bin/python benchmarks/proposals.py --patch yaml,frictionless,mentions -- --root DIR build

runs the real `dataset` command line (same arguments after ``--``) with some of these replacements:

- ``yaml``: dataset.yamlio's loader on libyaml (``yaml.CSafeLoader``, same resolvers, same LineDict
  constructor, same line numbers) instead of pure-Python ``yaml.SafeLoader``;
- ``frictionless``: dataset.publish.check_package validates the CSV resources with Frictionless (types,
  constraints, primary and foreign keys) and checks each Parquet resource's schema against the declared Arrow
  schema (their bytes are already checked against the descriptor's sha256), instead of having Frictionless
  read every Parquet file through pandas row by row (``iterrows`` and a ``to_dict`` per cell);
- ``mentions``: dataset.mentions.find_mentions looks each word of the text up in an index of the applicable
  names by their first word (longest name first, the same leftmost-longest rule) instead of compiling and
  running one alternation of every name per (language, case).

Nothing here is used by the pipeline; it is a measuring aid for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def yaml_fix() -> None:
    import yaml

    from dataset import yamlio

    class _CLoader(yaml.CSafeLoader):
        """CSafeLoader without implicit timestamps, building LineDicts (as yamlio._Loader)."""

    _CLoader.yaml_implicit_resolvers = yamlio._Loader.yaml_implicit_resolvers
    _CLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yamlio._construct_mapping)
    yamlio._Loader = _CLoader  # type: ignore[misc]


def frictionless_fix() -> None:
    import pyarrow.parquet as pq

    from dataset import build, publish
    from dataset.errors import InputError
    from dataset.schema.emit import arrow_schema
    from dataset.schema.tables import TABLES

    def check_package(descriptor_path: Path) -> None:
        from frictionless import validate as fl_validate

        problems = publish.check_files(descriptor_path)
        if problems:
            raise InputError(problems)
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        root = descriptor_path.parent
        for res in descriptor["resources"]:
            if res["format"] == "parquet" and not pq.read_schema(root / res["path"]).equals(
                    arrow_schema(TABLES[res["name"]]), check_metadata=False):
                problems.append(f"{res['path']}: Parquet schema differs from the declared schema")
        if problems:
            raise InputError(problems)
        subset = root / ".csv-resources.datapackage.json"
        subset.write_text(json.dumps({**descriptor, "resources": [
            r for r in descriptor["resources"] if r["format"] == "csv"]}), encoding="utf-8")
        try:
            report = fl_validate(str(subset))
        finally:
            subset.unlink()
        if not report.valid:
            raise InputError([f"{descriptor_path.parent.name}/{task.name}: {err.type}: {err.message}"
                              for task in report.tasks for err in task.errors]
                             or [f"{descriptor_path}: {err.message}" for err in report.errors])

    build.check_package = check_package  # type: ignore[assignment]


def mentions_fix() -> None:
    from dataset import build, mentions

    word = re.compile(r"\w+")

    def is_word(ch: str) -> bool:
        return ch.isalnum() or ch == "_"

    def find_mentions(articles: Any, names: list[Any], article_case: dict[str, str]) -> list[dict]:
        indexes: dict[tuple[str, str | None], dict[str, list[tuple[str, str]]]] = {}
        rows: list[dict] = []
        for article_id, language, text in zip(articles["article_id"], articles["language"], articles["text"],
                                              strict=True):
            case = article_case.get(article_id)
            key = (language, case)
            if key not in indexes:
                by_first: dict[str, dict[str, str]] = {}
                for n in names:
                    if n.language in (None, language) and n.case_id in (None, case):
                        first = word.match(n.text)
                        head = first.group() if first else n.text[0]
                        by_first.setdefault(head, {})[n.text] = n.actor_id
                indexes[key] = {h: sorted(v.items(), key=lambda kv: (-len(kv[0]), kv[0])) for h, v in by_first.items()}
            index, at = indexes[key], 0
            for m in word.finditer(text):
                start = m.start()
                if start < at or (start and is_word(text[start - 1])):
                    continue
                for name, actor_id in index.get(m.group(), ()):
                    end = start + len(name)
                    if text.startswith(name, start) and not (end < len(text) and is_word(text[end])):
                        rows.append({"mention_id": f"{article_id}-c{start}", "article_id": article_id,
                                     "actor_id": actor_id, "start": start, "end": end, "surface": name})
                        at = end
                        break
        return rows

    mentions.find_mentions = find_mentions
    build.find_mentions = find_mentions  # type: ignore[assignment]


PATCHES: dict[str, Callable[[], None]] = {"yaml": yaml_fix, "frictionless": frictionless_fix,
                                          "mentions": mentions_fix}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    own, rest = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--patch", default=",".join(PATCHES), help=f"comma-separated, of {', '.join(PATCHES)}")
    args = p.parse_args(own)
    for name in filter(None, args.patch.split(",")):
        PATCHES[name]()
    from dataset.cli import main as cli

    return cli(rest)


if __name__ == "__main__":
    sys.exit(main())
