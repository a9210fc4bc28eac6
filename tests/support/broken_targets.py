"""Deliberately broken deployments: the stand-in behind a wrapper that breaks one rule.

Each defect is a small class; `request` may rewrite the incoming request (or answer it at
once), `response` may rewrite the answer. The harness must reject every one of them.
"""

import json
import re
from datetime import date, timedelta

VOID = re.compile(r"^/coa/api/v1/invoice/(\d+)/payment/(\d+)/void/$")
PAY = re.compile(r"^/coa/api/v1/invoice/(\d+)/pay/$")


class Exchange:
    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body
        self.answer = None  # (status, body) to answer without calling the stand-in

    @property
    def is_void(self):
        return self.method == "POST" and VOID.match(self.path)


class Defect:
    """No defect: the base every broken target overrides in one place."""

    rule = ""

    def __init__(self, tokens):
        self.tokens = tokens  # {"admin": ..., "view_only": ...}

    def request(self, exchange):
        pass

    def response(self, exchange, status, body):
        return status, body


class _VoidBody(Defect):
    """Rewrites the JSON body of a successful void."""

    def response(self, exchange, status, body):
        if exchange.is_void and status == 200:
            data = json.loads(body)
            self.rewrite(data)
            body = json.dumps(data).encode()
        return status, body


class MissingRequiredField(_VoidBody):
    rule = "void_echoes_the_requested_date"

    def rewrite(self, data):
        del data["external_id"]


class WrongType(_VoidBody):
    rule = "void_echoes_the_requested_date"

    def rewrite(self, data):
        data["id"] = str(data["id"])


class BadEnum(_VoidBody):
    rule = "void_echoes_the_requested_date"

    def rewrite(self, data):
        data["source"] = "BOGUS"


class BadDateFormat(_VoidBody):
    rule = "void_echoes_the_requested_date"

    def rewrite(self, data):
        data["created_at"] = "yesterday"


class SecondVoidAnswered200(Defect):
    rule = "second_void_is_refused"

    def __init__(self, *args):
        super().__init__(*args)
        self.first = {}

    def response(self, exchange, status, body):
        if exchange.is_void and status == 200:
            self.first[exchange.path] = body
        elif exchange.is_void and status == 400 and exchange.path in self.first:
            return 200, self.first[exchange.path]
        return status, body


class VoidDateIgnored(Defect):
    rule = "void_echoes_the_requested_date"

    def request(self, exchange):
        if exchange.is_void:
            exchange.body = b""
            exchange.headers["content-type"] = "application/json"


class ServerErrorOnBadInput(Defect):
    rule = "invalid_void_date_is_400_and_changes_nothing"

    def response(self, exchange, status, body):
        if exchange.is_void and status == 400:
            return 500, b'{"detail": "Internal error"}'
        return status, body


class UnauthenticatedLetThrough(Defect):
    rule = "missing_token_is_401"

    def request(self, exchange):
        if "authorization" not in exchange.headers:
            exchange.headers["authorization"] = f"Token {self.tokens['admin']}"


class InvalidTokenAccepted(Defect):
    rule = "invalid_token_is_401"

    def request(self, exchange):
        if exchange.headers.get("authorization") == "Token invalid-conformance-token":
            exchange.headers["authorization"] = f"Token {self.tokens['admin']}"


class ViewOnlyMayVoid(Defect):
    rule = "view_only_token_is_403"

    def request(self, exchange):
        if exchange.headers.get("authorization") == f"Token {self.tokens['view_only']}":
            exchange.headers["authorization"] = f"Token {self.tokens['admin']}"


class StaleInvoiceAfterVoid(Defect):
    rule = "invoice_shows_the_money_returned"

    def __init__(self, *args):
        super().__init__(*args)
        self.cache = {}

    def response(self, exchange, status, body):
        if exchange.method == "GET" and exchange.path.startswith("/coa/api/v1/invoice/") and status == 200:
            body = self.cache.setdefault(exchange.path, body)
        return status, body


class FormBodyRejected(Defect):
    rule = "content_type_is_accepted[form]"

    def request(self, exchange):
        if exchange.is_void and exchange.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            exchange.answer = (415, b'{"detail": "Unsupported media type."}')


class PaymentOfAnotherInvoiceVoided(Defect):
    """Voids the payment whatever invoice the path names (it remembers whose each payment is)."""

    rule = "payment_of_another_invoice_is_404"

    def __init__(self, *args):
        super().__init__(*args)
        self.invoice_of = {}

    def request(self, exchange):
        match = exchange.is_void
        if match and match.group(2) in self.invoice_of:
            exchange.path = f"/coa/api/v1/invoice/{self.invoice_of[match.group(2)]}/payment/{match.group(2)}/void/"

    def response(self, exchange, status, body):
        match = PAY.match(exchange.path)
        if match and exchange.method == "POST" and status == 200:
            for payment_id in json.loads(body)["payment_ids"]:
                self.invoice_of[str(payment_id)] = match.group(1)
        return status, body


