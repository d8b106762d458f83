#!/usr/bin/env python3
"""Run one number detector over a file of texts and time it; used by benchmarks/run.py.

    PYTHON detect_worker.py --engine detect|quantulum --input texts.jsonl --output found.jsonl

Runs under whichever interpreter has the engine: the project's .venv for ``dataset.detect``, the separate
.venv-bench for quantulum3 (never installed into the project's environment). Self-contained (standard library
only) so it runs in both. Input: one JSON object a line, ``{"id", "text", "language", "published"}``.
Output: one line per text, ``{"id", "found": [[kind, start, end, value, value_low, value_high, date, date_end,
precision], ...]}``; on stdout one JSON line with the timings, measured separately:

- ``import_s``: importing the engine;
- ``warmup_s``: its first call on a short text (quantulum3 loads its unit tables there);
- ``run_s``: the calls over all texts (nothing else inside the timed loop);
- ``texts``, ``chars``, ``bytes`` (UTF-8) of the input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

Found = list[list[object]]


def load_detect() -> tuple[Callable[[str, str, str | None], Found], str]:
    from importlib.metadata import version

    from dataset.detect import detect

    def run(text: str, lang: str, published: str | None) -> Found:
        return [[d.kind, d.start, d.end, d.value, d.value_low, d.value_high, d.date, d.date_end, d.precision]
                for d in detect(text, lang, published)]

    return run, version("cryptophone-takedowns")


def load_quantulum() -> tuple[Callable[[str, str, str | None], Found], str]:
    from importlib.metadata import version

    warnings.filterwarnings("ignore")  # "Classifier dependencies not installed": the plain install is measured
    from quantulum3 import parser

    def run(text: str, lang: str, published: str | None) -> Found:
        out: Found = []
        for quantity in parser.parse(text):  # English only: Dutch texts go through the same English rules
            start, end = quantity.span
            uncertainty = quantity.uncertainty or 0.0
            out.append([f"quantity:{quantity.unit.name}", start, end, quantity.value, quantity.value - uncertainty,
                        quantity.value + uncertainty, None, None, None])
        return out

    return run, version("quantulum3")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--engine", choices=("detect", "quantulum"), required=True)
    p.add_argument("--input", type=Path, required=True)
    p.add_argument("--output", type=Path, required=True)
    args = p.parse_args(argv)
    items = [json.loads(line) for line in args.input.read_text(encoding="utf-8").splitlines() if line]

    started = time.perf_counter()
    run, version = load_detect() if args.engine == "detect" else load_quantulum()
    import_s = time.perf_counter() - started

    started = time.perf_counter()
    run("Warm-up: 1 metre, 2 euros.", "en", None)
    warmup_s = time.perf_counter() - started

    results: list[Found] = []
    started = time.perf_counter()
    for item in items:
        results.append(run(item["text"], item["language"], item.get("published")))
    run_s = time.perf_counter() - started

    with open(args.output, "w", encoding="utf-8") as out:
        for item, found in zip(items, results, strict=True):
            out.write(json.dumps({"id": item["id"], "found": found}) + "\n")
    print(json.dumps({
        "engine": args.engine, "version": version, "python": sys.version.split()[0], "import_s": import_s,
        "warmup_s": warmup_s, "run_s": run_s, "texts": len(items), "chars": sum(len(i["text"]) for i in items),
        "bytes": sum(len(i["text"].encode("utf-8")) for i in items),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
