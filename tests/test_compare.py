"""`campfire-conformance compare`: two stand-ins behave the same; a deployment that drifted (a
second void answered 409, a field dropped from the void's answer) is caught step by step, and a
known-deviations entry accepts exactly what it names."""

import pytest
from click.testing import CliRunner

from conformance import compare, deviations, drift, generic_steps
from conformance.cli import main
from conformance.target import Settings
from mock_server.serving import ServerThread
from support.drifting_target import DriftingTarget, drop_external_id, second_void_409
from support.stand_ins import stand_in

VOID = "coa_api_v1_invoice_payment_void_create"


def settings(server) -> Settings:
    return Settings(server.url, server.token, max_rps=0)


@pytest.fixture(scope="module")
def drifted():
    with ServerThread(DriftingTarget(stand_in("b").url, second_void_409, drop_external_id)) as proxy:
        proxy.token = stand_in("b").token
        yield proxy


@pytest.fixture(scope="module")
def sides(drifted):
    """The scenario played once on each: stand-in a, stand-in b, and b seen through the drift."""
    return {
        name: compare.play(settings(server), "CAMPFIRE")
        for name, server in (("a", stand_in("a")), ("b", stand_in("b")), ("drifted", drifted))
    }


def _differences(document, generic=False) -> set[tuple[str, str, str]]:
    """The differences of the scenario's own steps (with `generic`, of the generic requests' steps)."""
    return {
        (step["step"], d["rule"], d["json_path"])
        for step in document["steps"]
        for d in step["differences"]
        if step["step"].startswith(generic_steps.PREFIX) == generic
    }


def _voided_by_generic_requests(side) -> set[str]:
    return {
        exchange.label
        for exchange in side.recorder.exchanges
        if exchange.label.startswith(generic_steps.PREFIX) and exchange.method == "POST" and exchange.status == 200
    }


def test_two_stand_ins_behave_the_same(sides):
    document = compare.compare(sides["a"], sides["b"], [])
    assert not sides["a"].stopped and not sides["b"].stopped
    assert len(document["steps"]) == 18 + document["generic_requests"]
    assert document["requests"] == 2 * len(sides["a"].recorder.exchanges)
    assert _differences(document) == _differences(document, generic=True) == set()
    assert document["verdict"] == "SAME BEHAVIOUR" and compare.exit_code(document) == 0


def test_a_drifted_deployment_is_caught_naming_each_difference(sides):
    document = compare.compare(sides["a"], sides["drifted"], [])
    assert _differences(document) == {
        ("refused: void the same payment again", "status_code", "$"),
        ("void with a JSON body", "field_missing", "$.external_id"),
        ("void with a form body", "field_missing", "$.external_id"),
        ("void with a multipart body", "field_missing", "$.external_id"),
        ("void without a body (today)", "field_missing", "$.external_id"),
    }
    generic = _voided_by_generic_requests(sides["a"])
    assert len(generic) > 20 and _differences(document, generic=True) == {
        (step, "field_missing", "$.external_id") for step in generic
    }
    second = next(step for step in document["steps"] if step["step"] == "refused: void the same payment again")
    assert "answered 400" in second["differences"][0]["message"] and "409" in second["differences"][0]["message"]
    assert [answer["against"]["status"] for answer in second["answers"]] == [409]
    assert compare.exit_code(document) == 1
    text = compare.text(document)
    assert f"BEHAVIOUR DIFFERS: {5 + len(generic)} step(s) differ" in text
    assert f"[field_missing] {VOID} at $.external_id: present in {stand_in('a').url}'s answer, missing in" in text


def test_known_deviations_accept_exactly_what_they_name(sides, tmp_path):
    accepted_file = tmp_path / "deviations.yaml"
    accepted_file.write_text(f"""
- operation: {VOID}
  json_path: $.external_id
  rule: field_missing
  accepted: staging leaves external_id out of the void's answer
  why: our client never reads it
""")
    partly = compare.compare(sides["a"], sides["drifted"], deviations.load(accepted_file))
    assert _differences(partly) == {("refused: void the same payment again", "status_code", "$")}
    assert _differences(partly, generic=True) == set()
    assert compare.exit_code(partly) == 1
    accepted_file.write_text(
        accepted_file.read_text()
        + f"""
- operation: {VOID}
  json_path: $
  rule: status_code
  accepted: a second void is a 409 there
  why: any 4xx is a refusal for our client
"""
    )
    document = compare.compare(sides["a"], sides["drifted"], deviations.load(accepted_file))
    assert _differences(document) == _differences(document, generic=True) == set() and compare.exit_code(document) == 0
    voided = len(_voided_by_generic_requests(sides["a"]))
    assert document["totals"] == {
        "differs": 0,
        "accepted": 5 + voided,
        "same": 13 + document["generic_requests"] - voided,
    }


