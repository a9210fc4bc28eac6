"""Sandbox figures: the cost of creating one (the first, and the 1,000th), and of a void inside
one of 1,000 sandboxes against a void on a server that has none.

    python benchmarks/sandboxes.py [--sandboxes 1000]

One in-process stand-in (SQLite, the default dataset). Creates are timed at the call the admin
handler makes (the HTTP round trip adds the same ~1 ms to each) and a few over HTTP; voids over
HTTP, every active payment of organization 1 once, the same payments in both cases (a sandbox's
rows are the dataset's with shifted ids).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mock_server import running, sandboxes  # noqa: E402
from mock_server.fixtures import DEFAULT  # noqa: E402


def voidable(ledger, organization_id: int) -> list[tuple[int, int]]:
    return [
        (row["invoice_id"], row["id"])
        for row in ledger.query(
            "SELECT p.id, p.invoice_id FROM payments p JOIN invoices i ON i.id = p.invoice_id"
            " JOIN entities e ON e.id = i.entity_id WHERE p.organization_id = ? AND p.voided_date IS NULL"
            " AND i.voided_date IS NULL AND e.books_closed_through IS NULL ORDER BY p.id",
            [organization_id],
        )
    ]


def void_times(http, token: str, payments) -> list[float]:
    for _ in range(20):  # warm-up: the token cache and the scope's fault rules are filled
        http.get("/coa/api/v1/invoice/", headers={"Authorization": f"Token {token}"})
    times = []
    for invoice_id, payment_id in payments:
        started = time.perf_counter()
        answer = http.post(
            f"/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/",
            headers={"Authorization": f"Token {token}"},
            json={},
        )
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code in (200, 400), answer.text
    return times


def ms(values) -> str:
    return f"median {statistics.median(values):6.2f} ms  mean {statistics.fmean(values):6.2f} ms  (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sandboxes", type=int, default=1000)
    count = parser.parse_args().sandboxes
    with running(today="2026-11-20") as server:
        state = server.state
        state.max_sandboxes = count
        none = void_times(server._http, server.token("admin", 1), voidable(state.ledger, 1))
        server.restore()
        started = time.perf_counter()
        state.ledger.prepare_template(DEFAULT)
        template_ms = (time.perf_counter() - started) * 1000
        creates, made = [], []
        for _ in range(count):
            started = time.perf_counter()
            made.append(sandboxes.create(state, {"ttl_seconds": 3600}))
            creates.append((time.perf_counter() - started) * 1000)
        sandbox = made[count // 2]
        sandbox_id = sandbox["id"]
        http_creates = []
        for row in made[:3]:
            sandboxes.delete(state, row["id"])
            started = time.perf_counter()
            answer = server._http.post("/_mock/sandboxes", json={"ttl_seconds": 3600})
            http_creates.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 201, answer.text
        organization = sandbox["organizations"][0]
        inside = void_times(server._http, organization["tokens"]["admin"], voidable(state.ledger, organization["id"]))
        started = time.perf_counter()
        sandboxes.delete(state, sandbox_id)
        delete_ms = (time.perf_counter() - started) * 1000
    window = max(1, min(10, count // 10))
    first, last = statistics.median(creates[:window]), statistics.median(creates[-window:])
    print(f"template (default dataset loaded once per process): {template_ms:.1f} ms")
    print(f"create, first {window}:            median {first:6.2f} ms")
    print(f"create, last {window} (to #{count}): median {last:6.2f} ms   ratio {last / first:.2f} (target <= 1.5)")
    print(f"create, all {count}:               {ms(creates)}  max {max(creates):.2f} ms (target <= 50 ms)")
    print(f"create over HTTP with {count} present: {ms(http_creates)}")
    print(f"delete one of {count}:              {delete_ms:.2f} ms")
    print(f"void, server with no sandbox:     {ms(none)}")
    print(
        f"void, inside one of {count}:        {ms(inside)}   ratio {statistics.median(inside) / statistics.median(none):.2f}"
        " (target <= 1.2)"
    )


if __name__ == "__main__":
    main()
