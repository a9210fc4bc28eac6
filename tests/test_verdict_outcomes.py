"""The verdict a team acts on, through the console script over real HTTP: a view-only token, an
unreachable URL, a look-up answering 500, Ctrl-C, a retired variable; the same word in the
console, --report, JUnit and HTML; and the rules that decide it (conformance.verdict)."""

import signal
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest
from click.testing import CliRunner

from conformance import runner
from conformance.cli import main
from conformance.plugin import Result
from conformance.target import Settings
from conformance.verdict import CONFORMS, CORE_RULES, DOES_NOT_CONFORM, INCOMPLETE, judge
from support import harness
from support.broken_targets import AccountLookupFails, AccountLookupOffSchema, FirstEntityListFails
from support.stand_ins import stand_in


def _reports(folder):
    return [
        "--report",
        str(folder / "report.txt"),
        "--junit",
        str(folder / "junit.xml"),
        "--html",
        str(folder / "report.html"),
    ]


def _verdict_in_every_report(folder) -> dict:
    """The verdict as each report states it."""
    junit = ElementTree.parse(folder / "junit.xml")
    case = next(case for case in junit.iter("testcase") if case.get("name") == "verdict")
    failure = case.find("failure")
    return {
        "report": (folder / "report.txt").read_text().strip().splitlines()[-1],
        "junit": failure.get("message") if failure is not None else case.find("system-out").text,
        "html": (folder / "report.html").read_text(),
    }


def test_a_view_only_token_is_incomplete_saying_it_cannot_void(tmp_path):
    server = stand_in("a")
    result = harness.console(
        "--base-url", server.url, "--token", server.view_only_token, "--max-rps", "0", *_reports(tmp_path)
    )
    assert result.returncode == 2, result.stdout + result.stderr
    verdict = result.stdout.strip().splitlines()[-1]
    assert verdict.startswith("INCOMPLETE: 0 passed, 0 failed, 0 accepted, 34 not applicable -- not exercised: "), (
        verdict
    )
    assert "the token cannot void: it is view-only" in verdict
    reports = _verdict_in_every_report(tmp_path)
    assert reports["report"] == verdict
    assert reports["junit"].startswith("INCOMPLETE: not exercised: ") and "view-only" in reports["junit"]
    assert "<h1>INCOMPLETE</h1>" in reports["html"] and "the token cannot void: it is view-only" in reports["html"]


def test_an_unreachable_url_is_an_error_in_one_line_and_in_every_report(tmp_path):
    result = harness.console("--base-url", "http://127.0.0.1:9", "--token", "a-token-nobody-has", *_reports(tmp_path))
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("ERROR: http://127.0.0.1:9 does not answer (")
    reports = _verdict_in_every_report(tmp_path)
    assert reports["report"] == reports["junit"] == result.stderr.strip()
    assert "<h1>ERROR</h1>" in reports["html"]


def test_a_500_from_a_look_up_does_not_conform_and_names_it(tmp_path):
    server = stand_in("a")
    with harness.broken(server, AccountLookupFails) as target:
        result = harness.console(
            "--base-url", target.url, "--token", server.token, "--max-rps", "0", *_reports(tmp_path)
        )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[no_5xx] coa_api_account_list GET /coa/api/account?limit=200 at $: answered 500" in result.stdout
    assert "(in set-up)" in result.stdout
    verdict = result.stdout.strip().splitlines()[-1]
    assert verdict.startswith(
        "DOES NOT CONFORM: 0 passed, 0 failed, 0 accepted, 34 not applicable -- 1 contract finding(s)"
    )
    assert "the look-up GET /coa/api/account answered 500" in result.stdout  # why the checks could not pay
    assert "upstream ledger unavailable" in _verdict_in_every_report(tmp_path)["html"]


def test_ctrl_c_says_interrupted_in_every_output(tmp_path):
    """SIGINT to the process mid-run: what it found so far, INTERRUPTED, in the console and
    every report; never CONFORMS."""
    server = stand_in("b")
    command = [*harness.CONSOLE, *harness.target_options(server, max_rps="20"), *_reports(tmp_path)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**harness.console_environment(), "PYTHONUNBUFFERED": "1"},
    )
    first = process.stdout.read(1)  # pytest's first progress mark: a check has run
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    stdout = first + stdout
    assert process.returncode == 2, stdout + stderr
    verdict = stdout.strip().splitlines()[-1]
    assert verdict.startswith("INCOMPLETE: ") and "INTERRUPTED (Ctrl-C) after " in verdict, verdict
    reports = _verdict_in_every_report(tmp_path)
    assert reports["report"] == verdict
    assert reports["junit"].startswith("INCOMPLETE: INTERRUPTED (Ctrl-C) after ")
    assert "<h1>INCOMPLETE</h1>" in reports["html"] and "INTERRUPTED (Ctrl-C) after " in reports["html"]
    assert "CONFORMS" not in stdout.replace("DOES NOT CONFORM", "")


