"""A client of the stand-in for tests: the API calls with a token, the admin calls with the
admin token, and the day the tests pin as today."""

from datetime import date

from mock_server import spec
from mock_server.standin import StandIn

TODAY = date(2026, 7, 15)


class Api:
    """A small client for tests: the API calls with a token, the admin calls with the admin token."""

    def __init__(self, http, state: StandIn):
        self.http = http
        self.state = state
        self.tokens = {
            (row["organization_id"], row["role"]): row["key"]
            for row in state.ledger.query("SELECT key, organization_id, role FROM tokens")
        }

    def auth(self, role="admin", organization=1) -> dict:
        return {"Authorization": f"Token {self.tokens[(organization, role)]}"}

    @property
    def admin(self) -> dict:
        return {"X-Mock-Admin-Token": self.state.admin_token}

    def void(self, invoice_id, payment_id, role="admin", organization=1, headers=None, **kwargs):
        return self.http.post(
            spec.void_path(invoice_id, payment_id),
            headers={**self.auth(role, organization), **(headers or {})},
            **kwargs,
        )

    def get(self, path, role="admin", organization=1, **kwargs):
        return self.http.get(path, headers=self.auth(role, organization), **kwargs)

    def invoice(self, invoice_id) -> dict:
        response = self.get(f"/coa/api/v1/invoice/{invoice_id}/")
        assert response.status_code == 200, response.text
        return response.json()

    def create_invoice(
        self, amount=250.00, tax=20.00, entity=1, currency=None, exchange_rate=None, invoice_date="2026-07-01"
    ) -> dict:
        customers = self.get("/coa/api/vendor").json()["results"]
        body = {
            "entity": entity,
            "client": customers[0]["id"],
            "invoice_date": invoice_date,
            "due_date": "2026-07-31",
            "lines": [{"description": "Consulting", "amount": amount, "tax": tax}],
        }
        if currency:
            body.update(currency=currency, exchange_rate=exchange_rate)
        response = self.http.post("/coa/api/v1/invoice/", json=body, headers=self.auth())
        assert response.status_code == 201, response.text
        return response.json()

    def pay(self, invoice_id, kind, amount, payment_date="2026-07-05", **extra) -> dict:
        response = self.http.post(
            "/_mock/payments",
            headers=self.admin,
            json={"invoice_id": invoice_id, "kind": kind, "amount": amount, "payment_date": payment_date, **extra},
        )
        assert response.status_code == 201, response.text
        return response.json()

    def refunds(self) -> list:
        return self.http.get("/_mock/stripe/refunds", headers=self.admin).json()

    def invariants(self) -> dict:
        return self.http.get("/_mock/invariants", headers=self.admin).json()
