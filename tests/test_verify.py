"""`dataset verify`: a download matches its hashes exactly, or every mismatch is named (exit 2)."""

from __future__ import annotations

import json
import shutil
import stat
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, cli
from dataset.datapackage.descriptor import unsafe_path
from dataset.datapackage.files import dump_json, file_facts
from dataset.datapackage.verify import safe_extract
from dataset.errors import InputError
from dataset.schema import TABLES
from test_release import do_release, releasable

PACKAGE = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
TOP = f"{PACKAGE['name']}-{PACKAGE['version']}"


@pytest.fixture(scope="session")
def release_zip(tmp_path_factory: pytest.TempPathFactory, built: Path) -> Path:
    """A fresh release of the built package (with its .zip.sha256 beside it); tests must not modify it."""
    root = releasable(Path(shutil.copytree(built, tmp_path_factory.mktemp("release") / "project")))
    return do_release(root)


def copy_release(release_zip: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(release_zip, dest / release_zip.name)
    shutil.copy2(release_zip.with_name(release_zip.name + ".sha256"), dest / (release_zip.name + ".sha256"))
    return dest / release_zip.name


def unpack(release_zip: Path, dest: Path) -> Path:
    with zipfile.ZipFile(release_zip) as zf:
        zf.extractall(dest)
    return dest / release_zip.name.removesuffix(".zip")


def rezip(top: Path, archive: Path) -> Path:
    """A zip of an unpacked release (after a test has changed it), without a .sha256."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(top.rglob("*")):
            if path.is_file():
                zf.write(path, f"{top.name}/{path.relative_to(top).as_posix()}")
    return archive


def verify(*args: str) -> tuple[int, str, str]:
    result = cli("verify", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


# ---- a good package passes -----------------------------------------------------------------------------------


def test_a_fresh_release_zip_verifies(release_zip: Path) -> None:
    code, out, err = verify(str(release_zip))
    assert code == 0, err
    assert "matches its .sha256" in out
    with zipfile.ZipFile(release_zip) as zf:
        resources = json.loads(zf.read(f"{TOP}/datapackage.json"))["resources"]
    assert f"{len(resources)} resources match the sha256 and bytes in datapackage.json" in out
    assert "files match SHA256SUMS" in out and "Frictionless: valid" in out
    assert f"{len(TABLES)} Parquet tables hold the same rows as their CSV copies" in out


def test_an_unpacked_release_and_a_project_verify(release_zip: Path, tmp_path: Path, built: Path) -> None:
    code, out, err = verify(str(unpack(release_zip, tmp_path)))
    assert code == 0, err
    assert "files match SHA256SUMS" in out
    code, out, err = verify(str(built))
    assert code == 0, err
    # With no PATH, the project found upward from the current directory.
    result = cli("verify", cwd=built / "data" / "processed")
    assert result.returncode == 0, result.stderr


# ---- damaged files -------------------------------------------------------------------------------------------


def flip_byte(path: Path, offset: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_flipped_byte_in_a_parquet_file(project: Path) -> None:
    flip_byte(project / "data/processed/events.parquet")
    code, _, err = verify(str(project))
    assert code == 2
    assert f"{project}/data/processed/events.parquet: hash is sha256:" in err


def test_a_truncated_parquet_file(project: Path) -> None:
    path = project / "data/processed/figures.parquet"
    path.write_bytes(path.read_bytes()[:-200])
    code, _, err = verify(str(project))
    assert code == 2
    assert f"{project}/data/processed/figures.parquet: hash is sha256:" in err


def test_a_hand_edited_csv(project: Path) -> None:
    csv = project / "data/processed/actors.csv"
    csv.write_text(csv.read_text().replace("Ennetcom", "EnnetCom", 1))
    code, _, err = verify(str(project))
    assert code == 2
    assert f"{project}/data/processed/actors.csv: hash is sha256:" in err


def test_a_missing_file(project: Path) -> None:
    (project / "data/processed/mentions.csv").unlink()
    code, _, err = verify(str(project))
    assert code == 2
    assert f"{project}/data/processed/mentions.csv: missing (declared by resource 'mentions-csv')" in err


def test_every_damaged_file_is_reported_at_once(release_zip: Path, tmp_path: Path) -> None:
    top = unpack(release_zip, tmp_path)
    flip_byte(top / "data/processed/events.parquet")
    parquet = top / "data/processed/figures.parquet"
    parquet.write_bytes(parquet.read_bytes()[:-200])
    csv = top / "data/processed/actors.csv"
    csv.write_text(csv.read_text().replace("Ennetcom", "EnnetCom", 1))
    (top / "data/processed/mentions.csv").unlink()
    code, _, err = verify(str(top))
    assert code == 2
    for rel in ("events.parquet", "figures.parquet", "actors.csv", "mentions.csv"):
        assert f"{top}/data/processed/{rel}: " in err, rel
    assert f"{top}/data/processed/mentions.csv: missing" in err


def test_an_edited_datapackage_json_in_a_release(release_zip: Path, tmp_path: Path) -> None:
    """A changed descriptor (even one whose tables still validate) no longer matches SHA256SUMS."""
    top = unpack(release_zip, tmp_path)
    descriptor = top / "datapackage.json"
    package = json.loads(descriptor.read_text())
    package["title"] = "Something else"
    descriptor.write_text(json.dumps(package, indent=2))
    code, _, err = verify(str(top))
    assert code == 2
    assert f"{top}/datapackage.json: sha256 is" in err and "SHA256SUMS" in err


def test_an_edited_datapackage_json_in_a_project(project: Path) -> None:
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    # A declared hash that no longer matches, and a constraint the data now break.
    package["resources"][0]["hash"] = "sha256:" + "0" * 64
    for res in package["resources"]:
        if res["name"] == "cases-csv":
            field = next(f for f in res["schema"]["fields"] if f["name"] == "country")
            field["constraints"]["enum"] = ["BE"]
    descriptor.write_text(json.dumps(package, indent=2))
    code, _, err = verify(str(project))
    assert code == 2
    first = package["resources"][0]["path"]
    assert f"{project}/{first}: hash is sha256:" in err and f"(expected sha256:{'0' * 64})" in err
    assert f"{project}/data/processed/cases.csv: Frictionless constraint-error" in err


def rehash(project: Path, name: str, edit: Callable[[dict], None] | None = None) -> None:
    """Declare resource `name`'s file as it now is (a consistent edit, which hashes alone cannot catch), after
    `edit` changes the resource's entry."""
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    res = next(r for r in package["resources"] if r["name"] == name)
    if edit is not None:
        edit(res)
    res.update((k, v) for k, v in file_facts(project / res["path"]).items() if k in res)  # Parquet: no bytes
    descriptor.write_text(dump_json(package))


def test_a_parquet_table_that_differs_from_its_csv_copy(project: Path) -> None:
    csv = project / "data/processed/actors.csv"
    lines = csv.read_text().splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith('"danny-manupassa",'))  # 1-based data row
    lines[row] = lines[row].replace('"Danny Manupassa"', '"Danny Manupasa"')
    csv.write_text("".join(lines))
    rehash(project, "actors-csv")
    code, _, err = verify(str(project))
    assert code == 2
    assert (f"{project}/data/processed/actors.parquet: data row {row} (actor_id 'danny-manupassa'), column name: "
            "'Danny Manupassa'; its CSV copy data/processed/actors.csv has 'Danny Manupasa'") in err


