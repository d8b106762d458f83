"""The wheel and sdist of a release, byte-reproducible (`dataset release --wheel`, run by `make release`).

The wheel carries the data package (setup.py copies it into `dataset/_package/`), so `pip install` of one
version's wheel gives that version's tables, codebook and datasheet. Its bytes must not depend on when or where
it was built:
- the wheel: setuptools' bdist_wheel stamps every entry with SOURCE_DATE_EPOCH, which is set to the release
  date (`[tool.dataset] released`), never the clock, and writes its entries in a fixed order;
- the sdist: setuptools writes file modification times, the builder's user and the gzip header's time, so it is
  re-packed here: members sorted, every time the release date, owner root, modes 0644/0755, gzip time fixed.
Both are built by setuptools' own PEP 517 hooks in a separate process from the project's environment (no
network, no isolated build environment to download).
"""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from dataset.errors import InputError

# One process per hook (setuptools' hooks do not both work in one process); setuptools prints its progress to
# stdout too, so the name built is printed on a line of its own, marked.
BUILD = "from setuptools import build_meta as hooks; import sys; print('built:' + hooks.build_{}(sys.argv[1]))"


def epoch(released: str) -> int:
    """Seconds since 1970 of the release date at 00:00 UTC (what SOURCE_DATE_EPOCH asks for)."""
    return calendar.timegm(dt.date.fromisoformat(released).timetuple())


def build_distributions(root: Path, out_dir: Path, released: str) -> list[Path]:
    """Build the wheel and the sdist of the project at `root` into `out_dir`; their paths."""
    stamp = epoch(released)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dataset-dist-") as tmp:
        wheel_name, sdist_name = (_run_hook(root, kind, Path(tmp), stamp) for kind in ("wheel", "sdist"))
        wheel = out_dir / wheel_name
        os.replace(Path(tmp) / wheel_name, wheel)
        sdist = out_dir / sdist_name
        sdist.write_bytes(repack_sdist((Path(tmp) / sdist_name).read_bytes(), stamp))
    return [wheel, sdist]


def _run_hook(root: Path, kind: str, out: Path, stamp: int) -> str:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(stamp)}
    result = subprocess.run([sys.executable, "-c", BUILD.format(kind), str(out)], cwd=root, env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=900)
    names = [line.removeprefix("built:") for line in result.stdout.splitlines() if line.startswith("built:")]
    if result.returncode != 0 or len(names) != 1:
        raise InputError.one(str(root / "setup.py"), f"building the {kind} failed:\n" + result.stdout[-2000:] +
                             result.stderr[-2000:])
    return names[0]


def repack_sdist(data: bytes, stamp: int) -> bytes:
    """A .tar.gz with the same files and nothing that depends on the build: sorted members, fixed times,
    owner and modes, a gzip header without a time or file name."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as source, \
            tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as target:
        for member in sorted(source.getmembers(), key=lambda m: m.name):
            if not (member.isfile() or member.isdir()):
                raise InputError.one(member.name, "an sdist member that is neither a file nor a directory")
            info = tarfile.TarInfo(member.name)
            info.type, info.mtime, info.uid, info.gid, info.uname, info.gname = member.type, stamp, 0, 0, "", ""
            info.mode = 0o755 if member.isdir() or member.mode & 0o111 else 0o644
            content = source.extractfile(member) if member.isfile() else None
            info.size = member.size if member.isfile() else 0
            target.addfile(info, content)
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=stamp, compresslevel=9) as zipped:
        zipped.write(raw.getvalue())
    return out.getvalue()
