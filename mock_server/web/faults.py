"""Faults and latency on the public API, for clients rehearsing what the network does to them.

A rule (stored in the ledger's `api_faults` table, so every server process on the ledger obeys
it) matches requests by operationId or path glob, optionally by method, organization or token
(kept as its SHA-256), and then, after an optional delay (fixed or a range):

- `respond`: answers a status with a body and headers (503, 429 with Retry-After) instead of the app;
- `drop`: closes the connection without an answer, the app never sees the request;
- `apply_then_drop`: lets the app answer (a void is committed) and closes the connection
  without sending that answer: the client cannot know whether its void happened;
- `delay`: only the delay, then the app answers.

`times` makes a rule apply to the next N matching requests only ("fail the next N, then
succeed"); `probability` applies it to that share of them, drawn from a generator seeded by
`seed` (the same requests in the same order meet the same faults). The first live rule, oldest
first, that matches and is drawn applies. The admin API (/_mock/) is never faulted.

A server-wide latency (`campfire-mock serve --latency 50-200ms`, a ledger setting) delays
everything the server answers, admin API included.
"""

import asyncio
import fnmatch
import heapq
import json
import random
import re
import time
from http import HTTPStatus

from starlette.concurrency import run_in_threadpool

from . import facts, latency
from .facts import RequestFacts

DROPS = ("drop", "apply_then_drop")  # the client gets no answer
_GLOB = re.compile(r"[*?\[]")  # an operationId with any of these is a pattern, not a name
APPLIED_KEY = "campfire.fault"  # where the applied fault is left in the scope, for the journal


class ConnectionDropped(Exception):
    """Raised where there is no connection to close: an in-process client sees it raised."""


def _matches(rule: dict, request: RequestFacts) -> bool:
    return (
        (rule["operation"] is None or fnmatch.fnmatchcase(request.operation_id or "", rule["operation"]))
        and (rule["path"] is None or fnmatch.fnmatchcase(request.path, rule["path"]))
        and (rule["method"] is None or rule["method"] == request.method)
        and (rule["organization_id"] is None or rule["organization_id"] == request.organization_id)
        and (rule["token_sha256"] is None or rule["token_sha256"] == request.token_sha256)
    )


def _delay_ms(low: int, high: int | None, rng: random.Random) -> float:
    return low if not high or high <= low else rng.uniform(low, high)


class FaultRules:
    """The ledger's rules and latency, cached for `ttl` seconds or until this process changes
    them or the dataset is replaced (a restore), so a request that meets no fault never waits
    for the database; applying a rule is counted in the ledger (exactly N across processes)."""

    def __init__(self, ledger, ttl: float = 1.0):
        self.ledger = ledger
        self.ttl = ttl
        self._by_operation: dict[str, list[dict]] = {}  # rules naming one operationId exactly, by it
        self._others: list[dict] = []  # rules with a glob or a path: tried on every request
        self._latency = None
        self._stamp = (None, 0.0)
        self._rngs: dict[int, random.Random] = {}  # a generator per rule, seeded by the rule
        self._rng_generation = None
        self._latency_rng = random.Random(0)

    def invalidate(self) -> None:
        self._stamp = (None, 0.0)

    # -- what the admin API does
    def add(self, rule: dict) -> dict:
        with self.ledger.write() as store:
            fault_id = store.add_api_fault(
                json.dumps(rule, default=float), rule["times"]
            )  # JSON numbers arrive as Decimal
        self.invalidate()
        return next(row for row in self.listing() if row["id"] == fault_id)

    def clear(self) -> None:
        with self.ledger.write() as store:
            store.clear_api_faults()
        self.invalidate()

    def listing(self) -> list[dict]:
        with self.ledger.read() as store:
            return [self._row(row) for row in store.api_faults()]

    @staticmethod
    def _row(row: dict) -> dict:
        return {"id": row["id"], **json.loads(row["rule"]), "remaining": row["remaining"], "applied": row["applied"]}

    # -- what a request meets
    def _refill(self) -> None:
        generation = self.ledger.generation
        with self.ledger.read() as store:
            rows = store.api_faults()
            self._latency = latency.stored(store)
        if generation != self._rng_generation:
            self._rngs.clear()  # a replaced (restored) ledger numbers its rules afresh
            self._rng_generation = generation
        self._by_operation, self._others = {}, []
        for row in rows:
            if row["remaining"] is None or row["remaining"] > 0:
                rule = self._row(row)
                exact = rule["operation"] if rule["operation"] and not _GLOB.search(rule["operation"]) else None
                (self._by_operation.setdefault(exact, []) if exact else self._others).append(rule)
        self._stamp = (generation, time.monotonic())

    async def _current(self) -> None:
        generation, loaded_at = self._stamp
        if generation != self.ledger.generation or time.monotonic() - loaded_at >= self.ttl:
            await run_in_threadpool(self._refill)

    def _apply(self, fault_id: int) -> bool:
        with self.ledger.write() as store:
            applied = store.apply_api_fault(fault_id)
        if not applied:
            self.invalidate()
        return applied

    async def latency_ms(self) -> float:
        await self._current()
        return _delay_ms(*self._latency, self._latency_rng) if self._latency else 0

    async def pick(self, request: RequestFacts) -> tuple[dict | None, float]:
        """The rule that applies to the request (None when none does) and its delay in ms."""
        await self._current()
        candidates = heapq.merge(
            self._by_operation.get(request.operation_id, ()), self._others, key=lambda rule: rule["id"]
        )
        for rule in candidates:  # oldest first, as stored
            if not _matches(rule, request):
                continue
            rng = self._rngs.setdefault(rule["id"], random.Random(rule["seed"]))  # ids are never reused
            if rng.random() >= rule["probability"] or not await run_in_threadpool(self._apply, rule["id"]):
                continue
            return rule, _delay_ms(rule["delay_ms"], rule["delay_max_ms"], rng)
        return None, 0


