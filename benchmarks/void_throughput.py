"""Void throughput of the stand-in over real HTTP, against a baseline measured in the same run.

    python benchmarks/void_throughput.py [--voids 400] [--threads 4]

Baseline: GET /coa/api/entity (authentication and a small read). Then every provisioned payment
(half manual, half Stripe) is voided once. Prints requests/s, p50 and p99 for both, and the ratio.
Bounded: a fixed number of requests on 127.0.0.1, then it stops.
"""
import argparse
import statistics
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fixtures import DEFAULT  # noqa: E402
from mock_server.domain import invoices, payments  # noqa: E402
from mock_server.serving import ServerThread  # noqa: E402
from mock_server.standin import StandIn  # noqa: E402
from mock_server.storage import SqliteLedger, datasets  # noqa: E402
from mock_server.web.app import create_app  # noqa: E402


def provision(state: StandIn, count: int) -> list[tuple[int, int]]:
    pairs = []
    with state.ledger.write() as store:
        clock = state.clock(store)
        for index in range(count):
            invoice_id = invoices.create_invoice(store, clock, 1, {
                "entity": 1, "client": 1, "invoice_date": "2026-07-01", "due_date": "2026-07-31",
                "lines": [{"product_name": "Benchmark", "amount": 100}]})
            kind = "stripe" if index % 2 == 0 else "manual"
            payment_id = payments.pay(store, clock, store.get("invoices", invoice_id), kind, 10000, "2026-07-02",
                                      external_id=f"btxn_bench{index}" if kind == "stripe" else None)
            pairs.append((invoice_id, payment_id))
    return pairs


def measure(label: str, send, jobs: list, threads: int) -> dict:
    def timed(job):
        started = time.perf_counter()
        response = send(job)
        assert response.status_code == 200, f"{label}: {response.status_code} {response.text[:200]}"
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        latencies = sorted(pool.map(timed, jobs))
    elapsed = time.perf_counter() - started
    result = {"label": label, "requests": len(jobs), "rps": len(jobs) / elapsed,
              "p50": statistics.median(latencies) * 1000,
              "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}
    print(f"{label:<34} {result['requests']:>6} req  {result['rps']:>8.1f} req/s  "
          f"p50 {result['p50']:>7.2f} ms  p99 {result['p99']:>7.2f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voids", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    state = StandIn(SqliteLedger())
    datasets.load(state.ledger, DEFAULT)
    token = state.ledger.query("SELECT key FROM tokens WHERE organization_id = 1 AND role = 'admin'")[0]["key"]
    pairs = provision(state, args.voids)
    with ServerThread(create_app(state)) as server, httpx.Client(
            base_url=server.url, headers={"Authorization": f"Token {token}"}, timeout=30,
            limits=httpx.Limits(max_connections=args.threads)) as http:
        http.get("/coa/api/entity")  # warm-up
        baseline = measure("baseline GET /coa/api/entity", lambda _: http.get("/coa/api/entity"),
                           range(args.voids), args.threads)
        voids = measure("POST void (half Stripe)", lambda pair: http.post(
            f"/coa/api/v1/invoice/{pair[0]}/payment/{pair[1]}/void/", json={"void_date": "2026-07-10"}),
            pairs, args.threads)
    print(f"void / baseline: {voids['rps'] / baseline['rps']:.2f}x the throughput, "
          f"{voids['p50'] / baseline['p50']:.2f}x the median latency")
    refunds = state.ledger.query("SELECT COUNT(*) AS n FROM stripe_refunds WHERE idempotency_key LIKE 'void-invoice-payment-%'"
                                 " AND payment_id IN (SELECT id FROM payments WHERE external_id LIKE 'btxn_bench%')")[0]["n"]
    print(f"refunds recorded for the benchmark's Stripe payments: {refunds} (expected {len(pairs[::2])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
