"""Faults and latency on the public API and the request journal, through the admin API
(/_mock/faults, /_mock/requests) of the session's stand-in; the client's view is in examples/."""

import gc
from datetime import datetime, timezone

import httpx
import pytest
from click.testing import CliRunner

from mock_server.cli import main
from mock_server.web import latency
from mock_server.web.faults import ConnectionDropped
from mock_server.web.journal import Journal

INVOICE = "/coa/api/v1/invoice/4/"
RETRIEVE = "coa_api_v1_invoice_retrieve"


def add(api, expect=201, **rule):
    response = api.http.post("/_mock/faults", headers=api.admin, json=rule)
    assert response.status_code == expect, response.text
    return response.json()


def journal(api, **params):
    response = api.http.get("/_mock/requests", headers=api.admin, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def api(live):
    live.http.delete("/_mock/requests", headers=live.admin)
    return live


def test_respond_fails_the_next_n_then_succeeds_with_headers_and_body(api):
    rule = add(
        api,
        operation="coa_api_v1_invoice_*",
        status=429,
        headers={"Retry-After": "3"},
        body={"detail": "Slow down."},
        times=2,
    )
    add(api, path=INVOICE, times=1)  # the default answer: 503 with a DRF detail
    answers = [api.get(INVOICE) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [429, 429, 503, 200]
    assert answers[2].json() == {"detail": f"Service Unavailable (fault {rule['id'] + 1} injected by the stand-in)."}
    assert answers[0].headers["retry-after"] == "3" and answers[0].json() == {"detail": "Slow down."}
    listed = api.http.get("/_mock/faults", headers=api.admin).json()
    assert [(row["id"], row["remaining"], row["applied"]) for row in listed] == [
        (rule["id"], 0, 2),
        (rule["id"] + 1, 0, 1),
    ]
    assert [(entry["status"], entry["fault"]) for entry in journal(api, operation=RETRIEVE)] == [
        (429, {"id": rule["id"], "action": "respond"}),
        (429, {"id": rule["id"], "action": "respond"}),
        (503, {"id": rule["id"] + 1, "action": "respond"}),
        (200, None),
    ]


def test_rules_scoped_to_an_organization_a_token_or_a_method(api):
    add(api, path="/coa/api/v1/invoice/*", organization_id=2, status=503)
    add(api, path="/coa/api/v1/invoice/*", token=api.tokens[(1, "view_only")], status=502)
    add(api, path="/coa/api/v1/invoice/", method="POST", status=500)
    assert api.get("/coa/api/v1/invoice/", organization=2).status_code == 503
    assert api.get("/coa/api/v1/invoice/", role="view_only").status_code == 502
    assert api.get("/coa/api/v1/invoice/").status_code == 200  # GET, organization 1, admin token
    assert api.http.post("/coa/api/v1/invoice/", json={}, headers=api.auth()).status_code == 500


def test_a_token_is_kept_only_as_its_hash(api):
    token = api.tokens[(1, "clerk")]
    rule = add(api, operation=RETRIEVE, token=token, action="delay", delay_ms=1)
    assert len(rule["token_sha256"]) == 64 and "token" not in rule
    api.get(INVOICE, role="clerk")
    stored = api.state.ledger.query("SELECT rule FROM api_faults")
    assert token not in str(stored) and token not in str(journal(api))
    assert journal(api)[0]["organization_id"] == 1


def test_probability_draws_are_reproducible_with_the_seed(api):
    def draws():
        add(api, operation=RETRIEVE, status=503, probability=0.5, seed=7)
        statuses = [api.get(INVOICE).status_code for _ in range(12)]
        api.http.delete("/_mock/faults", headers=api.admin)
        return statuses

    first = draws()
    assert set(first) == {200, 503}
    assert draws() == first


def test_delay_fixed_or_drawn_from_a_range_shows_in_the_journal(api):
    add(api, operation=RETRIEVE, action="delay", delay_ms=120, times=1)
    add(api, operation=RETRIEVE, status=503, delay_ms=60, delay_max_ms=90, times=1)
    assert [api.get(INVOICE).status_code for _ in range(2)] == [200, 503]
    slow, failed = journal(api)
    assert slow["duration_ms"] >= 120 and slow["fault"]["action"] == "delay"
    assert failed["duration_ms"] >= 60 and failed["status"] == 503


def test_server_wide_latency_delays_the_admin_api_too(api, state):
    latency.store(state.ledger, latency.parse("0.1s"))
    api.state.ledger.generation += 1  # as a restore does: the cached rules and latency are read again
    started = datetime.now(timezone.utc)
    assert api.http.get("/_mock/clock", headers=api.admin).status_code == 200
    assert (datetime.now(timezone.utc) - started).total_seconds() >= 0.1


def test_drop_closes_the_connection_without_an_answer_and_the_app_never_runs(api):
    add(api, path="/coa/api/v1/invoice/4/payment/3/void/", action="drop", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.void(4, 3)
    assert api.invoice(4)["amount_paid"] > 0  # not voided
    (entry,) = journal(api, operation="coa_api_v1_invoice_payment_void_create")
    assert entry["status"] is None and entry["fault"]["action"] == "drop"


def test_apply_then_drop_commits_and_withholds_the_answer(api):
    add(api, operation="coa_api_v1_invoice_payment_void_create", action="apply_then_drop", times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.void(4, 3, headers={"Idempotency-Key": "k-1"})
    assert api.void(4, 3, headers={"Idempotency-Key": "k-1"}).status_code == 200  # the stored first answer
    assert api.invoice(4)["amount_paid"] == 0
    lost, retry = journal(api, operation="coa_api_v1_invoice_payment_void_create")
    assert lost["fault"] == {"id": lost["fault"]["id"], "action": "apply_then_drop", "withheld_status": 200}
    assert (lost["idempotency_key"], retry["status"]) == ("k-1", 200)


@pytest.mark.filterwarnings("ignore:coroutine 'ServerErrorMiddleware.error_response' was never awaited")
def test_in_process_a_drop_is_an_error_raised_to_the_client(local):
    """No connection to close: ConnectionDropped is raised (connexion 3.3's server-error handler,
    under Starlette 1.x, turns it into a TypeError on the way out; the drop is in its context)."""
    local.http.delete("/_mock/requests", headers=local.admin)
    add(local, operation=RETRIEVE, action="drop", times=1)
    with pytest.raises(Exception) as raised:
        local.get(INVOICE)
    assert ConnectionDropped in (type(raised.value), type(raised.value.__context__))
    del raised
    gc.collect()  # the handler's coroutine that was never awaited is reported here, under the filter above
    (entry,) = journal(local)
    assert entry["status"] is None and entry["fault"]["action"] == "drop"


def test_the_admin_api_is_never_faulted(api):
    add(api, path="*", action="drop")
    assert api.http.get("/_mock/faults", headers=api.admin).status_code == 200
    assert api.http.delete("/_mock/faults", headers=api.admin).json() == []
    assert api.get(INVOICE).status_code == 200


@pytest.mark.parametrize(
    "rule, field",
    [
        ({"action": "drop"}, "operation"),
        ({"path": "*", "action": "drop", "status": 503}, "action"),
        ({"path": "*", "delay_ms": 50, "delay_max_ms": 10}, "delay_max_ms"),
        ({"path": "*", "headers": {"Retry-After": "1\r\nSet-Cookie: x=1"}}, "headers"),
    ],
)
def test_a_rule_that_cannot_apply_is_refused(api, rule, field):
    assert field in add(api, expect=400, **rule)
    assert api.http.get("/_mock/faults", headers=api.admin).json() == []


def test_journal_filters_by_operation_status_and_since(api):
    api.get(INVOICE)
    middle = datetime.now(timezone.utc).isoformat()
    api.get("/coa/api/v1/invoice/999999/")
    api.get("/coa/api/entity")
    assert [entry["status"] for entry in journal(api, operation=RETRIEVE)] == [200, 404]
    assert [entry["path"] for entry in journal(api, status=404)] == ["/coa/api/v1/invoice/999999/"]
    assert [entry["operation"] for entry in journal(api, since=middle)] == [RETRIEVE, "coa_api_entity_list"]
    assert api.http.get("/_mock/requests", headers=api.admin, params={"since": "yesterday"}).status_code == 400
    assert api.http.delete("/_mock/requests", headers=api.admin).json() == []


def test_a_path_with_a_final_newline_is_no_operation_for_faults_or_the_journal(api):
    """An outsider's find: `$` in the operation look-up also matched `.../%0A` (which Connexion answers 404)."""
    add(api, operation=RETRIEVE, times=5)
    assert api.get(INVOICE + "%0A").status_code == 404  # Connexion's, not the fault's 503
    assert [(entry["operation"], entry["fault"]) for entry in journal(api)] == [(None, None)]
    assert api.get(INVOICE).status_code == 503


def test_journal_keeps_the_last_entries():
    kept = Journal(size=3)
    for n in range(5):
        kept.record({"time": datetime.now(timezone.utc).isoformat(), "operation": None, "status": n})
    assert [(entry["id"], entry["status"]) for entry in kept.entries()] == [(3, 2), (4, 3), (5, 4)]


@pytest.mark.parametrize(
    "text, expected", [("50-200ms", (50, 200)), ("100ms", (100, 100)), ("0.5s", (500, 500)), ("75", (75, 75))]
)
def test_latency_forms(text, expected):
    assert latency.parse(text) == expected


def test_serve_refuses_a_latency_it_cannot_read():
    result = CliRunner().invoke(main, ["serve", "--latency", "200-50ms"])
    assert result.exit_code == 2 and "goes down" in result.output
