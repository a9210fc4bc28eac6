"""Malformed requests a hostile or careless client sends: the void, the companion operations and
the admin API. Data only; tests/test_hostile_corpus.py sends them.

Each request is refused (a 4xx with a JSON body, nothing changed), except the reads (`read=True`),
which may also answer 2xx. Paths take the ids the test provisions: `{invoice}`/`{payment}` a
voidable Stripe payment, `{open_invoice}` an unpaid invoice. `auth` is `api` (a clerk-admin
token), `view` (view-only), `admin` (X-Mock-Admin-Token) or `none`.
"""

import json
from dataclasses import dataclass, field

VOID = "/coa/api/v1/invoice/{invoice}/payment/{payment}/void/"
INVOICES = "/coa/api/v1/invoice/"
PAY = "/coa/api/v1/invoice/{open_invoice}/pay/"
PAYMENTS = "/coa/api/v1/invoice-payments"
ADMIN_PAYMENTS = "/_mock/payments"
HUGE = 10**30
DEEP = "[" * 1000 + "]" * 1000
BOUNDARY = "corpusboundary"


@dataclass(frozen=True)
class Hostile:
    name: str
    method: str
    path: str
    send: dict = field(default_factory=dict)  # httpx keyword arguments: json, content, data, files, params, headers
    auth: str = "api"
    read: bool = False


def raw(body: bytes | str, content_type: str = "application/json") -> dict:
    """A body sent byte for byte (numbers JSON cannot carry as floats, broken encodings)."""
    return {"content": body.encode() if isinstance(body, str) else body, "headers": {"Content-Type": content_type}}


def multipart(*parts: str, boundary: str = BOUNDARY, content_type: str | None = None) -> dict:
    """A hand-made multipart body (httpx only builds well-formed ones); a lone surrogate in a
    part stands for an invalid UTF-8 byte."""
    body = "".join(parts).replace("\n", "\r\n").encode("utf-8", "surrogateescape")
    return raw(body, content_type or f"multipart/form-data; boundary={boundary}")


def part(name: str, value: str, filename: str | None = None) -> str:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{BOUNDARY}\nContent-Disposition: {disposition}\n\n{value}\n"


END = f"--{BOUNDARY}--\n"

# --- the void ---------------------------------------------------------------------------------

