"""Shared test fixtures: ONE stand-in per test session (the default dataset loaded once and
snapshotted), restored from the snapshot before each test in milliseconds; the app in-process
and the same app over real HTTP (uvicorn on a free 127.0.0.1 port), both validating every
response against spec/."""
from datetime import date

import httpx
import pytest

from mock_server import spec
from mock_server import running
from mock_server.standin import StandIn

TODAY = date(2026, 7, 15)


class Api:
    """A small client for tests: the API calls with a token, the admin calls with the admin token."""

    def __init__(self, http, state: StandIn):
        self.http = http
        self.state = state
        self.tokens = {(row["organization_id"], row["role"]): row["key"] for row in state.ledger.query(
            "SELECT key, organization_id, role FROM tokens")}

    def auth(self, role="admin", organization=1) -> dict:
        return {"Authorization": f"Token {self.tokens[(organization, role)]}"}

    @property
    def admin(self) -> dict:
        return {"X-Mock-Admin-Token": self.state.admin_token}

    def void(self, invoice_id, payment_id, role="admin", organization=1, headers=None, **kwargs):
        return self.http.post(spec.void_path(invoice_id, payment_id),
                              headers={**self.auth(role, organization), **(headers or {})}, **kwargs)

    def get(self, path, role="admin", organization=1, **kwargs):
        return self.http.get(path, headers=self.auth(role, organization), **kwargs)

    def invoice(self, invoice_id) -> dict:
        response = self.get(f"/coa/api/v1/invoice/{invoice_id}/")
        assert response.status_code == 200, response.text
        return response.json()

    def create_invoice(self, amount=250.00, tax=20.00, entity=1, currency=None, exchange_rate=None,
                       invoice_date="2026-07-01") -> dict:
        customers = self.get("/coa/api/vendor").json()["results"]
        body = {"entity": entity, "client": customers[0]["id"], "invoice_date": invoice_date,
                "due_date": "2026-07-31", "lines": [{"description": "Consulting", "amount": amount, "tax": tax}]}
        if currency:
            body.update(currency=currency, exchange_rate=exchange_rate)
        response = self.http.post("/coa/api/v1/invoice/", json=body, headers=self.auth())
        assert response.status_code == 201, response.text
        return response.json()

    def pay(self, invoice_id, kind, amount, payment_date="2026-07-05", **extra) -> dict:
        response = self.http.post("/_mock/payments", headers=self.admin, json={
            "invoice_id": invoice_id, "kind": kind, "amount": amount, "payment_date": payment_date, **extra})
        assert response.status_code == 201, response.text
        return response.json()

    def refunds(self) -> list:
        return self.http.get("/_mock/stripe/refunds", headers=self.admin).json()

    def invariants(self) -> dict:
        return self.http.get("/_mock/invariants", headers=self.admin).json()


@pytest.fixture(scope="session")
def _session():
    """The session's stand-in (mock_server.running(), the same one a client's tests get) and
    clients of its app over real HTTP and in-process."""
    with running(today=TODAY, validate_responses=True) as standin, \
            httpx.Client(base_url=standin.base_url, timeout=30) as http, standin.server.app.test_client() as in_process:
        yield standin, Api(http, standin.state), Api(in_process, standin.state)


@pytest.fixture
def state(_session):
    """The session's stand-in, restored to the default dataset (and TODAY) for this test."""
    standin, _, _ = _session
    standin.restore()
    return standin.state


@pytest.fixture
def local(_session, state):
    """The app in-process (no socket), every response validated against spec/."""
    return _session[2]


@pytest.fixture
def live(_session, state):
    """The app over real HTTP, every response validated against spec/."""
    return _session[1]


def pytest_terminal_summary(terminalreporter):
    """How many requests the DRF differential test sent (its own print is hidden under xdist)."""
    reports = [report for outcome in ("passed", "failed", "xfailed", "xpassed")
               for report in terminalreporter.stats.get(outcome, []) if "test_same_answer_as_drf" in report.nodeid]
    if reports:
        terminalreporter.write_line(f"DRF fidelity: {len(reports)} scenarios, {2 * len(reports)} requests "
                                    "(one to the DRF reference, one to the stand-in, each)")
