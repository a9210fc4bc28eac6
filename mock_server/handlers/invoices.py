"""Invoices: create, list, retrieve, and mark paid."""
from .. import auth, errors, invoices, payments, representations, request_body
from ..ledger import fetch, fits
from .pagination import page

_FILTERS = {"status": "status", "entity": "entity_id", "client": "customer_id", "currency": "currency",
            "invoice_number": "invoice_number"}


def _render(state, db, invoice_id: int) -> dict:
    return representations.invoice(db, fetch(db, "invoices", invoice_id), state.clock.today())


def coa_api_v1_invoice_create(state):
    with state.ledger.transaction() as db:
        invoice_id = invoices.create_invoice(db, state.clock, auth.organization_id(), request_body.data())
        return _render(state, db, invoice_id), 201


def coa_api_v1_invoice_list(state, limit=None, offset=None, **filters):
    where, params = ["organization_id = ?"], [auth.organization_id()]
    for name, column in _FILTERS.items():
        if filters.get(name) is not None:
            where.append(f"{column} = ?" if fits(filters[name]) else "0")
            params.extend([filters[name]] if fits(filters[name]) else [])
    today = state.clock.today()
    with state.ledger.reading() as db:
        return page(db, f"SELECT * FROM invoices WHERE {' AND '.join(where)} ORDER BY id DESC", params,
                    limit, offset, lambda row: representations.invoice_list_item(db, row, today))


def coa_api_v1_invoice_retrieve(state, id):
    with state.ledger.reading() as db:
        invoice = invoices.owned(db, "invoices", auth.organization_id(), id)
        if invoice is None:
            raise errors.not_found()
        return representations.invoice(db, invoice, state.clock.today())


def coa_api_v1_invoice_pay_create(state, invoice_id):
    with state.ledger.transaction() as db:
        invoice = invoices.owned(db, "invoices", auth.organization_id(), invoice_id)
        if invoice is None:
            raise errors.not_found()
        return payments.mark_paid(db, state.clock, invoice, request_body.data())
