"""The files of a written package: each file's sha256 and size, the JSON they are written as, and every
resource file checked against what its datapackage.json declares. The build, `dataset verify`, `dataset
release` and the exports use these; nothing else hashes a package's files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dataset.datapackage.descriptor import Descriptor, DescriptorError, read_descriptor

# While a build writes its package (`remembering`): the facts of each file it hashed, by path, with the file's
# stat data (size, mtime, ctime, inode, device) taken before it was read. A build hashes each file it writes to
# declare it in datapackage.json, checks the declaration against the file and records the file in its stamp,
# within seconds, in its own staging directory under its lock: 300 MB of exports for 10,000 articles took 0.4 s
# a reading. Nowhere else (`dataset verify`, a release): a file rewritten in place at the same size within
# one tick of a coarse file-system clock keeps its stat data, so every file is read.
_remembered: dict[str, tuple[tuple[int, ...], dict[str, Any]]] | None = None


@contextmanager
def remembering() -> Iterator[None]:
    """Within this block, `file_facts` reads a file again only if its stat data changed since it last read it
    (see `_remembered`); the build's writing of its package runs in one."""
    global _remembered
    outer = _remembered
    _remembered = {} if outer is None else outer
    try:
        yield
    finally:
        _remembered = outer


def file_facts(path: Path) -> dict[str, Any]:
    """A file's size and sha256, both of the bytes read once, block by block (`hashlib.file_digest`): reading
    a 170 MB export whole before hashing it took twice as long as hashing it (the memory for it is found page
    by page). The size is how many bytes were read. Within `remembering`, a file read before whose stat data
    are unchanged is not read again."""
    memo = _remembered
    key = os.path.abspath(path)
    st = os.stat(key)
    signature = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
    known = memo.get(key) if memo is not None else None
    if known is not None and known[0] == signature:
        return dict(known[1])
    with open(key, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
        facts = {"bytes": handle.tell(), "hash": "sha256:" + digest.hexdigest()}
    if memo is not None and facts["bytes"] == st.st_size:  # else it changed while it was read
        memo[key] = (signature, facts)
    return dict(facts)


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_json(path: Path, data: Any) -> None:
    """Write a descriptor by a rename, never in place: the build's chart and export workers read the staged
    datapackage.json while the build adds resources to it, and must see the old or the new file, never half
    of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(dump_json(data), encoding="utf-8")
    os.replace(tmp, path)



def check_files(descriptor: Path | Descriptor, names: Collection[str] | None = None) -> list[str]:
    """Every resource file (or those named) against the sha256 and byte count its descriptor declares; the
    problems found, as "<path>: <message>" (a path relative to the package). The descriptor is read by the
    one reader of descriptors (`dataset.datapackage.read.read`: its shape checked, every path inside the package);
    the problems it finds are returned as they are."""
    if not isinstance(descriptor, Descriptor):
        try:
            descriptor = read_descriptor(descriptor)
        except DescriptorError as exc:
            return [str(issue) for issue in exc.issues]
    problems = []
    for res in descriptor.resources:
        if names is not None and res["name"] not in names:
            continue
        path = descriptor.files[res["name"]]
        if not path.is_file():
            problems.append(f"{res['path']}: missing (declared by resource {res['name']!r})")
            continue
        facts = file_facts(path)
        for key in ("bytes", "hash"):
            if key in res and res[key] != facts[key]:
                problems.append(f"{res['path']}: {key} is {facts[key]} (expected {res[key]})")
    return problems
