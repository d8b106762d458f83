"""The one reader of a written package's datapackage.json: parse it, check its shape, resolve its paths.

Every reader of a written package (`dataset verify`, `dataset diff`, `dataset release`, `dataset.load`
and the charts) reads the descriptor through `read_descriptor`, and every file path a descriptor names
(a resource's `path`, a Table Schema or dialect given by reference) goes through `resolve`, so that all of
them refuse the same inputs with the same words:

- the descriptor is a regular file inside its package, at most `MAX_BYTES`, UTF-8 without a byte-order
  mark, valid JSON (no NaN or Infinity, no key twice in an object), nested at most `MAX_DEPTH` deep, with
  at most `MAX_CONTAINERS` objects and arrays: each is checked before the text is parsed or walked;
- every value the commands use has the type they expect (`resources` a list of objects, each with a unique
  `name` and one `path`; a Table Schema's `fields` objects with a unique `name`; keys as lists of names);
- a path is relative, POSIX, inside the package: never absolute, a Windows drive or a backslash, `..`,
  `~`, a variable (`$`, `%`), a colon, a control character (NUL), a URL (http, https, ftp, file:, data:,
  any scheme), nor a symbolic link that leads outside the package or anything but a regular file;
- nothing is ever fetched: a remote reference (a URL as a path, schema, dialect or profile, a profile name
  Frictionless would fetch, a `scheme` other than "file") is refused before Frictionless sees the
  descriptor. A Table Schema or dialect given as a path inside the package is read here (with the same
  checks) and put in place, so that Frictionless is only ever given objects;
- compressed resources (`compression`, `.zip`/`.gz`/`.bz2`/`.xz`, `innerpath`) and path lists (multipart)
  are refused: Frictionless would unpack them into temporary files unchecked.

Every problem is collected and raised at once as a `DescriptorError` of `Issue`s (file, field as in
`resources[3].schema.fields[0].name`, message). Only the standard library is used: the charts, which read
packages through `dataset.datapackage.parquet`, run from dataset/charts alone.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILENAME = "datapackage.json"
# A descriptor (or a Table Schema or dialect file it names) larger than this is refused before it is read;
# the descriptor of a 100,000-article package, one source per article, is about 20 MB.
MAX_BYTES = 64 * 1024**2
# Objects and arrays nested deeper than this are refused (a package's own are at most 7 deep).
MAX_DEPTH = 32
# Objects and arrays in one file, counted as the brackets in its bytes (an upper bound) before parsing.
MAX_CONTAINERS = 2_000_000
MAX_PATH_CHARS = 1024
MAX_DIGITS = 100  # in an integer
# The profiles Frictionless knows by name without fetching them ("fiscal-data-package" it fetches).
PACKAGE_PROFILES = ("data-package", "tabular-data-package")
RESOURCE_PROFILES = ("data-resource", "tabular-data-resource")
STANDARD_SCHEMA = re.compile(
    r"https://datapackage\.org/profiles/\d+\.\d+/(datapackage|dataresource|tableschema|tabledialect)\.json")
COMPRESSED = (".zip", ".gz", ".bz2", ".xz")
NETWORK = "remote references are refused: the package commands never use the network"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, located as dataset.errors.Problem locates it (file, line, field)."""

    where: str
    message: str
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.where}:{self.line}" if self.line is not None else self.where
        return f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"


