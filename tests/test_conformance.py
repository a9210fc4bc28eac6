"""The conformance harness against the stand-in (it must pass) and against broken targets (it must
fail, naming the broken rule). One run goes through the console script end to end; the
others run the harness in this process, each broken target only with the checks it breaks."""

import contextlib
import json

import httpx
import pytest
from click.testing import CliRunner

from conformance import deviations
from conformance.cli import main
from conformance.local import LocalStandIn
from conformance.provisioning import Provisioner
from conformance.target import Settings, Target
from support import harness
from support.broken_targets import DEFECTS, MissingRequiredField, WrongType


@pytest.fixture(scope="module")
def stand_in():
    """One stand-in for the module: every check provisions its own invoices and payments."""
    with LocalStandIn() as server:
        yield server


def test_the_console_script_passes_the_stand_in_and_writes_its_reports(stand_in, tmp_path):
    """End to end through the console script (the full suite runs in-process below)."""
    result = harness.console(
        "--base-url",
        stand_in.url,
        "--token",
        stand_in.token,
        "--view-only-token",
        stand_in.view_only_token,
        "--admin-token",
        stand_in.admin_token,
        "--max-rps",
        "0",
        "--junit",
        str(tmp_path / "junit.xml"),
        "--report",
        str(tmp_path / "report.txt"),
        "--only",
        "access or echoes or ledger or second_void or invalid_void_date",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CONFORMS: 14 passed, 0 failed, 0 accepted, 0 not applicable" in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    junit = (tmp_path / "junit.xml").read_text()
    assert "<testsuite" in junit and 'name="contract_findings"' in junit and "<failure" not in junit
    assert 'name="verdict"' in junit and "<system-out>CONFORMS</system-out>" in junit
    assert "CONFORMS" in (tmp_path / "report.txt").read_text()


def test_the_stand_in_passes_every_check_in_any_order(stand_in):
    outcome = harness.check(stand_in.url, stand_in, order_seed=2)
    assert outcome.code == 0, outcome.text
    assert len(outcome.results) >= 34
    assert {result.status for result in outcome.results} == {"passed"} and not outcome.findings.new


CORE = "second_void or invalid_void_date or missing_token"  # the checks without which no run CONFORMS


def test_without_admin_token_the_stand_in_checks_are_not_applicable(stand_in):
    outcome = harness.check(stand_in.url, stand_in, admin=False, only=f"ledger or stripe_void or echoes or {CORE}")
    assert outcome.code == 0, outcome.text
    reason = "the target is not the stand-in (no admin token given)"
    assert (outcome.result("ledger_invariants_hold").status, outcome.result("ledger_invariants_hold").reason) == (
        "not applicable",
        reason,
    )
    assert outcome.result("stripe_void_refunds_exactly_once").status == "not applicable"
    assert outcome.result("void_echoes_the_requested_date").status == "passed"


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.__name__ for d in DEFECTS])
def test_a_broken_target_is_rejected_naming_the_rule(stand_in, defect):
    with harness.broken(stand_in, defect) as target:
        outcome = harness.check(target.url, stand_in, only=defect.rule.split("[")[0])
    assert outcome.code == 1, outcome.text
    named = {
        r.check: r.status for r in outcome.results if r.check == defect.rule or r.check.startswith(defect.rule + "[")
    }
    assert "failed" in named.values(), outcome.text
    assert "DOES NOT CONFORM" in outcome.text


def test_known_deviations_accept_exactly_what_they_name(stand_in, tmp_path):
    path = tmp_path / "deviations.yaml"
    path.write_text(
        "- operation: coa_api_v1_invoice_payment_void_create\n"
        "  json_path: $.external_id\n"
        "  accepted: external_id may be absent\n"
        "  why: this deployment predates the field\n"
    )
    accepted = deviations.load(path)
    with harness.broken(stand_in, MissingRequiredField) as target:
        outcome = harness.check(target.url, stand_in, deviations=accepted, only=f"void_echoes or {CORE}")
    assert outcome.code == 0, outcome.text
    result = outcome.result("void_echoes_the_requested_date")
    assert result.status == "accepted" and "predates the field" in result.reason
    assert "Accepted deviations (1 distinct" in outcome.text and not outcome.findings.new
    with harness.broken(stand_in, WrongType) as target:
        assert harness.check(target.url, stand_in, deviations=accepted, only="void_echoes").code == 1


def _cli(*args):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def test_usage_and_connection_errors_exit_2(tmp_path):
    code, stderr = _cli("--base-url", "http://127.0.0.1:9", "--token", "t")
    assert (
        code == 2 and stderr.startswith("ERROR: http://127.0.0.1:9 does not answer") and len(stderr.splitlines()) == 1
    )
    code, stderr = _cli("--base-url", "http://127.0.0.1:9")
    assert code == 2 and "--token" in stderr
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text("- operation: x\n")
    code, stderr = _cli("--base-url", "http://127.0.0.1:9", "--token", "t", "--known-deviations", str(bad_file))
    assert code == 2 and "lacks json_path" in stderr


def _get(stand_in, path, **params):
    return httpx.get(stand_in.url + path, params=params, headers={"Authorization": f"Token {stand_in.token}"}).json()


def _voided_payments(stand_in) -> set[int]:
    listed = _get(stand_in, "/coa/api/v1/invoice-payments", limit=100_000)
    assert listed["count"] == len(listed["results"])
    return {row["id"] for row in listed["results"] if row["voided_date"]}


def test_pairs_file_is_voided_and_nothing_else(stand_in, tmp_path):
    with contextlib.closing(Target(Settings(stand_in.url, stand_in.token, max_rps=0))) as target:
        provisioner = Provisioner(target)
        pairs = [provisioner.payment() for _ in range(11)]
    (tmp_path / "pairs.json").write_text(json.dumps([{"invoice_id": i, "payment_id": p} for i, p in pairs]))
    invoices, voided = _get(stand_in, "/coa/api/v1/invoice/", limit=1)["count"], _voided_payments(stand_in)
    outcome = harness.check(
        stand_in.url,
        stand_in,
        admin=False,
        pairs=tmp_path / "pairs.json",
        only="echoes or second_void or missing_token or content_type or invalid_void_date",
    )
    assert outcome.code == 0, outcome.text
    assert [r.status for r in outcome.results] == ["passed"] * 11, outcome.text
    assert _get(stand_in, "/coa/api/v1/invoice/", limit=1)["count"] == invoices, (
        "it created invoices although given pairs"
    )
    newly = _voided_payments(stand_in) - voided
    assert newly and newly <= {payment for _, payment in pairs}