# Not here: what Django's parse_date accepts, as DRF does (20261120, full-width digits, a final newline):
# tests/test_drf_fidelity.py sends those to the stand-in and to real DRF alike.
BAD_VOID_DATES = {
    "month-13": "2026-13-01",
    "february-30": "2026-02-30",
    "datetime": "2026-11-20T00:00:00Z",
    "year-zero": "0000-01-01",
    "all-nines": "9999-99-99",
    "leading-minus": "-2026-11-20",
    "sql": "2026-11-20'; DROP TABLE payments;--",
    "nul": "2026-11-20\x00",
    "long": "2026-11-20" * 10_000,
    "words": "yesterday",
    "slashes": "11/20/2026",
}
VOID_CASES = [
    *[
        Hostile(f"void json void_date {name}", "POST", VOID, {"json": {"void_date": value}})
        for name, value in BAD_VOID_DATES.items()
    ],
    *[
        Hostile(f"void json void_date {name}", "POST", VOID, {"json": {"void_date": value}})
        for name, value in {
            "integer": 20261120,
            "true": True,
            "list": ["2026-11-20"],
            "object": {"y": 2026},
            "blank": "",
            "float": 2026.11,
        }.items()
    ],
    Hostile("void json void_date NaN", "POST", VOID, raw('{"void_date": NaN}')),
    Hostile("void json void_date 1e999999999", "POST", VOID, raw('{"void_date": 1e999999999}')),
    Hostile("void json nested 1000 deep", "POST", VOID, raw('{"void_date": %s}' % DEEP)),
    Hostile("void json top-level nested 1000 deep", "POST", VOID, raw(DEEP)),
    Hostile("void json array body", "POST", VOID, raw('["2026-11-20"]')),
    Hostile("void json string body", "POST", VOID, raw('"2026-11-20"')),
    Hostile("void json number body", "POST", VOID, raw("1")),
    Hostile("void json null body", "POST", VOID, raw("null")),
    Hostile("void json truncated", "POST", VOID, raw('{"void_date": ')),
    Hostile("void json trailing garbage", "POST", VOID, raw('{"void_date": "2026-11-20"} x')),
    Hostile(
        "void json duplicate key, last invalid", "POST", VOID, raw('{"void_date": "2026-11-20", "void_date": "bad"}')
    ),
    Hostile("void json bad utf-8", "POST", VOID, raw(b'{"void_date": "\xff\xfe2026"}')),
    Hostile("void json lone surrogate escape", "POST", VOID, raw('{"void_date": "\\ud800"}')),
    Hostile("void json unknown charset", "POST", VOID, raw('{"void_date": "bad"}', "application/json; charset=x-nope")),
    Hostile("void json body sent as form-encoded", "POST", VOID, raw("void_date=2026-11-20&x={", "application/json")),
    Hostile("void text/plain", "POST", VOID, raw("void_date=2026-11-20", "text/plain")),
    Hostile("void application/xml", "POST", VOID, raw("<void_date>2026-11-20</void_date>", "application/xml")),
    Hostile("void form bad date", "POST", VOID, {"data": {"void_date": "2026-13-45"}}),
    Hostile(
        "void form percent-encoded bad utf-8",
        "POST",
        VOID,
        raw("void_date=%ff%fe", "application/x-www-form-urlencoded"),
    ),
    Hostile("void form raw bad utf-8", "POST", VOID, raw(b"void_date=\xff\xfe", "application/x-www-form-urlencoded")),
    Hostile("void form void_date nested 1000 deep", "POST", VOID, {"data": {"void_date": DEEP}}),
    Hostile("void multipart bad date", "POST", VOID, {"files": {"void_date": (None, "2026-02-30")}}),
    Hostile(
        "void multipart no boundary", "POST", VOID, raw(part("void_date", "2026-11-20") + END, "multipart/form-data")
    ),
    Hostile(
        "void multipart truncated",
        "POST",
        VOID,
        multipart(f'--{BOUNDARY}\nContent-Disposition: form-data; name="void_date"\n\n2026'),
    ),
    Hostile(
        "void multipart wrong boundary",
        "POST",
        VOID,
        multipart(part("void_date", "bad") + END, content_type="multipart/form-data; boundary=other"),
    ),
    Hostile(
        "void multipart date as a file",
        "POST",
        VOID,
        multipart(part("void_date", "2026-11-20", filename="d.txt") + END),
    ),
    Hostile(
        "void multipart part without name",
        "POST",
        VOID,
        multipart(f"--{BOUNDARY}\nContent-Disposition: form-data\n\nx\n" + END),
    ),
    Hostile("void multipart bad utf-8 value", "POST", VOID, multipart(part("void_date", "\udcff"), END)),
    Hostile(
        "void idempotency key 5000 chars, bad date",
        "POST",
        VOID,
        {"json": {"void_date": "bad"}, "headers": {"Idempotency-Key": "k" * 5000}},
    ),
    Hostile(
        "void idempotency key with control characters, bad date",
        "POST",
        VOID,
        {"json": {"void_date": "bad"}, "headers": {"Idempotency-Key": "a\tb\x7fc"}},
    ),
    Hostile("void without token", "POST", VOID, {"json": {}}, auth="none"),
    Hostile(
        "void with a wrong token", "POST", VOID, {"json": {}, "headers": {"Authorization": "Token nope"}}, auth="none"
    ),
    Hostile(
        "void with a bearer token", "POST", VOID, {"json": {}, "headers": {"Authorization": "Bearer x"}}, auth="none"
    ),
    Hostile(
        "void with an 8 KB token",
        "POST",
        VOID,
        {"json": {}, "headers": {"Authorization": "Token " + "t" * 8000}},
        auth="none",
    ),
    Hostile("void with a view-only token", "POST", VOID, {"json": {}}, auth="view"),
    Hostile("void with the admin token", "POST", VOID, {"json": {}}, auth="admin"),
    Hostile("void GET", "GET", VOID),
    Hostile("void PUT", "PUT", VOID, {"json": {}}),
    Hostile("void DELETE", "DELETE", VOID),
    Hostile(
        "void payment of another invoice",
        "POST",
        "/coa/api/v1/invoice/{open_invoice}/payment/{payment}/void/",
        {"json": {}},
    ),
    *[
        Hostile(f"void path {name}", "POST", path, {"json": {}})
        for name, path in {
            "huge invoice id": f"/coa/api/v1/invoice/{HUGE}/payment/{{payment}}/void/",
            "huge payment id": f"/coa/api/v1/invoice/{{invoice}}/payment/{2**63}/void/",
            "negative ids": "/coa/api/v1/invoice/-1/payment/-1/void/",
            "non-numeric ids": "/coa/api/v1/invoice/abc/payment/x/void/",
            "exponent id": "/coa/api/v1/invoice/1e3/payment/{payment}/void/",
            "encoded traversal": "/coa/api/v1/invoice/..%2f..%2f/payment/{payment}/void/",
            "encoded newline id": "/coa/api/v1/invoice/4%0a/payment/{payment}/void/",
        }.items()
    ],
]

