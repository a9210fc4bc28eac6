"""Tenants on PostgreSQL (issue 25), over HTTP against `campfire-mock serve` processes sharing one
database: the isolation checks of test_tenants_isolation.py, an outside row lock answered 503
within the lock timeout, exactly one 200 for one payment voided through two servers, and a
deleted sandbox's token refused at once by the other server (on SQLite too)."""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest

from mock_server.storage import open_ledger, postgres
from support.served import Serve
from support.tenants import (
    Tenants,
    admin,
    api,
    check_a_reset_costs_the_sandboxs_size,
    check_crash_is_the_servers_own,
    check_resets_elsewhere_do_not_slow_a_void,
    check_stripe_latency_is_the_sandboxs_own,
    check_stripe_timeouts_elsewhere_do_not_slow_a_void,
    token_of,
)

ADMIN_TOKEN = "adm"  # what test_durability.Serve starts its servers with


@pytest.fixture(scope="module")
def database(pg_cluster):  # noqa: F811
    return pg_cluster.new_database()


@pytest.fixture(scope="module")
def two_servers(database):
    servers = [Serve(database), Serve(database)]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture()
def tenants(two_servers):
    made = Tenants(two_servers[0].url, ADMIN_TOKEN)
    yield made
    made.close()


def test_a_sandbox_admin_cannot_queue_the_crash_rehearsal_on_postgres(tenants):
    check_crash_is_the_servers_own(tenants)


def test_stripe_timeouts_in_one_sandbox_leave_another_sandboxs_voids_at_their_pace_on_postgres(tenants):
    check_stripe_timeouts_elsewhere_do_not_slow_a_void(tenants)


def test_the_stripe_latency_setting_slows_only_its_own_sandbox_on_postgres(tenants):
    check_stripe_latency_is_the_sandboxs_own(tenants)


def test_a_sandbox_resetting_in_a_loop_leaves_another_sandboxs_voids_at_their_pace_on_postgres(tenants):
    check_resets_elsewhere_do_not_slow_a_void(tenants)


def test_a_reset_with_100_other_sandboxes_takes_under_half_a_second_on_postgres(tenants):
    check_a_reset_costs_the_sandboxs_size(tenants)


def test_a_row_locked_from_outside_is_a_503_within_the_lock_timeout(tenants, database):
    sandbox = tenants.create()
    token = token_of(sandbox)
    locked, free = tenants.payments(token, "MANUAL")[:2] or pytest.fail("no manual payments")
    with psycopg.connect(database, autocommit=False) as outside:
        outside.execute("SELECT id FROM payments WHERE id = %s FOR UPDATE", [locked[1]])
        started = time.perf_counter()
        answer = tenants.http.post(
            f"/coa/api/v1/invoice/{locked[0]}/payment/{locked[1]}/void/", headers=api(token), json={}
        )
        waited = time.perf_counter() - started
        assert answer.status_code == 503 and answer.headers["Retry-After"]
        assert "a lock was held longer than" in answer.json()["detail"]
        assert waited < 5, waited
        assert tenants.void(token, free)[0] == 200  # the rest of the sandbox writes meanwhile
        outside.rollback()
    assert tenants.void(token, locked)[0] == 200  # nothing of the refused void was left


def test_one_payment_of_a_sandbox_voided_through_two_servers_at_once_is_voided_once(tenants, two_servers):
    sandbox = tenants.create()
    token = token_of(sandbox)
    pairs = tenants.payments(token)[:6]
    clients = [httpx.Client(base_url=server.url, timeout=30) for server in two_servers]

    def void(job):
        pair, client = job
        return tenants.void(token, pair, client)[0]

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(void, [(pair, client) for pair in pairs for client in clients * 2]))
    for client in clients:
        client.close()
    for index in range(len(pairs)):
        assert sorted(statuses[index * 4 : index * 4 + 4]) == [200, 400, 400, 400], statuses
    assert tenants.http.get("/_mock/invariants", headers=admin(sandbox["admin_token"])).json()["healthy"]


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_of_two(request, tmp_path):
    return str(tmp_path / "ledger.db") if request.param == "sqlite" else request.getfixturevalue("database")


def test_a_deleted_sandboxs_token_is_refused_at_once_by_another_server(ledger_of_two, two_servers):
    servers = two_servers if ledger_of_two.startswith("postgresql") else [Serve(ledger_of_two), Serve(ledger_of_two)]
    try:
        one, other = (httpx.Client(base_url=server.url, timeout=30) for server in servers)
        sandbox = Tenants(servers[0].url, ADMIN_TOKEN).create()
        token = token_of(sandbox)
        pairs = Tenants(servers[1].url, ADMIN_TOKEN).payments(token)  # the other server knows the token now
        assert one.delete(f"/_mock/sandboxes/{sandbox['id']}", headers=admin(ADMIN_TOKEN)).status_code == 204
        refused = other.post(
            f"/coa/api/v1/invoice/{pairs[0][0]}/payment/{pairs[0][1]}/void/", headers=api(token), json={}
        )
        assert refused.status_code == 401 and refused.json() == {"detail": "Invalid token."}
        orphans = other.get("/_mock/invariants", headers=admin(ADMIN_TOKEN)).json()
        assert orphans["healthy"], orphans
    finally:
        if servers is not two_servers:
            for server in servers:
                server.stop()


def test_a_database_of_an_earlier_version_gets_its_ids_numbered_by_sequences(pg_cluster):  # noqa: F811
    url = pg_cluster.new_database()
    earlier = re.sub(
        r"\bid BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "id BIGINT PRIMARY KEY", postgres.postgres_schema()
    )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(earlier)
        conn.execute("INSERT INTO organizations (id, name) VALUES (7, 'made by an earlier version')")
    ledger = open_ledger(url)
    try:
        with ledger.write() as store:
            assert store.next_id("organizations") == 8
            assert store.insert("stripe_faults", {"fault": "decline"}) == 1
    finally:
        ledger.close()