def test_parquet_columns_other_than_declared(project: Path) -> None:
    def as_integer(res: dict) -> None:
        next(f for f in res["schema"]["fields"] if f["name"] == "name")["type"] = "integer"

    rehash(project, "actors", as_integer)
    rehash(project, "actors-csv", as_integer)
    code, _, err = verify(str(project))
    assert code == 2
    assert f"{project}/data/processed/actors.parquet: columns are actor_id string, name string," in err
    assert "the descriptor declares actor_id string, name integer," in err
    assert f"{project}/data/processed/actors.csv: Frictionless type-error" in err


def redescribe(res: dict) -> None:
    res["schema"]["fields"][0]["description"] = "Reworded: no longer the CSV copy's schema."


def test_one_table_without_a_copy_sends_every_parquet_table_to_frictionless(project: Path) -> None:
    """events.parquet still equals its copy, but its foreign key points at cases.parquet, which no copy vouches
    for: emptied, it must fail the key (all checked by Frictionless), and unchanged, the package is valid."""
    rehash(project, "cases", redescribe)
    code, out, err = verify(str(project))
    assert code == 0, err
    assert "Parquet tables hold the same rows" not in out
    cases = project / "data/processed/cases.parquet"
    table = pq.read_table(cases)
    pq.write_table(table.slice(0, 0), cases)
    rehash(project, "cases")
    code, _, err = verify(str(project))
    assert code == 2
    assert f"{project}/data/processed/events.parquet: Frictionless foreign-key" in err