# --- create invoice ---------------------------------------------------------------------------

INVOICE_JSON = (
    '{{"entity": 1, "client": 1, "invoice_date": "2026-07-01", "due_date": "2026-07-31", {extra}'
    '"lines": [{{"description": "Consulting", {line}}}]}}'
)
VALID_INVOICE = {
    "entity": 1,
    "client": 1,
    "invoice_date": "2026-07-01",
    "due_date": "2026-07-31",
    "lines": [{"description": "Consulting", "amount": 100, "tax": 0}],
}


def invoice_json(line: str = '"amount": 100', extra: str = "") -> dict:
    """A create-invoice JSON body, valid but for the given line fields (or extra fields)."""
    return raw(INVOICE_JSON.format(line=line, extra=f"{extra}, " if extra else ""))


def invoice_form(**changes) -> dict:
    """A create-invoice form body: the valid invoice with `changes`; lines as a JSON field."""
    fields = {**VALID_INVOICE, **changes}
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in fields.items()}


BAD_LINES = {
    "tax 9.999999999999999e17": '"amount": 1, "tax": 9.999999999999999e17',
    "amount 1e17": '"amount": 1e17',
    "amount 9e16 + tax 9e16": '"amount": 9e16, "tax": 9e16',
    "quantity 1e12 * rate 1e12": '"quantity": 1e12, "rate": 1e12',
    "tax 92233720368547758": '"amount": 1, "tax": 92233720368547758',
    "amount 1e18 (schema maximum)": '"amount": 1e18',
    "amount -1e17": '"amount": -1e17',
    "amount 0.001 (sub-cent)": '"amount": 0.001',
    "amount 1e-400": '"amount": 1e-400',
    "amount as a string": '"amount": "100"',
    "amount NaN": '"amount": NaN',
    "amount Infinity": '"amount": Infinity',
    "amount 1e999999999": '"amount": 1e999999999',
    "tax -1e999999999": '"amount": 1, "tax": -1e999999999',
    "quantity 1e-30 * rate 3": '"quantity": 1e-30, "rate": 3',
    "tax_description 300 characters": '"amount": 1, "tax_description": "%s"' % ("d" * 300),
    "tag_ids beyond int64": '"amount": 1, "tag_ids": [%d]' % 2**64,
    "service_date 2026-02-30": '"amount": 1, "service_date": "2026-02-30"',
}
BAD_INVOICE_FIELDS = {
    "entity as a string": '"entity": "abc"',
    "entity 10**30": f'"entity": {HUGE}',
    "entity 2**63": f'"entity": {2**63}',
    "entity -1": '"entity": -1',
    "client 10**30": f'"client": {HUGE}',
    "invoice_date 2026-02-30": '"invoice_date": "2026-02-30"',
    "invoice_date null": '"invoice_date": null',
    "due_date a word": '"due_date": "yesterday"',
    "currency ßßß": '"currency": "\\u00df\\u00df\\u00df", "exchange_rate": 1',
    "currency ZZZ (not ISO 4217)": '"currency": "ZZZ", "exchange_rate": 1',
    "currency of four letters": '"currency": "USDX"',
    "currency of NUL characters": '"currency": "\\u0000\\u0000\\u0000", "exchange_rate": 1',
    "exchange_rate 0": '"currency": "EUR", "exchange_rate": 0',
    "exchange_rate negative": '"currency": "EUR", "exchange_rate": -1',
    "exchange_rate 1e14": '"currency": "EUR", "exchange_rate": 1e14',
    "chat_id beyond int32": f'"chat_id": {2**31}',
    "ita_allocation_number not 9 digits": '"ita_allocation_number": "abc"',
    "discount 1e30": '"discount": 1e30',
}
INVOICE_CASES = [
    *[
        Hostile(f"create invoice json line {name}", "POST", INVOICES, invoice_json(line))
        for name, line in BAD_LINES.items()
    ],
    *[
        Hostile(f"create invoice json {name}", "POST", INVOICES, invoice_json(extra=extra))
        for name, extra in BAD_INVOICE_FIELDS.items()
    ],
    Hostile(
        "create invoice json lines nested 1000 deep",
        "POST",
        INVOICES,
        raw('{"entity": 1, "client": 1, "invoice_date": "2026-07-01", "due_date": "2026-07-31", "lines": %s}' % DEEP),
    ),
    Hostile("create invoice json body nested 1000 deep", "POST", INVOICES, raw('{"x": %s}' % DEEP)),
    Hostile("create invoice json lines a string", "POST", INVOICES, {"json": {**VALID_INVOICE, "lines": "abc"}}),
    Hostile("create invoice json lines of integers", "POST", INVOICES, {"json": {**VALID_INVOICE, "lines": [1, 2]}}),
    Hostile("create invoice json empty object", "POST", INVOICES, {"json": {}}),
    Hostile("create invoice json array body", "POST", INVOICES, {"json": [VALID_INVOICE]}),
    Hostile(
        "create invoice json bad utf-8",
        "POST",
        INVOICES,
        raw(b'{"entity": 1, "client": 1, "invoice_number": "\xc3\x28"}'),
    ),
    Hostile("create invoice text/plain", "POST", INVOICES, raw(json.dumps(VALID_INVOICE), "text/plain")),
    Hostile("create invoice form lines nested 1000 deep", "POST", INVOICES, {"data": invoice_form(lines=DEEP)}),
    Hostile("create invoice form lines not JSON", "POST", INVOICES, {"data": invoice_form(lines="[{amount: 1}")}),
    Hostile(
        "create invoice form line amount 1e17",
        "POST",
        INVOICES,
        {"data": invoice_form(lines='[{"description": "x", "amount": 1e17}]')},
    ),
    Hostile(
        "create invoice form line tax 92233720368547758",
        "POST",
        INVOICES,
        {"data": invoice_form(lines='[{"description": "x", "amount": 1, "tax": 92233720368547758}]')},
    ),
    Hostile("create invoice form entity not a number", "POST", INVOICES, {"data": invoice_form(entity="abc")}),
    Hostile(
        "create invoice form invoice_date 2026-02-30",
        "POST",
        INVOICES,
        {"data": invoice_form(invoice_date="2026-02-30")},
    ),
    Hostile(
        "create invoice form currency ßßß", "POST", INVOICES, {"data": invoice_form(currency="ßßß", exchange_rate="1")}
    ),
    Hostile(
        "create invoice form raw bad utf-8",
        "POST",
        INVOICES,
        raw(b"entity=1&client=\xff", "application/x-www-form-urlencoded"),
    ),
    Hostile(
        "create invoice multipart lines nested 1000 deep",
        "POST",
        INVOICES,
        {"files": {key: (None, value) for key, value in invoice_form(lines=DEEP).items()}},
    ),
    Hostile(
        "create invoice multipart line quantity 1e12 * rate 1e12",
        "POST",
        INVOICES,
        {
            "files": {
                key: (None, value)
                for key, value in invoice_form(lines='[{"description": "x", "quantity": 1e12, "rate": 1e12}]').items()
            }
        },
    ),
    Hostile(
        "create invoice multipart lines as a file",
        "POST",
        INVOICES,
        multipart(
            *[part(key, value) for key, value in invoice_form().items() if key != "lines"],
            part("lines", json.dumps(VALID_INVOICE["lines"]), filename="lines.json"),
            END,
        ),
    ),
    Hostile(
        "create invoice multipart truncated",
        "POST",
        INVOICES,
        multipart(part("entity", "1"), f"--{BOUNDARY}\nContent-Dis"),
    ),
    Hostile("create invoice without token", "POST", INVOICES, {"json": VALID_INVOICE}, auth="none"),
    Hostile("create invoice with a view-only token", "POST", INVOICES, {"json": VALID_INVOICE}, auth="view"),
]

