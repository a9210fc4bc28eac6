"""CPU per request through the stand-in's app in one process, no sockets: what the app itself
costs, with the direct lane and without it (`create_app(direct_lane=False)`), apart from
uvicorn, the network and the threads' contention under concurrent clients.

    python benchmarks/in_process.py [--voids 1000] [--rounds 3]

For each round and each mode (alternating), a fresh ledger with the default dataset; requests
are ASGI calls, one after the other, through the app as `serve` builds it (guards included, no
request log). It prints medians of the process CPU per request: a void (half Stripe, each a
distinct payment), a GET of each default invoice, and the handler's own thread CPU per void.
"""
import argparse
import asyncio
import functools
import json
import statistics
import sys
import time
import warnings
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.filterwarnings("ignore")

import httpx  # noqa: E402
import standin as standin_api  # noqa: E402

from fixtures import DEFAULT  # noqa: E402
from mock_server.serving import configure_logging, served  # noqa: E402
from mock_server.standin import StandIn  # noqa: E402
from mock_server.storage import SqliteLedger, datasets  # noqa: E402
from mock_server.web import app as web_app  # noqa: E402
from mock_server.web.handlers import void as void_handlers  # noqa: E402

TODAY = date(2026, 11, 20)
HANDLER_CPU: list[float] = []


def _timed(handler):
    """The void handler, its thread CPU recorded (it runs in a handler thread)."""
    @functools.wraps(handler)  # the app reads the handler's signature
    def timed(*args, **kwargs):
        started = time.thread_time()
        try:
            return handler(*args, **kwargs)
        finally:
            HANDLER_CPU.append(time.thread_time() - started)
    return timed


class Client:
    def __init__(self, app):
        self.app = app

    async def __call__(self, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, bytes]:
        raw = [(b"host", b"127.0.0.1:8000")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        if body:
            raw += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
                 "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": raw,
                 "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000), "state": {}}
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return messages.pop() if messages else {"type": "http.disconnect"}
        sent = []

        async def send(message):
            sent.append(message)
        await self.app(scope, receive, send)
        return sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:])


async def _ok(client, expected: int, *args) -> dict:
    status, body = await client(*args)
    if status != expected:
        raise RuntimeError(f"{args[0]} {args[1]} answered {status}: {body[:300]!r}")
    return json.loads(body)


async def _measure(direct_lane: bool, voids: int) -> dict:
    standin = StandIn(SqliteLedger())
    standin.pin_today(TODAY)
    datasets.load(standin.ledger, DEFAULT)
    app = served(web_app.create_app(standin, direct_lane=direct_lane))
    client = Client(app)
    key = standin.ledger.query("SELECT key FROM tokens WHERE role = 'admin' AND organization_id = 1")[0]["key"]
    auth = {"Authorization": f"Token {key}"}
    invoices = [row["id"] for row in standin.ledger.query("SELECT id FROM invoices WHERE organization_id = 1")]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as http:
        pairs = await standin_api.provision_with(http, key, standin.admin_token, TODAY.isoformat(), voids + 10)
    for invoice_id in invoices:  # warm-up: first requests build what is kept
        await _ok(client, 200, "GET", f"/coa/api/v1/invoice/{invoice_id}/", auth)
    for invoice_id, payment_id in pairs[:10]:
        await _ok(client, 200, "POST", f"/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/", auth, b"{}")
    started = time.process_time()
    for invoice_id in invoices * 3:
        await _ok(client, 200, "GET", f"/coa/api/v1/invoice/{invoice_id}/", auth)
    read_us = (time.process_time() - started) / (len(invoices) * 3) * 1e6
    HANDLER_CPU.clear()
    started = time.process_time()
    for invoice_id, payment_id in pairs[10:]:
        await _ok(client, 200, "POST", f"/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/", auth, b"{}")
    void_us = (time.process_time() - started) / voids * 1e6
    standin.ledger.close()
    return {"void": void_us, "read": read_us, "handler": statistics.median(HANDLER_CPU) * 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voids", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    configure_logging()  # as serve does: not connexion's notices
    void_handlers.coa_api_v1_invoice_payment_void_create = _timed(void_handlers.coa_api_v1_invoice_payment_void_create)
    results = {True: [], False: []}
    for round_number in range(args.rounds):
        for lane in (True, False) if round_number % 2 == 0 else (False, True):
            results[lane].append(figures := asyncio.run(_measure(lane, args.voids)))
            print(f"round {round_number + 1}, {'direct lane' if lane else 'Connexion only'}: void {figures['void']:.0f} µs "
                  f"(handler {figures['handler']:.0f} µs), GET one invoice {figures['read']:.0f} µs", flush=True)
    print("\n| | void | of which the handler | GET one invoice |\n|---|---:|---:|---:|")
    for lane, label in ((True, "direct lane"), (False, "--no-direct-lane")):
        rows = results[lane]
        print(f"| {label} | " + " | ".join(f"{statistics.median(row[name] for row in rows):,.0f} µs"
                                          for name in ("void", "handler", "read")) + " |")


if __name__ == "__main__":
    main()
