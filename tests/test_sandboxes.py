"""Sandboxes (POST/GET /_mock/sandboxes, DELETE /_mock/sandboxes/{id}): isolated copies of the
stand-in on one server, for a team or a CI fleet sharing it."""

import re
import time
from datetime import datetime, timezone

import httpx
import pytest

from mock_server import running, sandboxes
from mock_server.standin import StandIn
from mock_server.storage import SqliteLedger, open_ledger
from support import harness
from support.client_suite import run_client_suite
from support.served import ADMIN, TOKEN, Serve

API = "/coa/api/v1"


@pytest.fixture(scope="module")
def server():
    with running(validate_responses=True) as standin:
        yield standin


@pytest.fixture()
def http(server):
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def admin(token: str) -> dict:
    return {"X-Mock-Admin-Token": token}


def api(token: str) -> dict:
    return {"Authorization": f"Token {token}"}


@pytest.fixture()
def new_sandbox(server, http):
    """Creates sandboxes (kwargs: the body) and deletes the ones left at the end of the test."""
    made = []

    def create(**body):
        answer = http.post("/_mock/sandboxes", headers=admin(server.admin_token), json=body)
        assert answer.status_code == 201, answer.text
        made.append(answer.json()["id"])
        return answer.json()

    yield create
    for sandbox_id in made:
        http.delete(f"/_mock/sandboxes/{sandbox_id}", headers=admin(server.admin_token))


def counts(ledger) -> dict:
    """Rows per table, every table of the ledger."""
    with ledger.read() as store:
        return {table: store.count(table) for table in store.table_names()}


def first_stripe_payment(http, token) -> tuple[int, int]:
    invoices = http.get(f"{API}/invoice/", headers=api(token), params={"limit": 100}).json()["results"]
    for invoice in invoices:
        detail = http.get(f"{API}/invoice/{invoice['id']}/", headers=api(token)).json()
        for payment in detail.get("payments", []):
            if payment.get("source") == "STRIPE" and not payment.get("voided_date") and invoice["status"] != "VOID":
                return invoice["id"], payment["id"]
    raise AssertionError("no voidable Stripe payment")


def test_a_sandbox_has_its_own_organizations_tokens_and_clock(server, http, new_sandbox):
    sandbox = new_sandbox(today="2026-07-01", ttl_seconds=600)
    assert sandbox["today"] == "2026-07-01"
    assert [org["name"] for org in sandbox["organizations"]] == ["Northwind Traders", "Globex Studios"]
    published = {row["key"] for row in server.tokens}
    tokens = [token for org in sandbox["organizations"] for token in org["tokens"].values()]
    assert len(set(tokens)) == 6 and not published & set(tokens) and all(len(token) > 32 for token in tokens)
    assert sandbox["admin_token"] != server.admin_token
    expires = datetime.fromisoformat(sandbox["expires_at"].replace("Z", "+00:00"))
    assert 590 <= (expires - datetime.now(timezone.utc)).total_seconds() <= 600
    # the clock is the sandbox's: the server's own is not pinned
    assert http.get("/_mock/clock", headers=admin(sandbox["admin_token"])).json() == {
        "today": "2026-07-01",
        "pinned": True,
    }
    assert http.get("/_mock/clock", headers=admin(server.admin_token)).json()["pinned"] is False
    # the same data as the server's, under other ids
    mine = http.get(f"{API}/invoice/", headers=api(sandbox["organizations"][0]["tokens"]["admin"])).json()
    theirs = http.get(f"{API}/invoice/", headers=api(server.token("admin", 1))).json()
    assert mine["count"] == theirs["count"] > 0
    assert {row["id"] for row in mine["results"]}.isdisjoint(row["id"] for row in theirs["results"])
    assert http.get("/_mock/invariants", headers=admin(sandbox["admin_token"])).json()["healthy"]