# --- mark paid --------------------------------------------------------------------------------

PAYMENT_JSON = (
    '{{"empty_transactions": [{{"account_id": 1, "account_name": "Operating Cash", '
    '"payment_date": "2026-07-05", {fields}}}]}}'
)
BAD_MARK_PAID = {
    "amount 1e17": '"amount": 1e17',
    "amount 1e999999999": '"amount": 1e999999999',
    "amount 92233720368547758": '"amount": 92233720368547758',
    "amount as a string": '"amount": "abc"',
    "amount negative": '"amount": -5',
    "amount 0.001 (sub-cent)": '"amount": 0.001',
    "payment_date 2026-02-30": '"amount": 1, "payment_date": "2026-02-30"',
    "account_id 2**63": f'"amount": 1, "account_id": {2**63}',
    "account_id a string": '"amount": 1, "account_id": "x"',
    "currency ßßß": '"amount": 1, "currency": "\\u00df\\u00df\\u00df"',
    "external_id 300 characters": '"amount": 1, "external_id": "%s"' % ("e" * 300),
    "tag_ids nested 1000 deep": '"amount": 1, "tag_ids": %s' % DEEP,
}
MARK_PAID_CASES = [
    *[
        Hostile(f"mark paid json {name}", "POST", PAY, raw(PAYMENT_JSON.format(fields=fields)))
        for name, fields in BAD_MARK_PAID.items()
    ],
    Hostile("mark paid json empty_transactions a string", "POST", PAY, {"json": {"empty_transactions": "x"}}),
    Hostile(
        "mark paid json empty_transactions nested 1000 deep", "POST", PAY, raw('{"empty_transactions": %s}' % DEEP)
    ),
    Hostile("mark paid json credit memo without fields", "POST", PAY, {"json": {"credit_memos": [{}]}}),
    Hostile(
        "mark paid json unknown credit memo",
        "POST",
        PAY,
        {"json": {"credit_memos": [{"credit_memo_id": HUGE, "amount": 1, "posted_at": "2026-07-05"}]}},
    ),
    Hostile(
        "mark paid json transaction id 10**30",
        "POST",
        PAY,
        {"json": {"transactions": [{"transaction_id": HUGE, "amount": 1}]}},
    ),
    Hostile("mark paid json bad utf-8", "POST", PAY, raw(b'{"empty_transactions": [{"memo": "\xed\xa0\x80"}]}')),
    Hostile("mark paid text/plain", "POST", PAY, raw("{}", "text/plain")),
    Hostile("mark paid form empty_transactions not JSON", "POST", PAY, {"data": {"empty_transactions": "[{"}}),
    Hostile("mark paid form empty_transactions nested 1000 deep", "POST", PAY, {"data": {"empty_transactions": DEEP}}),
    Hostile("mark paid multipart truncated", "POST", PAY, multipart(part("empty_transactions", "[]")[:-5])),
    Hostile("mark paid huge invoice id", "POST", f"/coa/api/v1/invoice/{HUGE}/pay/", {"json": {}}),
    Hostile("mark paid non-numeric invoice id", "POST", "/coa/api/v1/invoice/x/pay/", {"json": {}}),
    Hostile(
        "mark paid with a view-only token", "POST", PAY, raw(PAYMENT_JSON.format(fields='"amount": 1')), auth="view"
    ),
]

