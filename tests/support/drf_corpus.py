"""The requests tests/test_drf_fidelity.py sends to the DRF reference and to the stand-in.

Each scenario is data: a name, a method, a path, headers and a body. A header value may name a
token of the default dataset as "{admin}", "{view_only}", "{clerk}" or "{other}" (another
organization's admin); `send` puts the key in, and nothing else ever shows it. `clean_4xx`
marks a request DRF itself answers with a 5xx: the stand-in must answer it with a 4xx instead.
`project`: compare only the reference's fields of each object (the reference serves a few
fields of an invoice; the stand-in serves them all). `choice`: where the stand-in answers
otherwise on purpose (a setting of Campfire's it cannot know), the choice in words; the
stand-in's answer must then be a 4xx JSON answer or DRF's with `drops` removed from its body.
"""
import http.client
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TOKENS = {"admin": "nw_admin_ea8ff5f8d837115f", "view_only": "nw_view_only_8f8de0e973e1d036",
          "clerk": "nw_clerk_50a74cff026f4c84", "other": "gx_admin_13517218cdde418e"}
VOID = "/coa/api/v1/invoice/2/payment/1/void/"  # a manual USD payment of 2026-04-01, open books
ADMIN = {"Authorization": "Token {admin}"}
JSON = {**ADMIN, "Content-Type": "application/json"}
DATE = b'{"void_date": "2026-07-10"}'
COMPARED_HEADERS = ("content-type", "www-authenticate", "allow", "vary", "location")


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    headers: dict = field(default_factory=lambda: dict(ADMIN))
    body: bytes | None = None
    clean_4xx: bool = False
    project: bool = False
    choice: str | None = None
    drops: tuple = ()  # the keys of DRF's body that the choice leaves out


@dataclass
class Answer:
    status: int
    headers: dict  # the compared headers present, lower-case names
    body: object  # parsed JSON, or the text

    def shown(self) -> dict:
        return {"status": self.status, "headers": self.headers, "body": self.body}


def void(name, headers=None, body=None, path=VOID, **kwargs) -> Scenario:
    return Scenario(name, "POST", path, ADMIN if headers is None else headers, body, **kwargs)


def multipart(boundary: bytes, declared: str) -> tuple[dict, bytes]:
    body = b"--" + boundary + b'\r\nContent-Disposition: form-data; name="void_date"\r\n\r\n2026-07-10\r\n--' \
        + boundary + b"--\r\n"
    return {**ADMIN, "Content-Type": f"multipart/form-data{declared}"}, body


def reads() -> list[Scenario]:
    invoices = "/coa/api/v1/invoice/"
    lists = [(f"list_invoices_{label}", f"{invoices}?{query}") for label, query in [
        ("limit_2", "limit=2"), ("limit_0", "limit=0"), ("limit_negative", "limit=-1"), ("limit_text", "limit=abc"),
        ("limit_5000", "limit=5000"), ("offset_negative", "limit=2&offset=-5"), ("offset_text", "limit=2&offset=x"),
        ("last_page", "limit=5&offset=70"), ("offset_past_end", "limit=5&offset=500")]]
    return [
        Scenario("list_invoices", "GET", invoices, project=True),
        *(Scenario(name, "GET", path, project=True) for name, path in lists),
        Scenario("list_invoices_no_token", "GET", invoices, {}),
        Scenario("list_invoices_view_only", "GET", invoices + "?limit=1", {"Authorization": "Token {view_only}"},
                 project=True),
        Scenario("list_payments", "GET", "/coa/api/v1/invoice-payments?limit=3"),
        Scenario("list_payments_bad_limit", "GET", "/coa/api/v1/invoice-payments?limit=zero&offset=2"),
        Scenario("list_payments_with_slash", "GET", "/coa/api/v1/invoice-payments/?limit=3"),
        Scenario("get_invoice", "GET", "/coa/api/v1/invoice/2/", project=True),
        Scenario("get_invoice_no_slash", "GET", "/coa/api/v1/invoice/2"),
        Scenario("get_invoice_other_organization", "GET", "/coa/api/v1/invoice/73/"),
        Scenario("get_invoice_unknown", "GET", "/coa/api/v1/invoice/999999/"),
        Scenario("get_invoice_accept_xml", "GET", "/coa/api/v1/invoice/2/", {**ADMIN, "Accept": "application/xml"}),
        Scenario("delete_invoice", "DELETE", "/coa/api/v1/invoice/2/"),
        Scenario("options_invoice_list", "OPTIONS", invoices, drops=("actions",),
                 choice="OPTIONS says a view's name, renders and parses, not a generic view's per-field actions"),
    ]