class ReversalNotMirrored(Defect):
    rule = "reversing_entry_mirrors_the_payment"

    def response(self, exchange, status, body):
        if exchange.method == "GET" and exchange.path.startswith("/coa/api/journal_entry/") and status == 200:
            entry = json.loads(body)
            if entry.get("reversal_of"):
                for line in entry["transactions"]:
                    line["debit_amount"], line["credit_amount"] = line["credit_amount"], line["debit_amount"]
                body = json.dumps(entry).encode()
        return status, body


class DefaultDateNotToday(Defect):
    rule = "void_date_defaults_to_today[absent]"

    def request(self, exchange):
        if exchange.is_void and not exchange.body:
            exchange.body = json.dumps({"void_date": (date.today() + timedelta(days=3)).isoformat()}).encode()
            exchange.headers["content-type"] = "application/json"


class DanglingReversal(Defect):
    """The reversing journal entry that the void names cannot be read back (404)."""

    rule = "reversing_entry_mirrors_the_payment"

    def __init__(self, *args, status=404):
        super().__init__(*args)
        self.status, self.reversals = status, set()

    def request(self, exchange):
        if exchange.method == "GET" and exchange.path.removeprefix("/coa/api/journal_entry/") in self.reversals:
            exchange.answer = (self.status, b'{"detail": "Not found."}')

    def response(self, exchange, status, body):
        if exchange.is_void and status == 200:
            self.reversals.add(str(json.loads(body)["voided_journal_entry"]))
        return status, body


class ReversalForbidden(DanglingReversal):
    """Journal entries are not readable with this token (403): not a failure, not applicable."""

    def __init__(self, *args):
        super().__init__(*args, status=403)


class PreVoidedPayments(Defect):
    """Every payment the list shows is voided, even one just made (a refusal can prove nothing)."""

    rule = "missing_token_is_401"

    def response(self, exchange, status, body):
        if exchange.method == "GET" and exchange.path == "/coa/api/v1/invoice-payments" and status == 200:
            page = json.loads(body)
            for row in page["results"]:
                row["voided_date"] = row["voided_date"] or "2026-01-02"
            body = json.dumps(page).encode()
        return status, body


class NoEntity(Defect):
    """The token's organization has no entity: nothing can be provisioned."""

    def request(self, exchange):
        if exchange.method == "GET" and exchange.path == "/coa/api/entity":
            exchange.answer = (200, b"[]")


DEFECTS = [
    MissingRequiredField,
    WrongType,
    BadEnum,
    BadDateFormat,
    SecondVoidAnswered200,
    VoidDateIgnored,
    ServerErrorOnBadInput,
    UnauthenticatedLetThrough,
    InvalidTokenAccepted,
    ViewOnlyMayVoid,
    StaleInvoiceAfterVoid,
    FormBodyRejected,
    PaymentOfAnotherInvoiceVoided,
    ReversalNotMirrored,
    DefaultDateNotToday,
    DanglingReversal,
]


class BrokenTarget:
    """ASGI app: the stand-in `app` seen through `defect`."""

    def __init__(self, app, defect: Defect):
        self.app, self.defect = app, defect

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        exchange = Exchange(scope["method"], scope["path"], headers, body)
        self.defect.request(exchange)
        headers = []
        if exchange.answer:
            status, answer = exchange.answer
        else:
            status, headers, answer = await self._forward(scope, exchange)
            status, answer = self.defect.response(exchange, status, answer)
        headers = [(k, v) for k, v in headers if k.lower() not in (b"content-type", b"content-length")]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": headers
                + [(b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": answer})

    async def _forward(self, scope, exchange):
        exchange.headers["content-length"] = str(len(exchange.body))
        inner = dict(
            scope,
            path=exchange.path,
            raw_path=exchange.path.encode(),
            headers=[(k.encode(), v.encode()) for k, v in exchange.headers.items()],
        )
        sent = False

        async def receive():
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": exchange.body, "more_body": False}

        status, headers, chunks = 500, [], []

        async def send(message):
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(inner, receive, send)
        return status, headers, b"".join(chunks)


class AccountLookupFails(Defect):
    """The chart of accounts answers 500: a look-up the harness needs before it can pay."""

    def request(self, exchange):
        if exchange.method == "GET" and exchange.path == "/coa/api/account":
            exchange.answer = (500, b'{"detail": "upstream ledger unavailable"}')


class AccountLookupOffSchema(Defect):
    """The chart of accounts answers 200 with accounts whose required `number` is missing."""

    def response(self, exchange, status, body):
        if exchange.method == "GET" and exchange.path == "/coa/api/account" and status == 200:
            page = json.loads(body)
            for account in page["results"]:
                account.pop("number", None)
            body = json.dumps(page).encode()
        return status, body


class FirstEntityListFails(Defect):
    """The first GET /coa/api/entity (the harness's probe) answers 500; later ones are right."""

    failed = False

    def request(self, exchange):
        if exchange.method == "GET" and exchange.path == "/coa/api/entity" and not self.failed:
            self.failed = True
            exchange.answer = (500, b'{"detail": "warming up"}')
