"""Reading the hand-written YAML files (sidecars, coding files, CITATION.cff) safely and with line numbers.

- Only PyYAML's SafeLoader: a tag that would construct a Python object is an error, never executed.
- The timestamp resolver is removed, so `2016-04-22` stays the string the coder wrote; dates are checked by
  the schema, which can then say which file and line hold an impossible one instead of crashing in PyYAML.
- Every mapping remembers the line of each key, so a problem found later (even by pandera, on the built
  table) can be reported as `path:line: field: ...`.
- Bounded before anything is built: a file's size, how deep its collections nest (libyaml's composer recurses
  in C and crashes the interpreter, with no message, on a few thousand levels) and how many nodes its aliases
  add (a "billion laughs" file is a few lines). A cheap look at the text decides whether the exact count,
  a pass over libyaml's event stream (which does not recurse), is needed: most files cannot nest deeply.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any

import yaml

from dataset.errors import InputError
from dataset.inputs import read_regular

MAX_BYTES = 16 * 2**20  # a hand-written YAML file; the registries of a 100,000-article corpus take about 5 MiB
MAX_DEPTH = 32  # nested collections; the deepest hand-written file nests 4
MAX_ALIAS_NODES = 10_000  # nodes that aliases may add to a document, in all
# The start of each line up to its first node: block collections nest at most two levels per column of it.
_INDENT = re.compile(r"^[ \t?:-]*", re.MULTILINE)
_ANCHOR = re.compile(r"&[^\s,\[\]{}]")
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class LineDict(dict):
    """A dict that knows the 1-based line on which each of its keys was written."""

    lines: dict[str, int]
    line: int

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


# libyaml's C parser where PyYAML was built with it (faster: benchmarks/README.md); same safe constructors.
_Base = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without implicit timestamps, building LineDicts."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def shown(value: object) -> str:
    """A written value for a message, short whatever it is: a list or mapping by its kind, a long text or an
    integer of thousands of digits (whose repr would fail) cut."""
    if isinstance(value, list | dict | set | tuple):
        return f"a {'mapping' if isinstance(value, dict) else 'list'} of {len(value)} item(s)"
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.lines = {}
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, f"a {type(key).__name__} cannot be a key", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shown(key)}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _located(construct: Any) -> Any:
    """A scalar constructor whose ValueError (an integer of more than 4300 digits, year 0) is a YAML error
    at the value, not a crash."""

    def guarded(loader: _Loader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as exc:
            problem = f"cannot read {shown(node.value)}: {str(exc).split(';')[0]}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    return guarded


for _tag in ("int", "float", "timestamp"):
    _full = f"tag:yaml.org,2002:{_tag}"
    _Loader.add_constructor(_full, _located(_Loader.yaml_constructors[_full]))


def loads(text: str, where: str, *, line_offset: int = 0) -> Any:
    """Parse YAML text; any YAML error, and any text beyond the bounds, becomes an InputError at `where:line`."""
    if len(text) > MAX_BYTES:
        raise InputError.one(where, f"YAML text is larger than {MAX_BYTES:,} characters")
    if _may_nest_deeper(text) or _ANCHOR.search(text):
        _check_bounds(text, where, line_offset)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError.one(where, f"invalid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise InputError.one(where, f"invalid YAML: {exc}") from None


def _may_nest_deeper(text: str) -> bool:
    """Whether the text could nest more than MAX_DEPTH collections: each flow bracket opens at most one, and
    block collections nest at most two per column of a line's indentation (and its `- `, `? `, `: `)."""
    flow = text.count("[") + text.count("{")
    indent = max(len(start) for start in _INDENT.findall(text))
    return flow + 2 * (indent + 1) > MAX_DEPTH


def _check_bounds(text: str, where: str, line_offset: int) -> None:
    """Walk libyaml's events (no recursion, nothing built): refuse nesting deeper than MAX_DEPTH and aliases
    that add more than MAX_ALIAS_NODES nodes. A syntax error is left to the loader, which reports it."""
    depth = nodes = added = 0
    opened: list[tuple[str | None, int]] = []  # anchor and node count of each open collection
    sizes: dict[str, int] = {}  # nodes of each anchored node, its aliases expanded
    try:
        for event in yaml.parse(text, Loader=_Base):
            line = event.start_mark.line + 1 + line_offset
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError.one(where, f"collections nest more than {MAX_DEPTH} deep", line=line)
                opened.append((event.anchor, nodes))
                nodes += 1
            elif isinstance(event, _CLOSE):
                depth -= 1
                anchor, start = opened.pop()
                if anchor is not None:
                    sizes[anchor] = nodes - start
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                size = sizes.get(event.anchor, 1)
                nodes, added = nodes + size, added + size
                if added > MAX_ALIAS_NODES:
                    raise InputError.one(where, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes",
                                         line=line)
    except yaml.YAMLError:
        return


def load_mapping(path: Path, where: str, parse: Callable[[str, str], Any] = loads) -> LineDict:
    """Load a YAML file that must hold one mapping (a sidecar, a coding file); a regular file inside the
    project (see `dataset.inputs`) of at most MAX_BYTES. `parse` turns its text into data as `loads` does (the
    build passes one that takes a large registry's parse from its cache)."""
    data = read_regular(path, where, limit=MAX_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.one(where, f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                             line=data.count(b"\n", 0, exc.start) + 1) from None
    data = parse(text, where)
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
