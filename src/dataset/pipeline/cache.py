"""A content-addressed cache of the build's per-article stages, its charts and its exports (`.cache/dataset/`, or
the directory `$DATASET_CACHE_DIR` names: `Store.of`).

Every cached result is keyed by a sha256 of everything that computes it: the inputs it reads (file contents,
not dates), the arguments of the stage, the dataset package's own source files and the versions of the
libraries that shape the output (`code_fingerprint`). A build that finds an entry under its key uses it
instead of computing; anything else (a changed input, other code) gives another key, so an entry is never
out of date, only unused. `dataset build --no-cache` neither reads nor writes entries, and `make clean`
removes them.

After a successful build the entries it did not use are removed (`Store.prune`), so the cache stays the size
of one build's results (a shared directory is left whole: the entries one build did not use may be another's).
An entry is never trusted blindly: its file holds the key it was written under and
the sha256 of its payload, both checked when it is read; an entry that does not match, or cannot be read or
unpickled, is a miss, and the result is computed and written again. Entries are written to a temporary file
in their directory and renamed into place, so a build that is interrupted, or two builds at once, leave
either no entry or a whole one (two builds writing one key write the same bytes).

Files (a chart's images, an export's files) are stored once each, as a blob named by its sha256
(`blobs/<digest[:2]>/<digest>`, the file's bytes alone), and an entry under the key lists the blobs by file
name. A file is stored and restored by a hard link (a copy where the file system has none): a build that
finds a 100 MB export unchanged publishes it without reading it into memory or writing it again. A blob is
the published file itself, so a program that rewrites a published file in place rewrites the blob: each blob
is therefore hashed as it is restored, and one that no longer matches its name is removed and its files are
written again, as for any other damaged entry. A restore never writes into a file (it links or copies to a
new name, renamed into place), so a blob is never changed by the build. A shared cache (`$DATASET_CACHE_DIR`)
copies instead of linking: a file rewritten in place in one project must not change another's.

Per-article stages (`StageCache.map_chunks`, called by `Runner.map_chunks`): the articles are cut into chunks
at content-defined boundaries (after an item whose key's hash falls on a multiple of `AVERAGE_CHUNK`), so a
changed, added or removed article changes the key of its own chunk only, not of every chunk after it; each
chunk's result, as the stage returns it, is one entry. The chunks are computed (in the runner's workers for a
large corpus) only where their entry is missing, and concatenated in input order: the stage's output is the
same list whether it was computed, cached, or computed in other chunks (the stages are already required not to
depend on how the items are chunked, see `dataset.parallel`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeVar

from dataset.errors import InputError
from dataset.pipeline.stamp import file_digest, sha256_file

if TYPE_CHECKING:
    from dataset.parallel import Runner

T = TypeVar("T")
R = TypeVar("R")

CACHE_DIR = ".cache/dataset"  # under the project root (gitignored; `make clean` removes .cache/)
# A directory of the user's choosing instead, shared by every project that names it (clones of one corpus, a
# CI cache, a test session): entries are keyed by content, so one project's entries serve another's.
CACHE_ENV = "DATASET_CACHE_DIR"
BLOBS = "blobs"  # the kind under which files are stored by their sha256 (see the module's docstring)
BLOB_INCOMING = "incoming"  # blobs/<this>/: where a blob is linked before it is hashed (no digest's prefix)
DIGEST = re.compile(r"[0-9a-f]{64}")  # a blob's name: an entry naming anything else is a miss
MAGIC = b"dataset-cache 1\n"
PASSED = "valid"  # the value stored for a check that passed (`Store.passed`)
AVERAGE_CHUNK = 32  # items per chunk on average: what one changed article costs to recompute
MAX_CHUNK = 256  # a boundary at the latest after this many items
# Libraries whose versions shape a stage's or a chart's bytes (the stages' parsing, the tables' types, the
# drawing and the image files); with the Python version and the package's own source files, the code key.
LIBRARIES = ("pandas", "pyarrow", "numpy", "PyYAML", "beautifulsoup4", "matplotlib", "pillow", "kiwisolver",
             "fonttools", "pyreadstat", "sqlite-utils", "pandera", "frictionless", "pycountry")


class Uncacheable(TypeError):
    """A stage's arguments hold a value that `fingerprint` cannot hash reproducibly: the stage runs uncached."""


# --- keys --------------------------------------------------------------------------------------------------


