"""The app with connexion_once and the direct lane answers exactly as plain Connexion 3 would
(issue 11: the harness must not be able to tell the difference).

Two stand-ins over real HTTP, each in a process of its own (tests/standin_process.py), on the
default dataset and the same pinned today: (a) the app as it ships, (b) the same app with
connexion_once switched off (Connexion's classes unpatched, its own request validation) and
every request passed on by the direct lane (the handlers' executor cannot be switched off and
is shared). Every request goes to a, then to b,
so their ledgers evolve alike and ids match; each answer's status, content type and body must
be the same. The corpus: tests/hostile_corpus.py, then voids (valid in every body encoding,
refused for every reason, replayed under an Idempotency-Key), each on payments of its own.
"""
import contextlib
import json
import re

import httpx
import pytest
from conftest import TODAY
from hostile_corpus import (
    CORPUS,
    END,
    INVOICES,
    PAYMENTS,
    VALID_INVOICE,
    VOID,
    Hostile,
    multipart,
    part,
    raw,
)
from standin_process import started
from test_hostile_corpus import Target

# The clock is the pinned day at the real time of day, so a row written during the run (its
# created_at, last_modified_at) carries a time that differs between a and b: the date is kept,
# the time of day is not compared.
TIME_OF_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


def _normalized(value, server):
    """`value` without what legitimately differs between a and b: each one's own URL (in
    pagination links), a time of day."""
    if isinstance(value, dict):
        return {key: _normalized(item, server) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalized(item, server) for item in value]
    if isinstance(value, str):
        return TIME_OF_DAY.sub(r"\1T<time of day>", value.replace(server.url, "<url>"))
    return value


def _answer(response: httpx.Response, server) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return {"status": response.status_code, "content-type": response.headers.get("content-type"),
            "body": _normalized(body, server)}


class Pair:
    """The two stand-ins, each a Target of the hostile corpus (its tokens, the ids it aims at)."""

    def __init__(self, a: Target, b: Target):
        self.targets = (a, b)
        for target in self.targets:
            target.headers["clerk"] = {"Authorization": f"Token {target.stand_in.clerk_token}"}

    def answers(self, case: Hostile) -> tuple[dict, dict]:
        """`case` sent to a, then to b."""
        return tuple(_answer(target.send(case), target.stand_in) for target in self.targets)

    def agreed(self, case: Hostile) -> dict:
        """The body both answered to a request that prepares a case (a 2xx, the same on both)."""
        a, b = self.answers(case)
        assert a == b and a["status"] < 300, f"{case.name}: {a} != {b}"
        return a["body"]

    @contextlib.contextmanager
    def aiming(self, ids: dict):
        """The corpus's ids, with `ids` added or replaced, for the block."""
        before = self.targets[0].ids
        for target in self.targets:
            target.ids = {**before, **ids}
        try:
            yield
        finally:
            for target in self.targets:
                target.ids = before


@pytest.fixture(scope="module")
def pair():
    with started(TODAY, plain=(False, True)) as (a, b), \
            httpx.Client(base_url=a.url, timeout=30) as http_a, httpx.Client(base_url=b.url, timeout=30) as http_b:
        assert (a.memoized, b.memoized) == (True, False)  # b really is plain Connexion
        targets = Target(a, http_a), Target(b, http_b)
        assert targets[0].ids == targets[1].ids
        baselines = [_normalized(target.baseline, target.stand_in) for target in targets]
        assert baselines[0] == baselines[1]
        yield Pair(*targets)


def _assert_same(pair: Pair, steps: list[Hostile]) -> None:
    """Each step to a then b; every answer the same on both."""
    answers = [(step.name, *pair.answers(step)) for step in steps]
    differing = [f"{name}:\n  a: {a}\n  b: {b}" for name, a, b in answers if a != b]
    assert not differing, "\n".join(differing)


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_the_hostile_corpus_gets_the_same_answers(pair, case):
    _assert_same(pair, [case])


# --- voids, each scenario on a fresh invoice: {payment} a Stripe payment, {other} a manual one ---

OTHER = VOID.replace("{payment}", "{other}")
VOID_DATE = {"void_date": "2026-07-10"}
VOID_JSON = json.dumps(VOID_DATE)
INVOICE = INVOICES + "{invoice}/"


def void(name: str, send: dict | None = None, auth: str = "api", path: str = VOID) -> Hostile:
    return Hostile(name, "POST", path, send or {}, auth)


def keyed(send: dict, key: str) -> dict:
    """`send` with an Idempotency-Key header."""
    return {**send, "headers": {**send.get("headers", {}), "Idempotency-Key": key}}


def read(path: str, **params) -> Hostile:
    return Hostile(f"GET {path} {params or ''}", "GET", path, {"params": params} if params else {}, read=True)


