#!/usr/bin/env python3
"""Score ``dataset.detect`` (and, where installed, quantulum3) on the hand-annotated evaluation passages.

    .venv/bin/python benchmarks/detection_eval.py [--quantulum-python .venv-bench/bin/python]

The passages in benchmarks/detection_eval/{en,nl}.yaml were written for this project in the styles of real
reports (wire copy, tabloids, broadsheets, Dutch and Belgian papers, police and prosecutors' releases) about
fictional or generic takedowns; none is copied from an article. Each passage lists every number and date a
reader would code, each with its family (the kind of expression it tests: ``glued_unit`` "8,000kg",
``rate`` "£2,400 a year", ``season`` "last summer"...; ``base`` for the figures and dates the detector
already read before issue 20). Annotation keys of an expected item:

- ``s``: its surface, found in the text (``n``: which occurrence, 1 unless given); ``f``: its family;
- ``k``: its kind (number, money, duration, age, percent, mass, volume, length, fraction, ordinal, date), or
  ``none`` for digits or number words that are not quantities (clock times, codes): a detection overlapping
  one is a false positive;
- ``v``, ``lo``, ``hi`` (default: ``v``), ``ax`` (approximate, default false), ``u`` (unit), ``per`` (the
  period of a rate) for quantities; ``d``, ``de``, ``p`` (date, date_end, precision) for dates.

The annotation must be complete, so that precision means something: every digit in a passage lies inside an
expected item (``load`` refuses a passage otherwise). An expected item is **found** when a detection
overlaps its span, **typed** when an overlapping detection has its kind, unit and period, and **right** when
that detection also states its value, bounds and approximation (dates: date, date_end, precision). A
detection is **true** when it overlaps an expected item that is not ``none``; precision = true / all
detections. quantulum3 has no kinds of ours (and reads a year as a number), so it is scored on the
non-date items for recall and precision only.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
EVAL_DIR = HERE / "detection_eval"
LANGS = ("en", "nl")
DATE_KEYS = {"d": "date", "de": "date_end", "p": "precision"}


@dataclass(frozen=True)
class Item:
    """One expected number or date (or a non-quantity, kind "none") of a passage."""

    start: int
    end: int
    surface: str
    kind: str
    family: str
    spec: dict[str, object]


@dataclass(frozen=True)
class Passage:
    id: str
    lang: str
    style: str
    published: str | None
    text: str
    items: tuple[Item, ...]


def _locate(text: str, surface: str, occurrence: int, where: str) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.find(surface, start + 1)
        if start < 0:
            raise ValueError(f"{where}: {surface!r} (occurrence {occurrence}) is not in the text")
    return start


def load(directory: Path = EVAL_DIR) -> list[Passage]:
    """Every passage of en.yaml and nl.yaml, its items located; refuses duplicate ids and unannotated digits."""
    passages: list[Passage] = []
    for lang in LANGS:
        for raw in yaml.safe_load((directory / f"{lang}.yaml").read_text(encoding="utf-8")):
            text = raw["text"]
            items = []
            for entry in raw["expect"]:
                where = f"{raw['id']}: {entry['s']!r}"
                start = _locate(text, entry["s"], int(entry.get("n", 1)), raw["id"])
                spec = {k: v for k, v in entry.items() if k not in ("s", "n", "k", "f")}
                if entry["k"] != "none" and entry["k"] != "date" and "v" not in spec:
                    raise ValueError(f"{where}: a quantity needs v (null for a range)")
                if entry["k"] == "date" and not {"d", "de", "p"} <= set(spec):
                    raise ValueError(f"{where}: a date needs d, de and p")
                items.append(Item(start, start + len(entry["s"]), entry["s"], entry["k"], entry["f"], spec))
            for digits in re.finditer(r"\d+", text):
                if not any(i.start <= digits.start() and digits.end() <= i.end for i in items):
                    raise ValueError(f"{raw['id']}: {digits[0]!r} at {digits.start()} is not annotated")
            passages.append(Passage(raw["id"], lang, raw["style"], raw.get("published"), text, tuple(items)))
    ids = [p.id for p in passages]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate passage ids")
    return passages


Found = dict[str, object]  # kind, start, end, value, value_low, value_high, approximate, unit, per, date, ...


def detect_found(passages: Iterable[Passage]) -> dict[str, list[Found]]:
    """What dataset.detect finds in each passage, as plain dicts."""
    from dataset.detect import detect

    return {p.id: [d.to_dict() for d in detect(p.text, p.lang, p.published)] for p in passages}


def _close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))  # type: ignore[arg-type]


def typed(item: Item, d: Found) -> bool:
    if d["kind"] != item.kind:
        return False
    if item.kind == "date":
        return True
    return d.get("unit") == item.spec.get("u") and d.get("per") == item.spec.get("per")


def right(item: Item, d: Found) -> bool:
    if not typed(item, d):
        return False
    if item.kind == "date":
        return all(d.get(DATE_KEYS[k]) == item.spec[k] for k in DATE_KEYS)
    value = item.spec["v"]
    low, high = item.spec.get("lo", value), item.spec.get("hi", value)
    return (_close(d["value"], value) and _close(d["value_low"], low) and _close(d["value_high"], high)
            and bool(d["approximate"]) == bool(item.spec.get("ax", False)))


@dataclass
class Tally:
    expected: int = 0
    found: int = 0
    typed: int = 0
    right: int = 0
    detections: int = 0
    true: int = 0

    def add(self, other: Tally) -> None:
        for name in ("expected", "found", "typed", "right", "detections", "true"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Report:
    by_family: dict[tuple[str, str], Tally] = field(default_factory=dict)  # (lang, family)
    by_lang: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # "passage: surface (why)"
    false_positives: list[str] = field(default_factory=list)


def _overlaps(item: Item, d: Found) -> bool:
    return int(d["start"]) < item.end and item.start < int(d["end"])  # type: ignore[call-overload]


def score(passages: Iterable[Passage], found: dict[str, list[Found]],
          keep: Callable[[Item], bool] = lambda item: True) -> Report:
    """Recall, typing and precision by language and family; `keep` limits the items scored (and the
    detections counted to those not overlapping an item left out)."""
    report = Report()
    for p in passages:
        lang_tally = report.by_lang.setdefault(p.lang, Tally())
        left_out = [i for i in p.items if not keep(i)]
        detections = [d for d in found.get(p.id, []) if not any(_overlaps(i, d) for i in left_out)]
        for item in p.items:
            if item.kind == "none" or not keep(item):
                continue
            tally = report.by_family.setdefault((p.lang, item.family), Tally())
            over = [d for d in detections if _overlaps(item, d)]
            one = Tally(expected=1, found=bool(over), typed=any(typed(item, d) for d in over),
                        right=any(right(item, d) for d in over))
            tally.add(one)
            lang_tally.add(one)
            if not one.right:
                why = "missed" if not over else "untyped" if not one.typed else "wrong value"
                shown = "; ".join(f"{d['kind']} {d.get('text', '')!r}" for d in over)
                report.misses.append(f"{p.id}: {item.surface!r} [{item.family}] {why} {shown}".rstrip())
        for d in detections:
            hit = [i for i in p.items if _overlaps(i, d)]
            true = any(i.kind != "none" for i in hit)
            lang_tally.detections += 1
            lang_tally.true += true
            family = hit[0].family if hit else "unannotated"
            report.by_family.setdefault((p.lang, family), Tally()).detections += 1
            report.by_family[(p.lang, family)].true += true
            if not true:
                report.false_positives.append(f"{p.id}: {d['kind']} {d.get('text', d['start'])!r}")
    return report


def pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def quantulum_found(python: str, passages: Sequence[Passage]) -> dict[str, list[Found]] | None:
    """quantulum3's quantities in each passage (through benchmarks/detect_worker.py), or None if it cannot run."""
    if not Path(python).exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps({"id": p.id, "text": p.text, "language": p.lang,
                                           "published": p.published}) + "\n" for p in passages))
        run = subprocess.run([python, HERE / "detect_worker.py", "--engine", "quantulum", "--input", src,
                              "--output", dst], capture_output=True, text=True, check=False)
        if run.returncode != 0:
            return None
        out: dict[str, list[Found]] = {}
        for line in dst.read_text().splitlines():
            row = json.loads(line)
            out[row["id"]] = [{"kind": "quantity", "start": f[1], "end": f[2], "value": f[3], "value_low": f[4],
                               "value_high": f[5], "approximate": False} for f in row["found"]]
        return out