@pytest.mark.parametrize(
    "old, new", [("CAMPFIRE_ADMIN_TOKEN", "CAMPFIRE_TARGET_ADMIN_TOKEN"), ("CAMPFIRE_BASE_URL", "CAMPFIRE_TARGET_URL")]
)
def test_a_retired_variable_is_refused_in_one_line(old, new):
    result = CliRunner().invoke(main, ["--base-url", "http://127.0.0.1:9", "--token", "t"], env={old: "x"})
    assert result.exit_code == 2
    assert result.stderr == f"ERROR: {old} is no longer read (it meant two things); set {new} instead" + (
        " (the pytest plugin's shared stand-in: CAMPFIRE_STANDIN_ADMIN_TOKEN)\n"
        if old == "CAMPFIRE_ADMIN_TOKEN"
        else "\n"
    )


def _core(status="passed"):
    """One result per core rule, exercising it."""
    return [Result(checks[0], status) for _, checks in CORE_RULES]


def test_conforms_only_when_every_core_rule_was_exercised():
    assert judge(_core(), 0).word == CONFORMS
    assert (
        judge(_core()[1:] + [Result("void_echoes_the_requested_date", "accepted", "a deviation")], 0).word == CONFORMS
    )
    missing = judge(_core()[:-1] + [Result("missing_token_is_401", "not applicable", "no payment to void")], 0)
    assert (missing.word, missing.reasons) == (
        INCOMPLETE,
        ["not exercised: a void without valid credentials refused: no payment to void"],
    )
    assert judge([], 0).word == INCOMPLETE and judge([], 0).code == 2


def test_a_failure_or_a_finding_outweighs_everything_else():
    failed = judge(_core() + [Result("unknown_invoice_is_404", "failed", "answered 200")], 0, interrupted="Ctrl-C")
    assert (failed.word, failed.code) == (DOES_NOT_CONFORM, 1)
    assert failed.reasons == ["1 check(s) failed", "INTERRUPTED (Ctrl-C) after 5 checks"]
    assert judge([], 2).line == "DOES NOT CONFORM: 2 contract finding(s)"
    stopped = judge(_core(), 0, stopped="second_void_is_refused: request budget of 10 reached")
    assert (
        stopped.word == INCOMPLETE and "stopped after 4 checks: second_void_is_refused: request budget" in stopped.line
    )


def test_a_wrong_admin_token_is_an_error_not_a_silent_skip():
    server = stand_in("a")
    result = harness.console("--base-url", server.url, "--token", server.token, "--admin-token", "not-the-admin-token")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "ERROR: the admin token is refused: GET /_mock/clock answered 401 (a wrong admin token, or a "
        "target that is not the stand-in: leave the admin token out)\n"
    )


def test_a_spent_request_budget_stops_the_run_incomplete_with_what_it_found():
    server = stand_in("a")
    settings = Settings(server.url, server.token, max_requests=40, max_rps=0)
    outcome = runner.check(settings, only="second_void or invalid_void_date or missing_token or echoes")
    assert outcome.verdict.word == INCOMPLETE and outcome.code == 2, outcome.text
    assert "request budget of 40 reached" in outcome.verdict.line and "stopped after " in outcome.verdict.line
    assert 0 < len(outcome.results) < 8 and {result.status for result in outcome.results} == {"passed"}


def test_a_look_up_off_its_schema_is_a_finding_and_the_checks_still_run():
    server = stand_in("a")
    with harness.broken(server, AccountLookupOffSchema) as target:
        outcome = harness.check(target.url, server, only="second_void or invalid_void_date or missing_token")
    assert outcome.code == 1, outcome.text
    assert {result.status for result in outcome.results} == {"passed"}, outcome.text
    groups = outcome.findings.new
    assert groups and {(g.example.operation, g.example.rule, tuple(g.checks)) for g in groups} == {
        ("coa_api_account_list", "response_schema", ("set-up",))
    }
    assert all(g.example.json_path.endswith("].number") for g in groups)
    assert outcome.verdict.line == f"DOES NOT CONFORM: {len(groups)} contract finding(s)"


def test_findings_of_the_set_up_are_reported_when_the_budget_ends_it():
    server = stand_in("a")
    with harness.broken(server, FirstEntityListFails) as target:  # the probe: a finding; the budget: 3 requests
        settings = Settings(target.url, server.token, max_requests=3, max_rps=0)
        outcome = runner.check(settings)
    assert outcome.code == 1 and outcome.results == [], outcome.text
    assert [group.example.rule for group in outcome.findings.new] == ["no_5xx"]
    assert outcome.verdict.line == (
        "DOES NOT CONFORM: 1 contract finding(s); stopped after 0 checks: set-up: request budget of 3 reached"
    )
