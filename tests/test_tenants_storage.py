"""Storage faults in words, the health endpoint and one admin token per database (issue 25):
a ledger that cannot be used at start is one line and exit 2; a full disk is 507 JSON naming it;
a ledger file deleted or replaced under a running server refuses writes with 503; /health answers
a load balancer without a token. Over HTTP, against `campfire-mock serve` processes."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

from mock_server import running
from mock_server.serving import free_port
from support.served import ADMIN, TOKEN, Serve
from support.tenants import API


def serve_command(db, *options) -> list[str]:
    return [sys.executable, "-m", "mock_server.cli", "serve", "--db", str(db), "--port", str(free_port()), *options]


def voidable(url: str) -> list[tuple[int, int]]:
    with httpx.Client(base_url=url, headers=TOKEN, timeout=30) as http:
        pairs = []
        for invoice in http.get(f"{API}/invoice/", params={"limit": 100}).json()["results"]:
            detail = http.get(f"{API}/invoice/{invoice['id']}/").json()
            pairs += [
                (invoice["id"], p["id"])
                for p in detail.get("payments", [])
                if not p.get("voided_date") and p.get("source") == "MANUAL" and invoice["status"] != "VOID"
            ]
        return pairs


def void(url: str, pair) -> httpx.Response:
    return httpx.post(f"{url}{API}/invoice/{pair[0]}/payment/{pair[1]}/void/", headers=TOKEN, json={}, timeout=30)


@pytest.fixture()
def ledger_file(tmp_path):
    return tmp_path / "ledger.db"


def _unusable(kind: str, path):
    if kind == "corrupt":
        path.write_bytes(b"this is not a SQLite database" * 200)
    elif kind == "a directory":
        path.mkdir()
    else:  # read-only: root writes through mode bits, not through the immutable attribute
        sqlite3.connect(path).close()
        path.chmod(0o444)
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(path)], check=True)
    return path


@pytest.mark.parametrize("kind", ["corrupt", "a directory", "read-only"])
def test_a_ledger_that_cannot_be_used_at_start_is_one_line_and_exit_2(ledger_file, kind):
    path = _unusable(kind, ledger_file)
    try:
        result = subprocess.run(serve_command(path), capture_output=True, text=True, timeout=60, check=False)
    finally:
        if kind == "read-only" and os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(path) in lines[0]


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_ledger_file_deleted_or_replaced_under_the_server_refuses_writes_with_503(ledger_file, how):
    server = Serve(str(ledger_file))
    try:
        assert httpx.get(server.url + "/health").json()["status"] == "ok"
        first, second = voidable(server.url)[:2]
        assert void(server.url, first).status_code == 200
        if how == "deleted":
            for suffix in ("", "-wal", "-shm"):
                ledger_file.with_name(ledger_file.name + suffix).unlink(missing_ok=True)
        else:
            shutil.copy(ledger_file, ledger_file.with_suffix(".copy"))
            os.replace(ledger_file.with_suffix(".copy"), ledger_file)
        refused = void(server.url, second)
        assert refused.status_code == 503 and refused.headers["Retry-After"]
        assert "deleted or replaced" in refused.json()["detail"]
        health = httpx.get(server.url + "/health")
        assert health.status_code == 503 and "deleted or replaced" in health.json()["detail"]
    finally:
        server.stop()


def test_a_full_disk_is_507_naming_it_and_the_refused_void_is_not_half_applied():
    with running() as standin:
        ledger = standin.state.ledger
        pairs = [
            (row["invoice_id"], row["id"])
            for row in ledger.query(
                "SELECT p.id, p.invoice_id FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN entities e"
                " ON e.id = i.entity_id WHERE p.voided_date IS NULL AND i.voided_date IS NULL AND p.organization_id = 1"
                " AND e.books_closed_through IS NULL AND p.source = 'MANUAL'"
            )
        ]
        with ledger.write() as store:  # the database may grow no more: SQLite's "database or disk is full"
            pages = store._one("PRAGMA page_count")["page_count"]
            store.conn.execute(f"PRAGMA max_page_count = {pages}")
        answers = []
        for pair in pairs:  # bounded: each void needs new pages sooner or later
            answers.append(
                (
                    pair,
                    httpx.post(
                        f"{standin.base_url}{API}/invoice/{pair[0]}/payment/{pair[1]}/void/",
                        headers={"Authorization": f"Token {standin.token('admin', 1)}"},
                        json={},
                    ),
                )
            )
            if answers[-1][1].status_code != 200:
                break
        (refused_pair, refused) = answers[-1]
        assert refused.status_code == 507, refused.text
        assert "disk is full" in refused.json()["detail"]
        with ledger.write() as store:
            store.conn.execute("PRAGMA max_page_count = 1073741823")
        assert not ledger.query("SELECT voided_date FROM payments WHERE id = ?", [refused_pair[1]])[0]["voided_date"]
        assert standin.invariants()["healthy"]


def test_health_needs_no_token_and_says_ok():
    with running() as standin:
        answer = httpx.get(standin.base_url + "/health")
        assert answer.status_code == 200 and answer.json() == {"status": "ok", "engine": "sqlite"}


def _started(command) -> tuple[subprocess.Popen, str]:
    port = command[command.index("--port") + 1]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not start")


def test_a_second_server_without_admin_token_shares_the_first_ones(ledger_file):
    first = Serve(str(ledger_file))  # with --admin-token adm
    second, url = _started(serve_command(ledger_file))
    try:
        assert httpx.get(url + "/_mock/clock", headers=ADMIN).status_code == 200
        assert httpx.get(url + "/_mock/clock", headers={"X-Mock-Admin-Token": "guess"}).status_code == 401
    finally:
        second.terminate()
        second.wait(timeout=15)
        first.stop()
