"""What the harness reports on targets nobody here wrote: a Prism-like mock (semantic failures, no
contract false alarm, planted violations reported even where the check also fails semantically),
an organization without data (exit 2, one line), a dangling or forbidden reversing entry, and
payments that show voided before the refused request."""

import xml.etree.ElementTree as ElementTree

import pytest
from click.testing import CliRunner

from conformance.cli import main
from conformance.local import LocalStandIn
from mock_server.serving import ServerThread
from support import harness
from support.broken_targets import DanglingReversal, NoEntity, PreVoidedPayments, ReversalForbidden
from support.prism_like_target import PrismLike

VOID = "coa_api_v1_invoice_payment_void_create"


@pytest.fixture(scope="module")
def stand_in():
    with LocalStandIn() as server:
        yield server


def test_a_prism_like_target_fails_on_semantics_without_a_contract_false_alarm(stand_in):
    with ServerThread(PrismLike()) as prism:
        outcome = harness.check(prism.url, stand_in, admin=False)
    assert outcome.code == 1, outcome.text
    reasons = {result.check: result.reason for result in outcome.results if result.status == "failed"}
    assert reasons["unknown_invoice_is_404"] == "unknown invoice answered 200"
    assert reasons["second_void_is_refused"] == "a second void of the same payment answered 200"
    assert reasons["void_echoes_the_requested_date"].startswith("voided_date '2019-08-24', requested '")
    assert "already voided (voided_date '2019-08-24') before the request" in reasons["missing_token_is_401"]
    assert "contract finding" not in " ".join(reasons.values())
    assert not outcome.findings.new and "Contract findings" not in outcome.text, outcome.text


def test_planted_violations_are_reported_even_where_the_check_fails_semantically(stand_in, tmp_path):
    plant = {VOID: {"source": "BOGUS", "amount": 1e19, "created_at": "yesterday"}}
    with ServerThread(PrismLike(plant)) as prism:
        outcome = harness.check(
            prism.url, stand_in, admin=False, only="void_echoes or second_void", junit=tmp_path / "junit.xml"
        )
    assert outcome.code == 1
    echoes = outcome.result("void_echoes_the_requested_date")
    assert echoes.status == "failed" and echoes.reason.startswith("voided_date '2019-08-24', requested")
    assert "3 contract finding(s) (3 occurrences)" in echoes.reason
    groups = {group.example.json_path: group for group in outcome.findings.new}
    assert set(groups) == {"$.source", "$.amount", "$.created_at"}
    for group in groups.values():  # one void in the first check, two in the second: counted, listed once
        assert group.count == 3 and sorted(group.checks) == ["second_void_is_refused", "void_echoes_the_requested_date"]
    assert "Contract findings (3 distinct, 9 occurrences" in outcome.text
    assert "3x [response_schema] coa_api_v1_invoice_payment_void_create POST" in outcome.text
    cases = {case.get("name"): case for case in ElementTree.parse(tmp_path / "junit.xml").iter("testcase")}
    listed = cases["contract_findings"].find("failure").text
    assert all(f"at {path}:" in listed for path in groups)
    check_failure = cases["test_void_echoes_the_requested_date"].find("failure")
    assert check_failure is not None and "$.amount" in ElementTree.tostring(check_failure, encoding="unicode")


def test_an_organization_without_entity_is_incomplete_saying_why(stand_in):
    with harness.broken(stand_in, NoEntity) as target:
        result = CliRunner().invoke(main, ["--base-url", target.url, "--token", stand_in.token, "--max-rps", "0"])
    assert result.exit_code == 2, result.output
    verdict = result.stdout.splitlines()[-1]
    assert verdict.startswith(
        "INCOMPLETE: 0 passed, 0 failed, 0 accepted, 34 not applicable -- not exercised: a void answered 200, "
    ), verdict
    assert verdict.endswith(
        ": the token's organization has no entity (GET /coa/api/entity is empty); "
        "provide --pairs or an organization with data"
    ), verdict
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_reversing_entry_that_cannot_be_read_back_fails(stand_in):
    with harness.broken(stand_in, DanglingReversal) as target:
        outcome = harness.check(target.url, stand_in, only="reversing")
    result = outcome.result("reversing_entry_mirrors_the_payment")
    assert outcome.code == 1 and result.status == "failed"
    assert (
        result.reason.startswith("the voided_journal_entry ")
        and " that the void returned answered 404" in result.reason
    )


def test_a_reversing_entry_forbidden_to_the_token_is_not_applicable(stand_in):
    with harness.broken(stand_in, ReversalForbidden) as target:
        outcome = harness.check(
            target.url, stand_in, only="reversing or second_void or invalid_void_date or missing_token"
        )
    result = outcome.result("reversing_entry_mirrors_the_payment")
    assert outcome.code == 0, outcome.text
    assert (
        result.status == "not applicable"
        and "not readable with this token" in result.reason
        and ": 403)" in result.reason
    )


def test_a_payment_voided_before_the_refused_request_is_reported_as_such(stand_in):
    with harness.broken(stand_in, PreVoidedPayments) as target:
        outcome = harness.check(target.url, stand_in, only="missing_token or invalid_token")
    assert outcome.code == 1
    for result in outcome.results:
        assert result.status == "failed"
        assert "was already voided (voided_date '2026-01-02') before the request" in result.reason
        assert "the refused void voided the payment" not in result.reason