def test_the_command_exits_1_on_drift_and_writes_both_answers_side_by_side(drifted, tmp_path):
    report = tmp_path / "compare.html"
    result = CliRunner().invoke(
        main,
        [
            "--max-rps",
            "0",
            "compare",
            "--base-url",
            stand_in("a").url,
            "--token",
            stand_in("a").token,
            "--against",
            drifted.url,
            "--against-token",
            drifted.token,
            "--html",
            str(report),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "DIFFERS  refused: void the same payment again: [status_code]" in result.output
    page = report.read_text()
    assert "BEHAVIOUR DIFFERS" in page and drifted.url in page and stand_in("a").url in page
    assert '<div class="sides">' in page and "already been voided" in page


def _answer(status, body, content_type="application/json"):
    return {"status": status, "body": body, "content_type": content_type}


def test_each_kind_of_difference_is_named_and_what_must_differ_is_ignored():
    base = _answer(
        200,
        {
            "id": 7,
            "amount": 125,
            "voided_date": "2026-11-24",
            "created_at": "2026-11-25T08:00:00Z",
            "source": "MANUAL",
            "withheld_amount": 0,
            "credit_memo": "",
            "external_id": "x",
            "payment_transactions": [],
            "lines": [{"tax": 0}],
        },
    )
    against = _answer(
        200,
        {
            "id": 99,
            "amount": 125.5,
            "voided_date": "2026-11-25",
            "created_at": "2026-11-25T09:30:00Z",
            "source": "STRIPE",
            "withheld_amount": "0.00",
            "credit_memo": None,
            "extra": True,
            "payment_transactions": [{"id": 1}],
            "lines": [{"tax": "0"}],
        },
        "application/json; charset=utf-8",
    )
    found = {(d.rule, d.json_path) for d in drift.differences("step", "op", base, against)}
    assert found == {
        ("enum_value", "$.source"),
        ("type", "$.withheld_amount"),
        ("nullability", "$.credit_memo"),
        ("field_missing", "$.external_id"),
        ("field_added", "$.extra"),
        ("type", "$.lines[*].tax"),
    }
    html = _answer(200, {"id": 1}, "text/html")
    assert [(d.rule, d.message) for d in drift.differences("s", "op", _answer(200, {"id": 1}), html)] == [
        ("content_type", "base answered application/json, against text/html")
    ]
    refused = drift.differences(
        "s",
        "op",
        _answer(400, {"detail": "This payment has already been voided."}),
        _answer(400, {"detail": "Payment 12 is already void."}),
    )
    assert [(d.rule, d.json_path) for d in refused] == [("error_wording", "$.detail")]
    same_wording = drift.differences(
        "s", "op", _answer(404, {"detail": "Invoice 3 not found."}), _answer(404, {"detail": "Invoice 41 not found."})
    )
    assert same_wording == []


def test_the_headers_a_client_acts_on_are_compared_ids_in_them_aside():
    redirect = {**_answer(301, None, "text/html"), "headers": {"location": "/coa/api/v1/invoice/7/payment/8/void/"}}
    elsewhere = {**redirect, "headers": {"location": "/coa/api/v1/invoice/93/payment/94/void/"}}
    assert drift.differences("s", "op", redirect, elsewhere) == []
    refused = {
        **_answer(401, {"detail": "Authentication credentials were not provided."}),
        "headers": {"www-authenticate": "Token", "allow": "POST, OPTIONS"},
    }
    unannounced = {**refused, "headers": {"allow": "POST"}}
    assert [(d.rule, d.json_path, d.message) for d in drift.differences("s", "op", refused, unannounced)] == [
        ("header", "header:allow", "base sent 'POST, OPTIONS', against 'POST'"),
        ("header", "header:www-authenticate", "base sent 'Token', against none"),
    ]
