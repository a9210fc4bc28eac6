"""The stand-in against real Django REST Framework (tests/drf_reference): the same requests to
both, over HTTP, each from the default dataset; the same status, content type, JSON body and
WWW-Authenticate, Allow, Vary and Location headers are required (bodies without
`last_modified_at`; for invoice reads, only the fields the reference serves).

The reference's choices where a Campfire setting decides (tests/drf_reference/settings.py CHOICES):
- an unrouted path: Django's HTML 404 page (DEBUG off), not DRF's JSON;
- a missing object: DRF >= 3.15's "No Invoice matches the given query." (the model's name), not "Not found.";
- no browsable API (JSONRenderer only): Accept text/html is a 406, and no view sends `Vary: Accept`;
- Django's limits: a 2.5 MiB body, 1,000 form fields (both a 400 with Django's HTML page);
- LimitOffsetPagination as it comes: default limit 100 (PAGE_SIZE), no max_limit.
What the reference cannot know either: its model and view names (a 404 names "Payment", OPTIONS
names "Void Payment"/"Invoice List" with empty descriptions), and it serves no invoice creation,
so its invoice list's Allow lacks POST.

`python tests/test_drf_fidelity.py REPORT.md` writes every difference to REPORT.md.
"""
import sys
from datetime import date
from pathlib import Path

import pytest
from drf_corpus import CORPUS, TOKENS, comparable, difference, send
from drf_reference import server

from mock_server import running

TODAY = date(2026, 7, 15)

