"""Read-only look-ups: payments, journal entries, credit memos, entities, customers, accounts."""
from .. import auth, credit_memos, errors, invoices, representations
from ..ledger import fits
from .pagination import page


def _owned_or_404(db, table: str, row_id) -> dict:
    row = invoices.owned(db, table, auth.organization_id(), row_id)
    if row is None:
        raise errors.not_found()
    return row


def coa_api_v1_invoice_payments_list(state, invoice_id=None, voided=None, external_id=None, limit=None,
                                     offset=None, **_ignored):
    where, params = ["organization_id = ?"], [auth.organization_id()]
    if invoice_id is not None:
        where.append("invoice_id = ?" if fits(invoice_id) else "0")
        params.extend([invoice_id] if fits(invoice_id) else [])
    if voided is not None:
        where.append("voided_date IS NOT NULL" if voided else "voided_date IS NULL")
    if external_id:
        where.append("external_id = ?")
        params.append(external_id)
    with state.ledger.reading() as db:
        return page(db, f"SELECT * FROM payments WHERE {' AND '.join(where)} ORDER BY id", params, limit, offset,
                    lambda row: representations.payment_sync(db, row))


def coa_api_journal_entry_retrieve(state, id):
    with state.ledger.reading() as db:
        return representations.journal_entry(db, _owned_or_404(db, "journal_entries", id))


def coa_api_v1_credit_memo_retrieve(state, id):
    with state.ledger.reading() as db:
        memo = _owned_or_404(db, "credit_memos", id)
        return representations.credit_memo(db, memo, credit_memos.remaining(db, memo["id"]))


def coa_api_entity_list(state, **_ignored):
    with state.ledger.reading() as db:
        return [representations.entity(row) for row in db.query(
            "SELECT * FROM entities WHERE organization_id = ? ORDER BY id", [auth.organization_id()])]


def coa_api_vendor_list(state, limit=None, offset=None, **_ignored):
    with state.ledger.reading() as db:
        return page(db, "SELECT * FROM customers WHERE organization_id = ? ORDER BY id", [auth.organization_id()],
                    limit, offset, representations.vendor)


def coa_api_account_list(state, limit=None, offset=None):
    with state.ledger.reading() as db:
        return page(db, "SELECT * FROM accounts WHERE organization_id = ? ORDER BY entity_id, number",
                    [auth.organization_id()], limit, offset, representations.account)
