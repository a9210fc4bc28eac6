"""Secrets never leave the process: a failing run (every void answered 503, through a fault set on
the stand-in's admin API) and a fuzz run of the same target, every report asked for; the token,
the view-only token and the admin token are in no file either run writes, nor in its output."""

import subprocess
from pathlib import Path

import httpx
import pytest

from support import harness
from support.stand_ins import stand_in

VOID_FAILS = {"operation": "coa_api_v1_invoice_payment_void_create", "action": "respond", "status": 503}


@pytest.fixture(scope="module")
def failing_voids():
    """Stand-in "canary", its every void answered 503 for the module."""
    server = stand_in("canary")
    admin = {"X-Mock-Admin-Token": server.admin_token}
    httpx.post(f"{server.url}/_mock/faults", json=VOID_FAILS, headers=admin).raise_for_status()
    yield server
    httpx.delete(f"{server.url}/_mock/faults", headers=admin).raise_for_status()


def _tokens(server) -> dict:
    return {"token": server.token, "view-only token": server.view_only_token, "admin token": server.admin_token}


def _leaks(server, folder: Path, result) -> list[str]:
    """(secret, where) for every secret found in a file under `folder` or in the output."""
    texts = {str(path): path.read_bytes().decode("utf-8", "replace") for path in folder.rglob("*") if path.is_file()}
    texts.update(stdout=result.stdout, stderr=result.stderr)
    return [
        f"{name} in {where}"
        for name, secret in _tokens(server).items()
        for where, text in texts.items()
        if secret in text
    ]


def test_a_failing_run_writes_no_secret(failing_voids, tmp_path):
    server = failing_voids
    result = harness.console(
        *harness.target_options(server, view_only=True, admin=True),
        "--report",
        str(tmp_path / "report.txt"),
        "--junit",
        str(tmp_path / "junit.xml"),
        "--html",
        str(tmp_path / "report.html"),
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "void answered 503" in result.stdout and "DOES NOT CONFORM" in result.stdout
    assert {path.name for path in tmp_path.iterdir()} == {"report.txt", "junit.xml", "report.html"}
    assert _leaks(server, tmp_path, result) == []
    everything = "".join(path.read_text() for path in tmp_path.iterdir()) + result.stdout
    assert "Settings(" not in everything and "assert " not in everything  # no repr, no introspection


def test_a_fuzz_run_writes_no_secret(failing_voids, tmp_path):
    server = failing_voids
    result = subprocess.run(
        [
            *harness.CONSOLE,
            *harness.target_options(server, view_only=True, admin=True),
            "fuzz",
            "--report-dir",
            str(tmp_path),
            "--seed",
            "1",
            "--max-examples",
            "1",
            "--phases",
            "coverage",
            "--max-time",
            "25",
            "--pool",
            "5",
        ],  # the void's coverage cases come first: its failing voids are in well before the budget ends
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=harness.console_environment(),
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1].startswith("DOES NOT CONFORM")
    written = {path.name for path in tmp_path.rglob("*") if path.is_file()}
    assert {"cassette.yaml", "failures.yaml", "junit.xml", "report.html", "summary.json"} <= written, written
    assert "'503'" in (tmp_path / "failures.yaml").read_text()
    assert _leaks(server, tmp_path, result) == []