SCENARIOS = {
    "json void_date": [void("void", {"json": VOID_DATE}), read(INVOICE), read(PAYMENTS + "?invoice_id={invoice}")],
    "json empty object": [void("void", {"json": {}})],
    "no body": [void("void")],
    "empty body typed json": [void("void", raw(""))],
    "json null void_date": [void("void", {"json": {"void_date": None}})],
    "json unknown field": [void("void", {"json": {**VOID_DATE, "extra": 1}})],
    "form void_date": [void("void", {"data": VOID_DATE})],
    "form empty": [void("void", raw("", "application/x-www-form-urlencoded"))],
    "multipart void_date": [void("void", {"files": {"void_date": (None, "2026-07-10")}})],
    "multipart hand-made": [void("void", multipart(part("void_date", "2026-07-10"), END))],
    "multipart without void_date": [void("void", multipart(part("memo", "x"), END))],
    "void_date before the payment": [void("void", {"json": {"void_date": "2026-07-01"}})],
    "void_date after today": [void("void", {"json": {"void_date": "2026-12-31"}})],
    "bad void_date json": [void("void", {"json": {"void_date": "2026-13-01"}})],
    "bad void_date form": [void("void", {"data": {"void_date": "tomorrow"}})],
    "bad void_date multipart": [void("void", {"files": {"void_date": (None, "2026-02-30")}})],
    "unknown payment": [void("void", {"json": VOID_DATE}, path=VOID.replace("{payment}", "999999999"))],
    "unknown invoice": [void("void", {"json": VOID_DATE}, path=VOID.replace("{invoice}", "999999999"))],
    "unknown payment with a bad body": [void("void", raw("{"), path=VOID.replace("{payment}", "999999999"))],
    "already voided": [void("void", {"json": VOID_DATE}), void("again", {"json": VOID_DATE}), void("again, no body")],
    "manual payment, then voided again": [void("void", path=OTHER), void("again", {"data": VOID_DATE}, path=OTHER)],
    "text/plain": [void("void", raw(VOID_JSON, "text/plain"))],
    "text/plain without body": [void("void", raw("", "text/plain"))],
    "no content type with a body": [void("void", {"content": VOID_JSON.encode()})],
    "without token": [void("void", {"json": VOID_DATE}, auth="none")],
    "with a bad token": [void("void", {"json": VOID_DATE, "headers": {"Authorization": "Token nope"}}, auth="none")],
    "token without scheme": [void("void", {"json": VOID_DATE, "headers": {"Authorization": "nope"}}, auth="none")],
    "with a view-only token": [void("void", {"json": VOID_DATE}, auth="view")],
    "with a clerk token": [void("void", {"json": VOID_DATE}, auth="clerk")],
    "with the admin token": [void("void", {"json": VOID_DATE}, auth="admin")],
    "Idempotency-Key reuse": [
        void("void", keyed({"json": VOID_DATE}, "scenario-reuse")),
        void("same key, same request", keyed({"json": VOID_DATE}, "scenario-reuse")),
        void("same key, same request as a form", keyed({"data": VOID_DATE}, "scenario-reuse")),
        void("same key, another void_date", keyed({"json": {"void_date": "2026-07-11"}}, "scenario-reuse")),
        void("same key, another payment", keyed({"json": VOID_DATE}, "scenario-reuse"), path=OTHER)],
    "Idempotency-Key of a refused void": [
        void("bad date", keyed({"json": {"void_date": "bad"}}, "scenario-refused")),
        void("same key, good date", keyed({"json": VOID_DATE}, "scenario-refused"))],
    "content type Application/JSON": [void("void", raw(VOID_JSON, "Application/JSON"))],
    "content type APPLICATION/X-WWW-FORM-URLENCODED": [
        void("void", raw("void_date=2026-07-10", "APPLICATION/X-WWW-FORM-URLENCODED"))],
    "content type Multipart/Form-Data": [void("void", multipart(
        part("void_date", "2026-07-10"), END, content_type="Multipart/Form-Data; boundary=corpusboundary"))],
    "json; charset=utf-8": [void("void", raw(VOID_JSON, "application/json; charset=utf-8"))],
    "json;charset=UTF-8": [void("void", raw(VOID_JSON, "application/json;charset=UTF-8"))],
    "json; charset=latin-1, bad date": [void("void", raw('{"void_date": "d\xe9c"}'.encode("latin-1"),
                                                        "application/json; charset=latin-1"))],
    "form; charset=utf-8": [void("void", raw("void_date=2026-07-10", "application/x-www-form-urlencoded; charset=utf-8"))],
    "json with a parameter": [void("void", raw(VOID_JSON, 'application/json; version="2"'))],
    "an empty content type, or one of parameters only (Connexion: 415)": [
        void("empty, no body", {"headers": {"Content-Type": ""}}), void("empty, JSON", raw(VOID_JSON, "")),
        void("parameters only", raw(VOID_JSON, ";charset=utf-8")), void("a lone ;", raw(VOID_JSON, ";")),
        void("empty, form body", raw("void_date=2026-07-10", "")), void("then JSON", raw(VOID_JSON, "application/json"))],
    "a newline after the path (Connexion: 404)": [
        void("%0A", {"json": VOID_DATE}, path=VOID + "%0A"), void("%0A?", {"json": VOID_DATE}, path=VOID + "%0A?"),
        read(INVOICE + "%0A"), void("then the void", {"json": VOID_DATE})],
    "ids with leading zeros": [void("void", {"json": VOID_DATE}, path=VOID.replace("{payment}", "00{payment}")),
                               void("again", {"json": VOID_DATE}, path=VOID.replace("{invoice}", "0{invoice}"))],
    "an id beyond 2**63": [void("void", {"json": VOID_DATE}, path=VOID.replace("{payment}", "9" * 20))],
    "an id of 18 digits": [void("void", {"json": VOID_DATE}, path=VOID.replace("{payment}", "9" * 18))],
    "a query string": [void("void", {"json": VOID_DATE}, path=VOID + "?void_date=2026-07-11"),
                       void("again", {"json": VOID_DATE}, path=VOID + "?")],
    "without the trailing slash": [void("void", {"json": VOID_DATE}, path=VOID.removesuffix("/"))],
    "a JSON array": [void("void", raw("[]"))],
    "json nested too deep": [void("void", raw("[" * 40 + "]" * 40))],
    "reads of one invoice as the direct lane takes them, or not": [
        read(INVOICE), read(INVOICE.replace("{invoice}", "0{invoice}")), read(INVOICE + "?x=1"),
        read(INVOICE.replace("{invoice}", "999999999")), read(INVOICE.replace("{invoice}", "9" * 20)),
        Hostile("GET with a JSON body", "GET", INVOICE, raw("{}"), read=True),
        Hostile("GET with a content type, no body", "GET", INVOICE, {"headers": {"Content-Type": "text/plain"}}, read=True),
        Hostile("GET with a body, no content type", "GET", INVOICE, {"content": b"x"}, read=True),
        Hostile("GET with a view-only token", "GET", INVOICE, auth="view", read=True),
        Hostile("GET without a token", "GET", INVOICE, auth="none", read=True)],
    "a declined refund, then the void": [
        Hostile("queue a decline", "POST", "/_mock/stripe/faults", {"json": {"fault": "decline"}}, auth="admin"),
        void("declined", {"json": VOID_DATE}), void("again", {"json": VOID_DATE}), read(INVOICE)],
    "payment list, bad and good queries": [
        read(PAYMENTS, limit="abc"), read(PAYMENTS, limit="-1"), read(PAYMENTS, offset="abc"),
        read(PAYMENTS, limit="2", offset="1"), read(PAYMENTS + "?invoice_id={invoice}&voided=true")],
    "invoice list, bad and good queries": [
        read(INVOICES, limit="abc"), read(INVOICES, limit="-1"), read(INVOICES, limit="1", offset="2"),
        read(INVOICES, limit="1", status="open")],
    "query names connexion sanitizes, a repeated parameter": [
        read(PAYMENTS + "?limit=1&limit=2"), read(PAYMENTS, last_modified_at__gte="2026-01-01", limit="1"),
        read(INVOICES, sentStatus="sent", limit="1"), read(INVOICES, **{"Limit": "1", "lim-it": "1", "1st": "x"})],
    "methods the documents do not declare": [
        Hostile("OPTIONS void", "OPTIONS", VOID), Hostile("HEAD invoice", "HEAD", INVOICE),
        Hostile("PATCH invoice list", "PATCH", INVOICES, {"json": {}})],
}