# --- reads with bad query parameters (a 2xx is fine: DRF ignores what it does not know) -------

BAD_QUERIES = {
    INVOICES: [
        {"limit": "-1"},
        {"limit": "abc"},
        {"limit": str(HUGE)},
        {"offset": "-5"},
        {"offset": "1e400"},
        {"offset": str(2**63)},
        {"entity": "abc"},
        {"entity": str(HUGE)},
        {"client": str(2**64)},
        {"start_date": "garbage"},
        {"end_date": "2026-02-30"},
        {"paid_date_from": "\x00"},
        {"status": "bogus"},
        {"sort": "; DROP TABLE invoices"},
        {"sort": "-no_such_field"},
        {"q": "\x00%"},
        {"q": "q" * 10_000},
        {"currency": "ßßß"},
        {"download": "maybe"},
        {"sentStatus": "x"},
    ],
    PAYMENTS: [
        {"invoice_id": "abc"},
        {"invoice_id": str(HUGE)},
        {"voided": "maybe"},
        {"limit": "0"},
        {"cursor": "\xff" * 20},
        {"last_modified_at__gte": "not-a-date"},
        {"skip_count": "2"},
    ],
    "/coa/api/vendor": [{"limit": "-1"}, {"offset": str(HUGE)}],
    "/coa/api/account": [{"limit": "1e3"}, {"offset": "-1"}],
}
READ_CASES = [
    *[
        Hostile(f"list {path} {key}={value[:24]!r}", "GET", path, {"params": {key: value}}, read=True)
        for path, queries in BAD_QUERIES.items()
        for query in queries
        for key, value in query.items()
    ],
    *[
        Hostile(f"retrieve {path}", "GET", path, read=True)
        for path in (
            f"{INVOICES}{HUGE}/",
            f"{INVOICES}-1/",
            "/coa/api/journal_entry/abc",
            f"/coa/api/journal_entry/{2**63}",
            f"/coa/api/v1/credit-memo/{2**64}",
            "/coa/api/v1/credit-memo/%00",
        )
    ],
]

