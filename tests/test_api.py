"""The Python API: `dataset.load(name)`, `load_all()`, `package()`, from the installed package's own data."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import dataset
from conftest import REPO
from dataset.datapackage.distributions import build_distributions, epoch
from dataset.datapackage.load import UnknownTableError, package_dir
from dataset.errors import InputError
from dataset.metadata import release
from dataset.schema.emit import ARROW_TYPES


def parquet_tables(descriptor: dict) -> dict[str, dict]:
    return {r["name"]: r for r in descriptor["resources"] if r["format"] == "parquet"}


def assert_published_dtypes(df: pd.DataFrame, resource: dict, root: Path) -> None:
    fields = resource["schema"]["fields"]
    assert list(df.columns) == [f["name"] for f in fields]
    assert len(df) == pq.read_metadata(root / resource["path"]).num_rows
    for f in fields:
        dtype = df[f["name"]].dtype
        assert isinstance(dtype, pd.ArrowDtype), (f["name"], dtype)
        assert dtype.pyarrow_dtype == ARROW_TYPES[f["type"]], (f["name"], dtype)


@pytest.mark.slow
def test_import_is_light_and_the_api_lazy() -> None:
    code = ("import sys, dataset; assert 'pandas' not in sys.modules and 'pyarrow' not in sys.modules; "
            "print(dataset.__version__, sorted(n for n in dataset.__all__ if not n.startswith('_')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "['load', 'load_all', 'package', 'tables']" in result.stdout
    assert {"load", "load_all", "package", "tables"} <= set(dir(dataset))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = dataset.nope


def test_load_every_table_with_the_published_dtypes() -> None:
    descriptor = dataset.package()
    tables = dataset.load_all()
    assert list(tables) == list(parquet_tables(descriptor)) == dataset.tables()
    for name, resource in parquet_tables(descriptor).items():
        assert_published_dtypes(tables[name], resource, package_dir())
    pd.testing.assert_frame_equal(dataset.load("events"), tables["events"])


def test_package_is_the_installed_versions_descriptor() -> None:
    descriptor = dataset.package()
    assert descriptor["version"] == dataset.__version__
    assert descriptor == json.loads((package_dir() / "datapackage.json").read_text())
    descriptor["name"] = "changed"
    assert dataset.package()["name"] != "changed"  # a fresh copy every call


def test_the_data_is_the_installed_packages_not_the_current_directorys(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "datapackage.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert dataset.package()["name"] == "cryptophone-takedowns"


def test_unknown_table_lists_the_tables() -> None:
    with pytest.raises(KeyError) as caught:
        dataset.load("article")
    assert isinstance(caught.value, UnknownTableError)
    message = str(caught.value)
    assert message.startswith("no table 'article' in cryptophone-takedowns")
    for name in dataset.tables():
        assert name in message


def test_another_package_by_path(project: Path) -> None:
    articles = dataset.load("articles", path=project)
    assert_published_dtypes(articles, parquet_tables(dataset.package(project))["articles"], project)
    assert dataset.load_all(path=project / "datapackage.json").keys() == dataset.load_all().keys()


def test_a_changed_file_is_not_loaded_silently(project: Path) -> None:
    path = project / "data/processed/cases.parquet"
    data = bytearray(path.read_bytes())
    data[50] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="sha256 is"):
        dataset.load("cases", path=project)
    (project / "data/processed/actors.parquet").unlink()
    with pytest.raises(InputError, match="missing"):
        dataset.load("actors", path=project)
    with pytest.raises(InputError, match="missing"):
        dataset.package(project / "nothing")


# ---- from an installed wheel ---------------------------------------------------------------------------------

RELEASED = release(REPO / "pyproject.toml").released
WHEEL_SOURCES = ("src", "pyproject.toml", "setup.py", "README.md", "LICENSE", "docs/datasheet.md")
PACKAGE_OUTPUTS = ("datapackage.json", "CITATION.cff", "data/processed", "figures", "exports", "docs/codebook.md")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, built: Path) -> Path:
    """A copy of this checkout (code from the repository, package from a fresh build), so that building a wheel
    neither writes build/ into the working tree nor races a concurrent `dataset build` there."""
    tree = tmp_path_factory.mktemp("tree")
    for rel in WHEEL_SOURCES:
        src = REPO / rel
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, tree / rel, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, tree / rel)
    for rel in PACKAGE_OUTPUTS:
        src = built / rel
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, tree / rel)
        else:
            shutil.copy2(src, tree / rel)
    return tree


@pytest.fixture(scope="module")
def distributions(tmp_path_factory: pytest.TempPathFactory, tree: Path) -> list[Path]:
    """The wheel and sdist as `dataset release --wheel` builds them."""
    return build_distributions(tree, tmp_path_factory.mktemp("wheelhouse"), RELEASED)


@pytest.fixture(scope="module")
def wheel(distributions: list[Path]) -> Path:
    return distributions[0]


@pytest.mark.slow
def test_wheel_and_sdist_are_byte_reproducible(distributions: list[Path], tree: Path, tmp_path: Path) -> None:
    """Built again, elsewhere and later, the same bytes: times are the release date, never the clock."""
    import tarfile
    import time

    time.sleep(1.1)  # a clock-stamped archive would now differ
    again = build_distributions(tree, tmp_path / "again", RELEASED)
    assert [p.name for p in again] == [p.name for p in distributions]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in distributions]
    with tarfile.open(distributions[1]) as sdist:
        members = sdist.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names)
        assert {m.mtime for m in members} == {epoch(RELEASED)} and {m.uid for m in members} == {0}
        top = names[0].split("/")[0]
        assert {f"{top}/datapackage.json", f"{top}/docs/datasheet.md", f"{top}/setup.py"} <= set(names)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh venv with only the wheel installed; its dependencies come from the project's site-packages
    through a .pth file (which adds that directory, but not the editable install's own .pth)."""
    env = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=300)
    python = env / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "_project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    result = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed",
                             "--disable-pip-version-check", "--quiet", str(wheel)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return env