def test_frictionless_in_tasks_reports_what_one_validation_does(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Errors in two tables (a value outside its enum, a foreign key to no actor): checked by Frictionless
    table by table on two workers (the threshold lowered so that the seed package spreads), verify reports
    the same problems in the same order as one validation in this process."""
    from dataset.datapackage import checks as checks_module
    from dataset.datapackage import verify as verify_module
    from dataset.parallel import Runner

    events = project / "data/processed/events.csv"
    events.write_text(events.read_text().replace('"ennetcom","arrest","COERCE"', '"ennetcom","arrested","COERCE"', 1))
    mentions = project / "data/processed/mentions.csv"
    mentions.write_text(mentions.read_text().replace('-seized","dutch-police",10', '-seized","nobody",10', 1))
    rehash(project, "events-csv")
    rehash(project, "mentions-csv")

    class Counting(Runner):
        tasks = 0

        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.tasks += 1
            return super().submit(fn, *args, **kwargs)

    def problems(runner: Runner | None) -> list[str]:
        with pytest.raises(InputError) as raised:
            verify_module.verify(project, runner)
        return [str(p) for p in raised.value.problems]

    monkeypatch.setattr(checks_module, "TASKS_FROM_BYTES", 0)
    in_one = problems(None)
    with Counting(2) as runner:
        in_tasks = problems(runner)
    assert runner.tasks > 2
    assert in_tasks == in_one
    assert any("events.csv: Frictionless constraint-error" in p and "arrested" in p for p in in_one), in_one
    assert any("mentions.csv: Frictionless foreign-key" in p for p in in_one), in_one


def test_checks_go_to_workers_only_for_a_large_package_and_more_than_one_job() -> None:
    from dataset.datapackage.checks import TASKS_FROM_BYTES, tasks_on
    from dataset.parallel import Runner

    one, two = Runner(1), Runner(2)  # never entered: no process is started
    assert tasks_on(None, TASKS_FROM_BYTES) is None
    assert tasks_on(one, 10 * TASKS_FROM_BYTES) is None
    assert tasks_on(two, TASKS_FROM_BYTES - 1) is None
    assert tasks_on(two, TASKS_FROM_BYTES) is two


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("foreignKeys", 5, "schema.foreignKeys: is a number, expected a list of objects"),
     ("fields", ["x"], "schema.fields[0]: is a string, expected an object")],
    ids=["foreignKeys-5", "fields-value1"],
)
def test_a_malformed_schema_is_a_problem_not_a_traceback(project: Path, key: str, value: object,
                                                         message: str) -> None:
    """A Table Schema of the wrong shape is refused by the reader of descriptors, at its resource and field,
    before Frictionless or any other check reads it."""
    package = json.loads((project / "datapackage.json").read_text())
    index = next(i for i, r in enumerate(package["resources"]) if r["name"] == "events")
    for name in ("events", "events-csv"):
        rehash(project, name, lambda res: res["schema"].__setitem__(key, value))
    code, _, err = verify(str(project))
    assert code == 2
    assert f"{project}/datapackage.json: resources[{index}].{message}" in err
    assert "Frictionless" not in err


def test_a_parquet_table_whose_copy_declares_another_schema_is_read_by_frictionless(project: Path) -> None:
    def only_belgium(res: dict) -> None:
        next(f for f in res["schema"]["fields"] if f["name"] == "country")["constraints"]["enum"] = ["BE"]

    rehash(project, "cases", only_belgium)
    code, _, err = verify(str(project))
    assert code == 2
    assert f"{project}/data/processed/cases.parquet: Frictionless constraint-error" in err
    assert "cases.csv" not in err


def test_a_descriptor_path_outside_the_package_is_refused(project: Path) -> None:
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    package["resources"][0]["path"] = "../../etc/passwd"
    descriptor.write_text(json.dumps(package))
    code, _, err = verify(str(project))
    assert code == 2
    assert (f"{project}/datapackage.json: resources[0].path: '../../etc/passwd' contains '..' (resource "
            f"{package['resources'][0]['name']!r})") in err


# ---- the archive itself --------------------------------------------------------------------------------------


def test_a_zip_that_does_not_match_its_sha256(release_zip: Path, tmp_path: Path) -> None:
    archive = copy_release(release_zip, tmp_path)
    sidecar = archive.with_name(archive.name + ".sha256")
    sidecar.write_text("f" * 64 + f"  {archive.name}\n")
    code, _, err = verify(str(archive))
    assert code == 2
    assert f"{archive}: sha256 is" in err and "says " + "f" * 64 in err


def test_a_changed_file_inside_a_zip(release_zip: Path, tmp_path: Path) -> None:
    top = unpack(release_zip, tmp_path / "unpacked")
    csv = top / "data/processed/cases.csv"
    csv.write_text(csv.read_text().replace("Ennetcom", "EnnetCom"))
    archive = rezip(top, tmp_path / release_zip.name)
    code, _, err = verify(str(archive))
    assert code == 2
    assert f"{archive}: {TOP}/data/processed/cases.csv: " in err


def evil_zip(path: Path, name: str, *, mode: int = stat.S_IFREG | 0o644, data: bytes = b"x") -> Path:
    """A release-looking zip with one extra entry `name` of file `mode`."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{TOP}/datapackage.json", "{}")
        info = zipfile.ZipInfo(name)
        info.create_system = 3
        info.external_attr = mode << 16
        zf.writestr(info, data)
    return path


