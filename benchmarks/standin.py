"""What the benchmark asks of the stand-in through its public and admin HTTP APIs: fresh payments
to void, the set of voided payments, and the ledger invariants."""

import asyncio
import subprocess
from datetime import date, timedelta

import httpx
from servers import THIS, Tree

PROVISION_CONCURRENCY = 8
PAGE = 1000


class HandedOutOnce:
    """Provisioned (invoice, payment) pairs (`self.pairs`), handed out once each, in order;
    `self.label` names them in the error when too many are asked for."""

    def take(self, count: int) -> list[tuple[int, int]]:
        if self.used + count > len(self.pairs):
            raise RuntimeError(f"{self.label}: {count} more payments wanted, {len(self.pairs) - self.used} left")
        self.used += count
        return self.pairs[self.used - count : self.used]


def api_token(db, tree: Tree = THIS) -> str:
    """The first organization's admin token, from `campfire-mock tokens` (its last column)."""
    lines = subprocess.run(
        tree.campfire_mock("tokens", "--db", str(db)),
        capture_output=True,
        text=True,
        check=True,
        cwd=tree.root,
        env=tree.env,
    ).stdout.splitlines()
    return next(line.split()[-1] for line in lines if line.split()[-2:-1] == ["admin"])


def _ok(response: httpx.Response, status: int) -> dict:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    return response.json()


async def provision_with(http: httpx.AsyncClient, token, admin_token, today, count) -> list[tuple[int, int]]:
    """`provision` through the client `http` (a server's URL, or an app in-process)."""
    day = date.fromisoformat(today)
    auth = {"Authorization": f"Token {token}"}
    admin = {"X-Mock-Admin-Token": admin_token}
    entities = _ok(await http.get("/coa/api/entity", headers=auth), 200)
    entity = next(e for e in entities if e["currency"] == "USD")  # the default dataset's first: its books are open
    customer = _ok(await http.get("/coa/api/vendor", params={"limit": 1}, headers=auth), 200)["results"][0]
    pending = iter(range(count))
    pairs: list[tuple[int, int]] = [None] * count

    async def worker():
        for index in pending:
            invoice = _ok(
                await http.post(
                    "/coa/api/v1/invoice/",
                    headers=auth,
                    json={
                        "entity": entity["id"],
                        "client": customer["id"],
                        "invoice_number": f"BENCH-{today}-{index}",
                        "invoice_date": (day - timedelta(days=10)).isoformat(),
                        "due_date": (day + timedelta(days=20)).isoformat(),
                        "lines": [{"description": "Benchmark", "quantity": 1, "rate": 100, "amount": 100, "tax": 0}],
                    },
                ),
                201,
            )
            payment = _ok(
                await http.post(
                    "/_mock/payments",
                    headers=admin,
                    json={
                        "invoice_id": invoice["id"],
                        "kind": "stripe" if index % 2 == 0 else "manual",
                        "amount": 100,
                        "payment_date": (day - timedelta(days=5)).isoformat(),
                    },
                ),
                201,
            )
            pairs[index] = (invoice["id"], payment["id"])

    await asyncio.gather(*(worker() for _ in range(PROVISION_CONCURRENCY)))
    return pairs


async def _provision(url, token, admin_token, today, count):
    limits = httpx.Limits(max_connections=PROVISION_CONCURRENCY)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        return await provision_with(http, token, admin_token, today, count)


def provision(url: str, token: str, admin_token: str, today: str, count: int) -> list[tuple[int, int]]:
    """`count` fresh (invoice, payment) pairs, one invoice each, paid in full: Stripe, manual, Stripe..."""
    return asyncio.run(_provision(url, token, admin_token, today, count))


def voided_payment_ids(url: str, token: str) -> set[int]:
    """Every voided payment of the token's organization, read page by page."""
    found, offset = set(), 0
    with httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=60) as http:
        while True:
            page = _ok(
                http.get("/coa/api/v1/invoice-payments", params={"voided": "true", "limit": PAGE, "offset": offset}),
                200,
            )
            found.update(row["id"] for row in page["results"])
            if not page["next"]:
                return found
            offset += PAGE


def invariants(url: str, admin_token: str) -> dict:
    return _ok(httpx.get(url + "/_mock/invariants", headers={"X-Mock-Admin-Token": admin_token}, timeout=120), 200)
