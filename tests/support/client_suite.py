"""A client's own test suite, run by pytest in a directory of its own with this tree's plugin."""

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

# Installed, the plugin loads through its pytest11 entry point; in a tree not reinstalled since
# the entry point was declared, name the module.
PLUGIN = [] if entry_points(group="pytest11", name="campfire") else ["-p", "mock_server.pytest_plugin"]

# The other plugins of this environment are not needed there and cost seconds to import.
QUIET = ["-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:faker"]


def run_client_suite(
    tmp_path, source: str | None, *options: str, env: dict | None = None
) -> subprocess.CompletedProcess:
    """`source` as a client's test_client.py (None: the tests already in `tmp_path`), run by pytest
    in `tmp_path` with this tree's plugin (strict markers: the plugin's markers must be declared)."""
    if source is not None:
        (tmp_path / "test_client.py").write_text(source)
    command = [sys.executable, "-m", "pytest", *QUIET, *PLUGIN, "--strict-markers", *options]
    return subprocess.run(
        command,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {}), "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
