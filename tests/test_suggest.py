"""`dataset suggest`: a draft coding file from the detector and the registries, which the build refuses until a
coder has reviewed it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, cli

REUTERS = "data/raw/000_cb672303a775cf7f.txt"


def test_draft_of_a_seed_article_holds_its_figures_dates_and_known_actors() -> None:
    result = cli("--root", str(REPO), "suggest", str(REPO / REUTERS), "--case", "ennetcom")
    assert result.returncode == 0, result.stderr
    draft = yaml.safe_load(result.stdout)
    coded = yaml.safe_load((REPO / "data/coding/articles/reuters-2016-04-ennetcom-servers-seized.yaml").read_text())
    assert draft["draft"] is True
    assert (draft["article_id"], draft["raw_sha256"], draft["case_id"]) == (
        coded["article_id"], coded["raw_sha256"], "ennetcom")
    values = {f["quote"]: f["value"] for f in draft["figures"]}
    assert values["19,000 customers,"] == 19000 and values["about 1,500 euros"] == 1500
    # Every figure the coder kept is among the draft's values; the coder only added units and actors.
    assert {f["value"] for f in coded["figures"]} <= set(values.values())
    friday = next(e for e in draft["events"] if e["date_expression"] == "Friday")
    assert friday["resolved"] == {"date": "2016-04-22", "date_end": "2016-04-22", "precision": "day"}
    assert {"ennetcom", "danny-manupassa", "toronto-police", "om"} <= set(draft["actors_found"])
    assert "Toby Sterling" in draft["unknown_names"]  # the reporter: a name, but not in the registry


def test_a_new_articles_draft_is_refused_by_the_build_until_reviewed(project: Path) -> None:
    raw = project / "data/raw/new-article.txt"
    raw.write_text("Dutch police said on Monday that about 2,300 users of Ennetcom had been notified.\n",
                   encoding="utf-8")
    (project / "data/raw/new-article.txt.meta.yaml").write_text(
        "article_id: new-2016-05-note\ntitle: null\noutlet: null\nauthor: null\nurl: null\npublished: 2016-05-02\n"
        "published_precision: day\nlanguage: en\nrights: null\n", encoding="utf-8")
    out = project / "data/coding/articles/new-2016-05-note.yaml"
    result = cli("--root", str(project), "suggest", str(raw), "--case", "ennetcom", "--out", str(out))
    assert result.returncode == 0, result.stderr
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [(f["quote"], f["value"], f["approximate"]) for f in draft["figures"]] == [("about 2,300", 2300, True)]
    assert draft["events"][0]["resolved"]["date"] == "2016-05-02"
    assert {"dutch-police", "ennetcom"} <= set(draft["actors_found"])
    built = cli("--root", str(project), "build")
    assert built.returncode == 2
    assert "data/coding/articles/new-2016-05-note.yaml:" in built.stderr
    assert "unconfirmed draft" in built.stderr


DRAFT_TARGETS = {
    "existing-coding-file": ("file", "already exists (a draft never overwrites a coding file; --force replaces it)"),
    "missing-directory": ("missing-dir", "directory"),
    "a-directory": ("dir", "not a regular file"),
    "a-symlink": ("symlink", "not a regular file"),
}


@pytest.mark.parametrize("kind,message", DRAFT_TARGETS.values(), ids=DRAFT_TARGETS.keys())
def test_suggest_never_writes_over_or_through_what_is_there(tmp_path: Path, kind: str, message: str) -> None:
    """A coder's file, a directory, a link (to a file outside the project) or a missing directory: exit 2, the
    path named, nothing written; only `--force` replaces a regular file."""
    outside = tmp_path / "outside.yaml"
    outside.write_text("hand-written: true\n")
    out = {"file": tmp_path / "coded.yaml", "missing-dir": tmp_path / "no" / "such" / "draft.yaml",
           "dir": tmp_path / "a-dir", "symlink": tmp_path / "link.yaml"}[kind]
    if kind == "file":
        out.write_text("hand-written: true\n")
    elif kind == "dir":
        out.mkdir()
    elif kind == "symlink":
        out.symlink_to(outside)
    before = sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*"))
    result = cli("--root", str(REPO), "suggest", str(REPO / REUTERS), "--case", "ennetcom", "--out", str(out))
    assert result.returncode == 2
    assert f"error: {out}: cannot write the draft: " in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted((p.relative_to(tmp_path), p.is_file() and p.read_bytes()) for p in tmp_path.rglob("*")) == before
    forced = cli("--root", str(REPO), "suggest", str(REPO / REUTERS), "--case", "ennetcom", "--out", str(out),
                 "--force")
    if kind == "file":
        assert forced.returncode == 0, forced.stderr
        assert yaml.safe_load(out.read_text())["draft"] is True
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    else:
        assert forced.returncode == 2 and outside.read_text() == "hand-written: true\n"
