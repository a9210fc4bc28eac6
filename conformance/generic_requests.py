"""The generic requests: what Django REST Framework and Django answer on their own for any view
(authentication headers, methods, a missing trailing slash, unrouted paths, Accept,
Content-Type, body parsing, the date forms Django accepts), as data. The test suite holds the
stand-in to real DRF's answer to each (tests/test_drf_fidelity.py); `campfire-conformance
compare` sends them to two deployments, so a team sees where its own differs.

A request is a template: its path names the payment to void as {invoice} and {payment}, and a
header value names a token as {admin} (one that may void) or {view_only}. `at` and `headers_with`
fill them in at the last moment, so this data never holds a token. `clean_4xx`: DRF itself
answers with a 5xx, the stand-in with a 4xx. `choice`: the stand-in answers otherwise on
purpose (a setting of Campfire's it cannot know), in words; `drops`: the keys of DRF's body that
the choice leaves out.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date

VOID = "/coa/api/v1/invoice/{invoice}/payment/{payment}/void/"
ADMIN = {"Authorization": "Token {admin}"}
VIEW_ONLY = {"Authorization": "Token {view_only}"}
JSON = {**ADMIN, "Content-Type": "application/json"}
FORM = {**ADMIN, "Content-Type": "application/x-www-form-urlencoded"}
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class GenericRequest:
    name: str
    method: str
    path: str
    headers: dict = field(default_factory=lambda: dict(ADMIN))
    body: bytes | None = None
    clean_4xx: bool = False
    choice: str | None = None
    drops: tuple = ()  # the keys of DRF's body that the choice leaves out

    @property
    def roles(self) -> set[str]:
        """The tokens the request names ("admin", "view_only")."""
        return {
            role
            for value in self.headers.values()
            if isinstance(value, str)
            for role in re.findall(r"\{(\w+)\}", value)
        }

    def at(self, invoice: int, payment: int) -> "GenericRequest":
        """The request aimed at this payment (only ever one the sender created itself)."""
        return replace(self, path=self.path.format(invoice=invoice, payment=payment))

    def headers_with(self, tokens: dict) -> dict:
        """The headers to send, each named token put in (a bytes value goes as it is)."""
        return {
            name: value.format(**tokens) if isinstance(value, str) else value for name, value in self.headers.items()
        }


def void(name, headers=None, body=None, path=VOID, **kwargs) -> GenericRequest:
    return GenericRequest(name, "POST", path, ADMIN if headers is None else headers, body, **kwargs)


def multipart(boundary: bytes, declared: str, day: str) -> tuple[dict, bytes]:
    body = (
        b"--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="void_date"\r\n\r\n'
        + day.encode()
        + b"\r\n--"
        + boundary
        + b"--\r\n"
    )
    return {**ADMIN, "Content-Type": f"multipart/form-data{declared}"}, body


def dated(day: str, extra: str = "") -> bytes:
    return f'{{{extra}"void_date": "{day}"}}'.encode()


def requests(day: date) -> list[GenericRequest]:
    """The generic requests; `day` is a date the payment may be voided on."""
    iso = day.isoformat()
    year, week, weekday = day.isocalendar()
    date_body = dated(iso)
    nested = b"[" * 100_000 + b"]" * 100_000
    many_fields = "&".join(f"f{n}=1" for n in range(1001)).encode()
    return [
        # the void itself, and void_date as DRF's DateField reads it
        void("void_ok"),
        void("void_with_date", JSON, date_body),
        void("void_null_date", JSON, b'{"void_date": null}'),
        void("void_bad_date", JSON, dated(f"{day.year}-13-01")),
        void("void_date_number", JSON, f'{{"void_date": {iso.replace("-", "")}}}'.encode()),
        void("void_date_with_time", JSON, dated(f"{iso}T00:00:00")),
        # dates Django's parse_date accepts (date.fromisoformat, then its own Y-M-D pattern)
        void("date_single_digits", JSON, dated(f"{day.year}-{day.month}-{day.day}")),
        void("date_basic_format", JSON, dated(iso.replace("-", ""))),
        void("date_iso_week", JSON, dated(f"{year}-W{week:02d}-{weekday}")),
        void("date_fullwidth_digits", JSON, dated(iso.translate(FULLWIDTH_DIGITS))),
        void("date_final_newline", JSON, dated(iso + "\\n")),
        void("date_form_single_digits", FORM, f"void_date={day.year}-{day.month}-{day.day}".encode()),
        # routing
        void("void_no_trailing_slash", path=VOID.rstrip("/")),
        void("void_plus_id", path=VOID.replace("{invoice}", "+{invoice}")),
        void("void_double_slash", path=VOID.replace("}/payment", "}//payment")),
        GenericRequest("unrouted_path", "GET", "/coa/api/v1/nowhere/"),
        GenericRequest("unrouted_no_slash", "GET", "/coa/api/v1/nowhere"),
        GenericRequest("unrouted_no_token", "GET", "/coa/api/v1/nowhere/", {}),
        # authentication
        void("auth_missing", {}),
        void("auth_empty", {"Authorization": ""}),
        void("auth_token_alone", {"Authorization": "Token"}),
        void("auth_token_with_spaces", {"Authorization": "Token {admin} extra"}),
        void("auth_bearer", {"Authorization": "Bearer {admin}"}),
        void("auth_lower_case_scheme", {"Authorization": "token {admin}"}),
        void("auth_unknown_token", {"Authorization": "Token nw_admin_0000000000000000"}),
        void("auth_short_token", {"Authorization": "Token abc"}),
        void("auth_non_utf8_token", {"Authorization": b"Token nw_admin_\xff\xfe"}, clean_4xx=True),
        void("auth_view_only", VIEW_ONLY),
        # methods
        GenericRequest("get_void_no_token", "GET", VOID, {}),
        GenericRequest("get_void", "GET", VOID),
        GenericRequest("put_void", "PUT", VOID, JSON, date_body),
        GenericRequest("patch_void", "PATCH", VOID),
        GenericRequest("delete_void_view_only", "DELETE", VOID, VIEW_ONLY),
        GenericRequest("delete_void", "DELETE", VOID),
        GenericRequest("options_void", "OPTIONS", VOID),
        GenericRequest("options_void_no_token", "OPTIONS", VOID, {}),
        GenericRequest("head_void", "HEAD", VOID),
        # content negotiation
        *(
            void(f"accept_{label}", {**ADMIN, "Accept": accept})
            for label, accept in [
                ("xml", "application/xml"),
                ("unknown", "application/x-unknown"),
                ("empty", ""),
                ("any", "*/*"),
                ("application_any", "application/*"),
                ("html", "text/html"),
                ("json_quality", "text/plain;q=1, application/json;q=0.5"),
                ("json", "application/json"),
            ]
        ),
        void("accept_xml_no_token", {"Accept": "application/xml"}),
        void("format_xml", path=VOID + "?format=xml"),
        void("format_json", path=VOID + "?format=json"),
        # parsing
        void("json_without_content_type", ADMIN, date_body),
        void("content_type_upper_case", {**ADMIN, "Content-Type": "APPLICATION/JSON"}, date_body),
        void("content_type_charset", {**ADMIN, "Content-Type": "application/json; charset=utf-8"}, date_body),
        void(
            "content_type_latin1",
            {**ADMIN, "Content-Type": "application/json; charset=latin-1"},
            dated(iso, '"note": "caf\u00e9", ').decode().encode("latin-1"),
        ),
        void("content_type_any", {**ADMIN, "Content-Type": "*/*"}, date_body),
        void("content_type_application_any", {**ADMIN, "Content-Type": "application/*"}, date_body),
        void("accept_json_indent", {**ADMIN, "Accept": "application/json; indent=4"}),
        void("content_type_text_plain", {**ADMIN, "Content-Type": "text/plain"}, date_body),
        void("json_empty_body", JSON, b""),
        void("json_whitespace", JSON, b"   \n"),
        void("json_nan", JSON, b'{"void_date": NaN}'),
        void("json_infinity", JSON, dated(iso, '"x": Infinity, ')),
        void("json_null", JSON, b"null"),
        void("json_list", JSON, b"[]"),
        void("json_string", JSON, f'"{iso}"'.encode()),
        void("json_malformed", JSON, b'{"void_date":'),
        void("json_bom", JSON, b"\xef\xbb\xbf" + date_body),
        void("json_invalid_utf8", JSON, b'{"void_date": "\xff"}'),
        void("json_deeply_nested", JSON, nested, clean_4xx=True),
        void("json_unknown_field", JSON, dated(iso, '"amount": 5, ')),
        void("form_date", FORM, f"void_date={iso}".encode()),
        void("form_blank_date", FORM, b"void_date="),
        void("form_1001_fields", FORM, many_fields),
        void("multipart_date", *multipart(b"b0und", "; boundary=b0und", iso)),
        void("multipart_bad_boundary", *multipart(b"b0und", "; boundary=", iso)),
        void("multipart_no_boundary", *multipart(b"b0und", "", iso)),
        void(
            "body_over_limit",
            JSON,
            dated(iso, '"pad": "' + "x" * 2_700_000 + '", '),
            choice="a body over the limit (serve --max-body-bytes, 1 MiB) is a 413 JSON answer, as a proxy's cap; "
            "Django's own is 2.5 MiB and a 400 HTML page",
        ),
    ]
