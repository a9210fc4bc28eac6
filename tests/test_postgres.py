"""The ledger on PostgreSQL, against a real throwaway cluster (tests/postgres_cluster.py): the
rules' property test, the void over HTTP, the conformance harness, two servers on one database,
`kill -9` of a server and a restart of the database during voids. The checks shared with the
SQLite engine are imported from their modules and run here on PostgreSQL."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import harness
from conftest import TODAY, Api
from mock_server.fixtures import DEFAULT
from mock_server.cli import main
from mock_server.serving import ServerThread, free_port
from mock_server.standin import StandIn
from mock_server.storage import datasets, open_ledger
from mock_server.web.app import create_app
from postgres_cluster import pg_cluster  # noqa: F401 (the session's cluster, a fixture)
from test_durability import (ADMIN, TOKEN, Serve, _assert_consistent, _ledger_facts, _provision, _void,
                             check_kill_9_during_voids, check_two_servers_void_each_payment_once)
from test_properties import check_sequence, steps
# The void's HTTP tests, collected again here: they run on the `live` fixture below (PostgreSQL).
from test_void_http import (test_content_types_give_the_same_result,  # noqa: F401
                            test_foreign_currency_payment_reverses_its_fx_line, test_void_each_kind_restores_the_invoice)

VIEW_ONLY = "nw_view_only_8f8de0e973e1d036"  # the default dataset's Northwind view-only token


@pytest.fixture(scope="module")
def pg_ledger(pg_cluster):
    ledger = open_ledger(pg_cluster.new_database())
    yield ledger
    ledger.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_sequence_of_pays_and_voids_keeps_the_invariants_on_postgres(pg_ledger, sequence):
    check_sequence(pg_ledger, sequence)


@pytest.fixture(scope="module")
def _pg_app(pg_cluster):
    """A stand-in on its own database with the default dataset, served on 127.0.0.1."""
    standin = StandIn(open_ledger(pg_cluster.new_database()))
    datasets.load(standin.ledger, DEFAULT)
    standin.pin_today(TODAY)
    pristine = standin.ledger.snapshot()
    app = create_app(standin, validate_responses=True)
    with ServerThread(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        yield standin, pristine, Api(http, standin)
    standin.ledger.close()


@pytest.fixture
def live(_pg_app):
    """The PostgreSQL-backed app over HTTP, restored to the default dataset for this test."""
    standin, pristine, api = _pg_app
    standin.ledger.restore(pristine)
    return api


@pytest.mark.parametrize("arguments, environment, expected", [
    (["--database", "postgresql://postgres@127.0.0.1:{port}/ledger"], {}, "cannot reach the PostgreSQL ledger"),
    ([], {"CAMPFIRE_DATABASE_URL": "postgresql://postgres@127.0.0.1/ledger?nonsense=1"}, "not a usable PostgreSQL ledger URL"),
    (["--database", "mysql://root@127.0.0.1/ledger"], {}, "--database takes a postgresql://"),
], ids=["unreachable", "unparsable-from-environment", "not-postgresql"])
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
    result = harness.console("--base-url", first.url, "--token", TOKEN["Authorization"].split()[1], "--view-only-token",
                             VIEW_ONLY, "--admin-token", ADMIN["X-Mock-Admin-Token"], "--max-rps", "0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CONFORMS" in result.stdout and "Traceback" not in result.stdout + result.stderr


def test_two_servers_on_one_database_void_each_payment_exactly_once(servers):
    url, first, second = servers
    check_two_servers_void_each_payment_once(url, first, second, 10)


def test_an_idempotency_key_retried_through_the_other_server_gets_the_first_answer(servers):
    url, first, second = servers
    invoice, payment = _provision(first, 2)[1]  # a Stripe payment: refunded once
    path = f"/coa/api/v1/invoice/{invoice}/payment/{payment}/void/"
    headers = {**TOKEN, "Idempotency-Key": f"retry-{payment}"}
    answers = [httpx.post(server.url + path, headers=headers, json={"void_date": "2026-07-10"}, timeout=30)
               for server in (first, second)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    facts = _ledger_facts(url, [(invoice, payment)])
    assert facts["reversals"] == {payment: 1}
    _assert_consistent(facts)


def test_the_clock_and_stripe_faults_set_through_one_server_apply_on_the_other_at_once(servers):
    url, first, second = servers
    pinned = httpx.put(first.url + "/_mock/clock", headers=ADMIN, json={"today": "2026-08-01"})
    try:
        assert pinned.status_code == 200, pinned.text
        assert httpx.get(second.url + "/_mock/clock", headers=ADMIN).json()["today"] == "2026-08-01"
    finally:
        httpx.put(first.url + "/_mock/clock", headers=ADMIN, json={"today": "2026-07-15"})
    invoice, payment = _provision(first, 2)[1]  # a Stripe payment
    assert httpx.post(first.url + "/_mock/stripe/faults", headers=ADMIN, json={"fault": "decline"}).status_code == 200
    assert [_void(second.url, (invoice, payment)) for _ in range(2)] == [502, 200]  # declined once, then refunded
    _assert_consistent(_ledger_facts(url, [(invoice, payment)]))


def test_kill_9_of_a_server_during_voids_loses_no_answered_void_and_half_applies_none(servers):
    """The second server is the one killed (the tests above are done with it); a new one retries."""
    url, _, second = servers
    servers_to_kill = iter([second])
    check_kill_9_during_voids(url, lambda: next(servers_to_kill, None) or Serve(url, "--database"),
                              kill_afters=(3,), batch=8)


def test_a_database_restart_during_voids_answers_503_then_recovers_half_applying_none(servers, pg_cluster):
    """Voids run on four threads; the cluster is stopped after a few answers and started again
    once the server has answered 503; afterwards every void goes through."""
    url, first, _ = servers
    pairs = _provision(first, 12)
    answered, lock, seen_503 = {}, threading.Lock(), threading.Event()

    def void(pair):
        response = httpx.post(f"{first.url}/coa/api/v1/invoice/{pair[0]}/payment/{pair[1]}/void/", headers=TOKEN,
                              json={"void_date": "2026-07-10"}, timeout=30)
        if response.status_code == 503:
            assert response.json() == {"detail": "The ledger's database is unavailable; retry shortly."}
            seen_503.set()
        with lock:
            answered[pair] = response.status_code

    with ThreadPoolExecutor(4) as pool:
        running = [pool.submit(void, pair) for pair in pairs]
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
    facts = _ledger_facts(url, pairs)
    assert {payment for (_, payment), status in answered.items() if status == 200} <= facts["voided"]
    _assert_consistent(facts)
    retried = {pair[1]: _void(first.url, pair) for pair, status in answered.items() if status != 200}
    assert {status for payment, status in retried.items() if payment not in facts["voided"]} <= {200}
    final = _ledger_facts(url, pairs)
    assert final["voided"] == {payment for _, payment in pairs}
    _assert_consistent(final)

