"""A stand-in running in this process for a client's tests: `with mock_server.running() as standin:`.

It serves on a free 127.0.0.1 port in a background thread. The dataset is loaded once and
snapshotted; `restore()` puts the ledger back (the dataset, the clock, no fault rules, no
idempotency keys) in milliseconds and empties the request journal, so one stand-in serves a
whole test session. The helpers speak the admin API over HTTP, as any client of it would.
The pytest plugin (`mock_server.pytest_plugin`) is this, restored before each test.

Given a shared server's URL and admin token (`running(url=..., admin_token=...)`; the pytest
plugin also reads CAMPFIRE_URL and CAMPFIRE_ADMIN_TOKEN), nothing is started: a sandbox is created on that server for the block and deleted at its end
(:class:`SandboxStandIn`, the same helpers).
"""

import logging
from contextlib import contextmanager
from datetime import date
from pathlib import Path


class SharedServerError(RuntimeError):
    """The shared server cannot be reached, or refused a sandbox (one line for the pytest plugin)."""


class _AdminHelpers:
    """The admin API's helpers, over HTTP (`self._http` sends the admin token), and who is who."""

    _http = None
    tokens: list[dict]  # every API token: key, role, organization_id, organization

    def token(self, role: str = "admin", organization: int | str = 1) -> str:
        """The token of `role` in the organization (its id, its name, or in a sandbox its number: 1, 2...)."""
        for row in self.tokens:
            if row["role"] == role and organization in (row["organization_id"], row["organization"], row.get("number")):
                return row["key"]
        raise LookupError(f"no {role} token in organization {organization!r}")

    def _admin(self, method: str, path: str, expect: int = 200, **kwargs):
        response = self._http.request(method, f"/_mock{path}", **kwargs)
        if response.status_code != expect:
            raise AssertionError(f"{method} /_mock{path} answered {response.status_code}: {response.text}")
        return response.json()

    def create_invoice(self, amount, organization: int | str = 1, **fields) -> dict:
        """A new open invoice of the organization for `amount` (one line, no tax), dated today,
        to its first customer, made through the public API with its admin token; `fields`
        override the request's (lines, invoice_date, due_date...)."""
        import httpx

        headers = {"Authorization": f"Token {self.token('admin', organization)}"}
        today = self._admin("GET", "/clock")["today"]
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=30) as api:
            entity = api.get("/coa/api/entity").json()[0]["id"]
            customer = api.get("/coa/api/vendor").json()["results"][0]["id"]
            created = api.post(
                "/coa/api/v1/invoice/",
                json={
                    "entity": entity,
                    "client": customer,
                    "invoice_date": today,
                    "due_date": today,
                    "lines": [{"description": "Consulting", "amount": amount, "tax": 0}],
                    **fields,
                },
            )
        if created.status_code != 201:
            raise AssertionError(f"POST /coa/api/v1/invoice/ answered {created.status_code}: {created.text}")
        return created.json()

    def create_payment(self, invoice_id: int, kind: str, amount, **extra) -> dict:
        """A payment of any kind (manual, bank, credit_memo, stripe), as the API shows it."""
        return self._admin(
            "POST", "/payments", 201, json={"invoice_id": invoice_id, "kind": kind, "amount": amount, **extra}
        )

    def set_today(self, today: date | str | None) -> dict:
        """Pin the stand-in's today (None: the real clock again)."""
        return self._admin("PUT", "/clock", json={"today": str(today) if today else None})

    def queue_stripe_fault(self, fault: str, count: int = 1) -> list[str]:
        """The next `count` refunds fail with `fault` (decline, api_error, timeout)."""
        return self._admin("POST", "/stripe/faults", json={"fault": fault, "count": count})["pending"]

    def reversals(self, payment_id: int) -> list[dict]:
        """The journal entries reversing the payment (exactly one once it is voided)."""
        return self._admin("GET", f"/payments/{payment_id}/reversals")

    def refunds(self) -> list[dict]:
        return self._admin("GET", "/stripe/refunds")

    def refund_attempts(self) -> list[dict]:
        return self._admin("GET", "/stripe/refund-attempts")

    def invariants(self) -> dict:
        """{"healthy", "violations", "trial_balance"}."""
        return self._admin("GET", "/invariants")

    def add_fault(self, **rule) -> dict:
        """A fault on the public API (see POST /_mock/faults: operation or path, action, status, times...)."""
        return self._admin("POST", "/faults", 201, json=rule)

    def faults(self) -> list[dict]:
        return self._admin("GET", "/faults")

    def clear_faults(self) -> None:
        self._admin("DELETE", "/faults")

    def requests(self, operation: str | None = None, status: int | None = None, since: str | None = None) -> list[dict]:
        """The request journal, oldest first (operation: an operationId such as
        coa_api_v1_invoice_payment_void_create)."""
        params = {
            name: value
            for name, value in {"operation": operation, "status": status, "since": since}.items()
            if value is not None
        }
        return self._admin("GET", "/requests", params=params)

    def clear_requests(self) -> None:
        self._admin("DELETE", "/requests")


