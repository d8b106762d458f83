"""The README's Python and DuckDB snippets run as written, from the project root (polars and R are not
installed in the project environment, so their snippets are only checked to name the published files)."""

from __future__ import annotations

import contextlib
import re

from conftest import REPO

README = (REPO / "README.md").read_text()


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.DOTALL)


def test_python_snippets_run() -> None:
    """Each snippet as a script of its own (a fresh namespace), in this process, from the project root; an
    exception fails the test with the snippet's own traceback."""
    snippets = [b for b in blocks("python") if "polars" not in b]
    assert len(snippets) >= 2
    for number, code in enumerate(snippets):
        with contextlib.chdir(REPO):
            exec(compile(code, f"README.md python snippet {number + 1}", "exec"), {"__name__": "__main__"})  # noqa: S102


def test_duckdb_snippets_run() -> None:
    import duckdb

    queries = [b.split("\n", 1)[1] if b.startswith("--") else b for b in blocks("sql")]
    assert queries
    for query in queries:
        assert len(duckdb.connect().sql(query.replace("'data/", f"'{REPO}/data/")).fetchall()) > 0


def test_other_snippets_name_published_files() -> None:
    for block in blocks("r") + [b for b in blocks("python") if "polars" in b]:
        for path in re.findall(r"\"(data/processed/[\w.]+)\"", block):
            assert (REPO / path).is_file(), path


def test_the_layout_lists_every_module_once() -> None:
    """The Layout section names every module of src/dataset, one line each (`path — what it does`), and no
    module that does not exist."""
    layout = README.split("## Layout", 1)[1].split("```", 2)[1]
    listed = re.findall(r"^  (\S+\.py) +— \S", layout, flags=re.MULTILINE)
    modules = sorted(p.relative_to(REPO / "src/dataset").as_posix() for p in (REPO / "src/dataset").rglob("*.py"))
    assert len(listed) == len(set(listed)), [m for m in listed if listed.count(m) > 1]
    assert sorted(listed) == modules
