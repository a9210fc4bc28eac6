"""The HTML reports as a person sees them, in headless Chromium: the verdict at the top, the
failed check open with its contract finding (request, response, a curl line without the token),
passing checks folded, the status filter working, no JavaScript error, no network."""

import re

import pytest
from click.testing import CliRunner

from conformance import results_document
from conformance.cli import main
from conformance.html_report import write
from conformance.target import Settings
from conformance.verdict import DOES_NOT_CONFORM, Verdict
from mock_server.serving import ServerThread
from support.browser import chromium, visit
from support.drifting_target import DriftingTarget, bogus_source, drop_external_id
from support.stand_ins import stand_in

ACCEPTED = """
- operation: coa_api_v1_invoice_payment_void_create
  json_path: $.external_id
  accepted: this deployment leaves external_id out of the void's answer
  why: ticket CAMP-42; our client never reads it
"""
FAILING_CASSETTE = """command: 'st run'
recorded_with: 'Schemathesis 4'
http_interactions:
- id: '7'
  status: 'FAILURE'
  recorded_at: '2026-11-25T08:00:00.000000+00:00'
  checks:
    - name: 'not_a_server_error'
      status: 'FAILURE'
      message: 'Server error'
  request:
    uri: '{url}/coa/api/v1/invoice/4/payment/3/void/'
    method: 'POST'
    headers:
      "Authorization":
      - "[Filtered]"
      "Content-Type":
      - "application/json"
    body:
      encoding: 'utf-8'
      string: "{{\\"void_date\\": \\"0000-01-01\\"}}"
  response:
    status:
      code: '500'
      message: "Internal Server Error"
    elapsed: '0.01'
    headers:
      "Content-Type":
      - "application/json"
    body:
      encoding: 'utf-8'
      string: "{{\\"detail\\": \\"boom\\"}}"
    http_version: '1.1'
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def conformance_report(tmp_path_factory):
    """A real run against a deployment whose void answer lacks a required field (a deviation
    accepted in a known-deviations file) and has a source outside the enum (not accepted)."""
    folder = tmp_path_factory.mktemp("html")
    report, accepted = folder / "conformance.html", folder / "deviations.yaml"
    accepted.write_text(ACCEPTED)
    upstream = stand_in("a")
    with ServerThread(DriftingTarget(upstream.url, drop_external_id, bogus_source)) as drifted:
        result = CliRunner().invoke(
            main,
            [
                "--base-url",
                drifted.url,
                "--token",
                upstream.token,
                "--max-rps",
                "0",
                "--known-deviations",
                str(accepted),
                "--html",
                str(report),
                "--only",
                "void_echoes or second_void or missing_token",
            ],
        )
    assert result.exit_code == 1, result.output
    return report, upstream.token


def test_a_failed_run_shows_its_verdict_the_failed_check_open_and_how_to_reproduce(
    browser, conformance_report, tmp_path
):
    report, token = conformance_report
    page = visit(browser, report.as_uri())
    assert page.inner_text("h1") == "DOES NOT CONFORM"
    assert re.search(r"run \w+ · finished .* · \d+ requests", page.inner_text("header"))
    failed = page.locator("details.check.failed", has_text="void_echoes_the_requested_date")
    assert failed.get_attribute("open") is not None and failed.is_visible()
    assert "'BOGUS' is not valid" in failed.inner_text()
    finding = page.locator(".finding:not(.accepted-finding)", has_text="$.source").first
    assert finding.is_visible()
    shown = finding.inner_text()
    assert "response_schema" in shown and "coa_api_v1_invoice_payment_void_create" in shown
    assert '"source": "BOGUS"' in shown and '"voided_date"' in shown  # the response excerpt
    accepted = page.locator(".finding.accepted-finding", has_text="$.external_id").first
    assert "ticket CAMP-42; our client never reads it" in accepted.inner_text()
    assert page.locator("h2", has_text="Accepted deviations").is_visible()
    curl = finding.locator("pre.curl").inner_text()
    assert (
        curl.startswith("curl -sS -X POST")
        and "/void/" in curl
        and "Authorization: Token $CAMPFIRE_TARGET_TOKEN" in curl
    )
    assert token not in page.content()
    passed = page.locator("details.check.passed").first
    assert passed.get_attribute("open") is None
    page.check("nav input[value=failed]")
    assert not passed.is_visible() and failed.is_visible()
    assert page.errors == []
    assert page.requests == [report.as_uri()]
    page.screenshot(path=tmp_path / "report.png", full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_a_fuzz_run_shows_its_failures_with_replay_commands_and_the_deep_state_share(browser, tmp_path):
    url = "http://127.0.0.1:9"
    (tmp_path / "failures.yaml").write_text(FAILING_CASSETTE.format(url=url))
    (tmp_path / "cassette.yaml").write_text(FAILING_CASSETTE.format(url=url))
    (tmp_path / "context.json").write_text('{"run_id": "abc123", "is_mock": false}')
    document = results_document.fuzz(
        tmp_path, Settings(url, "secret-token"), Verdict(DOES_NOT_CONFORM, ["Schemathesis found failures"])
    )
    write(tmp_path / "report.html", document)
    page = visit(browser, (tmp_path / "report.html").as_uri())
    assert page.inner_text("h1") == "DOES NOT CONFORM"
    assert "Schemathesis found failures" in page.inner_text("header")
    assert "0 of 1 requests (0.0%) were a void answered 200" in page.inner_text("main")
    failure = page.locator("details.check.failed").first
    assert failure.get_attribute("open") is not None
    assert "not_a_server_error: Server error" in failure.inner_text()
    assert "Authorization: Token $CAMPFIRE_TARGET_TOKEN" in failure.locator("pre.curl").inner_text()
    assert f"replay {tmp_path / 'failures.yaml'}" in page.inner_text("main")
    assert "secret-token" not in page.content()
    assert page.errors == []
