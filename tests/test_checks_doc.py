"""docs/checks.md lists the fault matrix; every test it names must exist, so the list cannot drift."""

from __future__ import annotations

import re

import pytest

from conftest import REPO


class Collected:
    """A pytest plugin that keeps the node ids a collection found."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.ids = [item.nodeid for item in session.items]


def test_every_check_listed_is_a_collected_test() -> None:
    """The files named are collected by pytest itself, in this process (parametrized ids included)."""
    listed = set(re.findall(r"`(tests/test_\w+\.py::[^`]+)`", (REPO / "docs/checks.md").read_text()))
    assert len(listed) >= 25
    collected = Collected()
    files = sorted({str(REPO / item.split("::")[0]) for item in listed})
    code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "-n", "0", "--rootdir", str(REPO),
                        *files], plugins=[collected])  # -n 0: in this process, not on workers of its own
    assert code == pytest.ExitCode.OK
    missing = listed - set(collected.ids)
    assert not missing, f"docs/checks.md names tests that do not exist: {sorted(missing)}"