def _file_digest(path: Path) -> bytes:
    """What a stage can read at `path`: a regular file's contents (its sha256, read again only if its stat data
    changed since this process hashed it: `dataset.pipeline.stamp.file_digest`, which has the inputs' digests
    from the build's start), else the kind of thing that is there."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return b"absent"
    except OSError as exc:
        return f"error {exc.errno}".encode()
    if not stat.S_ISREG(st.st_mode):
        return f"mode {stat.S_IFMT(st.st_mode)}".encode()
    try:
        return bytes.fromhex(file_digest(path, st))
    except OSError as exc:
        return f"error {exc.errno}".encode()


def _tagged(h: Any, tag: bytes, data: bytes) -> None:
    h.update(tag + len(data).to_bytes(8, "little") + data)


def _feed_str(h: Any, obj: str) -> None:
    _tagged(h, b"s", obj.encode("utf-8", "surrogatepass"))


def _feed_const(h: Any, obj: object) -> None:
    _tagged(h, b"c", repr(obj).encode())


def _feed_int(h: Any, obj: int) -> None:
    _tagged(h, b"i", str(obj).encode())


def _feed_float(h: Any, obj: float) -> None:
    _tagged(h, b"f", obj.hex().encode())


def _feed_bytes(h: Any, obj: bytes) -> None:
    _tagged(h, b"b", obj)


def _feed_sequence(h: Any, obj: list[object] | tuple[object, ...]) -> None:
    _tagged(h, b"l", type(obj).__qualname__.encode() + str(len(obj)).encode())
    for item in obj:
        _feed(h, item)


def _feed_mapping(h: Any, obj: Mapping[object, object]) -> None:
    _tagged(h, b"m", type(obj).__qualname__.encode() + str(len(obj)).encode())
    for key, value in obj.items():
        _feed(h, key)
        _feed(h, value)


# The feeder of each built-in type by the type itself: one dictionary lookup for the values that make up nearly
# every key (400,000 of them a build of 10,000 articles), where a chain of isinstance tests took 10-20% longer
# (10,000 items of the detection and mention stages, keyed in a microbenchmark).
# A subclass of these (bool of int, a named tuple, an OrderedDict...) takes the chain in `_feed_other`.
_EXACT: dict[type, Callable[[Any, Any], None]] = {
    str: _feed_str, type(None): _feed_const, bool: _feed_const, int: _feed_int, float: _feed_float,
    bytes: _feed_bytes, list: _feed_sequence, tuple: _feed_sequence, dict: _feed_mapping,
}


def _feed(h: Any, obj: object) -> None:
    """Hash `obj` into `h`, tagged by type, the same way in every process (no `hash()`, sets sorted)."""
    feeder = _EXACT.get(type(obj))
    if feeder is not None:
        feeder(h, obj)
    else:
        _feed_other(h, obj)


def _feed_other(h: Any, obj: object) -> None:
    """`_feed` of a value whose type is not in `_EXACT`: the first test its type passes decides."""
    if isinstance(obj, str):
        _feed_str(h, obj)
    elif obj is None or isinstance(obj, bool):
        _feed_const(h, obj)
    elif isinstance(obj, int):
        _feed_int(h, obj)
    elif isinstance(obj, float):
        _feed_float(h, obj)
    elif isinstance(obj, bytes):
        _feed_bytes(h, obj)
    elif isinstance(obj, PurePath):  # a file is its contents (and where it is: stages report the path)
        _tagged(h, b"p", obj.as_posix().encode("utf-8", "surrogateescape"))
        if isinstance(obj, Path):  # a directory is the kind of thing it is
            _tagged(h, b"P", _file_digest(obj))
    elif isinstance(obj, (dt.date, dt.datetime)):
        _tagged(h, b"d", obj.isoformat().encode())
    elif isinstance(obj, functools.partial):
        _feed(h, obj.func)
        _feed(h, obj.args)
        _feed(h, dict(sorted(obj.keywords.items())))
    elif callable(obj) and hasattr(obj, "__qualname__") and hasattr(obj, "__module__"):
        _tagged(h, b"F", f"{obj.__module__}:{obj.__qualname__}".encode())
    elif isinstance(obj, Mapping):
        _feed_mapping(h, obj)
    elif isinstance(obj, (list, tuple)):
        _feed_sequence(h, obj)
    elif isinstance(obj, (set, frozenset)):
        digests = sorted(fingerprint(item) for item in obj)
        _tagged(h, b"S", "".join(digests).encode())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        _tagged(h, b"D", type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            _feed(h, f.name)
            _feed(h, getattr(obj, f.name))
    elif type(obj).__name__ == "NAType":  # pandas' missing value, from a table's rows
        _tagged(h, b"c", b"<NA>")
    elif type(obj).__module__ == "numpy" and hasattr(obj, "item"):  # a numpy scalar: its Python value
        _feed(h, obj.item())  # type: ignore[attr-defined]
    else:
        raise Uncacheable(f"cannot fingerprint a {type(obj).__module__}.{type(obj).__qualname__}")


def fingerprint(*parts: object) -> str:
    """The sha256 (hex) of `parts`: equal for equal values in every process; files by their contents."""
    h = hashlib.sha256()
    for part in parts:
        _feed(h, part)
    return h.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """The code that computes every cached result: the dataset package's files, Python's and LIBRARIES'
    versions. Once per process (the code does not change while it runs)."""
    from importlib import metadata

    import dataset

    package = Path(dataset.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        _feed(h, path.relative_to(package).as_posix())
        _feed(h, _file_digest(path))
    _feed(h, sys.version)
    for name in LIBRARIES:
        try:
            _feed(h, f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            _feed(h, f"{name} absent")
    return h.hexdigest()


# --- entries -----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Store:
    """Cache entries under `directory`: `<kind>/<key[:2]>/<key>`, each its key, its payload's sha256, its payload."""

    directory: Path
    # A shared cache (`CACHE_ENV`) is never pruned by one build: the entries it did not use may be another's.
    shared: bool = False

    @classmethod
    def of(cls, root: Path) -> Store:
        """The cache a build of the project at `root` uses: `$DATASET_CACHE_DIR` when set (`~` expanded, a
        relative path taken from the current directory), else its own `.cache/dataset/`. A directory inside
        the project elsewhere than under its .cache/ is refused: it would become one of its inputs (data/raw)
        or outputs. A directory that cannot be made is used all the same (every entry a miss) and said so."""
        chosen = os.environ.get(CACHE_ENV)
        own = root.resolve() / CACHE_DIR
        if not chosen:
            return cls(own)
        directory = Path(chosen).expanduser().resolve()
        if directory.is_relative_to(root.resolve()) and not directory.is_relative_to(own.parent):
            raise InputError.one(f"${CACHE_ENV}", f"{chosen!r} is inside the project ({directory}): name a "
                                 f"directory outside it, or unset it to use {CACHE_DIR}/")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"note: ${CACHE_ENV}: cannot use {directory} ({exc.strerror}); building without a cache",
                  file=sys.stderr)
        return cls(directory, shared=directory != own)

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / kind / key[:2] / key

    def load(self, kind: str, key: str) -> bytes | None:
        """The payload stored under `key`, or None: no entry, or one that is unreadable or does not match."""
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            return None
        header = MAGIC + key.encode() + b"\n"
        if not data.startswith(header):
            return None
        digest, newline, payload = data[len(header):].partition(b"\n")
        if not newline or hashlib.sha256(payload).hexdigest().encode() != digest:
            return None
        with contextlib.suppress(OSError):
            os.utime(self._path(kind, key))  # used now: kept by `prune`
        return payload

    def prune(self, before: float) -> None:
        """Remove every entry not used (read or written) since `before` (a time.time()), and what interrupted
        writes left: called after a successful build, so the cache holds what that build used and no more. A
        shared cache is left whole (its owner clears it)."""
        if self.shared:
            return
        for path in self.directory.glob("*/*/*"):
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < before:
                    path.unlink()

    def save(self, kind: str, key: str, payload: bytes) -> None:
        """Store `payload` under `key`, atomically; a cache that cannot be written is only a slower build."""
        path = self._path(kind, key)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n")
                handle.write(payload)
            os.replace(tmp, path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def load_object(self, kind: str, key: str) -> tuple[bool, Any]:
        """(True, the value) stored under `key`, or (False, None) for a miss (a payload that does not unpickle
        is a miss too)."""
        payload = self.load(kind, key)
        if payload is None:
            return False, None
        try:
            return True, pickle.loads(payload)  # noqa: S301 - written by this project's builds, its sha256 checked
        except Exception:  # a damaged or foreign entry: computed again
            return False, None

    def save_object(self, kind: str, key: str, value: object) -> None:
        self.save(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    # A check's outcome (a table's validation, Frictionless on a CSV copy): only a pass is stored, so a failure is
    # always found again, in the words of a build without the cache.

    def passed(self, kind: str, key: str) -> bool:
        """Whether the check keyed `key` passed before."""
        return self.load_object(kind, key) == (True, PASSED)

    def record_pass(self, kind: str, key: str) -> None:
        self.save_object(kind, key, PASSED)

    # Files (a chart's images and marks, an export's files): each file a blob named by its sha256, linked into
    # place; the entry under the key maps each file's name under its directory to its blob.

    def _blob(self, digest: str) -> Path:
        return self._path(BLOBS, digest)

    def restore_files(self, kind: str, key: str, out_dir: Path) -> list[Path] | None:
        """Put the files stored under `key` into `out_dir`; their paths, or None for a miss (then none of them is
        left in `out_dir`, so what is written there next is a new file, never a blob's)."""
        found, files = self.load_object(kind, key)
        if not found or not isinstance(files, dict) or not all(_plain_name(name) for name in files):
            return None
        written: list[Path] = []
        for name, digest in files.items():
            path = out_dir / name
            if not isinstance(digest, str) or not DIGEST.fullmatch(digest) or not self._restore_blob(digest, path):
                for done in written:
                    with contextlib.suppress(OSError):
                        done.unlink()
                return None
            written.append(path)
        return written

    def _restore_blob(self, digest: str, path: Path) -> bool:
        """Link (or copy) blob `digest` to `path`, then hash what is there: True if it is the blob's bytes, else
        the blob is removed (damaged, or rewritten in place through a published link) and `path` is not made."""
        blob = self._blob(digest)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with _linked_or_copied(blob, path.parent, link=not self.shared) as tmp:
                if sha256_file(tmp) != digest:
                    with contextlib.suppress(OSError):
                        blob.unlink()
                    return False
                os.replace(tmp, path)
            with contextlib.suppress(OSError):
                os.utime(blob)  # used now: kept by `prune`
            return True
        except OSError:
            return False

    def save_files(self, kind: str, key: str, out_dir: Path, paths: Iterable[Path]) -> None:
        """Store the files at `paths` (under `out_dir`) under `key`: each as a blob, the names in an entry."""
        files = {}
        for p in paths:
            digest = self._save_blob(Path(p))
            if digest is None:
                return  # a cache that cannot be written is only a slower build
            files[Path(p).relative_to(out_dir).as_posix()] = digest
        self.save_object(kind, key, files)

    def _save_blob(self, path: Path) -> str | None:
        """Keep the file at `path` as a blob (a hard link to it, else a copy), named by the sha256 of what was
        linked or copied; that sha256, or None if it could not be stored."""
        # Linked under a temporary name one level down, as the entries' are: one an interrupted build left there
        # is removed by `prune` (which looks at <kind>/<dir>/<name>) once it is old.
        incoming = self.directory / BLOBS / BLOB_INCOMING
        try:
            incoming.mkdir(parents=True, exist_ok=True)
            with _linked_or_copied(path, incoming, link=not self.shared) as tmp:
                digest = sha256_file(tmp)
                blob = self._blob(digest)
                blob.parent.mkdir(exist_ok=True)
                os.replace(tmp, blob)
            return digest
        except OSError:
            return None


@contextlib.contextmanager
def _linked_or_copied(source: Path, directory: Path, link: bool) -> Iterator[str]:
    """A new name in `directory` for the file at `source`, removed on leaving unless the caller renamed it away:
    a hard link to it (with `link`), or a copy (without, or where the file system refuses a link: another
    device, too many links). The name is new, so no existing file is written into."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    os.close(fd)
    os.unlink(tmp)
    linked = False
    if link:
        try:
            os.link(source, tmp)
            linked = True
        except FileExistsError:  # the name was taken meanwhile: not ours to write into, nor to remove
            raise
        except OSError:
            pass
    try:
        if not linked:
            shutil.copyfile(source, tmp)
        yield tmp
    finally:
        with contextlib.suppress(OSError):  # FileNotFoundError once renamed into place
            os.unlink(tmp)


def cached_call(store: Store | None, kind: str, compute: Callable[[], T], *parts: object) -> T:
    """`compute()`, from `store` when stored under the fingerprint of `parts` and the code (else computed and
    stored). `parts` must hold everything the value depends on; an exception is raised as `compute` raised
    it, and nothing is stored."""
    if store is None:
        return compute()
    key = fingerprint(kind, code_fingerprint(), *parts)
    found, value = store.load_object(kind, key)
    if found:
        return value  # type: ignore[no-any-return]
    value = compute()
    store.save_object(kind, key, value)
    return value


# --- per-article stages ------------------------------------------------------------------------------------


def _plain_name(name: object) -> bool:
    """Whether a stored file's name stays inside the directory it is restored into (relative, no `..`)."""
    if not isinstance(name, str) or not name:
        return False
    path = PurePath(name)
    return not path.is_absolute() and ".." not in path.parts


def chunk_bounds(keys: Sequence[str], average: int = AVERAGE_CHUNK, most: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """(start, end) of each chunk of `keys`: a chunk ends after a key whose first 8 hex digits are a multiple
    of `average`, or at `most` keys. A change to one key moves at most the boundaries around it."""
    bounds, start = [], 0
    for i, key in enumerate(keys):
        if int(key[:8], 16) % average == 0 or i + 1 - start >= most:
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(keys):
        bounds.append((start, len(keys)))
    return bounds


@dataclasses.dataclass(frozen=True)
class StageCache:
    """The cache of the per-article stages of one build (see the module's docstring)."""

    store: Store
    kind: str = "stages"

    def map_chunks(self, runner: Runner, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
        """What `runner.map_chunks(fn, items)` returns, each chunk's result from the cache where stored. An item
        must hold all its result depends on beyond `fn` (a file it reads as its path: hashed by contents)."""
        try:
            stage = fingerprint(fn, code_fingerprint())
            item_keys = [fingerprint(item) for item in items]
        except Uncacheable:
            return [r for part in runner.run_chunks(fn, runner.split(items)) for r in part]
        bounds = chunk_bounds(item_keys)
        keys = [fingerprint(stage, item_keys[start:end]) for start, end in bounds]
        results: list[list[R] | None] = []
        for k in keys:
            found, value = self.store.load_object(self.kind, k)
            results.append(value if found and isinstance(value, list) else None)
        missing = [i for i, r in enumerate(results) if r is None]
        if missing:
            chunks = [list(items[bounds[i][0]:bounds[i][1]]) for i in missing]
            computed = runner.run_chunks(fn, chunks)
            for i, value in zip(missing, computed, strict=True):
                self.store.save_object(self.kind, keys[i], value)
                results[i] = value
        return [r for part in results for r in part]  # type: ignore[union-attr]


# --- charts and exports ------------------------------------------------------------------------------------


def frame_digest(frame: Any) -> str:
    """The sha256 of a DataFrame's columns, types and values (its Arrow IPC stream)."""
    import pyarrow as pa

    return table_digest(pa.Table.from_pandas(frame))


def table_digest(table: Any) -> str:
    """The sha256 of an Arrow table's (or a slice's) columns, types and values, as its IPC stream: a stream
    holds every value, so different rows never give the same digest (equal rows may, in a rare layout, give
    another: a miss, never a wrong hit)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue()).hexdigest()


def chart_keys(descriptor: Path, names: Sequence[str]) -> dict[str, str | None]:
    """The cache key of each chart in `names` drawn from the package at `descriptor`: what the chart is drawn
    from. Of the rows of its tables that `scope.focus` leaves for the page, the columns it declares that it
    draws (`Chart.columns`; so an edit of another column, in a case the chart does not show, or in a table it
    does not read, draws nothing again), its tables' schemas in the descriptor (the codes' labels it prints),
    the package's name, version and licence, the page's note, and the code; not where the project is (the
    files do not depend on it), so a copied or moved project draws nothing again. None for a package a chart
    cannot be drawn from: drawing it says why. The descriptor and the tables are read once for all the
    charts, each chart then sees the tables `render_chart` would read: cheap beside drawing (tens of
    milliseconds for the real corpus), so the build keys every chart in its own process and sends only those
    to draw to its workers."""
    from dataset import charts
    from dataset.charts import scope

    wanted = [charts.chart(name) for name in names]
    try:
        package = charts.load_package(descriptor, sorted({t for c in wanted for t in charts.tables_read(c)}))
        schemas = {r["name"]: r.get("schema") for r in _descriptor(descriptor)["resources"]}
    except Exception:
        return dict.fromkeys(names)
    keys: dict[str, str | None] = {}
    for c in wanted:
        try:
            shown = charts.drawn_columns(c, scope.focus(package.only(charts.tables_read(c))).only(c.tables))
            keys[c.name] = fingerprint(
                "chart", c.name, code_fingerprint(), shown.name, shown.version, shown.licence, shown.note,
                json.dumps({t: schemas.get(t) for t in c.tables if t in schemas}, sort_keys=True),
                {table: frame_digest(frame) for table, frame in shown.tables.items()})
        except Exception:
            keys[c.name] = None
    return keys


def draw_chart(store: Store | None, key: str | None, descriptor: Path, name: str, out_dir: Path) -> list[Path]:
    """Chart `name`'s files, as `dataset.charts.render_chart` draws them, stored under `key` (`chart_keys`) when
    there is a store and a key. The caller has found no entry under `key`: one is written, not looked for."""
    from dataset import charts

    paths = charts.render_chart(descriptor, name, out_dir)
    if store is not None and key is not None:
        store.save_files("charts", key, out_dir, paths)
    return paths


def _descriptor(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
