"""The pytest plugin as a client's test suite meets it: a pytest run of its own, in a directory
of its own, with the plugin's options."""

import shutil
from pathlib import Path

import httpx

from mock_server import running
from mock_server.fixtures import DEFAULT
from support.client_suite import run_client_suite

CLIENT_TESTS = """
import sys

import httpx
import pytest


def test_nothing_is_started_for_a_test_without_the_fixture():
    assert "mock_server.web.app" not in sys.modules


def test_the_options_reach_the_stand_in(campfire_standin):
    clock = httpx.get(f"{campfire_standin.base_url}/_mock/clock",
                      headers={"X-Mock-Admin-Token": campfire_standin.admin_token}).json()
    assert clock == {"today": "2026-08-01", "pinned": True}
    campfire_standin.set_today("2026-09-30")
    assert campfire_standin.token("view_only", "Globex Studios").startswith("gx_view_only_")


@pytest.mark.campfire_sandbox  # no shared server: accepted, and the session's stand-in restored as for any test
def test_each_test_starts_from_the_dataset_and_the_pinned_day(campfire_standin):
    clock = httpx.get(f"{campfire_standin.base_url}/_mock/clock",
                      headers={"X-Mock-Admin-Token": campfire_standin.admin_token}).json()
    assert clock["today"] == "2026-08-01"
"""


def test_a_client_suite_runs_with_the_plugin_and_its_options(tmp_path):
    run = run_client_suite(
        tmp_path, CLIENT_TESTS, "--campfire-fixtures", str(DEFAULT), "--campfire-today", "2026-08-01"
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout


PER_TEST_SANDBOX_TESTS = """
import os

import httpx
import pytest

SEEN = {}  # test name: the sandbox id it ran in


def listed() -> set:
    answer = httpx.get(os.environ["CAMPFIRE_STANDIN_URL"] + "/_mock/sandboxes",
                       headers={"X-Mock-Admin-Token": os.environ["CAMPFIRE_STANDIN_ADMIN_TOKEN"]})
    return {sandbox["id"] for sandbox in answer.json()}


def test_unmarked(campfire_standin):
    SEEN["unmarked"] = campfire_standin.sandbox["id"]


@pytest.mark.campfire_sandbox
def test_marked(campfire_standin):
    SEEN["marked"] = campfire_standin.sandbox["id"]
    assert SEEN["marked"] in listed() and SEEN["marked"] != SEEN["unmarked"]
    assert campfire_standin.set_today("2026-09-30")["today"] == "2026-09-30"  # its own clock, the session's untouched


@pytest.mark.campfire_sandbox
def test_marked_and_failing(campfire_standin):
    SEEN["failing"] = campfire_standin.sandbox["id"]
    assert SEEN["failing"] in listed() and SEEN["failing"] not in (SEEN["marked"], SEEN["unmarked"])
    raise AssertionError("failing on purpose")


@pytest.mark.campfire_sandbox
@pytest.mark.campfire_empty
def test_marked_and_empty(campfire_standin):
    assert campfire_standin.sandbox["organizations"] == []


def test_unmarked_again(campfire_standin):
    assert campfire_standin.sandbox["id"] == SEEN["unmarked"]
    assert campfire_standin.invariants()["healthy"]
    assert listed() == {SEEN["unmarked"]}  # the marked tests' sandboxes, the failed one's too, are gone
    clock = httpx.get(f"{campfire_standin.base_url}/_mock/clock",
                      headers={"X-Mock-Admin-Token": campfire_standin.admin_token}).json()
    assert clock["today"] == "2026-08-01"
"""


def test_a_marked_test_gets_a_sandbox_of_its_own_on_a_shared_server(tmp_path):
    with running() as server:
        run = run_client_suite(
            tmp_path,
            PER_TEST_SANDBOX_TESTS,
            "--campfire-today",
            "2026-08-01",
            env={"CAMPFIRE_STANDIN_URL": server.base_url, "CAMPFIRE_STANDIN_ADMIN_TOKEN": server.admin_token},
        )
        assert run.returncode == 1, run.stdout + run.stderr
        assert "1 failed, 4 passed" in run.stdout, run.stdout
        assert "FAILED test_client.py::test_marked_and_failing - AssertionError" in run.stdout, run.stdout
        listed = httpx.get(f"{server.base_url}/_mock/sandboxes", headers={"X-Mock-Admin-Token": server.admin_token})
        assert listed.json() == []


IN_FLIGHT_TESTS = """
import time

import httpx
import pytest

VOID = "coa_api_v1_invoice_payment_void_create"
TARGET = {}


def api(standin):
    return httpx.Client(base_url=standin.base_url, headers={"Authorization": f"Token {standin.token('admin', 1)}"})


def unvoided_payment(standin) -> dict:
    with api(standin) as client:
        return next(row for row in client.get("/coa/api/v1/invoice-payments").json()["results"] if not row["voided_date"])


def test_a_gives_up_on_a_slow_void(campfire_standin):
    TARGET.update(unvoided_payment(campfire_standin))
    campfire_standin.add_fault(operation=VOID, action="delay", delay_ms=800)
    with api(campfire_standin) as client, pytest.raises(httpx.TimeoutException):
        client.post(f"/coa/api/v1/invoice/{TARGET['invoice_id']}/payment/{TARGET['id']}/void/", json={}, timeout=0.3)


def test_b_never_sees_it(campfire_standin):
    time.sleep(1.2)  # the delayed void of test A has long reached the handler by now
    with api(campfire_standin) as client:
        listed = client.get("/coa/api/v1/invoice-payments", params={"invoice_id": TARGET["invoice_id"]}).json()
    assert [row["voided_date"] for row in listed["results"] if row["id"] == TARGET["id"]] == [None]
    assert campfire_standin.requests(operation=VOID) == []
    assert campfire_standin.invariants()["healthy"]
"""


def test_a_request_still_in_flight_when_its_test_ends_never_reaches_the_next_test(tmp_path):
    run = run_client_suite(tmp_path, IN_FLIGHT_TESTS)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


def test_in_flight_isolation_holds_for_a_sandbox_of_a_shared_server(tmp_path):
    with running() as server:
        run = run_client_suite(
            tmp_path, IN_FLIGHT_TESTS, "--campfire-url", server.base_url, "--campfire-admin-token", server.admin_token
        )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


def test_the_examples_pass_unchanged_on_a_shared_server(tmp_path):
    """The README's example (examples/) on a sandbox of a shared server: its ids are not the dataset's."""
    for example in (Path(__file__).resolve().parents[1] / "examples").glob("*.py"):
        shutil.copy(example, tmp_path)
    with running() as server:
        run = run_client_suite(
            tmp_path, None, "--campfire-url", server.base_url, "--campfire-admin-token", server.admin_token
        )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "8 passed" in run.stdout, run.stdout