@pytest.mark.slow
def test_the_wheel_carries_the_package(wheel: Path, built: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    descriptor = json.loads((built / "datapackage.json").read_text())
    expected = {"datapackage.json", "CITATION.cff", "docs/codebook.md", "docs/datasheet.md",
                *(r["path"] for r in descriptor["resources"])}
    assert {f"dataset/_package/{rel}" for rel in expected} <= names
    assert not any(n.startswith("dataset/_package/data/raw") for n in names)


@pytest.mark.slow
def test_load_from_an_installed_wheel(venv: Path, built: Path, tmp_path: Path) -> None:
    # Run from a directory outside the repository that even holds a decoy package: it must not be read.
    (tmp_path / "datapackage.json").write_text("{}")
    code = (
        "import json, sys, dataset, dataset.datapackage.load\n"
        "assert 'pandas' not in sys.modules\n"
        "df = dataset.load('articles')\n"
        "print(df)\n"
        "print(json.dumps({'file': dataset.__file__, 'data': str(dataset.datapackage.load.package_dir()),\n"
        "    'version': dataset.__version__, 'shape': list(df.shape),\n"
        "    'dtypes': {c: str(t.pyarrow_dtype) for c, t in df.dtypes.items()},\n"
        "    'tables': {n: len(t) for n, t in dataset.load_all().items()}}))\n"
    )
    result = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.splitlines()[-1])
    assert facts["file"].startswith(str(venv))
    assert facts["data"].startswith(str(venv)) and facts["data"].endswith("dataset/_package")
    descriptor = json.loads((built / "datapackage.json").read_text())
    resource = parquet_tables(descriptor)["articles"]
    assert facts["version"] == descriptor["version"]
    assert facts["shape"] == [pq.read_metadata(built / resource["path"]).num_rows, len(resource["schema"]["fields"])]
    assert facts["dtypes"] == {f["name"]: str(ARROW_TYPES[f["type"]]) for f in resource["schema"]["fields"]}
    assert facts["tables"] == {name: pq.read_metadata(built / r["path"]).num_rows
                               for name, r in parquet_tables(descriptor).items()}


@pytest.mark.slow
def test_cite_and_verify_from_an_installed_wheel(venv: Path, tmp_path: Path, built: Path) -> None:
    dataset_cmd = str(venv / "bin" / "dataset")
    result = subprocess.run([dataset_cmd, "cite", "--format", "bibtex"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    version = json.loads((built / "datapackage.json").read_text())["version"]
    assert f"@misc{{cryptophone_takedowns_{version.replace('.', '_')}," in result.stdout
    shipped = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import dataset.datapackage.load as a; print(a.package_dir())"],
                             cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    result = subprocess.run([dataset_cmd, "verify", shipped], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr


def test_a_malformed_or_hostile_descriptor_is_an_input_error(project: Path) -> None:
    """Never a KeyError or a read outside the package: the reader of descriptors names the file and field."""
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    package["resources"][0]["path"] = "/etc/passwd"
    del package["resources"][1]["name"]
    descriptor.write_text(json.dumps(package))
    with pytest.raises(InputError) as caught:
        dataset.load("articles", path=project)
    message = str(caught.value)
    assert f"{descriptor}: resources[0].path: '/etc/passwd' is an absolute path" in message
    assert f"{descriptor}: resources[1].name: missing" in message
    descriptor.write_text("[]")
    with pytest.raises(InputError, match="is an array, expected an object"):
        dataset.package(project)
