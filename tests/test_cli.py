"""`campfire-mock` commands, the dataset generator, and a crash in the middle of a void."""

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner

from mock_server.cli import main
from mock_server.fixtures import DEFAULT, generate
from mock_server.serving import free_port
from mock_server.storage import SqliteLedger


def _tamper(path, sql):
    """Corrupt a ledger file on purpose, behind the stand-in's back."""
    with sqlite3.connect(path) as conn:
        conn.execute(sql)


def _query(path, sql, params=()):
    ledger = SqliteLedger(path)
    try:
        return [tuple(row.values()) for row in ledger.query(sql, params)]
    finally:
        ledger.close()


@pytest.fixture
def seeded(tmp_path):
    db = str(tmp_path / "ledger.db")
    result = CliRunner().invoke(main, ["seed", "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_check_passes_on_the_default_dataset(seeded):
    result = CliRunner().invoke(main, ["check", "--db", seeded])
    assert result.exit_code == 0 and "ledger healthy" in result.output


def test_check_names_a_corrupted_journal_line(seeded):
    _tamper(
        seeded,
        "UPDATE journal_lines SET debit_minor = debit_minor + 1 WHERE id = (SELECT MIN(id) FROM journal_lines WHERE debit_minor > 0)",
    )
    result = CliRunner().invoke(main, ["check", "--db", seeded])
    assert result.exit_code == 1
    assert "VIOLATED balanced_entries" in result.output


def test_check_names_a_refund_without_a_void(seeded):
    _tamper(seeded, "UPDATE payments SET voided_date = NULL WHERE id = (SELECT payment_id FROM stripe_refunds LIMIT 1)")
    result = CliRunner().invoke(main, ["check", "--db", seeded, "--json"])
    assert result.exit_code == 1
    assert "refunds" in {v["invariant"] for v in json.loads(result.output)["violations"]}


def test_tokens_lists_who_is_who(seeded):
    output = CliRunner().invoke(main, ["tokens", "--db", seeded]).output
    assert output.count("Northwind Traders") == 3 and output.count(" view_only ") == 2


def test_reset_empties_the_ledger(seeded):
    assert CliRunner().invoke(main, ["reset", "--db", seeded]).exit_code == 0
    assert _query(seeded, "SELECT COUNT(*) FROM invoices") == [(0,)]


def test_generator_is_deterministic_and_matches_the_committed_dataset(tmp_path):
    generate.main(["--out", str(tmp_path / "a")])
    generate.main(["--out", str(tmp_path / "b")])
    for path in sorted(DEFAULT.glob("*.jsonl")):
        assert (
            (tmp_path / "a" / path.name).read_bytes() == (tmp_path / "b" / path.name).read_bytes() == path.read_bytes()
        ), path.name


def _serve(db, port, *extra):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mock_server.cli",
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--admin-token",
            "adm",
            "--today",
            "2026-07-15",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _request_lines(output: str) -> list[str]:
    """The per-request log lines (method, path, status, ms), after the start-up banner."""
    return [
        line for line in output.splitlines() if line.split(" ")[2:3] and line.split(" ")[2] in ("GET", "POST", "PUT")
    ]


def _wait(url):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            return httpx.get(url + "/_mock/clock", headers={"X-Mock-Admin-Token": "adm"}, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def test_crash_in_the_middle_of_a_stripe_void_leaves_nothing_half_done(seeded):
    """The process dies inside the refund (after the reversing entry was written): on restart the
    payment is unvoided, no refund exists, the ledger is healthy, and a retry voids it once."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    [(payment_id, invoice_id)] = _query(
        seeded, "SELECT id, invoice_id FROM payments WHERE source = 'STRIPE' AND voided_date IS NULL LIMIT 1"
    )
    [(token,)] = _query(
        seeded,
        "SELECT key FROM tokens WHERE organization_id = (SELECT organization_id FROM payments"
        " WHERE id = ?) AND role = 'admin'",
        [payment_id],
    )
    void_url = f"{url}/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/"
    auth = {"Authorization": f"Token {token}"}

    server = _serve(seeded, port)
    try:
        _wait(url)
        httpx.post(url + "/_mock/stripe/faults", headers={"X-Mock-Admin-Token": "adm"}, json={"fault": "crash"})
        with pytest.raises(httpx.TransportError):
            httpx.post(void_url, headers=auth, timeout=10)
        assert server.wait(timeout=10) == 75
        assert token not in "".join(_request_lines(server.stdout.read())), "tokens are never logged per request"
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)

    check = CliRunner().invoke(main, ["check", "--db", seeded])
    assert check.exit_code == 0, check.output
    assert _query(seeded, "SELECT voided_date FROM payments WHERE id = ?", [payment_id]) == [(None,)]
    assert _query(seeded, "SELECT COUNT(*) FROM stripe_refunds WHERE payment_id = ?", [payment_id]) == [(0,)]

    server = _serve(seeded, port)
    try:
        _wait(url)
        retried = httpx.post(void_url, headers=auth, timeout=10)
        assert retried.status_code == 200, retried.text
        refunds = httpx.get(url + "/_mock/stripe/refunds", headers={"X-Mock-Admin-Token": "adm"}).json()
        assert [r["payment_id"] for r in refunds].count(payment_id) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=10)
    lines = _request_lines(output)
    assert any(f"POST /coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/ 200" in line for line in lines)
    assert token not in "".join(lines)
    assert CliRunner().invoke(main, ["check", "--db", seeded]).exit_code == 0


def test_serve_prints_url_tokens_swagger_and_a_void_that_works(seeded):
    port = free_port()
    server = _serve(seeded, port)
    banner = []
    try:
        for line in server.stdout:
            banner.append(line)
            if line.startswith("Try a void:"):
                break
        output = "".join(banner)
        suggested = re.search(r"Try a void: curl -X POST -H 'Authorization: Token (\S+)' (\S+)", output)
        assert suggested, output
        _wait(f"http://127.0.0.1:{port}")
        response = httpx.post(suggested.group(2), headers={"Authorization": f"Token {suggested.group(1)}"})
        assert response.status_code == 200, response.text
        forged = "/coa/api/entity%0a2026-01-01 00:00:00,000 POST /coa/api/v1/invoice/1/payment/1/void/ 200 1.0ms%00"
        assert httpx.get(f"http://127.0.0.1:{port}{forged}").status_code == 404
    finally:
        server.send_signal(signal.SIGTERM)
        log, _ = server.communicate(timeout=10)
    assert (
        "GET /coa/api/entity\\n2026-01-01 00:00:00,000 POST /coa/api/v1/invoice/1/payment/1/void/ 200 1.0ms\\x00 404"
        in log
    )
    assert not any(line.startswith("2026-01-01") for line in log.splitlines()), "a request forged a log line"
    assert f"http://127.0.0.1:{port}" in output and "/ui/" in output
    assert "nw_admin_" in output and "X-Mock-Admin-Token: adm" in output
