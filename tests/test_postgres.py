"""What only PostgreSQL has, against a real throwaway cluster (tests/support/postgres_cluster.py):
a database URL refused at start, two servers started at once on one database, the conformance
harness against a PostgreSQL-backed server, an Idempotency-Key retried through the other server,
settings shared at once, a restart of the database during voids. What must hold on both engines
runs on each through the `engine` fixture (test_durability, test_properties, test_void_http)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from click.testing import CliRunner

from mock_server.cli import main
from mock_server.serving import free_port
from mock_server.storage import open_ledger
from support import harness
from support.served import ADMIN, TOKEN, Serve, assert_consistent, ledger_facts, provision, void

VIEW_ONLY = "nw_view_only_8f8de0e973e1d036"  # the default dataset's Northwind view-only token


@pytest.mark.parametrize(
    "arguments, environment, expected",
    [
        (["--database", "postgresql://postgres@127.0.0.1:{port}/ledger"], {}, "cannot reach the PostgreSQL ledger"),
        (
            [],
            {"CAMPFIRE_DATABASE_URL": "postgresql://postgres@127.0.0.1/ledger?nonsense=1"},
            "not a usable PostgreSQL ledger URL",
        ),
        (["--database", "mysql://root@127.0.0.1/ledger"], {}, "--database takes a postgresql://"),
    ],
    ids=["unreachable", "unparsable-from-environment", "not-postgresql"],
)
def test_a_database_that_cannot_be_used_at_start_is_one_line_and_exit_2(pg_cluster, arguments, environment, expected):
    arguments = [argument.format(port=free_port()) for argument in arguments]
    result = CliRunner().invoke(main, ["serve", "--port", str(free_port()), *arguments], env=environment)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"campfire-mock: {expected}") and result.output.count("\n") == 1, result.output


@pytest.fixture(scope="module")
def servers(pg_cluster):
    """Two `campfire-mock serve --database URL` processes started at once on one new empty
    database: one creates the schema and loads the default dataset, the other uses it."""
    url = pg_cluster.new_database()
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: Serve(url, "--database"), range(2))
    yield url, first, second
    first.stop()
    second.stop()


def test_two_servers_started_at_once_load_the_dataset_once_and_share_it(servers):
    url, first, second = servers
    counts = [httpx.get(server.url + "/coa/api/vendor", headers=TOKEN).json()["count"] for server in (first, second)]
    assert counts[0] == counts[1] > 0
    ledger = open_ledger(url)
    try:
        assert ledger.query("SELECT COUNT(*) AS n FROM organizations")[0]["n"] == 2  # loaded once, not twice
    finally:
        ledger.close()


def test_conformance_passes_against_a_postgres_backed_server(servers):
    _, first, _ = servers
    result = harness.console(
        "--base-url",
        first.url,
        "--token",
        TOKEN["Authorization"].split()[1],
        "--view-only-token",
        VIEW_ONLY,
        "--admin-token",
        ADMIN["X-Mock-Admin-Token"],
        "--max-rps",
        "0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CONFORMS" in result.stdout and "Traceback" not in result.stdout + result.stderr


def test_an_idempotency_key_retried_through_the_other_server_gets_the_first_answer(servers):
    url, first, second = servers
    invoice, payment = provision(first, 2)[1]  # a Stripe payment: refunded once
    path = f"/coa/api/v1/invoice/{invoice}/payment/{payment}/void/"
    headers = {**TOKEN, "Idempotency-Key": f"retry-{payment}"}
    answers = [
        httpx.post(server.url + path, headers=headers, json={"void_date": "2026-07-10"}, timeout=30)
        for server in (first, second)
    ]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    facts = ledger_facts(url, [(invoice, payment)])
    assert facts["reversals"] == {payment: 1}
    assert_consistent(facts)


def test_the_clock_and_stripe_faults_set_through_one_server_apply_on_the_other_at_once(servers):
    url, first, second = servers
    pinned = httpx.put(first.url + "/_mock/clock", headers=ADMIN, json={"today": "2026-08-01"})
    try:
        assert pinned.status_code == 200, pinned.text
        assert httpx.get(second.url + "/_mock/clock", headers=ADMIN).json()["today"] == "2026-08-01"
    finally:
        httpx.put(first.url + "/_mock/clock", headers=ADMIN, json={"today": "2026-07-15"})
    invoice, payment = provision(first, 2)[1]  # a Stripe payment
    assert httpx.post(first.url + "/_mock/stripe/faults", headers=ADMIN, json={"fault": "decline"}).status_code == 200
    assert [void(second.url, (invoice, payment)) for _ in range(2)] == [502, 200]  # declined once, then refunded
    assert_consistent(ledger_facts(url, [(invoice, payment)]))


def test_a_database_restart_during_voids_answers_503_then_recovers_half_applying_none(servers, pg_cluster):
    """Voids run on four threads; the cluster is stopped after a few answers and started again
    once the server has answered 503; afterwards every void goes through."""
    url, first, _ = servers
    pairs = provision(first, 12)
    answered, lock, seen_503 = {}, threading.Lock(), threading.Event()

    def void_concurrently(pair):
        response = httpx.post(
            f"{first.url}/coa/api/v1/invoice/{pair[0]}/payment/{pair[1]}/void/",
            headers=TOKEN,
            json={"void_date": "2026-07-10"},
            timeout=30,
        )
        if response.status_code == 503:
            assert response.json() == {"detail": "The ledger's database is unavailable; retry shortly."}
            seen_503.set()
        with lock:
            answered[pair] = response.status_code

    with ThreadPoolExecutor(4) as pool:
        running = [pool.submit(void_concurrently, pair) for pair in pairs]
        deadline = time.monotonic() + 15
        while len(answered) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        pg_cluster.stop()
        try:
            assert seen_503.wait(10), "no 503 while the database was down"
        finally:
            pg_cluster.start()
        for future in running:
            future.result()
    assert set(answered.values()) <= {200, 503} and 503 in answered.values(), answered
    facts = ledger_facts(url, pairs)
    assert {payment for (_, payment), status in answered.items() if status == 200} <= facts["voided"]
    assert_consistent(facts)
    retried = {pair[1]: void(first.url, pair) for pair, status in answered.items() if status != 200}
    assert {status for payment, status in retried.items() if payment not in facts["voided"]} <= {200}
    final = ledger_facts(url, pairs)
    assert final["voided"] == {payment for _, payment in pairs}
    assert_consistent(final)
