"""Reading a written package that is hostile or clumsy: `dataset verify`, `dataset diff`, `dataset release`,
`dataset.load` and the charts (`python -m dataset.charts`), on directories and on release zips.

One test per family, parametrised over its cases and over the readers; each asserts exit 2 (an InputError for
`dataset.load`), the message's file and field, no traceback, that nothing was read from outside the package
or fetched, and that the package (or archive) is byte-identical afterwards:

- paths outside the package (absolute, `..`, symbolic links out, drives, backslashes, `~`, variables, NUL,
  file: and data: URLs, path lists; for resources, Table Schemas and dialects alike);
- remote references (URLs as paths, schemas, dialects or profiles; profile names Frictionless fetches; a
  `scheme` other than file): refused with no connection attempted;
- release zips that are not exactly what their SHA256SUMS lists, or are size bombs, or hold anything but
  regular files: refused before anything is extracted;
- malformed descriptors (wrong types, missing keys, a list, deep nesting, a huge file, invalid JSON, not
  UTF-8, NaN, duplicate keys, not a regular file).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from conftest import cli
from test_release import releasable
from test_verify import TOP, release_zip  # noqa: F401 - a fixture

# What a release holds besides the built package; what a reader may read of a package directory.
PACKAGE = ("datapackage.json", "CITATION.cff", "data/processed", "figures", "exports", "docs/codebook.md")
READERS = ("verify", "verify-zip", "diff", "diff-zip", "release", "load", "charts")
ZIP_READERS = ("verify-zip", "diff-zip")
Edit = Callable[[Path], None]


@pytest.fixture
def package(tmp_path: Path, built: Path) -> Path:
    """A private copy of the built package (with what a release needs), without the project's inputs."""
    return copy_package(built, tmp_path / "package")


def copy_package(built: Path, root: Path) -> Path:
    """A copy at `root` of the built package (with what a release needs), without the project's inputs."""
    for rel in PACKAGE:
        src = built / rel
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        if not src.exists():  # an output this version does not have
            continue
        if src.is_dir():
            shutil.copytree(src, root / rel)
        else:
            shutil.copy2(src, root / rel)
    (root / "data/raw").mkdir()  # a project: `dataset release --root` finds it even when its descriptor is broken
    return releasable(root)


@pytest.fixture(scope="session")
def release_members(release_zip: Path) -> dict[str, bytes]:  # noqa: F811 - the fixture imported above
    """The files of a fresh release (relative to its top directory) and their bytes."""
    with zipfile.ZipFile(release_zip) as zf:
        return {i.filename.removeprefix(f"{TOP}/"): zf.read(i) for i in zf.infolist()}


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every regular file under `root`, symbolic links (to files or directories) not followed: what
    `rglob("*")` kept with `is_file() and not is_symlink()`."""
    return files_of(tree(root))


def tree(root: Path) -> dict[str, tuple[str, str]]:
    """Every entry under `root`, symbolic links not followed: a regular file as ("file", its sha256), a link as
    ("link", its target), a directory as ("directory", ""), anything else as ("other", its type). Read by
    `scandir`, whose entries know their type without another `stat` (every package read takes two)."""
    entries: dict[str, tuple[str, str]] = {}
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                rel = f"{prefix}{entry.name}"
                if entry.is_symlink():
                    entries[rel] = ("link", os.readlink(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    entries[rel] = ("directory", "")
                    folders.append((Path(entry.path), f"{rel}/"))
                elif entry.is_file(follow_symlinks=False):
                    with open(entry.path, "rb") as handle:
                        entries[rel] = ("file", hashlib.file_digest(handle, "sha256").hexdigest())
                else:
                    entries[rel] = ("other", str(stat.S_IFMT(entry.stat(follow_symlinks=False).st_mode)))
    return entries


def files_of(entries: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The regular files of a `tree` and their sha256: a `snapshot`."""
    return {rel: digest for rel, (kind, digest) in entries.items() if kind == "file"}


def manifest(files: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {rel}\n"
                   for rel, data in sorted(files.items()) if rel != "SHA256SUMS").encode()


