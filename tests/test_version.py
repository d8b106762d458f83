"""The version is written once (pyproject.toml) and every published place agrees with it."""

from __future__ import annotations

import json
import tomllib

import jsonschema

import dataset
from conftest import REPO
from dataset.yamlio import loads

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
VERSION = PYPROJECT["project"]["version"]


def load_cff() -> dict:
    """CITATION.cff as data, with dates left as strings (the schema checks their format)."""
    return loads((REPO / "CITATION.cff").read_text(), "CITATION.cff")


def test_versions_agree() -> None:
    package = json.loads((REPO / "datapackage.json").read_text())
    cff = load_cff()
    assert dataset.__version__ == VERSION
    assert package["version"] == VERSION
    assert cff["version"] == VERSION
    assert cff["date-released"] == PYPROJECT["tool"]["dataset"]["released"]


def test_citation_is_valid_cff_1_2_0() -> None:
    schema = json.loads((REPO / "tests/schemas/cff-1.2.0.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(load_cff())]
    assert errors == []
    assert load_cff()["type"] == "dataset"


def test_cff_schema_catches_a_bad_citation() -> None:
    schema = json.loads((REPO / "tests/schemas/cff-1.2.0.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    bad = {**load_cff(), "type": "article", "date-released": "2026-13-45"}
    assert len(list(validator.iter_errors(bad))) >= 2