def test_a_zip_entry_with_dotdot_is_refused(tmp_path: Path) -> None:
    escaped = f"evil-{uuid.uuid4().hex}.txt"
    archive = evil_zip(tmp_path / "evil.zip", f"{TOP}/../../{escaped}")
    code, _, err = verify(str(archive))
    assert code == 2
    assert f"{archive}: {TOP}/../../{escaped}: refused: unsafe path: contains '..'" in err
    assert not (Path(tempfile.gettempdir()) / escaped).exists()
    assert not (tmp_path / escaped).exists()


def test_a_zip_with_a_symlink_is_refused(tmp_path: Path) -> None:
    archive = evil_zip(tmp_path / "link.zip", f"{TOP}/data/processed/articles.csv",
                       mode=stat.S_IFLNK | 0o777, data=b"/etc/passwd")
    code, _, err = verify(str(archive))
    assert code == 2
    assert f"{archive}: {TOP}/data/processed/articles.csv: refused: is a symbolic link" in err


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("/etc/cron.d/evil", "unsafe path: is an absolute path"),
        ("C:/evil.txt", "unsafe path: is an absolute path"),
        (f"{TOP}\\..\\evil.txt", "unsafe path: contains a backslash"),
        ("other-top/file.txt", "several top directories"),
        ("loose.txt", "outside the archive's top directory"),
    ],
)
def test_unsafe_entries_are_refused_before_anything_is_written(tmp_path: Path, entry: str, message: str) -> None:
    archive = evil_zip(tmp_path / "bad.zip", entry)
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(InputError) as caught:
        safe_extract(archive, dest)
    assert message in str(caught.value)
    assert list(dest.iterdir()) == []


def test_a_fifo_entry_and_a_duplicate_entry_are_refused(tmp_path: Path) -> None:
    archive = evil_zip(tmp_path / "fifo.zip", f"{TOP}/pipe", mode=stat.S_IFIFO | 0o644)
    with pytest.raises(InputError, match="is not a regular file"):
        safe_extract(archive, tmp_path)
    with zipfile.ZipFile(tmp_path / "dup.zip", "w") as zf:
        zf.writestr(f"{TOP}/a.txt", "1")
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr(f"{TOP}/a.txt", "2")
    with pytest.raises(InputError, match="appears twice"):
        safe_extract(tmp_path / "dup.zip", tmp_path / "dup")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip at all")
    code, _, err = verify(str(path))
    assert code == 2
    assert f"{path}: not a readable zip archive" in err


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    code, _, err = verify(str(tmp_path / "nothing"))
    assert code == 2 and "no such file or directory" in err


@pytest.mark.parametrize(
    ("path", "safe"),
    [("data/processed/a.csv", True), ("a", True), ("../a", False), ("a/../b", False), ("/a", False),
     ("a\\b", False), ("C:x", False), ("a//b", False), ("./a", False), ("", False), (None, False)],
)
def test_unsafe_path(path: object, safe: bool) -> None:
    assert (unsafe_path(path) is None) is safe


def test_a_table_schema_given_by_path_inside_the_package_is_read_from_there(project: Path) -> None:
    """A Table Schema given as a path inside the package (allowed by Frictionless) is read by the reader of
    descriptors, with the descriptor's checks, and put in place: the package verifies as before."""
    descriptor = project / "datapackage.json"
    package = json.loads(descriptor.read_text())
    (project / "schemas").mkdir()
    for res in package["resources"]:
        if res["name"] in ("cases", "cases-csv"):
            (project / "schemas" / f"{res['name']}.json").write_text(json.dumps(res["schema"]))
            res["schema"] = f"schemas/{res['name']}.json"
    descriptor.write_text(json.dumps(package, indent=2))
    code, out, err = verify(str(project))
    assert code == 0, err
    assert f"{len(TABLES)} Parquet tables hold the same rows as their CSV copies" in out


def test_the_zip_limits_are_parameters(release_zip: Path, tmp_path: Path) -> None:
    from dataset.datapackage.verify import ZipLimits

    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(InputError, match="refused: would unpack to"):
        safe_extract(release_zip, dest, ZipLimits(unpacked_bytes=100_000, ratio_from=10**9))
    with pytest.raises(InputError, match="more than the 5 a release may have"):
        safe_extract(release_zip, dest, ZipLimits(entries=5))
    assert list(dest.iterdir()) == []
    assert (safe_extract(release_zip, dest) / "SHA256SUMS").is_file()
