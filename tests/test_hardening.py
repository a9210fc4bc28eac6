"""Regression tests for what a hostile or unlucky client found: Idempotency-Key as Stripe
documents it, a forged Host, a slow Stripe void that must not freeze reads, the ledger file's
permissions and random tokens."""

import contextlib
import stat
import threading
import time
from datetime import timedelta

from mock_server.domain import organizations
from mock_server.storage import SqliteLedger
from support.api import TODAY
from support.ledger import count


def _paid(live, kind="stripe"):
    invoice = live.create_invoice()
    return invoice["id"], live.pay(invoice["id"], kind, 270.00)["id"]


def test_a_key_reused_with_other_parameters_is_refused(live):
    paid = _paid(live)
    first = live.void(*paid, headers={"Idempotency-Key": "k"}, json={"void_date": "2026-07-10"})
    other_body = live.void(*paid, headers={"Idempotency-Key": "k"}, json={"void_date": "2026-07-11"})
    same = live.void(*paid, headers={"Idempotency-Key": "k"}, json={"void_date": "2026-07-10"})
    assert first.status_code == 200 and same.status_code == 200 and same.json() == first.json()
    assert other_body.status_code == 400 and "other parameters" in other_body.json()["detail"]
    assert count(live.state, "stripe_refunds", "payment_id = ?", [paid[1]]) == 1


def test_a_retry_while_the_first_request_runs_gets_409(live):
    paid = _paid(live)
    live.http.post("/_mock/stripe/faults", headers=live.admin, json={"fault": "timeout"})
    live.state.stripe.timeout_seconds = 2.0  # the first request stays inside its refund for 2 s
    answers = {}
    first = threading.Thread(
        target=lambda: answers.setdefault("first", live.void(*paid, headers={"Idempotency-Key": "slow"}))
    )
    first.start()
    try:
        deadline = time.monotonic() + 10
        while not count(live.state, "idempotent_responses", "key = 'slow'") and time.monotonic() < deadline:
            time.sleep(0.01)  # until the first request has claimed the key
        answers["second"] = live.void(*paid, headers={"Idempotency-Key": "slow"})
        first.join(timeout=30)
    finally:
        live.state.stripe.timeout_seconds = 0.2
    assert answers["second"].status_code == 409 and answers["second"].json()["detail"].startswith("A request with this")
    assert answers["first"].status_code == 502  # the rehearsed timeout: nothing voided, the key is free again
    retried = live.void(*paid, headers={"Idempotency-Key": "slow"})
    assert retried.status_code == 200


def test_keys_expire_after_24_hours_of_the_stand_ins_clock(live):
    paid = _paid(live)
    assert live.void(*paid, headers={"Idempotency-Key": "old"}).status_code == 200
    later = (TODAY + timedelta(days=2)).isoformat()
    assert live.http.put("/_mock/clock", headers=live.admin, json={"today": later}).status_code == 200
    again = live.void(*paid, headers={"Idempotency-Key": "old"})
    assert again.status_code == 400 and again.json() == {"detail": "This payment has already been voided."}


def test_a_foreign_host_is_refused_and_never_reflected(live):
    forged = live.http.get("/coa/api/v1/invoice/", params={"limit": 5}, headers={**live.auth(), "Host": "evil.example"})
    assert forged.status_code == 400 and forged.json() == {"detail": "Invalid HTTP_HOST header: 'evil.example'."}
    page = live.get("/coa/api/v1/invoice/", params={"limit": 5}).json()
    assert page["next"].startswith(str(live.http.base_url).rstrip("/"))


def test_reads_do_not_wait_for_a_slow_void(live):
    paid = _paid(live)
    live.http.post("/_mock/stripe/faults", headers=live.admin, json={"fault": "timeout"})
    live.state.stripe.timeout_seconds = 2.0  # the void holds the write transaction for 2 s
    slow = threading.Thread(target=live.void, args=paid, kwargs={"headers": {"Idempotency-Key": "hold"}})
    slow.start()
    try:
        _wait_for(lambda: count(live.state, "idempotent_responses", "key = 'hold'"))  # the void claimed its key
        time.sleep(0.1)
        read = live.get(f"/coa/api/v1/invoice/{paid[0]}/")
        listed = live.get("/coa/api/v1/invoice-payments", params={"invoice_id": paid[0]})
        still_voiding = slow.is_alive()
        slow.join(timeout=30)
    finally:
        live.state.stripe.timeout_seconds = 0.2
    assert still_voiding, "the reads were answered while the void still held the write transaction"
    assert read.status_code == 200 and read.json()["status"] == "paid"  # the committed state, not a half-done void
    assert listed.json()["results"][0]["voided_date"] is None


@contextlib.contextmanager
def _three_slow_voids(live):
    """A void under Idempotency-Key "hold" in its refund (Stripe answering in 1.5 s, then failing)
    and two more voids waiting for the ledger's lock; yields (the first's ids, the void threads)."""
    first, *others = [_paid(live) for _ in range(3)]
    for _ in range(3):
        live.http.post("/_mock/stripe/faults", headers=live.admin, json={"fault": "timeout"})
    live.state.stripe.timeout_seconds = 1.5
    slow = [threading.Thread(target=live.void, args=first, kwargs={"headers": {"Idempotency-Key": "hold"}})]
    try:
        slow[0].start()
        _wait_for(lambda: count(live.state, "idempotent_responses", "key = 'hold'"))
        slow += [threading.Thread(target=live.void, args=paid) for paid in others]
        for thread in slow[1:]:
            thread.start()
        time.sleep(0.2)
        yield first, slow
        for thread in slow:
            thread.join(timeout=30)
    finally:
        live.state.stripe.timeout_seconds = 0.2


def test_reads_do_not_queue_behind_slow_voids_waiting_for_the_ledger(live):
    """Reads have a thread pool of their own: they are answered at once."""
    with _three_slow_voids(live) as (first, slow):
        reads = [live.get(f"/coa/api/v1/invoice/{first[0]}/").status_code for _ in range(3)]
        voiding = sum(thread.is_alive() for thread in slow)
    assert voiding == 3, "the reads were answered after a void, not beside them"
    assert reads == [200, 200, 200]


def test_a_retry_of_a_running_void_is_a_409_while_other_slow_voids_run(live):
    """The retry's look-up never waits for a writer (a reviewer's find: with two writer threads
    the retry queued behind the voids, then refunded again)."""
    with _three_slow_voids(live) as (first, slow):
        retry = live.void(*first, headers={"Idempotency-Key": "hold"})
        first_still_running = slow[0].is_alive()
    assert first_still_running and retry.status_code == 409, retry.text


def _wait_for(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def test_the_ledger_file_is_private_and_random_tokens_replace_the_published_ones(tmp_path):
    ledger = SqliteLedger(tmp_path / "ledger.db")
    try:
        assert stat.S_IMODE((tmp_path / "ledger.db").stat().st_mode) == 0o600
        with ledger.write() as store:
            org = organizations.create_organization(store, "Acme")
            organizations.create_token(store, org, "acme_admin_published", "admin", "Ann")
            organizations.randomize_tokens(store)
        keys = [row["key"] for row in ledger.query("SELECT key FROM tokens")]
    finally:
        ledger.close()
    assert len(keys) == 1 and keys[0].startswith("acme_admin_") and keys[0] != "acme_admin_published"
    assert len(keys[0]) == len("acme_admin_") + 32