def rules_of(standin) -> FaultRules:
    """The stand-in's fault rules (one cache per stand-in, kept beside it)."""
    rules = getattr(standin, "api_faults", None)
    if rules is None:
        rules = standin.api_faults = FaultRules(standin.ledger)
    return rules


def _uvicorn_cycle():
    """uvicorn's request-response cycle running this request (its task's coroutine is the
    cycle's run_asgi), or None in-process. ASGI has no message that closes a connection."""
    task = asyncio.current_task()
    frame = getattr(task.get_coro(), "cr_frame", None) if task else None
    cycle = frame.f_locals.get("self") if frame else None
    return cycle if hasattr(cycle, "transport") and hasattr(cycle, "disconnected") else None


async def drop_connection() -> None:
    """Close the client's connection without a byte of answer."""
    cycle = _uvicorn_cycle()
    if cycle is None:
        raise ConnectionDropped("connection dropped by an injected fault")
    cycle.transport.close()
    for _ in range(10):  # uvicorn marks the cycle disconnected on the next turns of the loop
        if cycle.disconnected:
            return
        await asyncio.sleep(0)


async def _answer(rule: dict, send) -> None:
    status = rule["status"]
    body = (
        rule["body"]
        if rule["body"] is not None
        else {"detail": f"{HTTPStatus(status).phrase} (fault {rule['id']} injected by the stand-in)."}
    )
    payload = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *[(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (rule["headers"] or {}).items()],
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class FaultInjection:
    """ASGI middleware applying the fault rules of the token's scope (a sandbox's, or the
    server's own) and the server-wide latency."""

    def __init__(self, app, standin):
        self.app, self.standin = app, standin

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = facts.of(scope)
        rules = rules_of(self.standin.scope(request.sandbox_id))
        rule, delay = (None, 0) if request.admin else await rules.pick(request)
        delay += await rules.latency_ms()
        if delay:
            await asyncio.sleep(delay / 1000)
        if rule:
            scope[APPLIED_KEY] = applied = {"id": rule["id"], "action": rule["action"]}
        if rule is None or rule["action"] == "delay":
            return await self.app(scope, receive, send)
        if rule["action"] == "respond":
            return await _answer(rule, send)
        if rule["action"] == "apply_then_drop":
            await self.app(scope, receive, self._withhold(applied))
        await drop_connection()

    @staticmethod
    def _withhold(applied: dict):
        async def withhold(message):
            if message["type"] == "http.response.start":
                applied["withheld_status"] = message["status"]

        return withhold