class DescriptorError(Exception):
    """The descriptor cannot be read as it is; every problem found."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class UnsafePath(ValueError):
    """A path a package may not name; the message says why."""


@dataclass(frozen=True)
class Descriptor:
    """A checked descriptor: its data (Table Schemas and dialects given by path put in place) and, per
    resource name, the file it names (`root / path`, checked by `resolve`)."""

    path: Path
    root_label: str  # how the package's directory is named in messages (a zip's: "<zip>: <top>")
    data: dict[str, Any]
    files: dict[str, Path]

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def label(self) -> str:
        return self.where(self.path.name)

    @property
    def resources(self) -> list[dict[str, Any]]:
        return self.data["resources"]

    def where(self, rel: str) -> str:
        """A file of the package as messages name it."""
        return f"{self.root_label}/{rel}"


# ---- paths ---------------------------------------------------------------------------------------------------

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFLNK: "a symbolic link"}


def url_scheme(value: str) -> str | None:
    """The scheme of a URL (`http`, `file`, `data`, ...), None for anything else (a Windows drive too)."""
    match = _SCHEME.match(value)
    return match.group(1).lower() if match and len(match.group(1)) > 1 else None


def unsafe_path(value: object) -> str | None:
    """Why `value` is not a safe relative POSIX path inside a package (None when it is): the lexical rules,
    for descriptor paths, SHA256SUMS lines and zip entries alike."""
    if not isinstance(value, str):
        return "is not a path"
    if not value:
        return "is empty"
    if len(value) > MAX_PATH_CHARS:
        return f"is longer than {MAX_PATH_CHARS} characters"
    control = next((c for c in value if ord(c) < 0x20 or ord(c) == 0x7F), None)
    if control is not None:
        return f"contains a control character ({control!r})"
    scheme = url_scheme(value)
    if scheme == "file":
        return "is a file: URL: a package names only files inside its own directory"
    if scheme == "data":
        return "is a data: URL: a resource of a written package is a file"
    if scheme is not None:
        return f"is a URL ({scheme}:): {NETWORK}"
    if re.match(r"[A-Za-z]:", value):
        return "is an absolute path (a Windows drive)"
    if "\\" in value:
        return "contains a backslash"
    if value.startswith("/"):
        return "is an absolute path"
    if value.startswith("~"):
        return "starts with '~' (a home directory)"
    parts = value.split("/")
    if ".." in parts:
        return "contains '..'"
    if any(p in ("", ".") for p in parts):
        return "has an empty or '.' path component"
    if "$" in value or "%" in value:
        return "contains '$' or '%' (a variable)"
    if ":" in value:
        return "contains ':'"
    return None


def resolve(root: Path, rel: object, base: str | None = None) -> Path:
    """`root / rel`, for a path `rel` that `unsafe_path` accepts and that, through any symbolic links, stays
    inside `root` and names a regular file (or nothing yet: the caller reports a missing file). Raises
    UnsafePath with the reason otherwise. Every path a package names is resolved here. `base`: `root`'s real
    path, when the caller resolves many paths under it at once."""
    reason = unsafe_path(rel)
    if reason or not isinstance(rel, str):
        raise UnsafePath(reason or "is not a path")
    return inside(root, root / rel, base)


def inside(root: Path, path: Path, base: str | None = None) -> Path:
    """`path` when, through any symbolic links, it stays inside `root` (whose real path is `base`, found here when
    not given) and is a regular file or nothing yet; raises UnsafePath otherwise."""
    base = os.path.realpath(root) if base is None else base
    real = os.path.realpath(path)
    try:
        outside = os.path.commonpath([base, real]) != base
    except ValueError:  # on another drive (Windows)
        outside = True
    if outside:
        raise UnsafePath(f"leads outside the package through a symbolic link (to {real})")
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:  # a loop of links, a component that is not a directory
        raise UnsafePath(f"cannot be resolved: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise UnsafePath(f"is not a regular file but {_KINDS.get(stat.S_IFMT(mode), 'a special file')}")
    return path


def read_capped(path: Path, where: str, limit: int = MAX_BYTES, missing: str = "missing") -> bytes:
    """The bytes of the regular file `path`, at most `limit` (checked before and while reading); a FIFO or
    device is refused without blocking on it. Raises DescriptorError."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise DescriptorError([Issue(where, missing)]) from None
    except OSError as exc:
        raise DescriptorError([Issue(where, f"cannot be read: {exc.strerror}")]) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "a special file")
            raise DescriptorError([Issue(where, f"is not a regular file but {kind}")])
        size = os.fstat(fd).st_size
        data = b"" if size > limit else handle.read(limit + 1)
    if size > limit or len(data) > limit:
        raise DescriptorError([Issue(where, f"is {max(size, len(data))} bytes, more than the {limit} a "
                                     "descriptor may have")])
    return data


# ---- JSON ----------------------------------------------------------------------------------------------------


class _Refused(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # in C; a key repeated makes it shorter, and only then are the keys walked to name it
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"key {key!r} appears twice in one object (readers would disagree on its value)")
            seen.add(key)
    return out


