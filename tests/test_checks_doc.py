"""docs/checks.md lists the fault matrix; every test it names must exist, so the list cannot drift."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO


def test_every_check_listed_is_a_collected_test() -> None:
    listed = set(re.findall(r"`(tests/test_\w+\.py::[^`]+)`", (REPO / "docs/checks.md").read_text()))
    assert len(listed) >= 25
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *sorted(
            {item.split("::")[0] for item in listed})],
        capture_output=True, text=True, cwd=REPO,
    ).stdout.splitlines()
    missing = listed - set(collected)
    assert not missing, f"docs/checks.md names tests that do not exist: {sorted(missing)}"
