"""Reading the hand-written YAML files (sidecars, coding files, CITATION.cff) safely and with line numbers.

- Only PyYAML's SafeLoader: a tag that would construct a Python object is an error, never executed.
- The timestamp resolver is removed, so `2016-04-22` stays the string the coder wrote; dates are checked by
  the schema, which can then say which file and line hold an impossible one instead of crashing in PyYAML.
- Every mapping remembers the line of each key, so a problem found later (even by pandera, on the built
  table) can be reported as `path:line: field: ...`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from dataset.errors import InputError


class LineDict(dict):
    """A dict that knows the 1-based line on which each of its keys was written."""

    lines: dict[str, int]
    line: int

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


# libyaml's C parser where PyYAML was built with it (about 6x faster on coding files); same safe constructors.
_Base = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without implicit timestamps, building LineDicts."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.lines = {}
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def loads(text: str, where: str, *, line_offset: int = 0) -> Any:
    """Parse YAML text; any YAML error becomes an InputError at `where:line`."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError.one(where, f"invalid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise InputError.one(where, f"invalid YAML: {exc}") from None


def load_mapping(path: Path, where: str) -> LineDict:
    """Load a YAML file that must hold one mapping (a sidecar, a coding file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.one(where, f"not UTF-8: byte 0x{exc.object[exc.start]:02x} at offset {exc.start}") from None
    data = loads(text, where)
    if not isinstance(data, LineDict):
        raise InputError.one(where, "expected a YAML mapping (key: value lines)", line=1)
    return data


def key_lines(path: Path, line: int) -> dict[str, int]:
    """The line of each key of the mapping that starts on `line` of YAML file `path` (the outermost one,
    where several start on one line); empty if the file no longer reads or has no mapping there. For
    reporting a problem found after the file was read, so the file is parsed again, once per version."""
    try:
        stat = path.stat()
        return _key_lines_by_start(path, stat.st_mtime_ns, stat.st_size).get(line, {})
    except (OSError, InputError):
        return {}


@functools.lru_cache(maxsize=8)
def _key_lines_by_start(path: Path, mtime_ns: int, size: int) -> dict[int, dict[str, int]]:
    by_start: dict[int, dict[str, int]] = {}
    for mapping in _mappings(load_mapping(path, str(path))):
        by_start.setdefault(mapping.line, mapping.lines)
    return by_start


def _mappings(value: object) -> Iterator[LineDict]:
    """Every mapping in a loaded document, each before those nested in it."""
    if isinstance(value, LineDict):
        yield value
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return
    for child in children:
        yield from _mappings(child)