def report_lines(passages: Sequence[Passage], quantulum_python: str | None = None) -> list[str]:
    """The markdown section for RESULTS.md: totals by language, then by family, then quantulum3."""
    report = score(passages, detect_found(passages))
    counts = {lang: sum(p.lang == lang for p in passages) for lang in LANGS}
    out = [f"{len(passages)} passages ({counts['en']} English, {counts['nl']} Dutch), "
           f"{sum(t.expected for t in report.by_lang.values())} annotated numbers and dates "
           "(benchmarks/detection_eval/; scored by benchmarks/detection_eval.py).", ""]
    out += _table(("engine", "lang", "expected", "found (recall)", "typed", "right", "precision"), [
        ("dataset.detect", lang, t.expected, pct(t.found, t.expected), pct(t.typed, t.expected),
         pct(t.right, t.expected), pct(t.true, t.detections)) for lang, t in sorted(report.by_lang.items())])
    out += ["", "By family (found / typed / right of the expected items; precision of the detections "
            "overlapping the family's items or none):", ""]
    rows = []
    for (lang, family), t in sorted(report.by_family.items()):
        rows.append((lang, family, t.expected, pct(t.found, t.expected), pct(t.typed, t.expected),
                     pct(t.right, t.expected), f"{t.true}/{t.detections}"))
    out += _table(("lang", "family", "expected", "found", "typed", "right", "true/detections"), rows)
    if quantulum_python:
        numeric = [p for p in passages]
        q = quantulum_found(quantulum_python, numeric)
        d = score(numeric, detect_found(numeric), keep=lambda i: i.kind != "date")
        out += ["", "Numbers only (dates left out, detections overlapping a date not counted), against quantulum3:", ""]
        rows = [("dataset.detect", lang, t.expected, pct(t.found, t.expected), pct(t.true, t.detections))
                for lang, t in sorted(d.by_lang.items())]
        if q is None:
            rows.append(("quantulum3", "-", "-", f"not run ({quantulum_python} missing or failing)", "-"))
        else:
            qs = score(numeric, q, keep=lambda i: i.kind != "date")
            rows += [("quantulum3", lang, t.expected, pct(t.found, t.expected), pct(t.true, t.detections))
                     for lang, t in sorted(qs.by_lang.items())]
        out += _table(("engine", "lang", "expected", "found (recall)", "precision"), rows)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quantulum-python", default=None)
    p.add_argument("--misses", action="store_true", help="also list every miss and false positive")
    args = p.parse_args(argv)
    passages = load()
    print("\n".join(report_lines(passages, args.quantulum_python)))
    if args.misses:
        report = score(passages, detect_found(passages))
        print("\nmisses:\n  " + "\n  ".join(report.misses))
        print("\nfalse positives:\n  " + "\n  ".join(report.false_positives))
    return 0


if __name__ == "__main__":
    sys.exit(main())
