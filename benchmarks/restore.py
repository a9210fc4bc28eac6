"""What the pytest plugin costs a client's test suite: the per-test restore of the dataset and
the whole-session overhead of `mock_server.running()`.

    python benchmarks/restore.py [--restores 200] [--voids 20]

Per test: `RunningStandIn.restore()` (the ledger back to its snapshot, the journal emptied)
after a test that changed the ledger (voids through the API), compared with reloading the
dataset from its files. Session: entering `running()` (dataset loaded, app built, server up)
and leaving it. Bounded: a fixed number of restores on 127.0.0.1, then it stops.
"""
import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fixtures import DEFAULT  # noqa: E402
from mock_server import running  # noqa: E402
from mock_server.storage import datasets  # noqa: E402

TARGET_MS = 50


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _dirty(standin, http, voids: int) -> int:
    """What a test does: void some payments (ledger, refunds, idempotency keys, journal)."""
    token = standin.token()
    payments = [row for row in http.get("/coa/api/v1/invoice-payments", headers={"Authorization": f"Token {token}"},
                                        params={"limit": 200}).json()["results"] if not row.get("voided_date")]
    voided = 0
    for payment in payments[:voids]:
        voided += http.post(f"/coa/api/v1/invoice/{payment['invoice_id']}/payment/{payment['id']}/void/", json={},
                  headers={"Authorization": f"Token {token}", "Idempotency-Key": f"bench-{payment['id']}"}).status_code == 200
    return voided


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restores", type=int, default=200)
    parser.add_argument("--voids", type=int, default=20, help="voids before the first timed restore")
    args = parser.parse_args()

    entered = time.perf_counter()
    with running(today="2026-07-15") as standin:
        ready = time.perf_counter()
        with httpx.Client(base_url=standin.base_url, timeout=30) as http:
            voided = _dirty(standin, http, args.voids)
        started = time.perf_counter()
        standin.restore()
        after_voids = time.perf_counter() - started
        samples = []
        for _ in range(args.restores):
            started = time.perf_counter()
            standin.restore()
            samples.append(time.perf_counter() - started)
        started = time.perf_counter()
        standin.state.ledger.reset()
        datasets.load(standin.state.ledger, DEFAULT)
        reload = time.perf_counter() - started
        leaving = time.perf_counter()
    left = time.perf_counter()

    samples.sort()
    p50, p99 = statistics.median(samples), samples[int(len(samples) * 0.99) - 1]
    print(f"per-test restore: p50 {_ms(p50)}, p99 {_ms(p99)} over {args.restores}; "
          f"after {voided} voids {_ms(after_voids)} (target under {TARGET_MS} ms: "
          f"{'met' if max(p99, after_voids) < TARGET_MS / 1000 else 'MISSED'})")
    print(f"reloading the dataset from its files instead: {_ms(reload)}")
    print(f"session overhead: start {_ms(ready - entered)} (dataset, app, server), stop {_ms(left - leaving)}; "
          f"total {_ms(ready - entered + left - leaving)}")


if __name__ == "__main__":
    main()
