"""Invoices: create, list, retrieve, and mark paid."""

from ...domain import invoices, payments
from ...domain.errors import found
from .. import render
from ..pagination import bounds, page


def coa_api_v1_invoice_create(standin, call):
    with standin.ledger.write() as store:
        clock = standin.clock(store)
        invoice_id = invoices.create_invoice(store, clock, call.organization_id, call.body())
        return render.invoice(store.invoice_record(call.organization_id, invoice_id), clock.today()), 201


def coa_api_v1_invoice_list(
    standin, call, limit=None, offset=None, status=None, entity=None, client=None, currency=None, invoice_number=None
):
    limit, offset = bounds(limit, offset)
    filters = {
        "status": status,
        "entity": entity,
        "client": client,
        "currency": currency,
        "invoice_number": invoice_number,
    }
    with standin.ledger.read() as store:
        today = standin.clock(store).today()
        count, rows = store.invoice_page(call.organization_id, limit, offset, filters)
    return page(call.url, limit, offset, count, [render.invoice_list_item(row, today) for row in rows])


def coa_api_v1_invoice_retrieve(standin, call, id):
    with standin.ledger.read() as store:
        record = found(store.invoice_record(call.organization_id, id))
        return render.invoice(record, standin.clock(store).today())


def coa_api_v1_invoice_pay_create(standin, call, invoice_id):
    with standin.ledger.write() as store:
        invoice = invoices.owned(store, "invoices", call.organization_id, invoice_id)
        return payments.mark_paid(store, standin.clock(store), invoice, call.body())
