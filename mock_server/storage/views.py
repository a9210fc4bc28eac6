"""Read models: what the web layer renders, fetched with every related value joined in, so a
renderer never queries and a page of N rows costs a fixed number of statements."""

from .schema import fits

_PAYMENT = (
    "SELECT p.*, je.number AS journal_entry_number, vje.number AS voided_journal_entry_number,"
    " cm.number AS credit_memo_number, bt.description AS bank_description, i.invoice_number"
    " FROM payments p JOIN journal_entries je ON je.id = p.journal_entry_id"
    " JOIN invoices i ON i.id = p.invoice_id"
    " LEFT JOIN journal_entries vje ON vje.id = p.voided_journal_entry_id"
    " LEFT JOIN credit_memos cm ON cm.id = p.credit_memo_id"
    " LEFT JOIN bank_transactions bt ON bt.id = p.bank_transaction_id"
)
_INVOICE = (
    "SELECT i.*, e.name AS entity_name, e.currency AS entity_currency, c.name AS client_name,"
    " c.email AS client_email, (SELECT a.id FROM accounts a WHERE a.entity_id = i.entity_id AND a.role = 'ar'"
    " ORDER BY a.id LIMIT 1) AS ar_account_id"
    " FROM invoices i JOIN entities e ON e.id = i.entity_id LEFT JOIN customers c ON c.id = i.customer_id"
)


# invoice list filter -> column
INVOICE_FILTERS = {
    "status": "i.status",
    "entity": "i.entity_id",
    "client": "i.customer_id",
    "currency": "i.currency",
    "invoice_number": "i.invoice_number",
}


def _equal(column: str, value) -> tuple[str, list]:
    """column = value, or a condition that matches nothing for a value SQLite cannot hold."""
    return (f"{column} = ?", [value]) if fits(value) else ("1 = 0", [])


def _where(conditions: list[tuple[str, list]]) -> tuple[str, list]:
    return " AND ".join(sql for sql, _ in conditions), [value for _, params in conditions for value in params]


