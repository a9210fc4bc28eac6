"""Fresh, disposable invoices and payments to void, made by this run and only by this run.

Through the public companion API on any target (a manual payment via mark-paid); through the
admin API on the stand-in (Stripe, credit memo, foreign currency); or taken from a file of
disposable invoice/payment pairs. The harness voids nothing it did not get from here.
"""

import itertools
import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import yaml

from .contract import clip
from .target import Target


def _json(response):
    """The JSON of an answer, or None when it has none (its contract finding is recorded)."""
    try:
        return response.json()
    except ValueError:
        return None


def _object(response) -> dict:
    body = _json(response)
    return body if isinstance(body, dict) else {}


class NotProvisionable(Exception):
    """This kind of payment cannot be made on this target (the check is not applicable)."""


class CannotGoOn(Exception):
    """The target lacks what every check needs (a fuzz run stops; a conformance run goes on with
    the checks that need none of it)."""


class Provisioner:
    def __init__(
        self,
        target: Target,
        pairs_file: Path | None = None,
        *,
        run_id: str | None = None,
        today: date | None = None,
        lookups: dict | None = None,
    ):
        self.target = target
        self.run_id = run_id or uuid.uuid4().hex[:10]
        self._counter = itertools.count(1)
        self._lookups = lookups
        self.unavailable = ""  # why no payment can be made here, once a look-up has failed
        self.created: set[tuple[int, int]] = set()
        self._pairs = self._load_pairs(pairs_file) if pairs_file else None
        self.today = today or self._today()

    @staticmethod
    def _load_pairs(path: Path) -> list[tuple[int, int]]:
        rows = (
            yaml.safe_load(Path(path).read_text())
            if str(path).endswith((".yml", ".yaml"))
            else json.loads(Path(path).read_text())
        )
        return [(int(row["invoice_id"]), int(row["payment_id"])) for row in rows]

    def _today(self) -> date:
        if self.target.is_mock:
            return date.fromisoformat(self.target.admin("GET", "/clock").json()["today"])
        return date.today()

    def day(self, offset: int) -> str:
        return (self.today + timedelta(days=offset)).isoformat()

    @property
    def needs_lookups(self) -> bool:
        return self._pairs is None

    def lookups(self) -> dict:
        """Entity, customer and cash account to invoice and pay with, read through the public API
        from the fields its documents declare. Raises NotProvisionable, naming what is missing or
        which look-up failed, when the token's organization lacks one (and keeps saying so)."""
        if self._lookups is None:
            if self.unavailable:
                raise NotProvisionable(self.unavailable)
            try:
                self._lookups = self._look_up()
            except CannotGoOn as exc:
                self.unavailable = str(exc)
                raise NotProvisionable(self.unavailable) from None
        return self._lookups

    def _look_up(self) -> dict:
        entities = self._rows("/coa/api/entity", None, "entity")
        usable = [
            e
            for e in entities
            if e.get("active", True)
            and not any(e.get(flag) for flag in ("is_deleted", "is_adjusting", "is_elimination_entity"))
        ]
        entity = (usable or entities)[0]
        customer = self._rows("/coa/api/vendor", {"limit": 1}, "customer")[0]
        accounts = self._rows("/coa/api/account", {"limit": 200}, "account")
        # An account declares its currency, not its entity: a BANK account, preferably a live one in
        # the entity's currency.
        bank = [a for a in accounts if a.get("account_subtype") == "BANK"]
        if not bank:
            raise CannotGoOn(
                "the token's organization has no BANK account to pay with (GET /coa/api/account); "
                "provide --pairs or an organization with data"
            )
        bank.sort(
            key=lambda a: (
                bool(a.get("is_deleted")),
                a.get("status", "ACTIVE") != "ACTIVE",
                a.get("currency", entity.get("currency")) != entity.get("currency"),
            )
        )
        return {"entity": entity, "customer": customer, "account": bank[0]}

    def _rows(self, path: str, params: dict | None, what: str) -> list[dict]:
        """The objects of a list answer (plain or paginated), at least one."""
        response = self.target.request("GET", path, params=params)
        body = _json(response)
        rows = body.get("results") if isinstance(body, dict) else body
        if response.status_code != 200 or not isinstance(rows, list):
            raise CannotGoOn(
                f"the look-up GET {path} answered {response.status_code} without a list of {what}s: "
                f"{clip(response.text, 200)!r}"
            )
        rows = [row for row in rows if isinstance(row, dict) and "id" in row]
        if not rows:
            raise CannotGoOn(
                f"the token's organization has no {what} (GET {path} is empty); "
                "provide --pairs or an organization with data"
            )
        return rows

    def invoice(self, amount: float = 125) -> dict:
        lookups = self.lookups()
        response = self.target.request(
            "POST",
            "/coa/api/v1/invoice/",
            json={
                "entity": lookups["entity"]["id"],
                "client": lookups["customer"]["id"],
                "invoice_date": self.day(-7),
                "due_date": self.day(23),
                "invoice_number": f"CONF-{self.run_id}-{next(self._counter)}",
                "lines": [
                    {"description": "Conformance check", "quantity": 1, "rate": amount, "amount": amount, "tax": 0}
                ],
            },
        )
        invoice = _object(response)
        if response.status_code == 403:
            raise NotProvisionable(
                f"the token cannot void: it is view-only or may not write (creating an invoice "
                f"answered 403: {clip(response.text, 200)})"
            )
        if response.status_code != 201 or not isinstance(invoice.get("id"), int):
            raise NotProvisionable(f"create invoice answered {response.status_code}: {clip(response.text, 200)}")
        return invoice

    def payment(self, kind: str = "manual", amount: float = 125) -> tuple[int, int]:
        """(invoice_id, payment_id) of a fresh payment of `kind`, paying the whole invoice."""
        if self._pairs is not None:
            if kind != "manual" or not self._pairs:
                raise NotProvisionable("no disposable payment of this kind left in the pairs file")
            pair = self._pairs.pop(0)
            self.created.add(pair)
            return pair
        if kind != "manual" and not self.target.is_mock:
            raise NotProvisionable(f"{kind} payments are only created on the stand-in (never on a real deployment)")
        invoice = self.invoice(amount)
        if kind == "manual":
            lookups = self.lookups()
            response = self.target.request(
                "POST",
                f"/coa/api/v1/invoice/{invoice['id']}/pay/",
                json={
                    "empty_transactions": [
                        {
                            "account_id": lookups["account"]["id"],
                            "account_name": lookups["account"].get("name") or "Bank",
                            "amount": amount,
                            "payment_date": self.day(-5),
                            "external_id": f"conformance-{self.run_id}-{next(self._counter)}",
                        }
                    ]
                },
            )
            payment_ids = _object(response).get("payment_ids")
            if response.status_code != 200 or not isinstance(payment_ids, list) or not payment_ids:
                raise NotProvisionable(f"mark paid answered {response.status_code}: {clip(response.text, 200)}")
            payment_id = payment_ids[0]
        else:
            extra = {"book_amount": round(amount * 1.1, 2)} if kind == "fx" else {}
            response = self.target.admin(
                "POST",
                "/payments",
                json={
                    "invoice_id": invoice["id"],
                    "kind": "manual" if kind == "fx" else kind,
                    "amount": amount,
                    "payment_date": self.day(-5),
                    **extra,
                },
            )
            if response.status_code != 201:
                raise NotProvisionable(f"admin payment answered {response.status_code}: {clip(response.text, 200)}")
            payment_id = _object(response)["id"]
        self.created.add((invoice["id"], payment_id))
        return invoice["id"], payment_id