def test_two_sandboxes_do_not_see_each_other(server, http, new_sandbox):
    one, two = new_sandbox(), new_sandbox(fixtures="none")
    token_one = one["organizations"][0]["tokens"]["admin"]
    invoice_id, payment_id = first_stripe_payment(http, token_one)
    # public API: an id of another sandbox answers 404 like an unknown one; a token sees its sandbox only
    assert http.get(f"{API}/invoice/{invoice_id}/", headers=api(server.token("admin", 1))).status_code == 404
    assert (
        http.post(
            f"{API}/invoice/{invoice_id}/payment/{payment_id}/void/", headers=api(server.token("admin", 1)), json={}
        ).status_code
        == 404
    )
    assert not two["organizations"]
    # admin API with sandbox two's token acts on two alone
    two_admin = admin(two["admin_token"])
    assert (
        http.post(
            "/_mock/payments", headers=two_admin, json={"invoice_id": invoice_id, "kind": "manual", "amount": 1}
        ).status_code
        == 404
    )
    assert http.put("/_mock/clock", headers=two_admin, json={"today": "2030-01-01"}).status_code == 200
    assert http.post("/_mock/stripe/faults", headers=two_admin, json={"fault": "decline"}).json() == {
        "pending": ["decline"]
    }
    assert http.post("/_mock/faults", headers=two_admin, json={"operation": "*", "status": 503}).status_code == 201
    assert http.post("/_mock/reset", headers=two_admin, json={"fixtures": "none"}).status_code == 200
    # ...so sandbox one still voids, with its own clock, no Stripe fault and no API fault
    one_admin = admin(one["admin_token"])
    assert http.get("/_mock/stripe/faults", headers=one_admin).json() == {"pending": []}
    assert http.get("/_mock/faults", headers=one_admin).json() == []
    voided = http.post(
        f"{API}/invoice/{invoice_id}/payment/{payment_id}/void/",
        headers={**api(token_one), "Idempotency-Key": "same-key"},
        json={},
    )
    assert voided.status_code == 200, voided.text
    assert voided.json()["voided_date"] == datetime.now(timezone.utc).date().isoformat()
    refunds = http.get("/_mock/stripe/refunds", headers=one_admin).json()
    assert payment_id in [row["payment_id"] for row in refunds]
    assert payment_id not in [row["payment_id"] for row in http.get("/_mock/stripe/refunds", headers=two_admin).json()]
    assert payment_id not in [row["payment_id"] for row in server.refunds()]
    assert http.get("/_mock/stripe/refund-attempts", headers=two_admin).json() == []
    assert [row["path"] for row in http.get("/_mock/requests", headers=one_admin).json()][-1].endswith("/void/")
    assert all(row["organization_id"] != one["organizations"][0]["id"] for row in server.requests())
    assert http.get("/_mock/invariants", headers=one_admin).json()["healthy"]
    assert http.get("/_mock/invariants", headers=two_admin).json() == {
        "healthy": True,
        "violations": [],
        "trial_balance": [],
    }
    # the server's own data and settings are untouched
    assert http.get("/_mock/stripe/faults", headers=admin(server.admin_token)).json() == {"pending": []}
    assert http.get("/_mock/faults", headers=admin(server.admin_token)).json() == []
    assert http.get(f"{API}/invoice/", headers=api(server.token("admin", 1))).status_code == 200
    # the fixtures loaded into a sandbox land in that sandbox
    assert http.post("/_mock/fixtures", headers=two_admin).json()["loaded"]["invoices"] > 0
    listed = http.get("/_mock/sandboxes", headers=two_admin).json()
    assert [row["id"] for row in listed] == [two["id"]] and len(listed[0]["organizations"]) == 2
    everyone = {row["id"]: row for row in http.get("/_mock/sandboxes", headers=admin(server.admin_token)).json()}
    assert everyone[one["id"]]["organizations"] == one["organizations"] and everyone[two["id"]] == listed[0]
    # a sandbox's admin token cannot reach another sandbox
    assert http.delete(f"/_mock/sandboxes/{one['id']}", headers=two_admin).status_code == 404
    assert http.post("/_mock/sandboxes", headers=two_admin, json={}).status_code == 403


