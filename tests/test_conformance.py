"""The conformance harness against the stand-in (it must pass) and against broken targets
(it must fail, naming the broken rule). The harness runs as its console script would."""
import json
import subprocess
import sys

import pytest

from broken_targets import DEFECTS, BrokenTarget
from conftest import make_state
from mock_server.app import create_app
from mock_server.serving import ServerThread


def harness(url, api, *extra, admin=True):
    command = [sys.executable, "-m", "conformance.cli", "--base-url", url, "--token", api.tokens[(1, "admin")],
               "--view-only-token", api.tokens[(1, "view_only")], *extra]
    if admin:
        command += ["--admin-token", api.state.admin_token]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.fixture
def state():
    """The real clock here: off the stand-in, the harness dates its payments from today."""
    return make_state(today=None)


@pytest.fixture
def stand_in(state):
    with ServerThread(create_app(state)) as server:
        yield server


def _rows(output):
    """check -> (status, reason) from the summary table."""
    rows = {}
    for line in output.splitlines():
        parts = line.split(None, 1)
        for status in ("passed", "failed", "accepted", "not applicable"):
            if len(parts) == 2 and parts[1].startswith(status):
                rows[parts[0]] = (status, parts[1][len(status):].strip())
    return rows


def test_the_stand_in_conforms_twice_in_a_row_in_any_order(stand_in, live, tmp_path):
    for seed in (None, 1, 2):
        extra = ["--junit", str(tmp_path / "junit.xml"), "--report", str(tmp_path / "report.txt")]
        result = harness(stand_in.url, live, *extra, *(["--order-seed", str(seed)] if seed else []))
        assert result.returncode == 0, result.stdout + result.stderr
        rows = _rows(result.stdout)
        assert len(rows) >= 30
        assert {status for status, _ in rows.values()} == {"passed"}
        assert "CONFORMS" in result.stdout
    assert "<testsuite" in (tmp_path / "junit.xml").read_text()
    assert "CONFORMS" in (tmp_path / "report.txt").read_text()


def test_without_admin_token_the_stand_in_checks_are_not_applicable(stand_in, live):
    result = harness(stand_in.url, live, admin=False)
    assert result.returncode == 0, result.stdout
    rows = _rows(result.stdout)
    assert rows["ledger_invariants_hold"] == ("not applicable", "the target is not the stand-in (no admin token, or its admin API refused it)")
    assert rows["stripe_void_refunds_exactly_once"][0] == "not applicable"


@pytest.mark.parametrize("defect", DEFECTS, ids=[d.__name__ for d in DEFECTS])
def test_a_broken_target_is_rejected_naming_the_rule(state, live, defect):
    tokens = {"admin": live.tokens[(1, "admin")], "view_only": live.tokens[(1, "view_only")]}
    with ServerThread(BrokenTarget(create_app(state), defect(state, tokens))) as broken:
        result = harness(broken.url, live)
    assert result.returncode == 1, result.stdout + result.stderr
    named = {check: status for check, (status, _) in _rows(result.stdout).items()
             if check == defect.rule or check.startswith(defect.rule + "[")}
    assert "failed" in named.values(), result.stdout
    assert "DOES NOT CONFORM" in result.stdout


def test_known_deviations_accept_exactly_what_they_name(state, live, tmp_path):
    from broken_targets import MissingRequiredField, WrongType
    deviations = tmp_path / "deviations.yaml"
    deviations.write_text(
        "- operation: coa_api_v1_invoice_payment_void_create\n"
        "  json_path: $.external_id\n"
        "  accepted: external_id may be absent\n"
        "  why: this deployment predates the field\n")
    tokens = {"admin": live.tokens[(1, "admin")], "view_only": live.tokens[(1, "view_only")]}
    with ServerThread(BrokenTarget(create_app(state), MissingRequiredField(state, tokens))) as broken:
        accepted = harness(broken.url, live, "--known-deviations", str(deviations))
    assert accepted.returncode == 0, accepted.stdout
    status, reason = _rows(accepted.stdout)["void_echoes_the_requested_date"]
    assert status == "accepted" and "predates the field" in reason
    with ServerThread(BrokenTarget(create_app(state), WrongType(state, tokens))) as broken:
        new = harness(broken.url, live, "--known-deviations", str(deviations))
    assert new.returncode == 1


def test_usage_and_connection_errors_exit_2(live, tmp_path):
    unreachable = harness("http://127.0.0.1:9", live)
    assert unreachable.returncode == 2 and "error:" in unreachable.stderr
    no_token = subprocess.run([sys.executable, "-m", "conformance.cli", "--base-url", "http://127.0.0.1:9"],
                              capture_output=True, text=True)
    assert no_token.returncode == 2 and "--token" in no_token.stderr
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text("- operation: x\n")
    assert harness("http://127.0.0.1:9", live, "--known-deviations", str(bad_file)).returncode == 2


def test_pairs_file_is_voided_and_nothing_else(stand_in, live, tmp_path):
    pairs = []
    for _ in range(40):
        invoice = live.create_invoice()
        pairs.append({"invoice_id": invoice["id"], "payment_id": live.pay(invoice["id"], "manual", 270)["id"]})
    (tmp_path / "pairs.json").write_text(json.dumps(pairs))
    voided = "SELECT id FROM payments WHERE voided_date IS NOT NULL"
    before = {row[0] for row in live.state.ledger.db.execute(voided)}
    result = harness(stand_in.url, live, "--pairs", str(tmp_path / "pairs.json"), admin=False)
    assert result.returncode == 0, result.stdout
    newly = {row[0] for row in live.state.ledger.db.execute(voided)} - before
    assert newly and newly <= {p["payment_id"] for p in pairs}
    assert live.state.ledger.db.execute("SELECT COUNT(*) FROM invoices").fetchone()[0] == 96 + 40, "nothing created"
