"""The stand-in's own admin API (/_mock/...): controls for tests and provisioning."""

from datetime import date

from mock_server.fixtures import DEFAULT

from ...domain import payments, refunds
from ...domain.errors import InvalidField, found
from ...domain.money import MoneyError, check_storable, to_minor
from ...storage import datasets, invariants
from .. import in_flight, render
from ..errors import HttpError


def _clock(standin) -> dict:
    with standin.ledger.read() as store:
        clock = standin.clock(store)
    return {"today": clock.today().isoformat(), "pinned": clock.pinned_today is not None}


def _load_default(standin) -> dict:
    """The default dataset: from its files into the server's own data, copied in SQL into a sandbox."""
    if standin.sandbox_id is None:
        return datasets.load(standin.ledger, DEFAULT)
    standin.ledger.prepare_template(DEFAULT)
    with standin.ledger.write() as store:
        loaded = store.copy_template()
    standin.ledger.generation += 1
    return loaded


def mock_reset(standin, call):
    choice = call.body().get("fixtures") or "none"
    in_flight.generations_of(standin).advance()  # the requests sent before the reset apply to nothing
    standin.ledger.reset()
    return {"loaded": _load_default(standin) if choice == "default" else {}}


def mock_load_fixtures(standin, call):
    return {"loaded": _load_default(standin)}


def mock_get_clock(standin, call):
    return _clock(standin)


def mock_set_clock(standin, call):
    today = call.body().get("today")
    standin.pin_today(date.fromisoformat(today) if today else None)
    return _clock(standin)


def _minor(body: dict, field: str, currency: str) -> int | None:
    try:
        return check_storable(to_minor(body[field], currency)) if body.get(field) is not None else None
    except MoneyError as exc:
        raise InvalidField(field, str(exc)) from exc


def mock_create_payment(standin, call):
    body = call.body()
    with standin.ledger.write() as store:
        clock = standin.clock(store)
        invoice = found(store.in_scope("invoices", body["invoice_id"]))
        entity = store.get("entities", invoice["entity_id"])
        payment_id = payments.pay(
            store,
            clock,
            invoice,
            body["kind"],
            _minor(body, "amount", invoice["currency"]),
            body.get("payment_date") or clock.today().isoformat(),
            discount_minor=_minor(body, "discount", invoice["currency"]) or 0,
            book_amount_minor=_minor(body, "book_amount", entity["currency"]),
            external_id=body.get("external_id"),
            credit_memo_id=body.get("credit_memo_id"),
        )
        return render.payment(store.payment_record(payment_id)), 201


def mock_list_payment_reversals(standin, call, id):
    with standin.ledger.read() as store:
        found(store.in_scope("payments", id))
        return store.payment_reversals(id)


def mock_list_refunds(standin, call):
    with standin.ledger.read() as store:
        return store.refunds()


def mock_list_refund_attempts(standin, call):
    with standin.ledger.read() as store:
        return store.refund_attempts()


def _faults(store) -> dict:
    return {"pending": store.stripe_faults()}


def mock_list_faults(standin, call):
    with standin.ledger.read() as store:
        return _faults(store)


def mock_inject_fault(standin, call):
    body = call.body()
    if body["fault"] in refunds.SERVER_FAULTS and standin.sandbox_id is not None:
        raise HttpError(
            403,
            {
                "detail": f"Only the server's admin token may queue the {body['fault']} fault:"
                " it stops the process every sandbox shares."
            },
        )
    with standin.ledger.write() as store:
        refunds.queue_fault(store, body["fault"], body.get("count") or 1)
        return _faults(store)


def mock_clear_faults(standin, call):
    with standin.ledger.write() as store:
        store.clear_stripe_faults()
        return _faults(store)


def _stripe_latency(store) -> dict:
    return {"latency_ms": int(store.scope_setting(refunds.LATENCY_SETTING) or 0)}


def mock_get_stripe_latency(standin, call):
    with standin.ledger.read() as store:
        return _stripe_latency(store)


def mock_set_stripe_latency(standin, call):
    latency_ms = call.body()["latency_ms"]
    with standin.ledger.write() as store:
        store.set_scope_setting(refunds.LATENCY_SETTING, str(latency_ms) if latency_ms else None)
        return _stripe_latency(store)


def mock_check_invariants(standin, call):
    with standin.ledger.read() as store:
        return invariants.report(store)
