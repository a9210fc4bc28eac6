"""The contract's operation: void an invoice payment."""

from ...domain import refunds, void
from ...domain.errors import RefundFailed
from .. import idempotent, render


def coa_api_v1_invoice_payment_void_create(standin, call, invoice_id, payment_id):
    def wait():  # a slow Stripe, before the write transaction: no lock is held meanwhile
        with standin.ledger.read() as store:
            seconds = void.stripe_wait(store, standin.stripe, call.organization_id, invoice_id, payment_id)
        standin.stripe.wait(seconds)

    def work(store, clock):
        invoice, payment = void.find_payment(store, call.organization_id, invoice_id, payment_id)
        body = call.body()  # after the look-up: 404 wins over a bad body, as in DRF
        voided = void.void_payment(store, clock, standin.stripe, invoice, payment, body.get("void_date"))
        return render.voided(store.payment_record(voided["id"]))

    try:
        return idempotent.write(standin, call, work, wait)
    except RefundFailed as failure:
        with standin.ledger.write() as store:
            refunds.record_failure(store, standin.clock(store), failure)
        raise