class ReadModels:
    """Mixed into the store: every method reads, none writes."""

    def _page(
        self, select: str, where_params: tuple[str, list], order: str, limit: int, offset: int, count_from: str
    ) -> tuple[int, list[dict]]:
        where, params = where_params
        count = self._one(f"SELECT COUNT(*) AS n FROM {count_from} WHERE {where}", params)["n"]
        rows = self._rows(f"{select} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
        return count, rows

    # -- payments
    def payment_record(self, payment_id: int) -> dict:
        return self._one(f"{_PAYMENT} WHERE p.id = ?", [payment_id])

    def payment_page(
        self,
        organization_id: int,
        limit: int,
        offset: int,
        invoice_id=None,
        voided: bool | None = None,
        external_id: str | None = None,
    ) -> tuple[int, list[dict]]:
        conditions = [("p.organization_id = ?", [organization_id])]
        if invoice_id is not None:
            conditions.append(_equal("p.invoice_id", invoice_id))
        if voided is not None:
            conditions.append(("p.voided_date IS NOT NULL" if voided else "p.voided_date IS NULL", []))
        if external_id:
            conditions.append(("p.external_id = ?", [external_id]))
        return self._page(_PAYMENT, _where(conditions), "p.id", limit, offset, "payments p")

    # -- invoices
    def _with_lines(self, invoices: list[dict], payments: bool) -> list[dict]:
        if not invoices:
            return invoices
        ids = [row["id"] for row in invoices]
        marks = ", ".join("?" * len(ids))
        lines = {}
        for line in self._rows(f"SELECT * FROM invoice_lines WHERE invoice_id IN ({marks}) ORDER BY id", ids):
            lines.setdefault(line["invoice_id"], []).append(line)
        paid = {}
        if payments:
            for payment in self._rows(f"{_PAYMENT} WHERE p.invoice_id IN ({marks}) ORDER BY p.id", ids):
                paid.setdefault(payment["invoice_id"], []).append(payment)
        for row in invoices:
            row["lines"] = lines.get(row["id"], [])
            if payments:
                row["payments"] = paid.get(row["id"], [])
        return invoices

    def invoice_record(self, organization_id: int, invoice_id: int) -> dict | None:
        if not fits(invoice_id):
            return None
        rows = self._rows(f"{_INVOICE} WHERE i.id = ? AND i.organization_id = ?", [invoice_id, organization_id])
        return self._with_lines(rows, payments=True)[0] if rows else None

    def invoice_page(self, organization_id: int, limit: int, offset: int, filters: dict) -> tuple[int, list[dict]]:
        """A page of the organization's invoices, newest first; `filters` by INVOICE_FILTERS name."""
        conditions = [("i.organization_id = ?", [organization_id])]
        conditions += [_equal(INVOICE_FILTERS[name], value) for name, value in filters.items() if value is not None]
        count, rows = self._page(_INVOICE, _where(conditions), "i.id DESC", limit, offset, "invoices i")
        return count, self._with_lines(rows, payments=False)

    # -- journal entries
    def journal_entry_record(self, organization_id: int, entry_id: int) -> dict | None:
        if not fits(entry_id):
            return None
        entry = self._one(
            "SELECT j.*, e.name AS entity_name, e.currency AS entity_currency, r.number AS reversal_of_number,"
            " i.invoice_number FROM journal_entries j JOIN entities e ON e.id = j.entity_id"
            " LEFT JOIN journal_entries r ON r.id = j.reversal_of_id LEFT JOIN invoices i ON i.id = j.invoice_id"
            " WHERE j.id = ? AND j.organization_id = ?",
            [entry_id, organization_id],
        )
        if entry is None:
            return None
        entry["reversals"] = self._rows(
            "SELECT id, number, date FROM journal_entries WHERE reversal_of_id = ? ORDER BY id", [entry_id]
        )
        entry["lines"] = self._rows(
            "SELECT l.*, a.number AS account_number, a.name AS account_name, a.account_type, a.account_subtype"
            " FROM journal_lines l JOIN accounts a ON a.id = l.account_id WHERE l.journal_entry_id = ? ORDER BY l.id",
            [entry_id],
        )
        return entry

    # -- credit memos
    def credit_memo_record(self, organization_id: int, memo_id: int) -> dict | None:
        if not fits(memo_id):
            return None
        memo = self._one(
            "SELECT m.*, c.name AS client_name, c.email AS client_email, e.name AS entity_name,"
            " e.currency AS entity_currency, a.number AS credit_account_number, a.name AS credit_account_name"
            " FROM credit_memos m JOIN customers c ON c.id = m.customer_id JOIN entities e ON e.id = m.entity_id"
            " LEFT JOIN accounts a ON a.entity_id = m.entity_id AND a.role = 'customer_credits'"
            " WHERE m.id = ? AND m.organization_id = ?",
            [memo_id, organization_id],
        )
        if memo is None:
            return None
        memo["payments"] = self._rows(f"{_PAYMENT} WHERE p.credit_memo_id = ? ORDER BY p.id", [memo_id])
        memo["remaining_minor"] = memo["total_minor"] - sum(
            p["amount_minor"] for p in memo["payments"] if p["voided_date"] is None
        )
        return memo

    # -- look-ups
    def entities(self, organization_id: int) -> list[dict]:
        return self._rows("SELECT * FROM entities WHERE organization_id = ? ORDER BY id", [organization_id])

    def customer_page(self, organization_id: int, limit: int, offset: int) -> tuple[int, list[dict]]:
        return self._page(
            "SELECT * FROM customers", ("organization_id = ?", [organization_id]), "id", limit, offset, "customers"
        )

    def account_page(self, organization_id: int, limit: int, offset: int) -> tuple[int, list[dict]]:
        return self._page(
            "SELECT * FROM accounts",
            ("organization_id = ?", [organization_id]),
            "entity_id, number",
            limit,
            offset,
            "accounts",
        )