def zip_release(top: Path, archive: Path) -> Path:
    """A release zip of the unpacked release `top` (after an edit), its SHA256SUMS made to list it exactly:
    only the edit is wrong. Written by `write_zip`, every entry deflated as before, so that the members the edit
    left alone are compressed once a session (`deflated`), not again for every case and reader."""
    files = {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*")) if p.is_file()}
    archive.parent.mkdir(parents=True, exist_ok=True)
    return write_zip(archive, release(files))


def unpack_release(members: dict[str, bytes], dest: Path) -> Path:
    top = dest / TOP
    for rel, data in members.items():
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_bytes(data)
    return top


# ---- the readers ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    code: int
    err: str
    where: str  # how the messages name the hostile package's descriptor


def read_with(reader: str, request: pytest.FixtureRequest, built: Path, members: dict[str, bytes],
              edit: Edit) -> Read:
    """Apply `edit` to a package (a directory, or an unpacked release zipped again) and read it with `reader`;
    the package must come out byte-identical, and nothing may be written. The `package` fixture (a copy of
    the built package) is made only for the readers of a directory: the zip readers read the release's
    members, and a copy made for them (or for a case skipped) was never read. The readers of a directory read
    one package edited for the case (`edited_package`), the zip readers one archive (`edited_archive`)."""
    if reader in ZIP_READERS:
        archive, before = edited_archive(request, members, edit)
        args = ("verify", "--jobs", "1", str(archive)) if reader == "verify-zip" else (
            "diff", str(built), str(archive))
        result = cli(*args)
        assert archive.read_bytes() == before
        return Read(result.returncode, result.stderr, f"{archive}: {TOP}/datapackage.json")
    package, before = edited_package(request, built, edit)
    where = f"{package}/datapackage.json"
    if reader == "verify":
        result = cli("verify", "--jobs", "1", str(package))
        code, err = result.returncode, result.stderr
    elif reader == "diff":
        result = cli("diff", str(built), str(package))
        code, err = result.returncode, result.stderr
    elif reader == "release":
        result = cli("--root", str(package), "release", "--jobs", "1")
        code, err = result.returncode, result.stderr
        assert not (package / "dist").exists() or not list((package / "dist").iterdir())
    elif reader == "load":
        import dataset
        from dataset.errors import InputError

        try:
            dataset.load_all(path=package)
            code, err = 0, ""
        except InputError as exc:
            code, err = exc.exit_code, "".join(f"error: {p}\n" for p in exc.problems)
    else:
        from dataset.charts import main

        # The test's own directory, made only for this reader: the others write nowhere, and pytest makes
        # each one by listing its folder of several hundred.
        out, stderr = request.getfixturevalue("tmp_path") / "charts", io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(["--package", where, "--out-dir", str(out)])
        err = stderr.getvalue()
        assert not out.exists() or not list(out.iterdir())
    assert snapshot(package) == before
    return Read(code, err, where)


@dataclass
class SharedEdit:
    """What the edit of one case made (a package directory, or a release zip), which the readers of one kind of
    that case read in turn: made once, not once per reader (copying and editing a package once for five
    readers saves four fifths of the copies and of the files pytest later deletes). Only the newest case's is
    kept, in a folder of its own under `base`."""

    base: Path
    key: tuple[str, str] | None = None
    folder: Path | None = None
    path: Path | None = None
    state: Any = None  # what the edit left, checked before the path is read again

    @staticmethod
    def case(request: pytest.FixtureRequest) -> tuple[str, str]:
        return request.node.function.__name__, request.node.callspec.params["case"]

    def holds(self, request: pytest.FixtureRequest) -> bool:
        """Whether what is kept was made for the case of the test `request`."""
        return self.key == self.case(request) and self.path is not None

    def renew(self) -> Path:
        """An empty folder for the next case, the previous case's removed with what its edit put there."""
        if self.folder is not None:
            shutil.rmtree(self.folder)
        self.key = self.path = self.state = None
        self.folder = Path(tempfile.mkdtemp(dir=self.base))
        return self.folder

    def keep(self, request: pytest.FixtureRequest, path: Path, state: Any) -> None:
        """Keep `path`, made for the case of `request` (once its edit succeeded), and `state`."""
        self.key, self.path, self.state = self.case(request), path, state


@pytest.fixture(scope="session")
def shared_package(tmp_path_factory: pytest.TempPathFactory) -> SharedEdit:
    return SharedEdit(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="session")
def shared_archive(tmp_path_factory: pytest.TempPathFactory) -> SharedEdit:
    return SharedEdit(tmp_path_factory.mktemp("shared-zip"))


def edited_archive(request: pytest.FixtureRequest, members: dict[str, bytes], edit: Edit) -> tuple[Path, bytes]:
    """The release zip of `members` edited by `edit` for the case of the test `request`, and its bytes before
    it is read. The first zip reader of a case unpacks, edits and zips; the other reuses the archive only
    after checking it is still byte for byte what was zipped (the archive is the only file there: a reader
    that changed it, which its own test reports, fails the other instead of passing its change on)."""
    shared: SharedEdit = request.getfixturevalue("shared_archive")
    if shared.holds(request):
        assert shared.path is not None
        assert sorted(shared.path.parent.iterdir()) == [shared.path], "a reader wrote beside the archive"
        data = shared.path.read_bytes()
        assert data == shared.state, f"an earlier reader of case {shared.case(request)[1]} changed its shared archive"
        return shared.path, data
    folder = shared.renew()
    top = unpack_release(members, folder / "unpacked")
    edit(top)
    archive = zip_release(top, folder / "zip" / f"{TOP}.zip")
    shutil.rmtree(folder / "unpacked")  # read by no reader: only the archive is
    shared.keep(request, archive, archive.read_bytes())
    return archive, shared.state


def edited_package(request: pytest.FixtureRequest, built: Path, edit: Edit) -> tuple[Path, dict[str, str]]:
    """The package edited by `edit` for the case of the test `request`, and the snapshot of its regular files
    before it is read. The first reader of a case copies the built package and edits it; the others reuse it
    only after checking that it is still, entry by entry (every file's bytes, every directory, link and
    FIFO), what the edit left: a reader that changed it (which its own test reports, by the snapshot after
    its read) fails every later test of the case instead of passing its change on. A reader never writes
    to it (every test asserts that), so sharing it is read-only."""
    shared: SharedEdit = request.getfixturevalue("shared_package")
    if shared.holds(request):
        assert shared.path is not None
        now = tree(shared.path)
        assert now == shared.state, f"an earlier reader of case {shared.case(request)[1]} changed its shared package"
        return shared.path, files_of(now)
    root = copy_package(built, shared.renew() / "package")
    edit(root)
    shared.keep(request, root, tree(root))
    return root, files_of(shared.state)


def assert_refused(read: Read, expected: str) -> None:
    """Exit 2, no traceback, and the message at the descriptor: `expected` follows its name (": field: ...",
    or ":line: ...")."""
    assert "Traceback" not in read.err, read.err
    assert read.code == 2, read.err
    assert f"{read.where}{expected}" in read.err, read.err


def events(descriptor: dict) -> int:
    """The index of resource `events`, read by every reader (the charts, diff and load too)."""
    return next(i for i, r in enumerate(descriptor["resources"]) if r["name"] == "events")


@functools.cache
def events_in(built: Path) -> int:
    """`events(...)` of the built package's descriptor, parsed once a session rather than once a test (the
    session's `built` is never modified)."""
    return events(json.loads((built / "datapackage.json").read_text()))


def in_descriptor(change: Callable[[dict, dict], Any]) -> Edit:
    """An edit of datapackage.json: `change(descriptor, resource events)`. Written back compact, which json
    encodes in C (with `indent` it takes its pure-Python encoder, 30 ms a descriptor): no case of an edited
    descriptor expects a line number (only the raw ones, `raw_descriptor`, do), and every reader parses the
    JSON, so the layout is not what these cases test."""
    def edit(root: Path) -> None:
        path = root / "datapackage.json"
        descriptor = json.loads(path.read_text())
        change(descriptor, descriptor["resources"][events(descriptor)])
        path.write_text(json.dumps(descriptor))
    return edit


def setting(key: str, value: object) -> Edit:
    return in_descriptor(lambda d, res: res.__setitem__(key, value))


def raw_descriptor(data: bytes) -> Edit:
    return lambda root: (root / "datapackage.json").write_bytes(data)


# ---- paths outside the package -------------------------------------------------------------------------------


def link_out(root: Path) -> None:
    """events.parquet a symbolic link to a Parquet file outside the package (a copy of the real one)."""
    table = root / "data/processed/events.parquet"
    outside = root.parent / "outside" / "events.parquet"
    outside.parent.mkdir(exist_ok=True)
    shutil.copy2(table, outside)
    table.unlink()
    table.symlink_to(outside)


def directory_out(root: Path) -> None:
    """data/elsewhere a link to a directory outside the package, and events' path through it."""
    outside = root.parent / "outside-dir"
    outside.mkdir()
    shutil.copy2(root / "data/processed/events.parquet", outside / "events.parquet")
    (root / "data/elsewhere").symlink_to(outside)
    setting("path", "data/elsewhere/events.parquet")(root)


def make_fifo(path: Path) -> None:
    """A FIFO that a reader which opens it (and so would wait for a writer for ever) gets EOF from within a
    second, for a minute: a reader that opens it fails its test instead of hanging it."""
    os.mkfifo(path)

    def unblock() -> None:
        for _ in range(60):
            time.sleep(1)
            with contextlib.suppress(OSError):  # ENXIO: nobody is waiting, as it should be; or it is gone
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=unblock, daemon=True).start()