# Differences observed today (scenario -> what differs); each is an xfail(strict=True) test, so
# it fails once the stand-in matches: remove the entry then.
KNOWN_DIFFERENCES = {
    'void_ok': "allow None (DRF 'POST, OPTIONS')",
    'void_clerk': "allow None (DRF 'POST, OPTIONS')",
    'void_with_date': "allow None (DRF 'POST, OPTIONS')",
    'void_null_date': "allow None (DRF 'POST, OPTIONS')",
    'void_already_voided': "allow None (DRF 'POST, OPTIONS')",
    'void_unknown_invoice': 'allow None (DRF \'POST, OPTIONS\'); body {"detail": "Not found."} (DRF {"detail": "No Invoice matches the given query."})',
    'void_payment_of_other_invoice': 'allow None (DRF \'POST, OPTIONS\'); body {"detail": "Not found."} (DRF {"detail": "No Payment matches the given query."})',
    'void_other_organization': 'allow None (DRF \'POST, OPTIONS\'); body {"detail": "Not found."} (DRF {"detail": "No Invoice matches the given query."})',
    'void_before_payment': "allow None (DRF 'POST, OPTIONS')",
    'void_books_closed': "allow None (DRF 'POST, OPTIONS')",
    'void_bad_date': "allow None (DRF 'POST, OPTIONS')",
    'void_date_number': "allow None (DRF 'POST, OPTIONS')",
    'void_date_with_time': "allow None (DRF 'POST, OPTIONS')",
    'void_stripe_payment': "allow None (DRF 'POST, OPTIONS')",
    'date_single_digits': 'status 400 (DRF 200); allow None (DRF \'POST, OPTIONS\'); body {"void_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]} (DRF {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ...)',
    'date_basic_format': 'status 400 (DRF 200); allow None (DRF \'POST, OPTIONS\'); body {"void_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]} (DRF {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ...)',
    'date_iso_week': 'status 400 (DRF 200); allow None (DRF \'POST, OPTIONS\'); body {"void_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]} (DRF {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ...)',
    'void_no_trailing_slash': "status 307 (DRF 301); content-type None (DRF 'text/html; charset=utf-8')",
    'void_plus_id': 'status 200 (DRF 404); content-type \'application/json\' (DRF \'text/html; charset=utf-8\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF \'\\n<!doctype html>\\n<html lang="en">\\n<head>\\n  <title>Not Found</title>\\n</head>\\n<bod...)',
    'void_double_slash': 'content-type \'application/json\' (DRF \'text/html; charset=utf-8\'); body {"detail": "Not found."} (DRF \'\\n<!doctype html>\\n<html lang="en">\\n<head>\\n  <title>Not Found</title>\\n</head>\\n<bod...)',
    'unrouted_path': 'content-type \'application/json\' (DRF \'text/html; charset=utf-8\'); body {"detail": "Not found."} (DRF \'\\n<!doctype html>\\n<html lang="en">\\n<head>\\n  <title>Not Found</title>\\n</head>\\n<bod...)',
    'unrouted_no_slash': 'content-type \'application/json\' (DRF \'text/html; charset=utf-8\'); body {"detail": "Not found."} (DRF \'\\n<!doctype html>\\n<html lang="en">\\n<head>\\n  <title>Not Found</title>\\n</head>\\n<bod...)',
    'unrouted_no_token': 'content-type \'application/json\' (DRF \'text/html; charset=utf-8\'); body {"detail": "Not found."} (DRF \'\\n<!doctype html>\\n<html lang="en">\\n<head>\\n  <title>Not Found</title>\\n</head>\\n<bod...)',
    'auth_missing': "allow None (DRF 'POST, OPTIONS'); www-authenticate None (DRF 'Token')",
    'auth_empty': "allow None (DRF 'POST, OPTIONS'); www-authenticate None (DRF 'Token')",
    'auth_token_alone': 'allow None (DRF \'POST, OPTIONS\'); www-authenticate None (DRF \'Token\'); body {"detail": "Invalid token."} (DRF {"detail": "Invalid token header. No credentials provided."})',
    'auth_token_with_spaces': 'allow None (DRF \'POST, OPTIONS\'); www-authenticate None (DRF \'Token\'); body {"detail": "Invalid token."} (DRF {"detail": "Invalid token header. Token string should not contain spaces."})',
    'auth_bearer': 'allow None (DRF \'POST, OPTIONS\'); www-authenticate None (DRF \'Token\'); body {"detail": "Invalid token."} (DRF {"detail": "Authentication credentials were not provided."})',
    'auth_lower_case_scheme': "allow None (DRF 'POST, OPTIONS')",
    'auth_unknown_token': "allow None (DRF 'POST, OPTIONS'); www-authenticate None (DRF 'Token')",
    'auth_short_token': "allow None (DRF 'POST, OPTIONS'); www-authenticate None (DRF 'Token')",
    'auth_view_only': "allow None (DRF 'POST, OPTIONS')",
    'get_void_no_token': 'status 405 (DRF 401); allow \'POST\' (DRF \'POST, OPTIONS\'); www-authenticate None (DRF \'Token\'); body {"detail": "Method not allowed."} (DRF {"detail": "Authentication credentials were not provided."})',
    'get_void': 'allow \'POST\' (DRF \'POST, OPTIONS\'); body {"detail": "Method not allowed."} (DRF {"detail": "Method \\"GET\\" not allowed."})',
    'put_void': 'allow \'POST\' (DRF \'POST, OPTIONS\'); body {"detail": "Method not allowed."} (DRF {"detail": "Method \\"PUT\\" not allowed."})',
    'patch_void': 'allow \'POST\' (DRF \'POST, OPTIONS\'); body {"detail": "Method not allowed."} (DRF {"detail": "Method \\"PATCH\\" not allowed."})',
    'delete_void_view_only': 'status 405 (DRF 403); allow \'POST\' (DRF \'POST, OPTIONS\'); body {"detail": "Method not allowed."} (DRF {"detail": "You do not have permission to perform this action."})',
    'delete_void': 'allow \'POST\' (DRF \'POST, OPTIONS\'); body {"detail": "Method not allowed."} (DRF {"detail": "Method \\"DELETE\\" not allowed."})',
    'options_void': 'status 405 (DRF 200); allow \'POST\' (DRF \'POST, OPTIONS\'); body {"detail": "Method not allowed."} (DRF {"name": "Void Payment", "description": "", "renders": ["application/json"], "parses": ...)',
    'options_void_no_token': 'status 405 (DRF 401); allow \'POST\' (DRF \'POST, OPTIONS\'); www-authenticate None (DRF \'Token\'); body {"detail": "Method not allowed."} (DRF {"detail": "Authentication credentials were not provided."})',
    'head_void': "allow 'POST' (DRF 'POST, OPTIONS')",
    'accept_xml': 'status 200 (DRF 406); allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"detail": "Could not satisfy the request Accept header."})',
    'accept_unknown': 'status 200 (DRF 406); allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"detail": "Could not satisfy the request Accept header."})',
    'accept_empty': 'status 200 (DRF 406); allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"detail": "Could not satisfy the request Accept header."})',
    'accept_any': "allow None (DRF 'POST, OPTIONS')",
    'accept_application_any': "allow None (DRF 'POST, OPTIONS')",
    'accept_html': 'status 200 (DRF 406); allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"detail": "Could not satisfy the request Accept header."})',
    'accept_json_quality': "allow None (DRF 'POST, OPTIONS')",
    'accept_json': "allow None (DRF 'POST, OPTIONS')",
    'accept_xml_no_token': 'status 401 (DRF 406); allow None (DRF \'POST, OPTIONS\'); body {"detail": "Authentication credentials were not provided."} (DRF {"detail": "Could not satisfy the request Accept header."})',
    'format_xml': 'status 200 (DRF 404); allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"detail": "Not found."})',
    'format_json': "allow None (DRF 'POST, OPTIONS')",
    'json_without_content_type': 'status 200 (DRF 415); allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"detail": "Unsupported media type \\"\\" in request."})',
    'content_type_upper_case': 'allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ...)',
    'content_type_charset': "allow None (DRF 'POST, OPTIONS')",
    'content_type_latin1': 'status 400 (DRF 200); allow None (DRF \'POST, OPTIONS\'); body {"detail": "JSON parse error - \'utf-8\' codec can\'t decode byte 0xe9 in position 40: inv... (DRF {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ...)',
    'content_type_any': 'status 415 (DRF 200); allow None (DRF \'POST, OPTIONS\'); body {"detail": "Unsupported media type in request."} (DRF {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ...)',
    'content_type_application_any': 'status 415 (DRF 200); allow None (DRF \'POST, OPTIONS\'); body {"detail": "Unsupported media type in request."} (DRF {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ...)',
    'accept_json_indent': "allow None (DRF 'POST, OPTIONS')",
    'content_type_text_plain': 'allow None (DRF \'POST, OPTIONS\'); body {"detail": "Unsupported media type in request."} (DRF {"detail": "Unsupported media type \\"text/plain\\" in request."})',
    'json_empty_body': "allow None (DRF 'POST, OPTIONS')",
    'json_whitespace': 'status 200 (DRF 400); allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"detail": "JSON parse error - Expecting value: line 2 column 1 (char 4)"})',
    'json_nan': 'allow None (DRF \'POST, OPTIONS\'); body {"void_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]} (DRF {"detail": "JSON parse error - Out of range float values are not JSON compliant: \'NaN\'"})',
    'json_infinity': 'status 200 (DRF 400); allow None (DRF \'POST, OPTIONS\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF {"detail": "JSON parse error - Out of range float values are not JSON compliant: \'Infin...)',
    'json_null': "allow None (DRF 'POST, OPTIONS')",
    'json_list': "allow None (DRF 'POST, OPTIONS')",
    'json_string': "allow None (DRF 'POST, OPTIONS')",
    'json_malformed': "allow None (DRF 'POST, OPTIONS')",
    'json_bom': "allow None (DRF 'POST, OPTIONS')",
    'json_invalid_utf8': "allow None (DRF 'POST, OPTIONS')",
    'json_unknown_field': "allow None (DRF 'POST, OPTIONS')",
    'form_date': "allow None (DRF 'POST, OPTIONS')",
    'form_blank_date': "allow None (DRF 'POST, OPTIONS')",
    'form_1001_fields': 'status 200 (DRF 400); content-type \'application/json\' (DRF \'text/html; charset=utf-8\'); body {"id": 1, "credit_memo": "", "payment_transaction_bank_description": "", "payment_journ... (DRF \'\\n<!doctype html>\\n<html lang="en">\\n<head>\\n  <title>Bad Request (400)</title>\\n</hea...)',
    'multipart_date': "allow None (DRF 'POST, OPTIONS')",
    'multipart_bad_boundary': 'allow None (DRF \'POST, OPTIONS\'); body {"detail": "Multipart form parse error - Invalid boundary in multipart: None"} (DRF {"detail": "Multipart form parse error - Invalid boundary in multipart: "})',
    'multipart_no_boundary': "allow None (DRF 'POST, OPTIONS')",
    'body_over_limit': 'status 413 (DRF 400); content-type \'application/json\' (DRF \'text/html; charset=utf-8\'); body {"detail": "Request body is larger than 1048576 bytes."} (DRF \'\\n<!doctype html>\\n<html lang="en">\\n<head>\\n  <title>Bad Request (400)</title>\\n</hea...)',
    'list_invoices': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_invoices_limit_2': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_invoices_limit_0': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_invoices_limit_negative': 'allow None (DRF \'GET, HEAD, OPTIONS\'); body {"count": 72, "next": "/coa/api/v1/invoice/?limit=1&offset=1", "previous": null, "resul... (DRF {"count": 72, "next": null, "previous": null, "results": [{"id": 72, "invoice_number": ...)',
    'list_invoices_limit_text': 'status 400 (DRF 200); allow None (DRF \'GET, HEAD, OPTIONS\'); body {} (DRF {"count": 72, "next": null, "previous": null, "results": [{"id": 72, "invoice_number": ...)',
    'list_invoices_limit_5000': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_invoices_offset_negative': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_invoices_offset_text': 'status 400 (DRF 200); allow None (DRF \'GET, HEAD, OPTIONS\'); body {} (DRF {"count": 72, "next": "/coa/api/v1/invoice/?limit=2&offset=2", "previous": null, "resul...)',
    'list_invoices_last_page': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_invoices_offset_past_end': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_invoices_no_token': "allow None (DRF 'GET, HEAD, OPTIONS'); www-authenticate None (DRF 'Token')",
    'list_invoices_view_only': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_payments': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'list_payments_bad_limit': 'status 400 (DRF 200); allow None (DRF \'GET, HEAD, OPTIONS\'); body {"limit": ["A valid integer is required."]} (DRF {"count": 72, "next": null, "previous": "/coa/api/v1/invoice-payments?limit=100", "resu...)',
    'list_payments_with_slash': 'status 307 (DRF 404); content-type None (DRF \'text/html; charset=utf-8\'); location \'/coa/api/v1/invoice-payments?limit=3\' (DRF None); body \'\' (DRF \'\\n<!doctype html>\\n<html lang="en">\\n<head>\\n  <title>Not Found</title>\\n</head>\\n<bod...)',
    'get_invoice': "allow None (DRF 'GET, HEAD, OPTIONS')",
    'get_invoice_no_slash': "status 307 (DRF 301); content-type None (DRF 'text/html; charset=utf-8')",
    'get_invoice_other_organization': 'allow None (DRF \'GET, HEAD, OPTIONS\'); body {"detail": "Not found."} (DRF {"detail": "No Invoice matches the given query."})',
    'get_invoice_unknown': 'allow None (DRF \'GET, HEAD, OPTIONS\'); body {"detail": "Not found."} (DRF {"detail": "No Invoice matches the given query."})',
    'get_invoice_accept_xml': 'status 200 (DRF 406); allow None (DRF \'GET, HEAD, OPTIONS\'); body {"id": 2, "lines": [{"id": 2, "product_name": "Leverage Next-Generation Communities", "... (DRF {"detail": "Could not satisfy the request Accept header."})',
    'delete_invoice': 'allow \'GET\' (DRF \'GET, HEAD, OPTIONS\'); body {"detail": "Method not allowed."} (DRF {"detail": "Method \\"DELETE\\" not allowed."})',
    'options_invoice_list': 'status 405 (DRF 200); allow \'GET, POST\' (DRF \'GET, HEAD, OPTIONS\'); body {"detail": "Method not allowed."} (DRF {"name": "Invoice List", "description": "", "renders": ["application/json"], "parses": ...)',
}


@pytest.fixture(scope="module")
def sides(request):
    """The DRF reference and a stand-in, both serving the default dataset over HTTP."""
    with server.running(TODAY) as reference, running(today=TODAY) as standin:
        line = f"DRF fidelity: {len(CORPUS)} scenarios, {2 * len(CORPUS)} requests (one to each side)"
        with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
            print(f"\n{line}")  # seen with -n 0; under xdist a worker's output is not shown
        yield reference, standin


def answers(sides, scenario) -> tuple[dict, dict]:
    """Both sides' answers to `scenario`, each side fresh from the default dataset."""
    reference, standin = sides
    reference.reset()
    standin.restore()
    drf = send(reference.base_url, scenario)
    ours = send(standin.base_url, scenario)
    keep = drf.body if scenario.project else None
    return comparable(drf, reference.base_url), comparable(ours, standin.base_url, keep)


def verdict(scenario, drf: dict, ours: dict) -> str | None:
    """What is wrong with the stand-in's answer, in one line; None when it is right."""
    if scenario.clean_4xx:
        return None if 400 <= ours["status"] < 500 else f"status {ours['status']}, not a 4xx"
    return None if ours == drf else difference(drf, ours)


def marked(scenario):
    if scenario.name in KNOWN_DIFFERENCES:
        return pytest.param(scenario, id=scenario.name, marks=pytest.mark.xfail(
            strict=True, reason=KNOWN_DIFFERENCES[scenario.name]))
    return pytest.param(scenario, id=scenario.name)


@pytest.mark.parametrize("scenario", [marked(scenario) for scenario in CORPUS])
def test_same_answer_as_drf(sides, scenario):
    drf, ours = answers(sides, scenario)
    if scenario.clean_4xx:
        assert drf["status"] >= 500, "DRF answers this one itself now: compare it instead"
    assert verdict(scenario, drf, ours) is None, ours


def test_corpus_names_are_unique_and_known_differences_exist():
    names = [scenario.name for scenario in CORPUS]
    assert len(names) == len(set(names))
    assert set(KNOWN_DIFFERENCES) <= set(names)


def report(path: Path) -> int:
    """Every scenario whose answers differ, as the lead's work list (tokens shown by role);
    prints KNOWN_DIFFERENCES as it is today."""
    import json

    sections, known = [], {}
    with server.running(TODAY) as reference, running(today=TODAY) as standin:
        for scenario in CORPUS:
            drf, ours = answers((reference, standin), scenario)
            wrong = verdict(scenario, drf, ours)
            if wrong is None:
                continue
            known[scenario.name] = wrong
            headers = {name: value if isinstance(value, str) else value.decode("latin-1")
                       for name, value in scenario.headers.items()}
            body = scenario.body if scenario.body is None or len(scenario.body) < 300 else \
                scenario.body[:120] + f"... ({len(scenario.body)} bytes)".encode()
            sections.append("\n".join([
                f"## {scenario.name}", "", f"Differs: {wrong}", "",
                f"Request: `{scenario.method} {scenario.path}` headers `{json.dumps(headers)}` body `{body!r}`",
                *(["Expected: a 4xx from the stand-in (DRF answers 5xx)."] if scenario.clean_4xx else []),
                "", "DRF:", "```json", json.dumps(drf, indent=1)[:3000], "```",
                "Stand-in:", "```json", json.dumps(ours, indent=1)[:3000], "```", ""]))
    tokens = ", ".join(f"{{{role}}}" for role in TOKENS)
    path.write_text("\n".join([
        "# Differences between the stand-in and the DRF reference", "", __doc__, "",
        (f"Generated by `python tests/test_drf_fidelity.py`: {len(sections)} of {len(CORPUS)} scenarios differ. "
         f"Tokens are shown as {tokens}."), "",
        *sections]))
    print("KNOWN_DIFFERENCES = {", *(f"    {name!r}: {line!r}," for name, line in known.items()), "}", sep="\n")
    return len(sections)


if __name__ == "__main__":
    print(report(Path(sys.argv[1])), "scenarios differ")
