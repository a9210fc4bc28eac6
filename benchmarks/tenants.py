"""`make bench`, tenants: writes are not serialized across sandboxes. Voids with a simulated
Stripe latency of 50 ms in each (PUT /_mock/stripe/latency), one client per sandbox voiding its
own Stripe payments one after another: 8 sandboxes at once against 1 sandbox alone.

    python benchmarks/tenants.py [--voids 24] [--latency-ms 50]

One `campfire-mock serve` on PostgreSQL (a temporary cluster, synchronous_commit on) and, for
comparison, on SQLite. A server-wide write lock held through the Stripe call would make the 8
sandboxes' rate that of 1 (about 1x); waiting for Stripe outside the lock, the rate grows with
the sandboxes (8x at most). Afterwards, in every sandbox: each void answered 200 once, the
voided payments are exactly the requested ones, one refund each, a second void of each refused,
and the ledger's invariants hold; the script exits 1 otherwise, or when PostgreSQL's ratio is
below 6x.
"""

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.append(str(HERE.parent / "tests"))

import engines  # noqa: E402
import servers  # noqa: E402
import standin  # noqa: E402

REQUIRED_RATIO = 6.0  # the bar, on PostgreSQL
WORK = servers.ROOT / "reports" / "bench-tenants"


def sandbox(http: httpx.Client, latency_ms: int, voids: int) -> dict:
    """A sandbox with its Stripe latency set and `voids` fresh Stripe payments of its own."""
    made = http.post(
        "/_mock/sandboxes", headers={"X-Mock-Admin-Token": engines.ADMIN_TOKEN}, json={"today": engines.TODAY}
    ).json()
    admin = made["admin_token"]
    token = made["organizations"][0]["tokens"]["admin"]
    http.put("/_mock/stripe/latency", headers={"X-Mock-Admin-Token": admin}, json={"latency_ms": latency_ms})
    pairs = standin.provision(str(http.base_url), token, admin, engines.TODAY, 2 * voids)
    return {"admin": admin, "token": token, "pairs": pairs[0::2]}  # provision alternates Stripe, manual


def void_all(url: str, tenant: dict) -> list[int]:
    with httpx.Client(base_url=url, headers={"Authorization": f"Token {tenant['token']}"}, timeout=60) as http:
        return [
            http.post(path, content=engines.VOID_BODY, headers={"Content-Type": "application/json"}).status_code
            for path in engines.void_paths(tenant["pairs"])
        ]


def rate(url: str, tenants: list[dict]) -> tuple[float, list[str]]:
    """Voids per second with one client per sandbox at once, and what went wrong."""
    started = time.perf_counter()
    with ThreadPoolExecutor(len(tenants)) as pool:
        statuses = list(pool.map(lambda tenant: void_all(url, tenant), tenants))
    elapsed = time.perf_counter() - started
    problems = [f"a void answered {status}" for answers in statuses for status in answers if status != 200]
    return sum(map(len, statuses)) / elapsed, problems + [
        problem for tenant in tenants for problem in exactly_once(url, tenant)
    ]


def exactly_once(url: str, tenant: dict) -> list[str]:
    admin = {"X-Mock-Admin-Token": tenant["admin"]}
    wanted = {payment for _, payment in tenant["pairs"]}
    problems = []
    voided = standin.voided_payment_ids(url, tenant["token"])
    if not wanted <= voided:
        problems.append(f"payments not voided: {sorted(wanted - voided)[:5]}")
    refunds = [refund["payment_id"] for refund in httpx.get(url + "/_mock/stripe/refunds", headers=admin).json()]
    if sorted(payment for payment in refunds if payment in wanted) != sorted(wanted):
        problems.append("not one refund per voided Stripe payment")
    again = void_all(url, {**tenant, "pairs": tenant["pairs"][:2]})
    if any(status != 400 for status in again):
        problems.append(f"a second void answered {again}")
    report = httpx.get(url + "/_mock/invariants", headers=admin).json()
    if not report["healthy"]:
        problems.append(f"invariants violated: {report['violations'][:3]}")
    return problems


def measure(engine: str, db: str, voids: int, latency_ms: int) -> tuple[float, float, list[str]]:
    """(1-sandbox rate, 8-sandbox rate, problems) on one server over `db`."""
    with (
        servers.Server(f"{engine} tenants", engines.serve(db), WORK / f"{engine}.log") as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        print(f"{engine}: provisioning 9 sandboxes of {voids} Stripe payments", flush=True)
        alone, *together = [sandbox(http, latency_ms, voids) for _ in range(9)]
        one, problems_one = rate(server.url, [alone])
        eight, problems_eight = rate(server.url, together)
    return one, eight, problems_one + problems_eight


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voids", type=int, default=24, help="voids per sandbox")
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    lines = ["| engine | 1 sandbox, voids/s | 8 sandboxes at once, voids/s | ratio |", "|---|---:|---:|---:|"]
    failures = []
    with tempfile.TemporaryDirectory(prefix="campfire-tenants-") as folder, engines.postgres_cluster() as cluster:
        ledgers = [("sqlite", str(Path(folder) / "ledger.db"))]
        if cluster is not None:
            ledgers.append(("postgresql", cluster.new_database()))
        for engine, db in ledgers:
            one, eight, problems = measure(engine, db, args.voids, args.latency_ms)
            lines.append(f"| {engine} | {one:,.1f} | {eight:,.1f} | {eight / one:.1f}x |")
            failures += [f"{engine}: {problem}" for problem in problems]
            if engine == "postgresql" and eight / one < REQUIRED_RATIO:
                failures.append(
                    f"postgresql: 8 sandboxes voided {eight / one:.1f}x the rate of 1, below {REQUIRED_RATIO}x"
                )
    print(f"\nVoids with a {args.latency_ms} ms Stripe latency, one client per sandbox ({args.voids} voids each):")
    print("\n".join(lines))
    print(
        "exactly once: "
        + (
            "every void answered 200 once, refunded once, refused the second time; invariants hold"
            if not failures
            else "; ".join(failures)
        )
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
