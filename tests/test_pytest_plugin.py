"""The pytest plugin as a client's test suite meets it: a pytest run of its own, in a directory
of its own, with the plugin's options."""
import subprocess
import sys
from importlib.metadata import entry_points

from fixtures import DEFAULT

# Installed, the plugin loads through its pytest11 entry point; in a tree not reinstalled since
# the entry point was declared, name the module.
PLUGIN = [] if entry_points(group="pytest11", name="campfire") else ["-p", "mock_server.pytest_plugin"]

# The other plugins of this environment are not needed there and cost seconds to import.
QUIET = ["-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:faker"]

CLIENT_TESTS = '''
import sys

import httpx


def test_nothing_is_started_for_a_test_without_the_fixture():
    assert "mock_server.web.app" not in sys.modules


def test_the_options_reach_the_stand_in(campfire_standin):
    clock = httpx.get(f"{campfire_standin.base_url}/_mock/clock",
                      headers={"X-Mock-Admin-Token": campfire_standin.admin_token}).json()
    assert clock == {"today": "2026-08-01", "pinned": True}
    campfire_standin.set_today("2026-09-30")
    assert campfire_standin.token("view_only", "Globex Studios").startswith("gx_view_only_")


def test_each_test_starts_from_the_dataset_and_the_pinned_day(campfire_standin):
    clock = httpx.get(f"{campfire_standin.base_url}/_mock/clock",
                      headers={"X-Mock-Admin-Token": campfire_standin.admin_token}).json()
    assert clock["today"] == "2026-08-01"
'''


def test_a_client_suite_runs_with_the_plugin_and_its_options(tmp_path):
    (tmp_path / "test_client.py").write_text(CLIENT_TESTS)
    run = subprocess.run([sys.executable, "-m", "pytest", *QUIET, *PLUGIN, "test_client.py",
                          "--campfire-fixtures", str(DEFAULT), "--campfire-today", "2026-08-01"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout
