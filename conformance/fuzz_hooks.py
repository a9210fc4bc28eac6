"""Schemathesis hooks and checks for `campfire-conformance fuzz` (loaded via SCHEMATHESIS_HOOKS).

The run's context (provisioned payments, look-ups, whether the target is the stand-in) comes
from the JSON file named by CAMPFIRE_FUZZ_CONTEXT, written by conformance.fuzz before the run.
"""

import itertools
import json
import os
import sys
import threading
from datetime import date
from pathlib import Path

import schemathesis

from .fuzz_pool import VoidablePool
from .provisioning import Provisioner
from .target import Settings, Target

VOID = "coa_api_v1_invoice_payment_void_create"
PAY = "coa_api_v1_invoice_pay_create"
CREATE = "coa_api_v1_invoice_create"
UNKNOWN_ID = 2_000_000_000

CONTEXT_FILE = Path(os.environ["CAMPFIRE_FUZZ_CONTEXT"])
CONTEXT = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
PAIRS = [tuple(pair) for pair in CONTEXT["pairs"]]
_turns = itertools.count()
_lock = threading.Lock()
# Invoices and payments this run may touch: the provisioned ones and those it creates itself.
OWN_INVOICES = {invoice for invoice, _ in PAIRS}
OWN_PAYMENTS = {payment for _, payment in PAIRS}


def _refiller() -> Provisioner | None:
    """Makes manual payments through the public API with the run's token, paced like the run: one
    for each void case that finds the pool empty, so the refills follow the run's own size; within
    what the pre-run provisioning left of --max-requests, when it was given."""
    budget = CONTEXT["refill_budget"]
    if budget is not None and budget <= 0:
        return None
    settings = Settings(
        CONTEXT["base_url"],
        os.environ["CAMPFIRE_FUZZ_TOKEN"],
        max_requests=budget or sys.maxsize,
        max_rps=CONTEXT["max_rps"],
        check_contract=False,
    )
    return Provisioner(
        Target(settings),
        run_id=f"{CONTEXT['run_id']}-r",
        today=date.fromisoformat(CONTEXT["today"]),
        lookups=CONTEXT["lookups"],
    )


POOL = VoidablePool(PAIRS, _refiller())


_reported = {}


def _report_refills():
    """What the parent prints at the end: how many payments the run made to keep voiding."""
    now = {"created": POOL.created, "stopped": POOL.refill_stopped, "dry": POOL.dry}
    if now != _reported:
        _reported.update(now)
        (CONTEXT_FILE.parent / "refills.json").write_text(json.dumps(now))


def _operation_id(case) -> str:
    """The case's operationId; "" for a method the operation does not define (Schemathesis also
    sends other methods to its path: an OPTIONS to the void's path is DRF's metadata, no void)."""
    if case.method.upper() != case.operation.method.upper():
        return ""
    return case.operation.definition.raw.get("operationId", "")


def _positive(case) -> bool:
    meta = getattr(case, "meta", None)
    mode = getattr(getattr(meta, "generation", None), "mode", None)
    return str(getattr(mode, "value", mode)).lower() == "positive"


def _voidable_on(value) -> bool:
    """A void_date the void can accept: a date on or after the payments' date (a generated date
    mostly predates it, which only ever tests the same 400)."""
    try:
        return date.fromisoformat(value) >= date.fromisoformat(CONTEXT["payment_date"])
    except (TypeError, ValueError):
        return False


@schemathesis.hook("map_case").apply_to(operation_id=VOID)
def real_ids_for_void(context, case):
    """One void case in eight keeps its generated ids (the 404 paths), one voids again the payment
    voided last (the "already voided" refusal), the others void a payment that is still voidable,
    made on the spot when the pool is empty. A positive case's void_date that predates the
    payment is dropped (today's date then applies), so those voids go through."""
    with _lock:
        turn = next(_turns) % 8
    if turn == 0:
        return case
    pair = POOL.last_voided if turn == 1 and POOL.last_voided else POOL.take()
    _report_refills()
    if pair is None:
        return case
    OWN_INVOICES.add(pair[0])
    OWN_PAYMENTS.add(pair[1])
    case.path_parameters = {**(case.path_parameters or {}), "invoice_id": pair[0], "payment_id": pair[1]}
    if _positive(case) and isinstance(case.body, dict) and not _voidable_on(case.body.get("void_date")):
        case.body.pop("void_date", None)
    return case


@schemathesis.hook("map_case").apply_to(operation_id=CREATE)
def realistic_invoice(context, case):
    """Most create-invoice cases get a real entity and customer, so pay and void can follow."""
    body = case.body
    if isinstance(body, dict) and (len(json.dumps(body, default=str)) % 4):
        lines = body.get("lines") if isinstance(body.get("lines"), list) and body.get("lines") else [{}]
        body.pop("currency", None)
        body.pop("exchange_rate", None)
        body.update(
            entity=CONTEXT["entity"],
            client=CONTEXT["customer"],
            invoice_number=f"FUZZ-{CONTEXT['run_id']}-{len(OWN_INVOICES)}",
            lines=[{**(line if isinstance(line, dict) else {}), "amount": 100, "tax": 0} for line in lines[:3]],
        )
    return case


@schemathesis.hook("map_case").apply_to(operation_id=PAY)
def realistic_payment(context, case):
    """Most mark-paid cases pay a manual amount into the real bank account."""
    body = case.body
    if isinstance(body, dict) and (len(json.dumps(body, default=str)) % 4):
        body.clear()
        body["empty_transactions"] = [
            {
                "account_id": CONTEXT["account"],
                "account_name": "Bank",
                "amount": 10,
                "payment_date": CONTEXT["payment_date"],
            }
        ]
    return case


@schemathesis.hook
def before_call(context, case, kwargs):
    """Safety on real deployments: never pay or void anything this run did not create."""
    if CONTEXT["is_mock"]:
        return
    parameters = case.path_parameters or {}
    operation = _operation_id(case)
    if operation in (VOID, PAY) and parameters.get("invoice_id") not in OWN_INVOICES:
        case.path_parameters = {**parameters, "invoice_id": UNKNOWN_ID}
    if operation == VOID and parameters.get("payment_id") not in OWN_PAYMENTS:
        case.path_parameters = {**case.path_parameters, "payment_id": UNKNOWN_ID}


@schemathesis.hook
def after_call(context, case, response):
    """Remember what the run created, so later cases may pay and void it."""
    operation = _operation_id(case)
    try:
        body = response.json()
    except ValueError:
        return
    if operation == CREATE and response.status_code == 201 and isinstance(body, dict):
        OWN_INVOICES.add(body.get("id"))
    if operation == PAY and response.status_code == 200 and isinstance(body, dict):
        OWN_PAYMENTS.update(body.get("payment_ids") or [])
    if operation == VOID and response.status_code == 200:
        POOL.voided((case.path_parameters.get("invoice_id"), case.path_parameters.get("payment_id")))


@schemathesis.check
class SecondVoidNeverSucceeds:
    """A payment voided once is never voided again with a 200 (unless the retry carries the
    same Idempotency-Key as the first void)."""

    def __init__(self):
        self.first = {}  # (invoice, payment) -> (response, idempotency key)

    def after_response(self, ctx, response, case):
        if _operation_id(case) != VOID or response.status_code != 200:
            return
        pair = (case.path_parameters.get("invoice_id"), case.path_parameters.get("payment_id"))
        key = (case.headers or {}).get("Idempotency-Key")
        first = self.first.setdefault(pair, (response, key))
        if first[0] is not response and (key is None or key != first[1]):
            raise AssertionError(f"payment {pair[1]} of invoice {pair[0]} was voided twice with a 200")


@schemathesis.check
def void_answer_is_voided(ctx, response, case):
    """A 200 from void carries the void: voided_date and voided_journal_entry are set."""
    if _operation_id(case) == VOID and response.status_code == 200:
        body = response.json()
        missing = [field for field in ("voided_date", "voided_journal_entry") if not body.get(field)]
        if missing:
            raise AssertionError(f"a 200 void without {', '.join(missing)}")


@schemathesis.check
def never_a_server_error(ctx, response, case):
    """No request, however malformed, gets a 5xx."""
    if response.status_code >= 500:
        raise AssertionError(f"{case.method} {case.path} answered {response.status_code}")