def test_delete_removes_every_row_it_owns_and_its_tokens(server, http, new_sandbox):
    new_sandbox()  # the template is built on the first create; counts start after it
    before = counts(server.state.ledger)
    sandbox = new_sandbox(today="2026-07-01")
    token = sandbox["organizations"][0]["tokens"]["admin"]
    sandbox_admin = admin(sandbox["admin_token"])
    http.post("/_mock/stripe/faults", headers=sandbox_admin, json={"fault": "timeout"})
    http.post("/_mock/faults", headers=sandbox_admin, json={"operation": "nothing_matches_this"})
    invoice_id, payment_id = first_stripe_payment(http, token)
    assert (
        http.post(
            f"{API}/invoice/{invoice_id}/payment/{payment_id}/void/",
            headers={**api(token), "Idempotency-Key": "k"},
            json={},
        ).status_code
        == 502
    )  # the queued timeout
    assert counts(server.state.ledger) != before
    assert http.delete(f"/_mock/sandboxes/{sandbox['id']}", headers=admin(server.admin_token)).status_code == 204
    assert counts(server.state.ledger) == before
    assert http.get(f"{API}/invoice/", headers=api(token)).json() == {"detail": "Invalid token."}
    assert http.get("/_mock/clock", headers=sandbox_admin).status_code == 401
    assert http.delete(f"/_mock/sandboxes/{sandbox['id']}", headers=admin(server.admin_token)).status_code == 404


def test_an_expired_sandbox_is_refused_at_once_and_swept(server, http, new_sandbox):
    sandbox = new_sandbox(ttl_seconds=1)
    token = sandbox["organizations"][0]["tokens"]["admin"]
    assert http.get(f"{API}/invoice/", headers=api(token)).status_code == 200
    server.state.ledger.query("SELECT 1")  # (reads never wait) the expiry below is real time
    with server.state.ledger.write() as store:  # a second of waiting, made instant: expire it now
        store.conn.execute(
            "UPDATE sandboxes SET expires_at = ? WHERE id = ?",
            [sandboxes.stamp(datetime.now(timezone.utc)), sandbox["id"]],
        )
    server.state.ledger.generation += 1
    assert http.get(f"{API}/invoice/", headers=api(token)).json() == {"detail": "Invalid token."}
    assert http.get("/_mock/clock", headers=admin(sandbox["admin_token"])).status_code == 401
    listed = http.get("/_mock/sandboxes", headers=admin(server.admin_token)).json()  # sweeps
    assert sandbox["id"] not in [row["id"] for row in listed]
    assert not server.state.ledger.query("SELECT 1 FROM sandbox_organizations WHERE sandbox_id = ?", [sandbox["id"]])


def test_the_cap_answers_429_with_a_json_body(server, http, new_sandbox):
    existing = len(http.get("/_mock/sandboxes", headers=admin(server.admin_token)).json())
    server.state.max_sandboxes = existing + 1
    try:
        new_sandbox(fixtures="none")
        refused = http.post("/_mock/sandboxes", headers=admin(server.admin_token), json={"fixtures": "none"})
    finally:
        server.state.max_sandboxes = 1000
    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "At most %d sandboxes may exist at once; delete one or wait for one to expire." % (existing + 1),
        "max_sandboxes": existing + 1,
    }


