"""`campfire-conformance compare` sends the generic requests (conformance.generic_requests: what
Django REST Framework answers for any view) to both deployments: the stand-in compared with
itself differs nowhere and says how many it sent; a deployment that redirects with a 307 or
leaves out WWW-Authenticate is caught, step by step (exit 1), until a known-deviations entry
accepts it (exit 0). Every void is of a payment the run created, and no token is ever shown."""

import re
from datetime import date

import pytest
from click.testing import CliRunner

from conformance import compare, generic_steps
from conformance.cli import main
from conformance.target import Settings
from mock_server.serving import ServerThread
from support.generic_drift import GenericDrift, no_www_authenticate, redirect_307
from support.stand_ins import stand_in

VOID = re.compile(r"^/coa/api/v1/invoice/\+?(\d+)/+payment/(\d+)/void/?$")


def command(base, against_url, *extra):
    return CliRunner().invoke(
        main,
        [
            "--max-rps",
            "0",
            "--view-only-token",
            base.view_only_token,
            "compare",
            "--base-url",
            base.url,
            "--token",
            base.token,
            "--against",
            against_url,
            "--against-token",
            base.token,
            "--against-view-only-token",
            base.view_only_token,
            *extra,
        ],
    )


@pytest.fixture(scope="module")
def drifted():
    """Stand-in b behind each generic drift."""
    with (
        ServerThread(GenericDrift(stand_in("b").server.app, redirect_307)) as redirecting,
        ServerThread(GenericDrift(stand_in("b").server.app, no_www_authenticate)) as unannounced,
    ):
        yield {"307": redirecting.url, "no WWW-Authenticate": unannounced.url}


def test_the_stand_in_compared_with_itself_differs_nowhere_and_counts_its_generic_requests(tmp_path):
    a = stand_in("a")
    report = tmp_path / "compare.html"
    result = command(a, a.url, "--html", str(report))
    assert result.exit_code == 0, result.output
    sent = len(generic_steps.selected(date.today(), {"admin", "view_only"}))
    assert sent >= 70 and f"({sent} generic requests to each)" in result.output
    assert "SAME BEHAVIOUR: 0 step(s) differ" in result.output
    for secret in (a.token, a.view_only_token, a.admin_token):
        assert secret not in result.output and secret not in report.read_text()


def test_every_generic_request_is_aimed_at_a_payment_the_run_created():
    a = stand_in("a")
    side = compare.play(Settings(a.url, a.token, a.view_only_token, max_rps=0), "CAMPFIRE")
    assert not side.stopped
    created = {
        exchange.body["id"]
        for exchange in side.recorder.exchanges
        if exchange.method == "POST" and exchange.path == "/coa/api/v1/invoice/" and exchange.status == 201
    }
    aimed = [
        VOID.match(exchange.path)
        for exchange in side.recorder.exchanges
        if exchange.label.startswith(generic_steps.PREFIX) and "/void" in exchange.path
    ]
    assert len(aimed) > 60 and all(match and int(match[1]) in created for match in aimed)
    voids = [
        exchange.label
        for exchange in side.recorder.exchanges
        if exchange.label.startswith(generic_steps.PREFIX) and exchange.status == 200 and exchange.method == "POST"
    ]
    fresh = [exchange for exchange in side.recorder.exchanges if exchange.label == generic_steps.FRESH_PAYMENT]
    assert len(voids) > 20 and len(fresh) <= 2 * (len(voids) + 3)  # a fresh payment only after a possible void


def test_a_307_for_a_missing_trailing_slash_is_caught_and_can_be_accepted(drifted, tmp_path):
    result = command(stand_in("a"), drifted["307"])
    assert result.exit_code == 1, result.output
    differing = [line for line in result.output.splitlines() if line.startswith("DIFFERS")]
    assert differing == [
        (
            f"DIFFERS  generic: void_no_trailing_slash: [status_code] unknown operation at $: "
            f"{stand_in('a').url} answered 301, {drifted['307']} 307"
        )
    ]
    accepted = tmp_path / "deviations.yaml"
    accepted.write_text("""
- operation: "*"
  json_path: $
  rule: status_code
  step: "generic: void_no_trailing_slash"
  accepted: our gateway redirects a missing trailing slash with a 307
  why: our client always sends the slash
""")
    result = command(stand_in("a"), drifted["307"], "--known-deviations", str(accepted))
    assert result.exit_code == 0, result.output
    assert "accepted generic: void_no_trailing_slash: [status_code]" in result.output
    assert "SAME BEHAVIOUR: 0 step(s) differ, 1 differ as accepted" in result.output


def test_a_401_without_www_authenticate_is_caught_wherever_it_answers_401_and_can_be_accepted(drifted, tmp_path):
    result = command(stand_in("a"), drifted["no WWW-Authenticate"])
    assert result.exit_code == 1, result.output
    differing = [line for line in result.output.splitlines() if line.startswith("DIFFERS")]
    steps = {line.removeprefix("DIFFERS  ").split(": [")[0] for line in differing}
    assert {
        "refused: void without a token",
        "refused: void with an invalid token",
        "generic: auth_missing",
        "generic: auth_bearer",
        "generic: get_void_no_token",
        "generic: options_void_no_token",
    } <= steps
    assert len(steps) == len(differing) >= 10 and all(
        "[header]" in line and "at header:www-authenticate: " in line and "sent 'Token'" in line for line in differing
    )
    accepted = tmp_path / "deviations.yaml"
    accepted.write_text("""
- operation: "*"
  json_path: header:www-authenticate
  rule: header
  accepted: our 401s carry no WWW-Authenticate
  why: our client never reads it
""")
    result = command(stand_in("a"), drifted["no WWW-Authenticate"], "--known-deviations", str(accepted))
    assert result.exit_code == 0, result.output
    assert f"SAME BEHAVIOUR: 0 step(s) differ, {len(differing)} differ as accepted" in result.output
