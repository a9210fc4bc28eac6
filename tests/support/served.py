"""The stand-in as a process of its own (`campfire-mock serve` on a ledger file or a PostgreSQL
database), for what only processes show: two servers on one ledger, `kill -9`. Every other test
starts its stand-in in-process with `mock_server.running()` (conftest.py)."""

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from mock_server.serving import free_port
from mock_server.storage import invariants, open_ledger

ADMIN = {"X-Mock-Admin-Token": "adm"}
TOKEN = {"Authorization": "Token nw_admin_ea8ff5f8d837115f"}  # the default dataset's Northwind admin


class Serve:
    """`campfire-mock serve` on a ledger (a file, or a PostgreSQL URL), as a process of its own."""

    def __init__(self, db, option="--db"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mock_server.cli",
                "serve",
                option,
                db,
                "--port",
                str(self.port),
                "--admin-token",
                "adm",
                "--today",
                "2026-07-15",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/_mock/clock", headers=ADMIN, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("campfire-mock serve did not start")

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        self.process.wait(timeout=15)


def provision(server: Serve, count: int) -> list[tuple[int, int]]:
    """`count` fresh payments, half Stripe, each on its own invoice."""

    def one(index):
        with httpx.Client(base_url=server.url, timeout=30) as http:
            invoice = http.post(
                "/coa/api/v1/invoice/",
                headers=TOKEN,
                json={
                    "entity": 1,
                    "client": 1,
                    "invoice_date": "2026-07-01",
                    "due_date": "2026-07-31",
                    "lines": [{"description": "Durability", "amount": 100 + index}],
                },
            ).json()
            payment = http.post(
                "/_mock/payments",
                headers=ADMIN,
                json={
                    "invoice_id": invoice["id"],
                    "kind": "stripe" if index % 2 else "manual",
                    "amount": 100 + index,
                    "payment_date": "2026-07-02",
                },
            ).json()
            return invoice["id"], payment["id"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def void(url: str, pair) -> int | None:
    try:
        return httpx.post(
            f"{url}/coa/api/v1/invoice/{pair[0]}/payment/{pair[1]}/void/",
            headers=TOKEN,
            json={"void_date": "2026-07-10"},
            timeout=30,
        ).status_code
    except httpx.TransportError:
        return None  # the server died before answering: the void may or may not have happened


def ledger_facts(db: str, pairs) -> dict:
    ledger = open_ledger(db)
    try:
        ids = [payment for _, payment in pairs]
        marks = ", ".join("?" * len(ids))
        voided = {
            row["id"]
            for row in ledger.query(f"SELECT id FROM payments WHERE id IN ({marks}) AND voided_date IS NOT NULL", ids)
        }
        reversals = {
            row["payment"]: row["n"]
            for row in ledger.query(
                f"SELECT p.id AS payment, COUNT(j.id) AS n FROM payments p JOIN journal_entries j ON j.reversal_of_id = p.journal_entry_id"
                f" WHERE p.id IN ({marks}) GROUP BY p.id",
                ids,
            )
        }
        refunds = {
            row["payment_id"]: row["n"]
            for row in ledger.query(
                f"SELECT payment_id, COUNT(*) AS n FROM stripe_refunds WHERE payment_id IN ({marks}) GROUP BY payment_id",
                ids,
            )
        }
        stripe = {
            row["id"]
            for row in ledger.query(f"SELECT id FROM payments WHERE id IN ({marks}) AND source = 'STRIPE'", ids)
        }
        with ledger.read() as store:
            report = invariants.report(store)
    finally:
        ledger.close()
    return {
        "voided": voided,
        "reversals": reversals,
        "refunds": refunds,
        "stripe": stripe,
        "violations": report["violations"],
    }


def assert_consistent(facts: dict) -> None:
    """Nothing half-applied: a voided payment has one reversal and (Stripe) one refund, nothing else has any."""
    assert facts["violations"] == []
    assert facts["reversals"] == {payment: 1 for payment in facts["voided"]}
    assert facts["refunds"] == {payment: 1 for payment in facts["voided"] & facts["stripe"]}


def check_two_servers_void_each_payment_once(db: str, first: Serve, second: Serve, count: int) -> None:
    """`count` payments, each voided through both servers at the same moment: exactly one 200."""
    pairs = provision(first, count)

    def race(pair):
        """The same void through both processes at the same moment."""
        start = threading.Barrier(2)

        def through(url):
            start.wait()
            return void(url, pair)

        with ThreadPoolExecutor(2) as both:
            return sorted(both.map(through, (first.url, second.url)))

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(race, pairs))
    assert outcomes == [[200, 400]] * len(pairs)
    facts = ledger_facts(db, pairs)
    assert facts["voided"] == {payment for _, payment in pairs}
    assert_consistent(facts)


def check_kill_9_during_voids(db: str, start, kill_afters=(2, 5, 8), batch=12) -> None:
    """Rounds of `batch` concurrent voids, the server (`start()` makes one) killed after 2, 5 and
    8 answered ones; each restart serves the next round; a last server retries everything."""
    server = start()
    pairs = provision(server, batch * len(kill_afters))
    rounds = [(pairs[index * batch : (index + 1) * batch], kill_after) for index, kill_after in enumerate(kill_afters)]
    answered_200 = set()
    for batch_pairs, kill_after in rounds:
        answered, lock = {}, threading.Lock()

        def void_and_kill_at_the_mark(pair):
            status = void(server.url, pair)
            with lock:
                answered[pair] = status
                if sum(1 for s in answered.values() if s == 200) == kill_after:
                    os.kill(server.process.pid, signal.SIGKILL)

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(void_and_kill_at_the_mark, batch_pairs))
        server.stop(signal.SIGKILL)
        assert None in answered.values(), f"the kill after {kill_after} voids landed before the round ended"
        answered_200 |= {pair[1] for pair, status in answered.items() if status == 200}
        facts = ledger_facts(db, pairs)
        assert answered_200 <= facts["voided"], "a void answered 200 was lost"
        assert_consistent(facts)
        server = start()  # recovers the ledger

    try:
        retried = {pair[1]: void(server.url, pair) for pair in pairs}
    finally:
        server.stop()
    assert {payment for payment, status in retried.items() if status == 200} == {p for _, p in pairs} - facts["voided"]
    assert {status for payment, status in retried.items() if payment in facts["voided"]} <= {400}
    final = ledger_facts(db, pairs)
    assert final["voided"] == {payment for _, payment in pairs}
    assert_consistent(final)
