"""The files of a written package: each file's sha256 and size, the JSON they are written as, and every
resource file checked against what its datapackage.json declares. The build, `dataset verify`, `dataset
release` and the exports use these; nothing else hashes a package's files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from dataset.datapackage.descriptor import Descriptor, DescriptorError, read_descriptor


def file_facts(path: Path) -> dict[str, Any]:
    """A file's size and sha256, both of the bytes read once, block by block (`hashlib.file_digest`): reading
    a 170 MB export whole before hashing it took twice as long as hashing it (the memory for it is found page
    by page), and a build hashes every export two or three times. The size is how many bytes were read."""
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
        return {"bytes": handle.tell(), "hash": "sha256:" + digest.hexdigest()}



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
