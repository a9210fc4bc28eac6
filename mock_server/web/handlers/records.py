"""Read-only look-ups: payments, journal entries, credit memos, entities, customers, accounts."""

from ...domain.errors import found
from .. import render
from ..pagination import bounds, page


def coa_api_v1_invoice_payments_list(
    standin, call, invoice_id=None, voided=None, external_id=None, limit=None, offset=None
):
    limit, offset = bounds(limit, offset)
    with standin.ledger.read() as store:
        count, rows = store.payment_page(
            call.organization_id, limit, offset, invoice_id=invoice_id, voided=voided, external_id=external_id
        )
    return page(call.url, limit, offset, count, [render.payment_sync(row) for row in rows])


def coa_api_journal_entry_retrieve(standin, call, id):
    with standin.ledger.read() as store:
        return render.journal_entry(found(store.journal_entry_record(call.organization_id, id)))


def coa_api_v1_credit_memo_retrieve(standin, call, id):
    with standin.ledger.read() as store:
        return render.credit_memo(found(store.credit_memo_record(call.organization_id, id)))


def coa_api_entity_list(standin, call):
    with standin.ledger.read() as store:
        return [render.entity(row) for row in store.entities(call.organization_id)]


def coa_api_vendor_list(standin, call, limit=None, offset=None):
    limit, offset = bounds(limit, offset)
    with standin.ledger.read() as store:
        count, rows = store.customer_page(call.organization_id, limit, offset)
    return page(call.url, limit, offset, count, [render.vendor(row) for row in rows])


def coa_api_account_list(standin, call, limit=None, offset=None):
    limit, offset = bounds(limit, offset)
    with standin.ledger.read() as store:
        count, rows = store.account_page(call.organization_id, limit, offset)
    return page(call.url, limit, offset, count, [render.account(row) for row in rows])
