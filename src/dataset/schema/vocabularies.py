"""The controlled lists, read from the project's human-edited registry `data/coding/vocabularies.yaml`.

No code is listed here: this module only knows which lists the schema binds columns to (`NAMES`) and what
properties a code of each list may carry (`PROPERTIES`). A coder adds a code by adding an entry to the YAML
file; an unknown code in a coding file is reported with that file as the place to add it.

Read lazily, never at import: an installed wheel (`dataset.load`, `dataset verify`, the charts) needs no
registry, because a published package carries its codes and labels in datapackage.json. The build reads its
project's registry (`use_project`, called when the coding is read) and the checks, the descriptor and the
codebook then apply it (`active`). A project without the file (a generated corpus) uses the registry of the
source tree this module belongs to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dataset.errors import Collector, InputError
from dataset.schema.registry import Code, Field, Vocabulary, currency_name
from dataset.yamlio import LineDict, load_mapping, shown

if TYPE_CHECKING:
    from dataset.project import Project

REGISTRY = "data/coding/vocabularies.yaml"
# The lists the schema binds columns to (fields.py), in the codebook's order.
NAMES = ("language", "date_precision", "date_basis", "actor_type", "role", "event_type", "plover_type",
         "plover_mode", "dimension", "unit", "measure", "substance", "not_figure_reason")
CURRENCY_LISTS = ("unit",)  # lists of which every ISO 4217 code is a member
# Figure columns a measure can require (`requires:`): a rate keeps its period, drugs their substance.
REQUIRABLE = ("per_period", "substance")
CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Property:
    """A property a code of one list may carry, and how it is checked."""

    kind: str  # "code" (of the list `of`), "number" (finite, > 0), "columns" (of REQUIRABLE)
    of: str | None = None


PROPERTIES: dict[str, dict[str, Property]] = {
    "event_type": {"plover_type": Property("code", "plover_type"), "plover_mode": Property("code", "plover_mode")},
    "unit": {"dimension": Property("code", "dimension"), "factor": Property("number")},
    "measure": {"requires": Property("columns")},
    "dimension": {"base_unit": Property("code", "unit")},
}


class Vocabularies(Mapping[str, Vocabulary]):
    """Every list of one registry file, by name."""

    def __init__(self, lists: Mapping[str, Vocabulary], where: str) -> None:
        self._lists = dict(lists)
        self.where = where

    def __getitem__(self, name: str) -> Vocabulary:
        return self._lists[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)

    def plover(self, event_type: object) -> tuple[str, str] | None:
        """The PLOVER type and mode of an event type; None where PLOVER has no fitting type."""
        code = self["event_type"].codes.get(str(event_type))
        if code is None or "plover_type" not in code.properties:
            return None
        return str(code.properties["plover_type"]), str(code.properties["plover_mode"])

    def normalised(self, unit: object) -> tuple[float, str] | None:
        """The factor to the base unit of a unit's dimension and that base unit, where the conversion is fixed
        (kg, tonne: mass in kg); None for counts, currencies and units of no fixed length (month, year)."""
        code = self["unit"].codes.get(str(unit))
        if code is None or "factor" not in code.properties:
            return None
        dimension = self["dimension"].codes[str(code.properties["dimension"])]
        return float(code.properties["factor"]), str(dimension.properties["base_unit"])  # type: ignore[arg-type]

    def requires(self, measure: object) -> tuple[str, ...]:
        """The figure columns a figure of this measure must fill."""
        code = self["measure"].codes.get(str(measure))
        return tuple(code.properties.get("requires", ())) if code is not None else ()  # type: ignore[arg-type]


def read(path: Path, where: str = REGISTRY) -> Vocabularies:
    """Read and check a registry file; every problem at once, each at its line, as one InputError."""
    data = load_mapping(path, where)
    problems = Collector()
    for name in data:
        if name not in NAMES:
            problems.add(where, f"{shown(name)} is not a list the schema uses (expected one of {', '.join(NAMES)})",
                         field=str(name), line=data.line_of(name))
    lists = {}
    for name in NAMES:
        spec = data.get(name)
        if not isinstance(spec, LineDict):
            problems.add(where, "missing: expected a mapping with `description:` and `codes:`", field=name,
                         line=data.line_of(name))
            continue
        lists[name] = _vocabulary(name, spec, where, problems)
    if not problems.problems:
        _check_references(lists, data, where, problems)
    problems.raise_if_any()
    return Vocabularies(lists, where)


def _text(spec: LineDict, key: str, where: str, at: str, problems: Collector) -> str:
    value = spec.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(where, f"expected a non-empty text, not {shown(value)}", field=f"{at}.{key}",
                     line=spec.line_of(key))
        return ""
    return " ".join(value.split())


def _vocabulary(name: str, spec: LineDict, where: str, problems: Collector) -> Vocabulary:
    for key in spec:
        if key not in ("description", "codes"):
            problems.add(where, "unknown key (expected description, codes)", field=f"{name}.{key}",
                         line=spec.line_of(key))
    description = _text(spec, "description", where, name, problems)
    codes_spec = spec.get("codes")
    codes: dict[str, Code] = {}
    if not isinstance(codes_spec, LineDict) or not codes_spec:
        problems.add(where, "expected a mapping of code: {label, definition}", field=f"{name}.codes",
                     line=spec.line_of("codes"))
        return Vocabulary(name, description, codes, name in CURRENCY_LISTS)
    allowed = PROPERTIES.get(name, {})
    for code, entry in codes_spec.items():
        at = f"{name}.{code}"
        line = codes_spec.line_of(code)
        if not isinstance(code, str) or not CODE.fullmatch(code):
            problems.add(where, f"{shown(code)} is not a code (a letter, then letters, digits or _)", field=at,
                         line=line)
            continue
        if name in CURRENCY_LISTS and currency_name(code) is not None:
            problems.add(where, f"{code} is an ISO 4217 currency, a unit already: do not list it", field=at,
                         line=line)
            continue
        if not isinstance(entry, LineDict):
            problems.add(where, "expected a mapping with label and definition", field=at, line=line)
            continue
        for key in entry:
            if key not in ("label", "definition", *allowed):
                expected = ", ".join(("label", "definition", *allowed))
                problems.add(where, f"unknown key (expected {expected})", field=f"{at}.{key}", line=entry.line_of(key))
        properties = {key: entry[key] for key in allowed if key in entry}
        for key, value in properties.items():
            _check_property(allowed[key], value, where, f"{at}.{key}", entry.line_of(key), problems)
        codes[code] = Code(_text(entry, "label", where, at, problems), _text(entry, "definition", where, at, problems),
                           properties)
    return Vocabulary(name, description, codes, name in CURRENCY_LISTS)


def _check_property(prop: Property, value: object, where: str, at: str, line: int, problems: Collector) -> None:
    if prop.kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value) or value <= 0):
        problems.add(where, f"{shown(value)} is not a positive number", field=at, line=line)
    elif prop.kind == "columns" and (not isinstance(value, list) or not value
                                     or any(v not in REQUIRABLE for v in value)):
        problems.add(where, f"{shown(value)} is not a list of {', '.join(REQUIRABLE)}", field=at, line=line)
    elif prop.kind == "code" and not isinstance(value, str):
        problems.add(where, f"{shown(value)} is not a code of {prop.of}", field=at, line=line)


def _check_references(lists: dict[str, Vocabulary], data: LineDict, where: str, problems: Collector) -> None:
    """A property that names a code names one of its list; PLOVER type and mode go together; a dimension's
    base unit is a unit of that dimension with factor 1."""
    for name, props in PROPERTIES.items():
        codes_spec = data[name]["codes"]
        for code, entry in lists[name].codes.items():
            line_of = codes_spec[code].line_of
            for key, prop in props.items():
                value = entry.properties.get(key)
                if prop.kind == "code" and value is not None and value not in lists[str(prop.of)].codes:
                    problems.add(where, f"{shown(value)} is not a {prop.of} code of this file",
                                 field=f"{name}.{code}.{key}", line=line_of(key))
            if name == "event_type" and ("plover_type" in entry.properties) != ("plover_mode" in entry.properties):
                problems.add(where, "give both plover_type and plover_mode, or neither", field=f"{name}.{code}",
                             line=codes_spec.line_of(code))
            if name == "unit" and "factor" in entry.properties and "dimension" not in entry.properties:
                problems.add(where, "a factor converts to its dimension's base unit: give the dimension",
                             field=f"{name}.{code}.factor", line=line_of("factor"))
            if name == "dimension":
                base = lists["unit"].codes.get(str(entry.properties.get("base_unit")))
                if base is None or base.properties.get("dimension") != code or base.properties.get("factor") != 1:
                    problems.add(where, f"the base unit must be a unit of dimension {code} with factor 1",
                                 field=f"{name}.{code}.base_unit", line=line_of("base_unit"))


# --- the registry the build applies ------------------------------------------------------------------------------

_active: Vocabularies | None = None


def default_path() -> Path:
    """The registry of the source tree this module belongs to (src/dataset/schema/ -> data/coding/)."""
    return Path(__file__).resolve().parents[3] / REGISTRY


def for_project(project: Project) -> Vocabularies:
    """The project's registry; the source tree's where the project has none (a generated corpus)."""
    path = project.coding / "vocabularies.yaml"
    if path.exists() or path.is_symlink():
        return read(path, project.rel(path))
    if not default_path().is_file():  # an installed package: no source tree to take the codes from
        raise InputError.one(REGISTRY, "missing: the registry of every code the coding may use (copy it from the "
                             "dataset's source tree)")
    return read(default_path(), REGISTRY)


def use(vocabularies: Vocabularies) -> None:
    """Make `vocabularies` the registry the checks, the descriptor and the codebook apply."""
    global _active
    _active = vocabularies


def use_project(project: Project) -> Vocabularies:
    """Read the project's registry and apply it; an InputError (at its file and line) when it is wrong."""
    vocabularies = for_project(project)
    use(vocabularies)
    return vocabularies


def active() -> Vocabularies:
    """The registry in use: the project's once a build has read it, else the source tree's."""
    global _active
    if _active is None:
        _active = read(default_path(), REGISTRY)
    return _active


def vocabulary(name: str) -> Vocabulary:
    return active()[name]


def field_vocabulary(f: Field) -> Vocabulary:
    """The codes a coded column takes: its list, or the part of it the field names (`Field.codes`)."""
    if f.vocabulary is None:
        raise ValueError(f"{f.description!r}: not a coded column")
    v = vocabulary(f.vocabulary)
    return v if f.codes is None else v.subset(f.codes)


def unknown_code(v: Vocabulary, value: object) -> str:
    """What to say of a value that is no code of `v`: what is expected, and where a new code is added."""
    expected = ", ".join(v.codes) + (" or an ISO 4217 currency code" if v.currencies else "")
    return (f"{shown(value)} is not a {v.name} code (expected one of: {expected}; a new code is added to "
            f"{active().where})")
