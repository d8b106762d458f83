"""The published tables as pandas DataFrames, for a user who installed the package:

    import dataset
    events = dataset.load("events")        # Arrow-backed dtypes, exactly as published
    tables = dataset.load_all()            # {name: DataFrame}, in datapackage.json order
    dataset.package()["version"]           # the Frictionless descriptor

Where the data comes from: the copy shipped inside the installed package (`dataset/_package/`, put there
by setup.py when the wheel is built) when present, else the source tree this module sits in (an editable
install: src/dataset/../../datapackage.json). A project found upward from the current directory is NOT
used: an installed user gets the data of the version they installed, wherever they run Python. Pass
`path=` (a datapackage.json or the directory holding it, e.g. an unpacked release) to read another package.

The descriptor is read by the one reader of descriptors (dataset.datapackage.read): a malformed one, a path
outside the package or a remote reference is an InputError naming the file and field, never a KeyError.
Every Parquet file is checked against the sha256 in datapackage.json before it is read (`verify=False`
skips that). Nothing is imported until it is used, so `import dataset` stays fast.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dataset.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from dataset.datapackage.read import Descriptor

# Directory of the package data inside the installed package; setup.py writes it (keep the two in step).
PACKAGE_DATA = "_package"
DESCRIPTOR = "datapackage.json"


class UnknownTableError(KeyError):
    """No table of that name in the package; the message lists the tables there are."""

    def __str__(self) -> str:
        return str(self.args[0])


def package_dir() -> Path:
    """The directory holding the installed version's datapackage.json (see the module docstring)."""
    here = Path(__file__).resolve().parent.parent  # the `dataset` package: this module is dataset/datapackage/load.py
    shipped = here / PACKAGE_DATA
    if (shipped / DESCRIPTOR).is_file():
        return shipped
    tree = here.parent.parent
    if here.parent.name == "src" and (tree / DESCRIPTOR).is_file():
        return tree
    raise InputError.one(
        str(here), f"no data found: neither {PACKAGE_DATA}/{DESCRIPTOR} (an installed wheel) nor "
        f"{tree / DESCRIPTOR} (a source checkout; run `dataset build` there)"
    )


def _descriptor_path(path: str | Path | None) -> Path:
    if path is None:
        return package_dir() / DESCRIPTOR
    path = Path(path)
    return path / DESCRIPTOR if path.is_dir() else path


def _read(path: str | Path | None) -> Descriptor:
    from dataset.datapackage.read import read

    return read(_descriptor_path(path))


def package(path: str | Path | None = None) -> dict[str, Any]:
    """The Frictionless descriptor (datapackage.json) as a dict: a fresh copy on every call."""
    return _read(path).data


def _parquet_resources(descriptor: Descriptor) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in descriptor.resources
            if r.get("format") == "parquet" or r["path"].endswith(".parquet")}


def tables(path: str | Path | None = None) -> list[str]:
    """Names of the tables (the Parquet resources), in datapackage.json order."""
    return list(_parquet_resources(_read(path)))


def _load(name: str, descriptor: Descriptor, verify: bool) -> pd.DataFrame:
    import pandas as pd
    import pyarrow.parquet as pq

    resources = _parquet_resources(descriptor)
    if name not in resources:
        raise UnknownTableError(
            f"no table {name!r} in {descriptor.data.get('name')} {descriptor.data.get('version')}; "
            f"the tables are: {', '.join(resources)}"
        )
    resource = resources[name]
    file = descriptor.files[name]
    if verify and resource.get("hash"):
        try:
            actual = "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()
        except FileNotFoundError:
            raise InputError.one(str(file), f"missing (declared by resource {name!r})") from None
        if actual != resource["hash"]:
            raise InputError.one(str(file), f"sha256 is {actual}, datapackage.json declares {resource['hash']}: "
                                 "the file was changed or is damaged (reinstall, or pass verify=False)")
    try:
        return pq.read_table(file).to_pandas(types_mapper=pd.ArrowDtype)
    except FileNotFoundError:
        raise InputError.one(str(file), f"missing (declared by resource {name!r})") from None
    except (OSError, ValueError) as exc:  # not Parquet (pyarrow's ArrowInvalid is a ValueError)
        raise InputError.one(str(file), f"cannot be read as Parquet: {exc}") from None


def load(name: str, *, path: str | Path | None = None, verify: bool = True) -> pd.DataFrame:
    """One table as a DataFrame with the published (Arrow-backed) dtypes."""
    return _load(name, _read(path), verify)


def load_all(*, path: str | Path | None = None, verify: bool = True) -> dict[str, pd.DataFrame]:
    """Every table, by name, in datapackage.json order."""
    descriptor = _read(path)
    return {name: _load(name, descriptor, verify) for name in _parquet_resources(descriptor)}