# --- admin API --------------------------------------------------------------------------------

ADMIN_PAYMENT_JSON = '{{"invoice_id": {{open_invoice}}, "kind": "manual", "payment_date": "2026-07-05", {fields}}}'
BAD_ADMIN_PAYMENTS = {
    "amount 1e999999999": '"amount": 1e999999999',
    "book_amount 1e30": '"amount": 1, "book_amount": 1e30',
    "amount 92233720368547758": '"amount": 92233720368547758',
    "amount 1e17": '"amount": 1e17',
    "amount as a string": '"amount": "abc"',
    "amount negative": '"amount": -1',
    "amount 0.001 (sub-cent)": '"amount": 0.001',
    "discount 1e30": '"amount": 1, "discount": 1e30',
    "kind bitcoin (repeated key, last wins)": '"amount": 1, "kind": "bitcoin"',
    "payment_date 2026-02-30": '"amount": 1, "payment_date": "2026-02-30"',
    "external_id 300 characters": '"amount": 1, "external_id": "%s"' % ("e" * 300),
    "credit_memo_id 10**30": f'"amount": 1, "kind": "credit_memo", "credit_memo_id": {HUGE}',
    "external_id nested 1000 deep": '"amount": 1, "external_id": %s' % DEEP,
    "no amount": '"book_amount": null',
}
ADMIN_CASES = [
    *[
        Hostile(
            f"admin payment {name}", "POST", ADMIN_PAYMENTS, raw(ADMIN_PAYMENT_JSON.format(fields=fields)), auth="admin"
        )
        for name, fields in BAD_ADMIN_PAYMENTS.items()
    ],
    Hostile("admin payment nested 1000 deep", "POST", ADMIN_PAYMENTS, raw(DEEP), auth="admin"),
    Hostile(
        "admin payment invoice_id 10**30",
        "POST",
        ADMIN_PAYMENTS,
        {"json": {"invoice_id": HUGE, "kind": "manual", "amount": 1}},
        auth="admin",
    ),
    Hostile(
        "admin payment invoice_id a string",
        "POST",
        ADMIN_PAYMENTS,
        {"json": {"invoice_id": "x", "kind": "manual", "amount": 1}},
        auth="admin",
    ),
    Hostile("admin payment array body", "POST", ADMIN_PAYMENTS, {"json": []}, auth="admin"),
    Hostile("admin payment bad utf-8", "POST", ADMIN_PAYMENTS, raw(b'{"kind": "\xff"}'), auth="admin"),
    Hostile("admin payment text/plain", "POST", ADMIN_PAYMENTS, raw("{}", "text/plain"), auth="admin"),
    Hostile("admin payment without token", "POST", ADMIN_PAYMENTS, {"json": {}}, auth="none"),
    Hostile("admin payment with an API token", "POST", ADMIN_PAYMENTS, {"json": {}}, auth="api"),
    Hostile("admin clock 2026-02-30", "PUT", "/_mock/clock", {"json": {"today": "2026-02-30"}}, auth="admin"),
    Hostile("admin clock a number", "PUT", "/_mock/clock", {"json": {"today": 5}}, auth="admin"),
    Hostile("admin clock empty body", "PUT", "/_mock/clock", {"json": {}}, auth="admin"),
    Hostile("admin fault meteor", "POST", "/_mock/stripe/faults", {"json": {"fault": "meteor"}}, auth="admin"),
    *[
        Hostile(
            f"admin fault count {count!r}",
            "POST",
            "/_mock/stripe/faults",
            {"json": {"fault": "decline", "count": count}},
            auth="admin",
        )
        for count in (0, 1001, "x", 2**63)
    ],
    Hostile(
        "admin reset unknown dataset", "POST", "/_mock/reset", {"json": {"fixtures": "../../etc/passwd"}}, auth="admin"
    ),
    Hostile("admin reset nested 1000 deep", "POST", "/_mock/reset", raw('{"fixtures": %s}' % DEEP), auth="admin"),
    Hostile("admin reset text/plain", "POST", "/_mock/reset", raw("fixtures=default", "text/plain"), auth="admin"),
    Hostile("admin reset without token", "POST", "/_mock/reset", {"json": {}}, auth="none"),
    Hostile("admin invariants with an API token", "GET", "/_mock/invariants", auth="api"),
]

CORPUS = [*VOID_CASES, *INVOICE_CASES, *MARK_PAID_CASES, *READ_CASES, *ADMIN_CASES]
