"""The benchmark corpus generator (benchmarks/make_corpus.py): deterministic, and its project builds green with
the real CLI and holds exactly what it planted. Small corpora only (N = 30); timings are never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import REPO, cli, make_corpus

GENERATOR = REPO / "benchmarks" / "make_corpus.py"
N = 30
KINDS = {"number", "money", "duration", "age", "percent", "date"}


def generate(out: Path, seed: int, n: int = N) -> Path:
    """The generator's `main`, in this process."""
    result = make_corpus("--articles", str(n), "--seed", str(seed), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus, built once by the command's entry point (tests must not modify it)."""
    root = generate(tmp_path_factory.mktemp("bench") / "corpus", seed=7)
    result = cli("--root", str(root), "build")
    assert result.returncode == 0, result.stderr
    return root


def table(root: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(root / "data" / "processed" / f"{name}.parquet")


def truth(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a, b = generate(tmp_path / "a", seed=7), generate(tmp_path / "b", seed=7)
    first = tree(a)
    assert first == tree(b)
    assert {"pyproject.toml", "ground_truth.jsonl", "manifest.json", "data/coding/cases.yaml",
            "data/coding/actors.yaml", "data/coding/events.yaml"} <= set(first)
    other = tree(generate(tmp_path / "c", seed=8))
    assert other != first
    assert other["ground_truth.jsonl"] != first["ground_truth.jsonl"]


@pytest.mark.slow
def test_worker_processes_change_no_byte(tmp_path: Path) -> None:
    """With --jobs the generator runs as a script of its own: its pool forks the process that runs it, which
    must not be pytest's (forking a process that holds library threads can deadlock)."""
    pooled = subprocess.run([sys.executable, str(GENERATOR), "--articles", "250", "--seed", "7", "--out",
                             str(tmp_path / "two"), "--jobs", "2"], capture_output=True, text=True, timeout=300)
    assert pooled.returncode == 0, pooled.stderr
    assert tree(generate(tmp_path / "one", 7, 250)) == tree(tmp_path / "two")


def test_refuses_to_overwrite_what_it_did_not_generate(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = make_corpus("--articles", "3", "--out", str(tmp_path), "--force")
    assert result.returncode == 2
    assert (tmp_path / "keep.txt").read_text() == "mine"


@pytest.mark.slow
def test_both_languages_in_both_raw_formats_with_every_precision(corpus: Path) -> None:
    raw = corpus / "data" / "raw"
    seen = set()
    precisions = set()
    for sidecar in raw.glob("*.meta.yaml"):
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        text = sidecar.with_name(sidecar.name.removesuffix(".meta.yaml")).read_text(encoding="utf-8")
        fmt = "wordpress-html" if text.startswith("---") else "dated-text" if text.startswith(" date ") else "?"
        assert meta.get("format", fmt) == fmt
        if fmt == "wordpress-html":
            assert "[ad_1]" in text and "<p>" in text
        seen.add((meta["language"], fmt))
        precisions.add(meta["published_precision"])
    assert seen == {("en", "wordpress-html"), ("en", "dated-text"), ("nl", "wordpress-html"), ("nl", "dated-text")}
    assert {"day", "month"} <= precisions


@pytest.mark.slow
def test_built_tables_hold_what_was_planted(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text())
    coded = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((corpus / "data/coding/articles").glob("*"))]
    articles, figures, sources = table(corpus, "articles"), table(corpus, "figures"), table(corpus, "event_sources")
    assert len(articles) == manifest["articles"] == N == len(coded)
    assert len(figures) == manifest["figures"] == sum(len(c.get("figures") or []) for c in coded) > 0
    assert len(sources) == manifest["event_sources"] == sum(len(c.get("events") or []) for c in coded) > 0
    assert len(table(corpus, "events")) == manifest["events"]
    assert len(table(corpus, "actors")) == manifest["actors"]
    assert len(table(corpus, "mentions")) > 0
    assert set(articles["language"]) == {"en", "nl"}
    # every coded figure's quote holds a planted number, with the value that was coded
    planted = [g for g in truth(corpus) if g["kind"] != "date"]
    for f in figures.itertuples():
        inside = [g for g in planted if g["article_id"] == f.article_id and f.start <= g["start"] and g["end"] <= f.end]
        assert inside, f.quote
        if not pd.isna(f.value):
            assert any(g["value"] == f.value for g in inside), f.quote


@pytest.mark.slow
def test_ground_truth_points_at_the_planted_surfaces(corpus: Path) -> None:
    records = truth(corpus)
    texts = dict(zip(table(corpus, "articles")["article_id"], table(corpus, "articles")["text"], strict=True))
    assert len(records) == json.loads((corpus / "manifest.json").read_text())["planted"]
    for g in records:
        assert texts[g["article_id"]][g["start"]:g["end"]] == g["text"], g
    assert {g["kind"] for g in records} == KINDS
    assert {g["language"] for g in records} == {"en", "nl"}
    dates = [g for g in records if g["kind"] == "date"]
    assert {"day", "month"} <= {g["precision"] for g in dates}
    assert all(g["date"] and g["date_end"] for g in dates)
    numbers = [g for g in records if g["kind"] != "date"]
    assert all(g["value"] is not None or (g["value_low"] is not None and g["value_high"] is not None)
               for g in numbers)
    assert any(g["currency"] == "EUR" for g in numbers)
    # the formats the generator promises, in both conventions
    surfaces = {g["text"] for g in numbers}
    assert any("," in s and s.replace(",", "").isdigit() for s in surfaces)  # 19,000
    assert any(s.startswith(("about ", "ongeveer ", "bijna ", "more than ", "ruim ", "nearly ")) for s in surfaces)