def _constant(name: str) -> float:
    raise _Refused(f"{name} is not a JSON number")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number of {len(text.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"{text} is too large for a number")
    return value


def _depth_problem(value: Any) -> str | None:
    """The place of the first object or array nested deeper than MAX_DEPTH (None when there is none). Depth is
    measured level by level first, with no place named (a descriptor is read several times a build); only a
    value too deep is walked again to name the place."""
    level = [value] if isinstance(value, dict | list) else []
    for _ in range(MAX_DEPTH):
        level = [child for item in level for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, dict | list)]
        if not level:
            return None
    return _deep_place(value)


def _deep_place(value: Any) -> str:
    """The place of the first object or array nested deeper than MAX_DEPTH in `value`, which has one."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, at, depth = stack.pop()
        if depth > MAX_DEPTH:
            return at
        children = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in children:
            if isinstance(child, dict | list):
                place = f"{at}[{key}]" if isinstance(key, int) else f"{at}.{key}" if at else key
                stack.append((child, place, depth + 1))
    raise AssertionError("no object or array nested deeper than MAX_DEPTH")


def load_json(path: Path, where: str, missing: str = "missing") -> Any:
    """The JSON value in `path`, after the checks of size, encoding, syntax, duplicate keys and depth."""
    data = read_capped(path, where, missing=missing)
    if data.count(b"{") + data.count(b"[") > MAX_CONTAINERS:
        raise DescriptorError([Issue(where, f"holds more than {MAX_CONTAINERS} objects and arrays")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DescriptorError([Issue(where, f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                                     line=data.count(b"\n", 0, exc.start) + 1)]) from None
    if text.startswith("\ufeff"):
        raise DescriptorError([Issue(where, "starts with a UTF-8 byte-order mark (JSON has none): save it as "
                                     "UTF-8 without one", line=1)])
    if not text.strip():
        raise DescriptorError([Issue(where, "is empty: not a data package")])
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float,
                           parse_int=_int)
    except json.JSONDecodeError as exc:
        raise DescriptorError([Issue(where, f"not valid JSON: {exc.msg} (column {exc.colno})",
                                     line=exc.lineno)]) from None
    except RecursionError:
        raise DescriptorError([Issue(where, f"not read: nested deeper than {MAX_DEPTH} levels")]) from None
    except ValueError as exc:  # _Refused, and integers of more digits than Python converts
        raise DescriptorError([Issue(where, f"not read: {exc}")]) from None
    deep = _depth_problem(value)
    if deep is not None:
        raise DescriptorError([Issue(where, f"nested deeper than {MAX_DEPTH} levels", field=deep or None)])
    return value


# ---- shape ---------------------------------------------------------------------------------------------------


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


class _Checker:
    """Collects the issues of one descriptor, each at its field."""

    def __init__(self, where: str, root: Path) -> None:
        self.where = where
        self.issues: list[Issue] = []
        self.base = os.path.realpath(root)  # once: every resource's path is resolved under it

    def add(self, field: str | None, message: str) -> None:
        self.issues.append(Issue(self.where, message, field=field or None))

    def typed(self, value: object, expected: type | tuple[type, ...], field: str, what: str) -> bool:
        if isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool):
            return True
        self.add(field, f"is {_kind(value)}, expected {what}")
        return False

    def strings(self, obj: dict[str, Any], at: str, keys: Iterable[str]) -> None:
        for key in keys:
            if key in obj:
                self.typed(obj[key], str, f"{at}{key}", "a string")

    def objects(self, obj: dict[str, Any], at: str, keys: Iterable[str]) -> None:
        """Each of `keys`, when present, a list of objects."""
        for key in keys:
            if key in obj and self.typed(obj[key], list, f"{at}{key}", "a list of objects"):
                for i, item in enumerate(obj[key]):
                    self.typed(item, dict, f"{at}{key}[{i}]", "an object")

    def names(self, value: object, field: str) -> None:
        """A key: one field name or a list of them."""
        if value is None:
            self.add(field, "missing: a key names one field or a list of them")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.typed(item, str, f"{field}[{i}]", "a field name")
        else:
            self.typed(value, str, field, "a field name or a list of them")

    def profiles(self, obj: dict[str, Any], at: str, names: tuple[str, ...]) -> None:
        """`$schema` a datapackage.org profile; `profile` one of `names` (any other Frictionless fetches)."""
        schema = obj.get("$schema")
        if schema is not None and self.typed(schema, str, f"{at}$schema", "a string") and \
                not STANDARD_SCHEMA.fullmatch(schema):
            self.add(f"{at}$schema", f"{schema!r} is not a datapackage.org profile: {NETWORK}")
        profile = obj.get("profile")
        if profile is not None and self.typed(profile, str, f"{at}profile", "a string") and profile not in names:
            known = f"is not one of {', '.join(names)}" if names else "is not read here (no profile is)"
            self.add(f"{at}profile", f"{profile!r} {known}: Frictionless would fetch it; {NETWORK}")


def _reference(check: _Checker, root: Path, root_label: str, value: str, field: str) -> dict[str, Any] | None:
    """A Table Schema or dialect given as a path inside the package: read (with the descriptor's checks)."""
    try:
        path = resolve(root, value, check.base)
    except UnsafePath as exc:
        check.add(field, f"{value!r} {exc}")
        return None
    if not path.is_file():
        check.add(field, f"{value!r} is missing")
        return None
    try:
        loaded = load_json(path, f"{root_label}/{value}")
    except DescriptorError as exc:
        check.issues += exc.issues
        return None
    if not isinstance(loaded, dict):
        check.add(field, f"{value!r} holds {_kind(loaded)}, expected an object")
        return None
    return loaded


def _schema(check: _Checker, schema: dict[str, Any], at: str) -> None:
    check.profiles(schema, at, ())
    fields = schema.get("fields")
    if fields is None:
        check.add(f"{at}fields", "missing: a Table Schema lists its fields")
    elif check.typed(fields, list, f"{at}fields", "a list of field objects"):
        seen: dict[str, int] = {}
        for i, field in enumerate(fields):
            where = f"{at}fields[{i}]"
            if not check.typed(field, dict, where, "an object"):
                continue
            name = field.get("name")
            if name is None:
                check.add(f"{where}.name", "missing: every field has a name")
            elif check.typed(name, str, f"{where}.name", "a string"):
                if name in seen:
                    check.add(f"{where}.name", f"{name!r} names fields[{seen[name]}] too: names are unique")
                seen.setdefault(name, i)
            check.strings(field, f"{where}.", ("type", "format", "title", "description", "rdfType"))
            if "constraints" in field:
                check.typed(field["constraints"], dict, f"{where}.constraints", "an object")
    if "primaryKey" in schema:
        check.names(schema["primaryKey"], f"{at}primaryKey")
    if "foreignKeys" in schema and check.typed(schema["foreignKeys"], list, f"{at}foreignKeys", "a list of objects"):
        for i, fk in enumerate(schema["foreignKeys"]):
            where = f"{at}foreignKeys[{i}]"
            if not check.typed(fk, dict, where, "an object"):
                continue
            check.names(fk.get("fields"), f"{where}.fields")
            reference = fk.get("reference")
            if check.typed(reference, dict, f"{where}.reference", "an object"):
                if "resource" in reference:
                    check.typed(reference["resource"], str, f"{where}.reference.resource", "a resource name")
                check.names(reference.get("fields"), f"{where}.reference.fields")
    if "missingValues" in schema:
        check.typed(schema["missingValues"], list, f"{at}missingValues", "a list")


def _path(check: _Checker, root: Path, res: dict[str, Any], at: str, name: str) -> Path | None:
    """The file of resource `res` (named `name` in messages), or None with the reason added."""
    for key in ("scheme", "compression", "innerpath", "extrapaths"):
        value = res.get(key)
        if key == "scheme" and value in (None, "file"):
            continue
        if key == "compression" and value in (None, "", "no"):
            continue
        if value is None:
            continue
        why = (f"{NETWORK} (only 'file' is read)" if key == "scheme" else
               "a resource of several files is not read: each resource is one file" if key == "extrapaths" else
               "compressed resources are not read (Frictionless would unpack them unchecked)")
        check.add(f"{at}{key}", f"{value!r}{name}: {why}")
    if "path" not in res:
        if "data" in res:
            check.add(f"{at}data", f"inline data is not read{name}: a resource of a written package is a file")
        else:
            check.add(f"{at}path", f"missing{name}: every resource names its file")
        return None
    value = res["path"]
    if isinstance(value, list):
        for i, item in enumerate(value):
            reason = unsafe_path(item)
            if reason:
                check.add(f"{at}path[{i}]", f"{item!r} {reason}{name}")
        check.add(f"{at}path", f"is a list of files (a multipart resource){name}: each resource is one file")
        return None
    if not isinstance(value, str):
        check.add(f"{at}path", f"is {_kind(value)}, expected a relative path{name}")
        return None
    try:
        path = resolve(root, value, check.base)
    except UnsafePath as exc:
        check.add(f"{at}path", f"{value!r} {exc}{name}")
        return None
    if value.lower().endswith(COMPRESSED):
        check.add(f"{at}path", f"{value!r} is a compressed file{name}: compressed resources are not read "
                  "(Frictionless would unpack them unchecked)")
        return None
    return path


def check_descriptor(data: object, root: Path, root_label: str, where: str) -> tuple[dict[str, Any], dict[str, Path]]:
    """The descriptor `data` (parsed from `where`) checked, with Table Schemas and dialects given by path put in
    place, and the file of every resource by name; raises DescriptorError with every problem."""
    check = _Checker(where, root)
    if not isinstance(data, dict):
        raise DescriptorError([Issue(where, f"is {_kind(data)}, expected an object (a data package descriptor)")])
    check.strings(data, "", ("name", "version", "title", "description", "created", "homepage", "id"))
    check.profiles(data, "", PACKAGE_PROFILES)
    check.objects(data, "", ("licenses", "contributors", "sources"))
    resources = data.get("resources")
    files: dict[str, Path] = {}
    if resources is None:
        check.add("resources", "missing: a data package lists its resources")
    elif check.typed(resources, list, "resources", "a list of resource objects"):
        seen: dict[str, int] = {}
        for i, res in enumerate(resources):
            at = f"resources[{i}]."
            if not check.typed(res, dict, f"resources[{i}]", "an object"):
                continue
            name = res.get("name")
            label = ""
            if name is None:
                check.add(f"{at}name", "missing: every resource has a name")
            elif check.typed(name, str, f"{at}name", "a string"):
                label = f" (resource {name!r})"
                if name in seen:
                    check.add(f"{at}name", f"{name!r} names resources[{seen[name]}] too: names are unique")
                    name = None
                else:
                    seen[name] = i
            check.strings(res, at, ("title", "description", "format", "mediatype", "encoding", "hash", "type"))
            if "bytes" in res and check.typed(res["bytes"], int, f"{at}bytes", "a whole number") and res["bytes"] < 0:
                check.add(f"{at}bytes", f"is {res['bytes']}, expected a size in bytes")
            check.profiles(res, at, RESOURCE_PROFILES)
            check.objects(res, at, ("licenses", "sources"))
            path = _path(check, root, res, at, label)
            if path is not None and isinstance(name, str):
                files[name] = path
            for key in ("schema", "dialect"):
                value = res.get(key)
                if isinstance(value, str):
                    reason = unsafe_path(value)
                    if reason:
                        check.add(f"{at}{key}", f"{value!r} {reason}{label}")
                        continue
                    value = _reference(check, root, root_label, value, f"{at}{key}")
                    if value is None:
                        continue
                    res[key] = value
                elif value is not None and not check.typed(value, dict, f"{at}{key}", "an object"):
                    continue
                if isinstance(value, dict):
                    if key == "schema":
                        _schema(check, value, f"{at}schema.")
                    else:
                        check.profiles(value, f"{at}dialect.", ())
    if check.issues:
        raise DescriptorError(check.issues)
    return data, files


def read_descriptor(path: str | Path, root_label: str | None = None) -> Descriptor:
    """The descriptor at `path` (a datapackage.json; its directory is the package), read and checked: see the
    module docstring. Messages name the package's directory as `root_label` (default: the directory).
    Raises DescriptorError with every problem found."""
    path = Path(path)
    root = path.parent
    root_label = str(root) if root_label is None else root_label
    where = f"{root_label}/{path.name}"
    try:
        inside(root, path)
    except UnsafePath as exc:
        raise DescriptorError([Issue(where, str(exc))]) from None
    data, files = check_descriptor(load_json(path, where, "missing: not a data package"), root, root_label, where)
    return Descriptor(path, root_label, data, files)
