"""The requests tests/test_drf_fidelity.py sends to the DRF reference and to the stand-in: the
product's generic requests (conformance.generic_requests, the corpus `campfire-conformance
compare` sends too) aimed at a payment of the default dataset, and the requests only that
dataset can answer (its other tokens, voided, Stripe and closed-books payments, its reads).

A header value may name a token of the default dataset as "{admin}", "{view_only}", "{clerk}"
or "{other}" (another organization's admin); `send` puts the key in, and nothing else ever shows
it. `project`: compare only the reference's fields of each object (the reference serves a few
fields of an invoice; the stand-in serves them all). For `clean_4xx`, `choice` and `drops`, see
conformance.generic_requests.
"""

import http.client
import json
from dataclasses import asdict, dataclass
from datetime import date
from urllib.parse import urlsplit

from conformance.generic_requests import ADMIN, JSON, VIEW_ONLY, VOID, GenericRequest, requests, void

TOKENS = {
    "admin": "nw_admin_ea8ff5f8d837115f",
    "view_only": "nw_view_only_8f8de0e973e1d036",
    "clerk": "nw_clerk_50a74cff026f4c84",
    "other": "gx_admin_13517218cdde418e",
}
PAYMENT = (2, 1)  # invoice 2, payment 1: a manual USD payment of 2026-04-01, open books
DAY = date(2026, 7, 10)  # a day it may be voided on
COMPARED_HEADERS = ("content-type", "www-authenticate", "allow", "vary", "location")


@dataclass(frozen=True)
class Scenario(GenericRequest):
    project: bool = False


@dataclass
class Answer:
    status: int
    headers: dict  # the compared headers present, lower-case names
    body: object  # parsed JSON, or the text

    def shown(self) -> dict:
        return {"status": self.status, "headers": self.headers, "body": self.body}


def aimed(request: GenericRequest) -> Scenario:
    """The request at the dataset's payment, as a scenario."""
    return Scenario(**asdict(request.at(*PAYMENT)))


def dataset_void(name, headers=None, body=None, path=VOID) -> Scenario:
    return aimed(void(name, headers, body, path))


def reads() -> list[Scenario]:
    invoices = "/coa/api/v1/invoice/"
    lists = [
        (f"list_invoices_{label}", f"{invoices}?{query}")
        for label, query in [
            ("limit_2", "limit=2"),
            ("limit_0", "limit=0"),
            ("limit_negative", "limit=-1"),
            ("limit_text", "limit=abc"),
            ("limit_5000", "limit=5000"),
            ("offset_negative", "limit=2&offset=-5"),
            ("offset_text", "limit=2&offset=x"),
            ("last_page", "limit=5&offset=70"),
            ("offset_past_end", "limit=5&offset=500"),
        ]
    ]
    return [
        Scenario("list_invoices", "GET", invoices, project=True),
        *(Scenario(name, "GET", path, project=True) for name, path in lists),
        Scenario("list_invoices_no_token", "GET", invoices, {}),
        Scenario("list_invoices_view_only", "GET", invoices + "?limit=1", VIEW_ONLY, project=True),
        Scenario("list_payments", "GET", "/coa/api/v1/invoice-payments?limit=3"),
        Scenario("list_payments_bad_limit", "GET", "/coa/api/v1/invoice-payments?limit=zero&offset=2"),
        Scenario("list_payments_with_slash", "GET", "/coa/api/v1/invoice-payments/?limit=3"),
        Scenario("get_invoice", "GET", "/coa/api/v1/invoice/2/", project=True),
        Scenario("get_invoice_no_slash", "GET", "/coa/api/v1/invoice/2"),
        Scenario("get_invoice_other_organization", "GET", "/coa/api/v1/invoice/73/"),
        Scenario("get_invoice_unknown", "GET", "/coa/api/v1/invoice/999999/"),
        Scenario("get_invoice_accept_xml", "GET", "/coa/api/v1/invoice/2/", {**ADMIN, "Accept": "application/xml"}),
        Scenario("delete_invoice", "DELETE", "/coa/api/v1/invoice/2/"),
        Scenario(
            "options_invoice_list",
            "OPTIONS",
            invoices,
            drops=("actions",),
            choice="OPTIONS says a view's name, renders and parses, not a generic view's per-field actions",
        ),
    ]