def voids() -> list[Scenario]:
    nested = b"[" * 100_000 + b"]" * 100_000
    many_fields = "&".join(f"f{n}=1" for n in range(1001)).encode()
    return [
        # the business rules
        void("void_ok"), void("void_clerk", {"Authorization": "Token {clerk}"}),
        void("void_with_date", JSON, DATE), void("void_null_date", JSON, b'{"void_date": null}'),
        void("void_already_voided", path="/coa/api/v1/invoice/8/payment/7/void/"),
        void("void_unknown_invoice", path="/coa/api/v1/invoice/999999/payment/1/void/"),
        void("void_payment_of_other_invoice", path="/coa/api/v1/invoice/2/payment/2/void/"),
        void("void_other_organization", {"Authorization": "Token {other}"}),
        void("void_before_payment", JSON, b'{"void_date": "2026-03-01"}'),
        void("void_books_closed", JSON, b'{"void_date": "2026-02-01"}', path="/coa/api/v1/invoice/54/payment/53/void/"),
        void("void_bad_date", JSON, b'{"void_date": "2026-13-01"}'),
        void("void_date_number", JSON, b'{"void_date": 20260710}'),
        void("void_date_with_time", JSON, b'{"void_date": "2026-07-10T00:00:00"}'),
        void("void_stripe_payment", path="/coa/api/v1/invoice/4/payment/3/void/"),
        # dates Django's parse_date accepts (date.fromisoformat, then its own Y-M-D pattern)
        void("date_single_digits", JSON, b'{"void_date": "2026-7-1"}'),
        void("date_basic_format", JSON, b'{"void_date": "20260701"}'),
        void("date_iso_week", JSON, b'{"void_date": "2026-W27-3"}'),
        void("date_fullwidth_digits", JSON, '{"void_date": "２０２６-０７-１０"}'.encode()),
        void("date_final_newline", JSON, b'{"void_date": "2026-07-10\\n"}'),
        void("date_form_single_digits", {**ADMIN, "Content-Type": "application/x-www-form-urlencoded"},
             b"void_date=2026-7-9"),
        # routing
        void("void_no_trailing_slash", path=VOID.rstrip("/")),
        void("void_plus_id", path="/coa/api/v1/invoice/+2/payment/1/void/"),
        void("void_double_slash", path="/coa/api/v1/invoice/2//payment/1/void/"),
        Scenario("unrouted_path", "GET", "/coa/api/v1/nowhere/"),
        Scenario("unrouted_no_slash", "GET", "/coa/api/v1/nowhere"),
        Scenario("unrouted_no_token", "GET", "/coa/api/v1/nowhere/", {}),
        # authentication
        void("auth_missing", {}), void("auth_empty", {"Authorization": ""}),
        void("auth_token_alone", {"Authorization": "Token"}),
        void("auth_token_with_spaces", {"Authorization": "Token {admin} extra"}),
        void("auth_bearer", {"Authorization": "Bearer {admin}"}),
        void("auth_lower_case_scheme", {"Authorization": "token {admin}"}),
        void("auth_unknown_token", {"Authorization": "Token nw_admin_0000000000000000"}),
        void("auth_short_token", {"Authorization": "Token abc"}),
        void("auth_non_utf8_token", {"Authorization": b"Token nw_admin_\xff\xfe"}, clean_4xx=True),
        void("auth_view_only", {"Authorization": "Token {view_only}"}),
        # methods
        Scenario("get_void_no_token", "GET", VOID, {}), Scenario("get_void", "GET", VOID),
        Scenario("put_void", "PUT", VOID, JSON, DATE), Scenario("patch_void", "PATCH", VOID),
        Scenario("delete_void_view_only", "DELETE", VOID, {"Authorization": "Token {view_only}"}),
        Scenario("delete_void", "DELETE", VOID), Scenario("options_void", "OPTIONS", VOID),
        Scenario("options_void_no_token", "OPTIONS", VOID, {}), Scenario("head_void", "HEAD", VOID),
        # content negotiation
        *(void(f"accept_{label}", {**ADMIN, "Accept": accept}) for label, accept in [
            ("xml", "application/xml"), ("unknown", "application/x-unknown"), ("empty", ""), ("any", "*/*"),
            ("application_any", "application/*"), ("html", "text/html"), ("json_quality", "text/plain;q=1, application/json;q=0.5"),
            ("json", "application/json")]),
        void("accept_xml_no_token", {"Accept": "application/xml"}),
        void("format_xml", path=VOID + "?format=xml"), void("format_json", path=VOID + "?format=json"),
        # parsing
        void("json_without_content_type", ADMIN, DATE),
        void("content_type_upper_case", {**ADMIN, "Content-Type": "APPLICATION/JSON"}, DATE),
        void("content_type_charset", {**ADMIN, "Content-Type": "application/json; charset=utf-8"}, DATE),
        void("content_type_latin1", {**ADMIN, "Content-Type": "application/json; charset=latin-1"},
             '{"void_date": "2026-07-10", "note": "caf\u00e9"}'.encode("latin-1")),
        void("content_type_any", {**ADMIN, "Content-Type": "*/*"}, DATE),
        void("content_type_application_any", {**ADMIN, "Content-Type": "application/*"}, DATE),
        void("accept_json_indent", {**ADMIN, "Accept": "application/json; indent=4"}),
        void("content_type_text_plain", {**ADMIN, "Content-Type": "text/plain"}, DATE),
        void("json_empty_body", JSON, b""), void("json_whitespace", JSON, b"   \n"),
        void("json_nan", JSON, b'{"void_date": NaN}'), void("json_infinity", JSON, b'{"x": Infinity, "void_date": "2026-07-10"}'),
        void("json_null", JSON, b"null"), void("json_list", JSON, b"[]"), void("json_string", JSON, b'"2026-07-10"'),
        void("json_malformed", JSON, b'{"void_date":'), void("json_bom", JSON, b"\xef\xbb\xbf" + DATE),
        void("json_invalid_utf8", JSON, b'{"void_date": "\xff"}'),
        void("json_deeply_nested", JSON, nested, clean_4xx=True),
        void("json_unknown_field", JSON, b'{"void_date": "2026-07-10", "amount": 5}'),
        void("form_date", {**ADMIN, "Content-Type": "application/x-www-form-urlencoded"}, b"void_date=2026-07-10"),
        void("form_blank_date", {**ADMIN, "Content-Type": "application/x-www-form-urlencoded"}, b"void_date="),
        void("form_1001_fields", {**ADMIN, "Content-Type": "application/x-www-form-urlencoded"}, many_fields),
        void("multipart_date", *multipart(b"b0und", "; boundary=b0und")),
        void("multipart_bad_boundary", *multipart(b"b0und", "; boundary=")),
        void("multipart_no_boundary", *multipart(b"b0und", "")),
        void("body_over_limit", JSON, b'{"void_date": "2026-07-10", "pad": "' + b"x" * 2_700_000 + b'"}',
             choice="a body over the limit (serve --max-body-bytes, 1 MiB) is a 413 JSON answer, as a proxy's cap; "
                    "Django's own is 2.5 MiB and a 400 HTML page"),
    ]


CORPUS = [*voids(), *reads()]


def send(base_url: str, scenario: Scenario) -> Answer:
    """The scenario over one HTTP/1.1 connection, headers exactly as given (no client defaults but Host)."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.putrequest(scenario.method, scenario.path, skip_accept_encoding=True)
        for name, value in scenario.headers.items():
            connection.putheader(name, value.format(**TOKENS) if isinstance(value, str) else
                                 value.replace(b"{admin}", TOKENS["admin"].encode()))
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
            return {key: trim(item, model.get(key) if isinstance(model, dict) else None)
                    for key, item in value.items()
                    if key not in VOLATILE and (model is None or not isinstance(model, dict) or key in model)}
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