def fifo(root: Path) -> None:
    make_fifo(root / "data/processed/pipe.parquet")
    setting("path", "data/processed/pipe.parquet")(root)


def schema_file(path: str, content: str = '{"fields": []}') -> Edit:
    """events' Table Schema given by reference `path`, a file of `content` written there (when inside)."""
    def edit(root: Path) -> None:
        if not path.startswith(("/", "..")):
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(content)
        setting("schema", path)(root)
    return edit


PATH_CASES: dict[str, tuple[Edit, str, bool]] = {
    # case: (edit, what follows the descriptor's name in the message, also in a zip)
    "absolute": (setting("path", "/etc/passwd"), ": resources[{i}].path: '/etc/passwd' is an absolute path", True),
    "dotdot": (setting("path", "../../etc/passwd"), ": resources[{i}].path: '../../etc/passwd' contains '..'", True),
    "dotdot-inside": (setting("path", "data/../../outside.parquet"), ": resources[{i}].path: "
                      "'data/../../outside.parquet' contains '..'", True),
    "windows-drive": (setting("path", "C:\\Windows\\win.ini"), ": resources[{i}].path: 'C:\\\\Windows\\\\win.ini' "
                      "is an absolute path (a Windows drive)", True),
    "backslash": (setting("path", "data\\processed\\events.parquet"), ": resources[{i}].path: "
                  "'data\\\\processed\\\\events.parquet' contains a backslash", True),
    "unc": (setting("path", "\\\\server\\share\\events.parquet"), ": resources[{i}].path: "
            "'\\\\\\\\server\\\\share\\\\events.parquet' contains a backslash", True),
    "home": (setting("path", "~/events.parquet"), ": resources[{i}].path: '~/events.parquet' starts with '~'", True),
    "variable": (setting("path", "$HOME/events.parquet"), ": resources[{i}].path: '$HOME/events.parquet' contains "
                 "'$' or '%'", True),
    "nul": (setting("path", "data/processed/events.parquet\x00.txt"), ": resources[{i}].path: "
            "'data/processed/events.parquet\\x00.txt' contains a control character", True),
    "file-url": (setting("path", "file:///etc/passwd"), ": resources[{i}].path: 'file:///etc/passwd' is a file: URL",
                 True),
    "data-url": (setting("path", "data:application/octet-stream;base64,UEFSMQ=="), ": resources[{i}].path: "
                 "'data:application/octet-stream;base64,UEFSMQ==' is a data: URL", True),
    "path-list": (setting("path", ["data/processed/events.parquet", "../events.parquet"]),
                  ": resources[{i}].path[1]: '../events.parquet' contains '..'", True),
    "symlink-out": (link_out, ": resources[{i}].path: 'data/processed/events.parquet' leads outside the package "
                    "through a symbolic link", False),
    "symlinked-directory-out": (directory_out, ": resources[{i}].path: 'data/elsewhere/events.parquet' leads outside "
                                "the package through a symbolic link", False),
    "fifo": (fifo, ": resources[{i}].path: 'data/processed/pipe.parquet' is not a regular file but a FIFO", False),
    "schema-outside": (schema_file("../schema.json"), ": resources[{i}].schema: '../schema.json' contains '..'", True),
    "schema-absolute": (schema_file("/etc/passwd"), ": resources[{i}].schema: '/etc/passwd' is an absolute path",
                        True),
    "dialect-outside": (setting("dialect", "../../dialect.json"), ": resources[{i}].dialect: '../../dialect.json' "
                        "contains '..'", True),
    "schema-file-url": (setting("schema", "file:///etc/passwd"), ": resources[{i}].schema: 'file:///etc/passwd' is a "
                        "file: URL", True),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", PATH_CASES)
def test_a_path_outside_the_package_is_refused(case: str, reader: str, request: pytest.FixtureRequest,
                                               built: Path, release_members: dict[str, bytes]) -> None:
    edit, expected, in_zip = PATH_CASES[case]
    if reader in ZIP_READERS and not in_zip:
        pytest.skip("a release zip holds no links or FIFOs (refused as entries: see the zip family)")
    index = events_in(built)
    read = read_with(reader, request, built, release_members, edit)
    assert_refused(read, expected.format(i=index))
    assert "(resource 'events')" in read.err


# ---- remote references ---------------------------------------------------------------------------------------

UNROUTABLE = "http://10.255.255.1/schema.json"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to resolve a host or connect over IP is recorded and fails loudly (Unix sockets, which a
    worker pool uses, are left alone)."""
    attempts: list[object] = []
    connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise OSError(f"test: no network ({address})")
        return connect(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(host)
        raise socket.gaierror(f"test: no network ({host})")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


def remote_profile(root: Path) -> None:
    in_descriptor(lambda d, res: d.__setitem__("profile", UNROUTABLE))(root)


REMOTE_CASES: dict[str, tuple[Edit, str]] = {
    "schema-url": (setting("schema", UNROUTABLE), f": resources[{{i}}].schema: '{UNROUTABLE}' is a URL (http:): "
                   "remote references are refused"),
    "schema-https": (setting("schema", "https://example.org/schema.json"), ": resources[{i}].schema: "
                     "'https://example.org/schema.json' is a URL (https:)"),
    "dialect-url": (setting("dialect", UNROUTABLE), f": resources[{{i}}].dialect: '{UNROUTABLE}' is a URL (http:)"),
    "path-url": (setting("path", "http://10.255.255.1/events.parquet"), ": resources[{i}].path: "
                 "'http://10.255.255.1/events.parquet' is a URL (http:)"),
    "path-ftp": (setting("path", "ftp://10.255.255.1/events.parquet"), ": resources[{i}].path: "
                 "'ftp://10.255.255.1/events.parquet' is a URL (ftp:)"),
    "path-s3": (setting("path", "s3://bucket/events.parquet"), ": resources[{i}].path: 's3://bucket/events.parquet' "
                "is a URL (s3:)"),
    "package-profile-url": (remote_profile, f": profile: '{UNROUTABLE}' is not one of data-package, "
                            "tabular-data-package: Frictionless would fetch it"),
    "fiscal-profile": (in_descriptor(lambda d, res: d.__setitem__("profile", "fiscal-data-package")),
                       ": profile: 'fiscal-data-package' is not one of"),
    "resource-profile-url": (setting("profile", UNROUTABLE), f": resources[{{i}}].profile: '{UNROUTABLE}' is not one "
                             "of data-resource, tabular-data-resource"),
    "custom-$schema": (in_descriptor(lambda d, res: d.__setitem__("$schema", UNROUTABLE)),
                       f": $schema: '{UNROUTABLE}' is not a datapackage.org profile"),
    "schema-$schema": (in_descriptor(lambda d, res: res["schema"].__setitem__("$schema", UNROUTABLE)),
                       f": resources[{{i}}].schema.$schema: '{UNROUTABLE}' is not a datapackage.org profile"),
    "scheme-http": (setting("scheme", "http"), ": resources[{i}].scheme: 'http' (resource 'events'): remote "
                    "references are refused"),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", REMOTE_CASES)
def test_a_remote_reference_is_refused_without_a_connection(case: str, reader: str, request: pytest.FixtureRequest,
                                                            built: Path, release_members: dict[str, bytes],
                                                            no_network: list[object]) -> None:
    edit, expected = REMOTE_CASES[case]
    index = events_in(built)
    read = read_with(reader, request, built, release_members, edit)
    assert_refused(read, expected.format(i=index))
    assert no_network == []


@pytest.mark.parametrize("case", ["schema-url", "dialect-url", "package-profile-url", "fiscal-profile",
                                  "resource-profile-url"])
def test_frictionless_alone_would_fetch_what_is_refused(case: str, package: Path, no_network: list[object]) -> None:
    """The guard above sees what Frictionless fetches (so that the test above means something), and the HTTP
    session verify gives Frictionless (`verify.offline`) refuses it before any socket is opened."""
    from frictionless import Package

    from dataset.datapackage.checks import offline

    REMOTE_CASES[case][0](package)
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] == "events"]

    def validate() -> None:
        with contextlib.suppress(Exception):
            Package(descriptor, basepath=str(package)).validate()

    validate()
    assert no_network, "Frictionless fetched nothing: the guard proves nothing"
    no_network.clear()
    with offline():
        validate()
    assert no_network == []


# ---- release zips --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One zip entry as written byte by byte (so that a test can make it lie)."""

    name: bytes
    plain: bytes = b""
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0x800  # names in UTF-8
    attr: int = (stat.S_IFREG | 0o644) << 16
    size: int | None = None  # declared size (default: the real one)
    same_as: int | None = None  # share an earlier entry's data (overlapping entries)

    def packed(self) -> bytes:
        return deflated(self.plain) if self.method == zipfile.ZIP_DEFLATED else self.plain


@functools.lru_cache(maxsize=256)
def deflated(plain: bytes) -> bytes:
    """`plain` as a raw deflate stream (level 9), compressed once a session: every case writes the release's
    same members again (and 20,000 empty entries), and bytes are immutable, so a cached stream cannot carry
    one test's edit into another (an edited member is other bytes, another key)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    return deflate.compress(plain) + deflate.flush()


def write_zip(path: Path, members: list[Member]) -> Path:
    body, central, offsets = bytearray(), bytearray(), []
    for m in members:
        packed, crc = m.packed(), zlib.crc32(m.plain)
        size = len(m.plain) if m.size is None else m.size
        if m.same_as is None:
            offsets.append(len(body))
            body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, m.flags, m.method, 0, 0x21, crc, len(packed), size,
                                len(m.name), 0) + m.name + packed
        else:
            offsets.append(offsets[m.same_as])
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, m.flags, m.method, 0, 0x21, crc,
                               len(packed), size, len(m.name), 0, 0, 0, 0, m.attr, offsets[-1]) + m.name
    path.write_bytes(bytes(body + central) + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                                         len(central), len(body), 0))
    return path


def release(members: dict[str, bytes], **extra: bytes) -> list[Member]:
    """The entries of a release, with `extra` files added and listed in its SHA256SUMS."""
    files = {**members, **extra}
    files["SHA256SUMS"] = manifest(files)
    return [Member(f"{TOP}/{rel}".encode(), data) for rel, data in sorted(files.items())]


def added(member: Member, listed: bool = False) -> Callable[[dict[str, bytes]], list[Member]]:
    """A release with one more entry, listed in SHA256SUMS or not."""
    def build(members: dict[str, bytes]) -> list[Member]:
        rel = member.name.decode("utf-8", "replace").removeprefix(f"{TOP}/")
        if not listed:  # (a name the release already has is then there twice)
            return [*release(members), member]
        return [e for e in release(members, **{rel: member.plain}) if e.name != member.name] + [member]
    return build


def changed(rel: str, **fields: Any) -> Callable[[dict[str, bytes]], list[Member]]:
    """A release whose entry `rel` is written with other fields (a lying size, another method, flags)."""
    def build(members: dict[str, bytes]) -> list[Member]:
        return [replace(e, **fields) if e.name == f"{TOP}/{rel}".encode() else e for e in release(members)]
    return build


def overlapping(members: dict[str, bytes]) -> list[Member]:
    """A release and ten more entries sharing the data of its largest (a non-recursive zip bomb)."""
    entries = release(members)
    big = max(range(len(entries)), key=lambda k: len(entries[k].plain))
    return [*entries, *(replace(entries[big], name=f"{TOP}/copy{k}".encode(), same_as=big) for k in range(10))]


def entry(name: str, **fields: Any) -> Member:
    return Member(name.encode("utf-8"), **{"plain": b"x", **fields})


ZEROS = bytes(64 * 1024**2)  # deflates about 1000 to 1
ZIP_CASES: dict[str, tuple[Callable[[dict[str, bytes]], list[Member]], str, dict[str, int]]] = {
    # case: (the archive's entries, what follows the archive's name in the message, ZipLimits changed for it)
    "unlisted-entry": (added(entry(f"{TOP}/extra.txt")), f": {TOP}/extra.txt: refused: not listed in SHA256SUMS", {}),
    "unlisted-bomb": (added(entry(f"{TOP}/data/zeros.bin", plain=ZEROS)), f": {TOP}/data/zeros.bin: refused: declares "
                      f"{len(ZEROS)} bytes compressed into", {}),
    "listed-bomb": (added(entry(f"{TOP}/data/zeros.bin", plain=ZEROS), listed=True),
                    f": {TOP}/data/zeros.bin: refused: declares {len(ZEROS)} bytes", {}),
    "declared-1-GiB": (changed("LICENSE", size=1024**3), f": {TOP}/LICENSE: refused: declares {1024**3} bytes "
                       "compressed into", {}),
    "declared-3-GiB": (changed("LICENSE", size=3 * 1024**3), f": {TOP}/LICENSE: refused: declares {3 * 1024**3} "
                       "bytes, more than the 2147483648 a release may unpack to", {"unpacked_bytes": 2 * 1024**3}),
    "declared-size-too-small": (changed("LICENSE", size=10, method=zipfile.ZIP_STORED),
                                f": {TOP}/LICENSE: refused: declares 10 bytes stored in", {}),
    "total-over-the-cap": (release, ": refused: would unpack to", {"unpacked_bytes": 1_000_000,
                                                                     "ratio_from": 10**9}),
    "too-many-entries": (release, ": refused: {n} entries, more than the 10 a release may have", {"entries": 10}),
    "many-entries-declared": (lambda m: [entry(f"{TOP}/e{k}", plain=b"") for k in range(20_000)],
                              ": refused: 20000 entries, more than the 10000 a release may have", {}),
    "long-list-of-entries": (release, ": refused: a list of entries of", {"central_bytes": 1000}),
    "archive-over-the-cap": (release, ": refused: {size} bytes, more than the 1000 a release may have",
                             {"archive_bytes": 1000}),
    "overlapping-entries": (overlapping, ": refused: its entries overlap", {}),
    "duplicate-name": (added(entry(f"{TOP}/LICENSE")), f": {TOP}/LICENSE: refused: the entry appears twice", {}),
    "case-duplicate": (added(entry(f"{TOP}/license")), f": {TOP}/license: refused: differs from "
                       f"'{TOP}/LICENSE' only in case", {}),
    "directory-entry": (added(entry(f"{TOP}/data/", plain=b"", attr=(stat.S_IFDIR | 0o755) << 16)),
                        f": {TOP}/data/: refused: is a directory entry", {}),
    "symlink": (added(entry(f"{TOP}/data/processed/link.csv", plain=b"/etc/passwd", method=0,
                            attr=(stat.S_IFLNK | 0o777) << 16)),
                f": {TOP}/data/processed/link.csv: refused: is a symbolic link", {}),
    "fifo": (added(entry(f"{TOP}/pipe", attr=(stat.S_IFIFO | 0o644) << 16)), f": {TOP}/pipe: refused: is not a "
             "regular file", {}),
    "device": (added(entry(f"{TOP}/zero", attr=(stat.S_IFCHR | 0o644) << 16)), f": {TOP}/zero: refused: is not a "
               "regular file", {}),
    "absolute-name": (added(entry("/etc/cron.d/evil")), ": /etc/cron.d/evil: refused: unsafe path: is an absolute "
                      "path", {}),
    "dotdot-name": (added(entry(f"{TOP}/../evil.txt")), f": {TOP}/../evil.txt: refused: unsafe path: contains '..'",
                    {}),
    "backslash-name": (added(entry(f"{TOP}\\..\\evil.txt")), f": {TOP}\\..\\evil.txt: refused: unsafe path: contains "
                       "a backslash", {}),
    "nul-in-name": (added(entry(f"{TOP}/LICENSE\x00/../../evil.txt")), f": {TOP}/LICENSE\\x00/../../evil.txt: "
                    "refused: unsafe path: contains a control character", {}),
    "encrypted": (changed("LICENSE", flags=0x801), f": {TOP}/LICENSE: refused: is encrypted", {}),
    "unknown-method": (changed("LICENSE", method=99), f": {TOP}/LICENSE: refused: uses compression method 99", {}),
    "file-and-directory": (added(entry(f"{TOP}/docs/codebook.md/x.txt"), listed=True),
                           f": {TOP}/docs/codebook.md/x.txt: refused: inside '{TOP}/docs/codebook.md', which is a "
                           "file", {}),
    "no-manifest": (lambda m: [e for e in release(m) if not e.name.endswith(b"SHA256SUMS")],
                    f": refused: no {TOP}/SHA256SUMS", {}),
    "listed-but-missing": (lambda m: [e for e in release(m) if not e.name.endswith(b"/LICENSE")],
                           f": {TOP}/LICENSE: missing (listed in SHA256SUMS", {}),
    "outside-the-top": (added(entry("loose.txt")), ": loose.txt: refused: outside the archive's top directory", {}),
}
BROKEN_ARCHIVES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "not-a-zip": (lambda data: b"PK\x03\x04 not a zip at all", ": not a readable zip archive"),
    "empty-file": (lambda data: b"", ": not a readable zip archive"),
    "truncated-end": (lambda data: data[:-100], ": not a readable zip archive"),
    "truncated-middle": (lambda data: data[:1000] + data[2000:], ""),
}


@pytest.mark.parametrize("reader", ["verify", "diff"])
@pytest.mark.parametrize("case", [*ZIP_CASES, *BROKEN_ARCHIVES])
def test_a_zip_that_is_not_exactly_a_release_is_refused_before_extraction(
        case: str, reader: str, tmp_path: Path, built: Path, release_members: dict[str, bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused with every problem named at the archive and entry, before a byte is extracted (a broken
    archive: before, or as soon as zipfile finds it out), and exit 2."""
    from dataset.datapackage import verify as verify_module

    archive = tmp_path / f"{TOP}.zip"
    if case in ZIP_CASES:
        build, expected, limits = ZIP_CASES[case]
        write_zip(archive, build(release_members))
        monkeypatch.setattr(verify_module, "ZIP_LIMITS", replace(verify_module.ZIP_LIMITS, **limits))
    else:
        damage, expected = BROKEN_ARCHIVES[case]
        write_zip(archive, release(release_members))
        archive.write_bytes(damage(archive.read_bytes()))
    extracted: list[int] = []
    copy = verify_module._copy_capped
    monkeypatch.setattr(verify_module, "_copy_capped", lambda *a: (extracted.append(1), copy(*a))[1])
    before = archive.read_bytes()
    result = cli("verify", "--jobs", "1", str(archive)) if reader == "verify" else cli("diff", str(built), str(archive))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    expected = expected.format(n=len(release_members), size=len(before))
    assert f"error: {archive}{expected}" in result.stderr, result.stderr
    assert archive.read_bytes() == before
    if case in ZIP_CASES:
        assert extracted == [], "an entry was extracted before the archive was refused"


def test_a_release_zip_still_verifies_entry_by_entry(tmp_path: Path, release_members: dict[str, bytes]) -> None:
    """The zip writer of the tests makes a good release too: what the cases above refuse is only their change."""
    archive = write_zip(tmp_path / f"{TOP}.zip", release(release_members))
    result = cli("verify", "--jobs", "1", str(archive))
    assert result.returncode == 0, result.stderr


# ---- malformed descriptors -----------------------------------------------------------------------------------


def huge(root: Path) -> None:
    """A sparse datapackage.json of 65 MiB: refused by its size, before it is read."""
    with (root / "datapackage.json").open("r+b") as handle:
        handle.truncate(65 * 1024**2)


def descriptor_link_out(root: Path) -> None:
    outside = root.parent / "outside.json"
    shutil.copy2(root / "datapackage.json", outside)
    (root / "datapackage.json").unlink()
    (root / "datapackage.json").symlink_to(outside)


def descriptor_is(kind: str) -> Edit:
    def edit(root: Path) -> None:
        (root / "datapackage.json").unlink()
        if kind == "fifo":
            make_fifo(root / "datapackage.json")
        else:
            (root / "datapackage.json").mkdir()
    return edit


def in_schema(key: str, value: object) -> Edit:
    return in_descriptor(lambda d, res: res["schema"].__setitem__(key, value))


def in_field(key: str, value: object) -> Edit:
    return in_descriptor(lambda d, res: res["schema"]["fields"][0].__setitem__(key, value))


def without(key: str) -> Edit:
    return in_descriptor(lambda d, res: res.pop(key))


MALFORMED: dict[str, tuple[Edit, str, bool]] = {
    # case: (edit, what follows the descriptor's name in the message, also in a zip)
    "a-list": (raw_descriptor(b"[]"), ": is an array, expected an object", True),
    "a-string": (raw_descriptor(b'"datapackage"'), ": is a string, expected an object", True),
    "resources-missing": (in_descriptor(lambda d, res: d.pop("resources")), ": resources: missing", True),
    "resources-an-object": (in_descriptor(lambda d, res: d.__setitem__("resources", {"events": res})),
                            ": resources: is an object, expected a list", True),
    "resource-a-string": (in_descriptor(lambda d, res: d["resources"].__setitem__(3, "events")),
                          ": resources[3]: is a string, expected an object", True),
    "name-missing": (without("name"), ": resources[{i}].name: missing", True),
    "name-a-number": (setting("name", 7), ": resources[{i}].name: is a number, expected a string", True),
    "name-twice": (in_descriptor(lambda d, res: res.__setitem__("name", d["resources"][0]["name"])),
                   ": resources[{i}].name: 'articles' names resources[0] too", True),
    "path-missing": (without("path"), ": resources[{i}].path: missing", True),
    "path-null": (setting("path", None), ": resources[{i}].path: is null, expected a relative path", True),
    "path-an-object": (setting("path", {"file": "x"}), ": resources[{i}].path: is an object, expected a relative path",
                       True),
    "path-empty": (setting("path", ""), ": resources[{i}].path: '' is empty", True),
    "inline-data": (in_descriptor(lambda d, res: (res.pop("path"), res.__setitem__("data", [[1]]))),
                    ": resources[{i}].data: inline data is not read", True),
    "schema-a-number": (setting("schema", 5), ": resources[{i}].schema: is a number, expected an object", True),
    "schema-a-list": (setting("schema", []), ": resources[{i}].schema: is an array, expected an object", True),
    "schema-file-missing": (setting("schema", "schemas/events.json"), ": resources[{i}].schema: "
                            "'schemas/events.json' is missing", True),
    "fields-missing": (in_descriptor(lambda d, res: res["schema"].pop("fields")), ": resources[{i}].schema.fields: "
                       "missing", True),
    "fields-a-string": (in_schema("fields", "event_id"), ": resources[{i}].schema.fields: is a string", True),
    "field-a-string": (in_schema("fields", ["event_id"]), ": resources[{i}].schema.fields[0]: is a string, "
                       "expected an object", True),
    "field-name-missing": (in_descriptor(lambda d, res: res["schema"]["fields"][0].pop("name")),
                           ": resources[{i}].schema.fields[0].name: missing", True),
    "field-name-a-list": (in_field("name", ["event_id"]), ": resources[{i}].schema.fields[0].name: is an array", True),
    "field-twice": (in_descriptor(lambda d, res: res["schema"]["fields"].append(res["schema"]["fields"][0])),
                    ": resources[{i}].schema.fields[", True),
    "constraints-a-list": (in_field("constraints", ["required"]), ": resources[{i}].schema.fields[0].constraints: is "
                           "an array, expected an object", True),
    "type-a-number": (in_field("type", 1), ": resources[{i}].schema.fields[0].type: is a number", True),
    "primary-key-a-number": (in_schema("primaryKey", 1), ": resources[{i}].schema.primaryKey: is a number", True),
    "foreign-keys-a-number": (in_schema("foreignKeys", 5), ": resources[{i}].schema.foreignKeys: is a number", True),
    "foreign-key-reference-a-string": (in_schema("foreignKeys", [{"fields": "case_id", "reference": "cases"}]),
                                       ": resources[{i}].schema.foreignKeys[0].reference: is a string", True),
    "bytes-a-string": (setting("bytes", "100"), ": resources[{i}].bytes: is a string, expected a whole number", True),
    "bytes-negative": (setting("bytes", -1), ": resources[{i}].bytes: is -1", True),
    "bytes-a-boolean": (setting("bytes", True), ": resources[{i}].bytes: is a boolean", True),
    "hash-a-number": (setting("hash", 5), ": resources[{i}].hash: is a number, expected a string", True),
    "format-a-list": (setting("format", ["parquet"]), ": resources[{i}].format: is an array", True),
    "package-name-a-list": (in_descriptor(lambda d, res: d.__setitem__("name", ["x"])), ": name: is an array", True),
    "licenses-a-string": (in_descriptor(lambda d, res: d.__setitem__("licenses", "CC-BY-4.0")),
                          ": licenses: is a string, expected a list of objects", True),
    "license-a-string": (in_descriptor(lambda d, res: d.__setitem__("licenses", ["CC-BY-4.0"])),
                         ": licenses[0]: is a string, expected an object", True),
    "invalid-json": (raw_descriptor(b'{\n  "resources": [,]\n}'), ":2: not valid JSON", True),
    "not-utf8": (raw_descriptor(b'{\n"title": "caf\xe9", "resources": []}'), ":2: not UTF-8: byte 0xe9 at offset 15",
                 True),
    "utf16": (raw_descriptor('{"resources": []}'.encode("utf-16")), ":1: not UTF-8: byte 0xff at offset 0", True),
    "byte-order-mark": (raw_descriptor(b'\xef\xbb\xbf{"resources": []}'), ":1: starts with a UTF-8 byte-order mark",
                        True),
    "empty": (raw_descriptor(b""), ": is empty", True),
    "nested-100000-deep": (raw_descriptor(b"[" * 100_000 + b"]" * 100_000), ": not read: nested deeper than", True),
    "nested-40-deep": (raw_descriptor(b'{"resources": [], "x": ' + b"[" * 40 + b"]" * 40 + b"}"),
                       ": x[0][0][0][0]", True),
    "nan": (raw_descriptor(b'{"resources": [], "bytes": NaN}'), ": not read: NaN is not a JSON number", True),
    "huge-number": (raw_descriptor(b'{"resources": [], "x": 1e999}'), ": not read: 1e999 is too large", True),
    "huge-integer": (raw_descriptor(b'{"resources": [], "x": ' + b"9" * 5000 + b"}"), ": not read: a number of 5000 "
                     "digits", True),
    "key-twice": (raw_descriptor(b'{"resources": [], "resources": []}'), ": not read: key 'resources' appears twice",
                  True),
    "huge-file": (huge, ": is 68157440 bytes, more than the", False),
    "a-link-out": (descriptor_link_out, ": leads outside the package through a symbolic link", False),
    "a-fifo": (descriptor_is("fifo"), ": is not a regular file but a FIFO", False),
    "a-directory": (descriptor_is("directory"), ": is not a regular file but a directory", False),
}


@pytest.mark.parametrize("extra", [0, 1])
@pytest.mark.parametrize("kind", ["object", "array"])
def test_nesting_is_refused_exactly_past_the_limit(kind: str, extra: int, tmp_path: Path) -> None:
    """MAX_DEPTH levels are read (the descriptor itself is the first); one more is refused, naming the place."""
    from dataset.datapackage.descriptor import MAX_DEPTH, DescriptorError, read_descriptor

    k = MAX_DEPTH - 1 + extra  # containers nested in "x", at levels 2 to k + 1
    nested = "[" * k + "]" * k if kind == "array" else '{"a": ' * (k - 1) + "{}" + "}" * (k - 1)
    path = tmp_path / "datapackage.json"
    path.write_text(f'{{"resources": [], "x": {nested}}}')
    if not extra:
        assert read_descriptor(path).data["x"]
        return
    place = "x" + ("[0]" if kind == "array" else ".a") * (MAX_DEPTH - 1)  # the container at level MAX_DEPTH + 1
    with pytest.raises(DescriptorError) as refused:
        read_descriptor(path)
    assert str(refused.value).endswith(f"datapackage.json: {place}: nested deeper than {MAX_DEPTH} levels")


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_descriptor_is_a_message(case: str, reader: str, request: pytest.FixtureRequest,
                                             built: Path, release_members: dict[str, bytes]) -> None:
    edit, expected, in_zip = MALFORMED[case]
    if reader in ZIP_READERS and not in_zip:
        pytest.skip("not a file a zip entry can be (or refused as an entry before: see the zip family)")
    index = events_in(built)
    assert_refused(read_with(reader, request, built, release_members, edit), expected.format(i=index))


@pytest.mark.slow
def test_the_charts_module_refuses_a_hostile_package_from_the_command_line(package: Path, tmp_path: Path) -> None:
    """The reviewer's command (`python -m dataset.charts`), in its own process: exit 2, no traceback."""
    setting("path", "../../etc/passwd")(package)
    result = subprocess.run([sys.executable, "-m", "dataset.charts", "--package", str(package / "datapackage.json"),
                             "--out-dir", str(tmp_path / "out")], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "datapackage.json: resources[" in result.stderr and "contains '..'" in result.stderr
