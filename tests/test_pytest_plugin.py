"""``pytest --hypothesis-profile=hypo-ci`` works with no conftest.py importing hypo_contracts:
the ``pytest11`` entry point registers the profiles (issue 9, item 10a). Needs the package
installed (its entry points come from the installed metadata)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

installed = any(
    ep.value == "hypo_contracts._pytest_plugin" for ep in entry_points(group="pytest11")
)


@pytest.mark.skipif(not installed, reason="hypo-contracts is not installed with its entry points")
def test_the_profile_is_usable_without_a_conftest(tmp_path: Path) -> None:
    (tmp_path / "test_profile.py").write_text(
        "from hypothesis import given, settings, strategies as st\n"
        "def test_loaded():\n"
        "    assert settings.default.max_examples == 20 and settings.default.derandomize\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-profile=hypo-ci",
            "test_profile.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_plugin_is_declared_in_pyproject() -> None:
    text = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert "[project.entry-points.pytest11]\n" in text
    assert 'hypo_contracts = "hypo_contracts._pytest_plugin"' in text
