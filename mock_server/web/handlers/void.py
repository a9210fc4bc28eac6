"""The contract's operation: void an invoice payment."""

from ...domain import refunds, void
from ...domain.errors import RefundFailed
from .. import idempotent, render


def coa_api_v1_invoice_payment_void_create(standin, call, invoice_id, payment_id):
    def work(store, clock, waited):
        invoice, payment = void.find_payment(store, call.organization_id, invoice_id, payment_id)
        body = call.body()  # after the look-up: 404 wins over a bad body, as in DRF
        voided = void.void_payment(store, clock, standin.stripe, invoice, payment, body.get("void_date"), waited)
        return render.voided(store.payment_record(voided["id"]))

    try:
        return idempotent.write(standin, call, work)
    except RefundFailed as failure:
        with standin.ledger.write() as store:
            refunds.record_failure(store, standin.clock(store), failure)
        raise