@pytest.mark.parametrize(
    "body, field",
    [
        ({"fixtures": "huge"}, "fixtures"),
        ({"ttl_seconds": 0}, "ttl_seconds"),
        ({"ttl_seconds": -5}, "ttl_seconds"),
        ({"ttl_seconds": 30 * 24 * 3600 + 1}, "ttl_seconds"),
        ({"ttl_seconds": 1.5}, "ttl_seconds"),
        ({"ttl_seconds": "60"}, "ttl_seconds"),
        ({"ttl_seconds": True}, "ttl_seconds"),
        ({"today": "tomorrow"}, "today"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(server, http, body, field):
    answer = http.post("/_mock/sandboxes", headers=admin(server.admin_token), json=body)
    assert answer.status_code == 400 and field in answer.json(), answer.text


def test_tokens_that_are_not_a_sandboxs_are_refused(server, http):
    assert http.get("/_mock/sandboxes", headers=admin("sbx_admin_" + "0" * 32)).status_code == 401
    assert http.post("/_mock/sandboxes", headers=api(server.token("admin", 1)), json={}).status_code == 401
    assert http.delete("/_mock/sandboxes/not-an-id", headers=admin(server.admin_token)).status_code == 404


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request, tmp_path):
    """`campfire-mock serve` as a process of its own on a new ledger (a SQLite file, or a database
    of the session's PostgreSQL cluster) with the default dataset: (the ledger, the server)."""
    if request.param == "sqlite":
        db, option = str(tmp_path / "ledger.db"), "--db"
    else:
        db, option = request.getfixturevalue("pg_cluster").new_database(), "--database"
    process = Serve(db, option)
    yield db, process
    process.stop()


def test_the_conformance_console_script_passes_against_a_sandbox_and_leaves_the_server_alone(served):
    """`campfire-conformance` with a sandbox's tokens: every check passes (the stand-in's own checks
    too, through the sandbox's admin token); the server's own organizations are as they were, and
    the delete leaves every table as before the create."""
    db, process = served
    with httpx.Client(base_url=process.url, timeout=30, headers=ADMIN) as http:

        def own():
            """The server's own invariants and its first organization's invoices."""
            invoices = http.get(f"{API}/invoice/", headers=TOKEN, params={"limit": 1000})
            return http.get("/_mock/invariants").json(), invoices.json()

        # the template is built on the first create: its rows stay, so count after it
        warm_up = http.post("/_mock/sandboxes", json={"fixtures": "none"}).json()
        assert http.delete(f"/_mock/sandboxes/{warm_up['id']}").status_code == 204
        ledger = open_ledger(db)
        try:
            rows, before = counts(ledger), own()
            sandbox = http.post("/_mock/sandboxes", json={}).json()
            tokens = sandbox["organizations"][0]["tokens"]
            result = harness.console(
                "--base-url",
                process.url,
                "--token",
                tokens["admin"],
                "--view-only-token",
                tokens["view_only"],
                "--admin-token",
                sandbox["admin_token"],
                "--max-rps",
                "0",
            )
            assert result.returncode == 0, result.stdout + result.stderr
            conforms = r"^CONFORMS: \d+ passed, 0 failed, 0 accepted, 0 not applicable$"
            assert re.search(conforms, result.stdout, re.M), result.stdout
            for check in (
                "ledger_invariants_hold",
                "stripe_void_refunds_exactly_once",  # the stand-in's own
                "void_echoes_the_requested_date",
            ):
                assert re.search(rf"^{check} +passed$", result.stdout, re.M), result.stdout
            assert own() == before and before[0]["healthy"]
            assert http.delete(f"/_mock/sandboxes/{sandbox['id']}").status_code == 204
            assert counts(ledger) == rows
        finally:
            ledger.close()


SHARED_CLIENT_TESTS = """
import httpx


def test_the_session_runs_in_a_sandbox_of_the_shared_server(campfire_standin):
    token = campfire_standin.token("admin", 1)
    assert not token.startswith("nw_")  # a sandbox's random token, not the dataset's
    invoices = httpx.get(f"{campfire_standin.base_url}/coa/api/v1/invoice/", headers={"Authorization": f"Token {token}"})
    assert invoices.status_code == 200 and invoices.json()["count"] > 0
    assert campfire_standin.set_today("2026-09-30")["today"] == "2026-09-30"


def test_each_test_starts_from_the_dataset_and_the_session_day(campfire_standin):
    assert campfire_standin.set_today("2026-08-01") == {"today": "2026-08-01", "pinned": True}
    assert campfire_standin.invariants()["healthy"]
"""


def test_the_pytest_plugin_uses_a_sandbox_of_a_shared_server(server, http, tmp_path):
    run = run_client_suite(
        tmp_path,
        SHARED_CLIENT_TESTS,
        "--campfire-today",
        "2026-08-01",
        env={"CAMPFIRE_STANDIN_URL": server.base_url, "CAMPFIRE_STANDIN_ADMIN_TOKEN": server.admin_token},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
    assert http.get("/_mock/sandboxes", headers=admin(server.admin_token)).json() == []  # deleted at the end
    assert http.get("/_mock/clock", headers=admin(server.admin_token)).json()["pinned"] is False


def test_a_sandbox_made_through_another_process_answers_at_once(server, http):
    """Another server process on the same ledger file creates it: this one's token cache, filled
    a moment ago, looks an unknown token up again instead of refusing it for two seconds."""
    assert http.get(f"{API}/invoice/", headers=api(server.token("admin", 1))).status_code == 200  # the cache is fresh
    other = StandIn(SqliteLedger(server.state.ledger.path))
    try:
        time.sleep(0.15)  # past the cache's miss_ttl (0.1 s), well within its ttl (2 s)
        sandbox = sandboxes.create(other, {})
        token = sandbox["organizations"][0]["tokens"]["admin"]
        assert http.get(f"{API}/invoice/", headers=api(token)).status_code == 200
        assert http.get("/_mock/clock", headers=admin(sandbox["admin_token"])).status_code == 200
        assert sandboxes.delete(other, sandbox["id"])
    finally:
        other.ledger.close()