class SandboxStandIn(_AdminHelpers):
    """A sandbox of a shared server: its URL, its tokens, its admin token, the same helpers."""

    def __init__(self, base_url: str, http, sandbox: dict, today: str | None):
        self.base_url = base_url
        self._http = http  # sends the sandbox's admin token
        self._today = today
        self._adopt(sandbox)

    def _adopt(self, sandbox: dict) -> None:
        self.sandbox = sandbox
        self.admin_token = sandbox["admin_token"]

    def restore(self, empty: bool = False) -> None:
        """Back to the dataset (new ids and tokens: ask token() again) or empty, the session's
        day, no faults, an empty journal."""
        self._admin("POST", "/reset", json={"fixtures": "none" if empty else "default"})
        self.set_today(self._today)
        self.clear_faults()
        self._admin("DELETE", "/stripe/faults")
        self.clear_requests()
        self._adopt(self._admin("GET", "/sandboxes")[0])

    @property
    def tokens(self) -> list[dict]:
        """Every API token of the sandbox: key, role, organization_id, organization, number (1, 2...)."""
        return [
            {"key": key, "role": role, "organization_id": org["id"], "organization": org["name"], "number": number}
            for number, org in enumerate(self.sandbox["organizations"], 1)
            for role, key in org["tokens"].items()
        ]


class RunningStandIn(_AdminHelpers):
    def __init__(self, state, server, http, snapshots: dict):
        self.state = state  # the StandIn (its ledger, its admin token)
        self.server = server  # the ServerThread; server.app is the connexion app (for in-process clients)
        self.base_url = server.url
        self.admin_token = state.admin_token
        self._http = http  # an httpx.Client on the admin API
        self._snapshots = snapshots  # "dataset" and "empty"

    def restore(self, empty: bool = False) -> None:
        """Back to the session's dataset (or an empty ledger), in milliseconds; journal emptied."""
        from .web.in_flight import generations_of
        from .web.journal import journal_of

        generations_of(self.state).advance()  # the requests of the test before apply to nothing
        self.state.ledger.restore(self._snapshots["empty" if empty else "dataset"])
        journal_of(self.state).clear()

    # -- who is who
    @property
    def tokens(self) -> list[dict]:
        """Every API token: key, role, name, organization_id, organization."""
        with self.state.ledger.read() as store:
            return store.tokens()


@contextmanager
def running(
    fixtures: str | Path = "default",
    today: date | str | None = None,
    *,
    validate_responses: bool = False,
    url: str | None = None,
    admin_token: str | None = None,
    ledger=None,
):
    """A stand-in serving `fixtures` ("default", "none" or a directory of .jsonl tables) with
    today pinned to `today` (else the real clock), until the block ends; `validate_responses`
    checks its every answer against spec/ (our own tests do); `ledger`: an empty ledger to serve
    (a PostgreSQL one, say; default: a new SQLite ledger in memory), closed at the end. With `url`
    and `admin_token`, a sandbox on that shared server instead, deleted at the end."""
    import httpx

    if url:
        with _sandbox(httpx, url, admin_token, str(fixtures), today) as sandbox:
            yield sandbox
        return

    from mock_server.fixtures import DEFAULT

    from .serving import ServerThread
    from .standin import StandIn
    from .storage import SqliteLedger, datasets
    from .web.app import create_app

    logging.getLogger("connexion").setLevel(logging.ERROR)  # its notices about the documents are not the client's
    state = StandIn(ledger or SqliteLedger())
    snapshots = {}
    try:
        if today:
            state.pin_today(date.fromisoformat(str(today)))
        snapshots["empty"] = state.ledger.snapshot()
        if str(fixtures) != "none":
            datasets.load(state.ledger, DEFAULT if str(fixtures) == "default" else Path(fixtures))
        snapshots["dataset"] = state.ledger.snapshot()
        with (
            ServerThread(create_app(state, validate_responses=validate_responses)) as server,
            httpx.Client(base_url=server.url, headers={"X-Mock-Admin-Token": state.admin_token}, timeout=30) as http,
        ):
            yield RunningStandIn(state, server, http, snapshots)
    finally:
        for snapshot in snapshots.values():
            if hasattr(snapshot, "close"):  # SQLite's is a database in memory; PostgreSQL's, rows
                snapshot.close()
        state.ledger.close()


@contextmanager
def _sandbox(httpx, url: str, admin_token: str | None, fixtures: str, today):
    """A sandbox on the server at `url` for the block, deleted at its end."""
    if fixtures not in ("default", "none"):
        raise ValueError("a sandbox of a shared server loads the default dataset or none, not a directory")
    if not admin_token:
        raise SharedServerError(
            "a shared server needs its admin token (--campfire-admin-token or CAMPFIRE_ADMIN_TOKEN)"
        )
    today = str(today) if today else None
    url = url.rstrip("/")
    with httpx.Client(base_url=url, headers={"X-Mock-Admin-Token": admin_token}, timeout=30) as server:
        try:
            created = server.post("/_mock/sandboxes", json={"fixtures": fixtures, "today": today})
        except httpx.TransportError as exc:
            raise SharedServerError(f"cannot reach the shared stand-in at {url}: {exc}") from None
        if created.status_code != 201:
            raise SharedServerError(f"{url} refused a sandbox ({created.status_code}): {created.text}")
        sandbox = created.json()
        try:
            with httpx.Client(base_url=url, headers={"X-Mock-Admin-Token": sandbox["admin_token"]}, timeout=30) as http:
                yield SandboxStandIn(url, http, sandbox, today)
        finally:
            server.delete(f"/_mock/sandboxes/{sandbox['id']}")