@pytest.mark.parametrize("steps", SCENARIOS.values(), ids=SCENARIOS)
def test_voids_get_the_same_answers(pair, steps):
    _on_a_fresh_invoice(pair, steps)


def _on_a_fresh_invoice(pair, steps: list[Hostile]) -> None:
    invoice = pair.agreed(Hostile("an invoice", "POST", INVOICES, {"json": VALID_INVOICE}))["id"]
    payments = [pair.agreed(Hostile(f"a {kind} payment", "POST", "/_mock/payments", {"json": {
        "invoice_id": invoice, "kind": kind, "amount": 20, "payment_date": "2026-07-05"}}, auth="admin"))["id"]
        for kind in ("stripe", "manual")]
    with pair.aiming({"invoice": invoice, "payment": payments[0], "other": payments[1]}):
        _assert_same(pair, steps)


def test_the_direct_lane_serves_a_well_formed_void_on_a_only(pair):
    """Else the comparisons above would prove nothing about the lane: of these four voids and
    two reads, a's lane serves the three voids with a write token (the second refused by the
    ledger) and the read without a body; b's none."""
    before = [target.stand_in.direct_served() for target in pair.targets]
    _on_a_fresh_invoice(pair, [void("void", {"json": VOID_DATE}), void("again", {"json": VOID_DATE}),
                               void("as a form", {"data": VOID_DATE}), void("view-only", {"json": {}}, auth="view"),
                               read(INVOICE), Hostile("GET with a body", "GET", INVOICE, raw("{}"), read=True)])
    after = [target.stand_in.direct_served() for target in pair.targets]
    assert [later - earlier for earlier, later in zip(before, after)] == [4, 0]


def test_the_ledgers_end_alike(pair):
    """After whatever ran before in this process: counts, the Stripe log, faults, clock and the
    invariant report (trial balance included) are the same on both."""
    a, b = (_normalized(target.snapshot(), target.stand_in) for target in pair.targets)
    assert a == b and a["invariants"]["healthy"]
