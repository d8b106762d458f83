"""`dataset cite`: the citation of this version, from CITATION.cff, in BibTeX, APA or CFF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, cli
from dataset.cite import bibtex_key, read_cff, to_apa, to_bibtex
from dataset.errors import InputError

CFF = read_cff(REPO / "CITATION.cff")
VERSION, TITLE = CFF["version"], CFF["title"]


@pytest.mark.parametrize("fmt", ["apa", "bibtex", "cff"])
def test_every_format_names_the_version_and_the_title(fmt: str) -> None:
    result = cli("cite", "--format", fmt, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert VERSION in result.stdout
    assert " ".join(TITLE.split()) in " ".join(result.stdout.replace("''", "'").split())


def test_default_is_apa() -> None:
    assert cli("cite", cwd=REPO).stdout == to_apa(CFF)


def test_bibtex_of_this_package() -> None:
    year = CFF["date-released"][:4]
    key = "cryptophone_takedowns_" + VERSION.replace(".", "_")
    assert cli("cite", "--format", "bibtex", cwd=REPO).stdout == (
        f"@misc{{{key},\n"
        f"  title = {{{TITLE}}},\n"
        "  author = {{Cryptophone Takedowns dataset contributors}},\n"
        f"  year = {{{year}}},\n"
        f"  version = {{{VERSION}}},\n"
        f"  note = {{Data package, version {VERSION}}}\n"
        "}\n"
    )


def test_apa_of_this_package() -> None:
    year = CFF["date-released"][:4]
    assert to_apa(CFF) == (f"Cryptophone Takedowns dataset contributors. ({year}). {TITLE} (Version {VERSION}) "
                           "[Data set].\n")


def test_cff_format_is_the_file_itself() -> None:
    assert cli("cite", "--format", "cff", cwd=REPO).stdout == (REPO / "CITATION.cff").read_text()


def test_bibtex_key_is_stable() -> None:
    assert bibtex_key("0.1.0") == "cryptophone_takedowns_0_1_0"
    assert bibtex_key("1.10.2") == "cryptophone_takedowns_1_10_2"
    assert bibtex_key("2.0.0-rc.1") == "cryptophone_takedowns_2_0_0_rc_1"


PEOPLE = {
    "title": "Data & more: 100% of {it}",
    "version": "2.1.0",
    "date-released": "2027-03-04",
    "url": "https://example.org/data",
    "doi": "10.5281/zenodo.0000000",
    "authors": [
        {"family-names": "Berg", "given-names": "Anna Maria", "name-particle": "van den"},
        {"family-names": "Lou", "given-names": "Jean-Paul"},
        {"name": "Some Institute"},
    ],
}


def test_bibtex_with_persons_url_and_doi() -> None:
    assert to_bibtex(PEOPLE) == (
        "@misc{cryptophone_takedowns_2_1_0,\n"
        "  title = {Data \\& more: 100\\% of \\{it\\}},\n"
        "  author = {van den Berg, Anna Maria and Lou, Jean-Paul and {Some Institute}},\n"
        "  year = {2027},\n"
        "  version = {2.1.0},\n"
        "  note = {Data package, version 2.1.0},\n"
        "  url = {https://example.org/data},\n"
        "  doi = {10.5281/zenodo.0000000}\n"
        "}\n"
    )


def test_apa_with_persons_and_doi() -> None:
    assert to_apa(PEOPLE) == (
        "van den Berg, A. M., Lou, J.-P., & Some Institute. (2027). Data & more: 100% of {it} (Version 2.1.0) "
        "[Data set]. https://doi.org/10.5281/zenodo.0000000\n"
    )


def test_no_url_no_date() -> None:
    cff = {"title": "T", "version": "1.0.0", "authors": [{"family-names": "Roe", "given-names": "Jo"}]}
    assert to_apa(cff) == "Roe, J. (n.d.). T (Version 1.0.0) [Data set].\n"
    bib = to_bibtex(cff)
    assert "url" not in bib and "year" not in bib and "doi" not in bib
    assert re.fullmatch(r"@misc\{cryptophone_takedowns_1_0_0,\n(  \w+ = \{.*\},\n)*  \w+ = \{.*\}\n\}\n", bib)


def test_outside_any_project_the_installed_citation_is_used(tmp_path: Path) -> None:
    result = cli("cite", "--format", "bibtex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"version = {{{VERSION}}}" in result.stdout


def test_a_project_is_cited_from_its_own_citation(project: Path) -> None:
    cff = project / "CITATION.cff"
    cff.write_text(cff.read_text().replace(f"version: {VERSION}", "version: 9.9.9"))
    result = cli("--root", str(project), "cite", "--format", "bibtex")
    assert result.returncode == 0, result.stderr
    assert "@misc{cryptophone_takedowns_9_9_9," in result.stdout


def test_a_broken_citation_is_bad_input(project: Path) -> None:
    cff = project / "CITATION.cff"
    cff.write_text("cff-version: 1.2.0\nauthors: []\n")
    result = cli("--root", str(project), "cite")
    assert result.returncode == 2
    assert f"{cff}: title: missing" in result.stderr and f"{cff}: authors:" in result.stderr
    (project / "CITATION.cff").unlink()
    result = cli("--root", str(project), "cite")
    assert result.returncode == 2 and "missing (run `dataset build`" in result.stderr


def test_read_cff_keeps_dates_as_strings(tmp_path: Path) -> None:
    path = tmp_path / "CITATION.cff"
    path.write_text("title: T\nversion: 1.0.0\ndate-released: 2026-11-23\nauthors:\n  - name: X\n")
    assert read_cff(path)["date-released"] == "2026-11-23"
    path.write_text("title: [unclosed\n")
    with pytest.raises(InputError, match="invalid YAML"):
        read_cff(path)