def dataset_voids() -> list[Scenario]:
    """The voids only the default dataset can answer: its other tokens and its particular payments."""
    return [
        dataset_void("void_clerk", {"Authorization": "Token {clerk}"}),
        dataset_void("void_already_voided", path="/coa/api/v1/invoice/8/payment/7/void/"),
        dataset_void("void_unknown_invoice", path="/coa/api/v1/invoice/999999/payment/1/void/"),
        dataset_void("void_payment_of_other_invoice", path="/coa/api/v1/invoice/2/payment/2/void/"),
        dataset_void("void_other_organization", {"Authorization": "Token {other}"}),
        dataset_void("void_before_payment", JSON, b'{"void_date": "2026-03-01"}'),
        dataset_void(
            "void_books_closed", JSON, b'{"void_date": "2026-02-01"}', path="/coa/api/v1/invoice/54/payment/53/void/"
        ),
        dataset_void("void_stripe_payment", path="/coa/api/v1/invoice/4/payment/3/void/"),
    ]


def generic() -> list[Scenario]:
    return [aimed(request) for request in requests(DAY)]


CORPUS = [*generic(), *dataset_voids(), *reads()]


def send(base_url: str, scenario: Scenario) -> Answer:
    """The scenario over one HTTP/1.1 connection, headers exactly as given (no client defaults but Host)."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.putrequest(scenario.method, scenario.path, skip_accept_encoding=True)
        for name, value in scenario.headers_with(TOKENS).items():
            connection.putheader(name, value)
        if scenario.body is not None:
            connection.putheader("Content-Length", str(len(scenario.body)))
        try:
            connection.endheaders(scenario.body)
        except OSError:
            pass  # the server answered (or closed) before the whole body was sent: read what it said
        try:
            response = connection.getresponse()
            raw = response.read()
        except OSError as closed:
            return Answer(0, {}, f"connection closed without an answer ({type(closed).__name__})")
        headers = {name: response.getheader(name) for name in COMPARED_HEADERS if response.getheader(name) is not None}
    finally:
        connection.close()
    return Answer(response.status, headers, parsed(raw, headers.get("content-type", ""), base_url))


def parsed(raw: bytes, content_type: str, base_url: str):
    text = raw.decode("utf-8", "replace").replace(base_url, "")
    if "json" not in content_type:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


VOLATILE = ("last_modified_at",)  # the time of the request


def comparable(answer: Answer, base_url: str, keep: dict | list | None = None) -> dict:
    """The answer without what legitimately differs: its server's address, the time of the write,
    and (with `keep`, the reference's body) the fields the reference does not serve."""
    body = answer.body

    def trim(value, model):
        if isinstance(value, dict):
            return {
                key: trim(item, model.get(key) if isinstance(model, dict) else None)
                for key, item in value.items()
                if key not in VOLATILE and (model is None or not isinstance(model, dict) or key in model)
            }
        if isinstance(value, list):
            items = model if isinstance(model, list) and model else [None]
            return [trim(item, items[0]) for item in value]
        return value

    headers = {name: value.replace(base_url, "") for name, value in answer.headers.items()}
    return {"status": answer.status, "headers": headers, "body": trim(body, keep)}


def difference(drf: dict, ours: dict) -> str:
    """One line: what of `ours` differs from `drf` (status, each header, the body)."""
    parts = []
    if drf["status"] != ours["status"]:
        parts.append(f"status {ours['status']} (DRF {drf['status']})")
    for name in sorted(set(drf["headers"]) | set(ours["headers"])):
        if drf["headers"].get(name) != ours["headers"].get(name):
            parts.append(f"{name} {ours['headers'].get(name)!r} (DRF {drf['headers'].get(name)!r})")
    if drf["body"] != ours["body"]:
        parts.append(f"body {short(ours['body'])} (DRF {short(drf['body'])})")
    return "; ".join(parts)


def short(body) -> str:
    text = json.dumps(body) if not isinstance(body, str) else repr(body)
    return text if len(text) <= 90 else text[:87] + "..."
