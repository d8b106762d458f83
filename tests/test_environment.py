"""The build under a hostile environment: two at once, killed half-way, no write permission, no network."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import cli, snapshot

# Every test here runs a build in an environment of its own (killed, concurrent, unwritable, offline, a chart
# failing): the slow group (`make test-slow`).
pytestmark = pytest.mark.slow


def start_build(root: Path, *prefix: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*prefix, sys.executable, "-m", "dataset", "--root", str(root), "build"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_builds_at_once_neither_corrupts(project: Path, built: Path) -> None:
    """Two real processes at once, as two terminals run them: the build's lock must hold between processes
    (in this one, two builds could only take turns: the command changes directory and redirects output)."""
    first, second = start_build(project), start_build(project)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert second.wait(timeout=300) == 0, second.stderr.read()
    assert snapshot(project) == snapshot(built)


def test_killed_build_leaves_the_old_package(project: Path) -> None:
    """A real process, killed with SIGKILL half-way: nothing in the build can run after that signal."""
    (project / "data/raw/002_1c2a235e5c2e0eec.txt.meta.yaml").write_text(
        (project / "data/raw/002_1c2a235e5c2e0eec.txt.meta.yaml").read_text().replace("title: null", "title: New"))
    before = snapshot(project)
    build = start_build(project)
    deadline = time.monotonic() + 120
    while not list(project.glob(".build-staging-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=60)
    assert snapshot(project) == before
    # The next build cleans up after the killed one and publishes the change.
    assert cli("--root", str(project), "build").returncode == 0
    assert not list(project.glob(".build-*"))
    assert snapshot(project) != before


def test_unwritable_project_is_a_clear_error(project: Path) -> None:
    """A real process, run as an unprivileged user where the tests run as root (permissions do not bind
    root): exit 2, a clear message and no traceback."""
    # A copy in a directory every user can traverse (pytest's own tmp tree is private to root).
    shared = Path(tempfile.mkdtemp(prefix="dataset-ro-"))
    shared.chmod(0o755)
    project = Path(shutil.copytree(project, shared / "project"))
    before = snapshot(project)
    os.chmod(project, 0o555)
    os.chmod(project / "data/processed", 0o555)
    try:
        # Root ignores permissions: run as an unprivileged user where we are root.
        prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") if os.geteuid() == 0 else ()
        result = start_build(project, *prefix)
        assert result.wait(timeout=300) == 2, result.stderr.read()
        stderr = result.stderr.read()
        assert "permission denied" in stderr and "Traceback" not in stderr
    finally:
        os.chmod(project, 0o755)
        os.chmod(project / "data/processed", 0o755)
    assert snapshot(project) == before
    shutil.rmtree(shared)


def test_build_needs_no_network(project: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any network socket the build (or a library it calls) tries to open fails loudly. (Unix-domain sockets
    stay: the build's process pool talks to its fork server through one.) In this process: every socket's
    `connect` is a method of the class, so the replacement holds for libraries imported before it too."""

    def refuse(*_: object, **__: object) -> None:
        raise OSError("network access attempted during the build")

    def local_only(real: Callable[..., Any]) -> Callable[..., Any]:
        def connect(sock: socket.socket, address: object) -> Any:
            return real(sock, address) if sock.family == socket.AF_UNIX else refuse()
        return connect

    monkeypatch.setattr(socket.socket, "connect", local_only(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", local_only(socket.socket.connect_ex))
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    (project / "data/processed/articles.csv").unlink()  # force real work: every output computed, none cached
    result = cli("--root", str(project), "build", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert snapshot(project) == snapshot(built)


def test_a_chart_that_fails_leaves_the_old_package(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The charts are drawn last, after the tables are staged and checked: a chart that cannot be drawn
    fails the build with its own error, the published package stays as it was and no staging directory is
    left behind. (In one process, so that the failure can be planted; workers run the same code. Without the
    cache: the session's builds fill a shared one (tests/conftest.py), whose charts would be used instead.)"""
    from dataset import charts
    from dataset.parallel import Runner
    from dataset.pipeline.build import STAGING_PREFIX, build
    from dataset.project import find_project

    render_chart = charts.render_chart

    def broken(descriptor: Path, name: str, out_dir: Path, case: str | None = None) -> list[Path]:
        if name == "actor_matrix":
            raise charts.PackageError(f"{descriptor}: cannot draw {name}")
        return render_chart(descriptor, name, out_dir, case)

    (project / "data/processed/articles.csv").unlink()  # the build must really replace the package
    before = snapshot(project)
    monkeypatch.setattr(charts, "render_chart", broken)
    with pytest.raises(charts.PackageError, match="cannot draw actor_matrix"), Runner(1) as runner:
        build(find_project(root=project), runner, cache=False)
    assert snapshot(project) == before
    assert not list(project.glob(STAGING_PREFIX + "*"))


def session_processes(session: int) -> dict[int, int]:
    """pid -> parent pid of every live (not zombie) process in `session`, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state, ppid, _, sid = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:4]
        except (OSError, ValueError):
            continue  # ended meanwhile
        if int(sid) == session and state != "Z":
            found[int(entry.name)] = int(ppid)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_workers_die_with_a_killed_build(project: Path) -> None:
    """A real process: the build is killed with SIGKILL while its chart workers run. It cannot stop them
    itself, so each worker watches its build and ends with it (they used to wait for work forever, with the
    fork server they keep alive, about 450 MB); nothing of the build's session is left."""
    build = subprocess.Popen([sys.executable, "-m", "dataset", "--root", str(project), "build", "--jobs", "2",
                              "--no-cache"],  # the charts are drawn, by workers
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while not workers and time.monotonic() < deadline and build.poll() is None:
            family = session_processes(build.pid)
            workers = [pid for pid, parent in family.items() if parent != build.pid and parent in family]
            time.sleep(0.01)
        assert workers, "no worker process was seen before the build ended"
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        deadline = time.monotonic() + 30
        while session_processes(build.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(build.pid) == {}
    finally:
        if build.poll() is None:
            build.kill()
        for pid in session_processes(build.pid):
            os.kill(pid, signal.SIGKILL)
