"""The ledger's invariants, checked from the tables alone (one small function per rule).

Each check returns a list of violations (strings naming the rule and the rows); an empty
report means the ledger is healthy. Used by the admin API, the CLI and the tests.
"""

from decimal import Decimal

from ..domain.invoices import status_of
from ..domain.money import convert, stripe_minor


def unbalanced_entries(store) -> list[str]:
    return [
        f"journal entry {row['entry']} does not balance: debits {row['debits']} != credits {row['credits']}"
        for row in store._rows(
            "SELECT journal_entry_id AS entry, SUM(debit_minor) AS debits, SUM(credit_minor) AS credits"
            f" FROM journal_lines WHERE {store.mine('journal_lines')} GROUP BY journal_entry_id HAVING SUM(debit_minor) != SUM(credit_minor)"
        )
    ]


def invoice_amounts(store) -> list[str]:
    """amount_due = total - active payments (paid_minor must equal their sum)."""
    return [
        f"invoice {row['id']}: amount paid {row['paid_minor']} != active payments {row['active']}"
        for row in store._rows(
            "SELECT i.id, i.paid_minor, COALESCE(SUM(p.amount_minor + p.discount_minor), 0) AS active"
            " FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id AND p.voided_date IS NULL"
            f" WHERE {store.mine('invoices', 'i')} GROUP BY i.id HAVING i.paid_minor != COALESCE(SUM(p.amount_minor + p.discount_minor), 0)"
        )
    ]


def invoice_status(store) -> list[str]:
    problems = []
    for row in store._rows(
        f"SELECT id, total_minor, paid_minor, status, voided_date FROM invoices WHERE {store.mine('invoices')}"
    ):
        expected = status_of(row, row["paid_minor"])
        if row["status"] != expected:
            problems.append(f"invoice {row['id']}: status {row['status']!r}, expected {expected!r}")
    return problems


def receivables(store) -> list[str]:
    """AR of each invoice matches its amount due (exactly in the book currency; within one minor
    unit per payment for a foreign-currency invoice, where each payment rounds once), and the
    AR control account equals the sum of the open invoice balances."""
    problems = []
    for row in store._rows(
        "SELECT i.id, i.currency, i.exchange_rate, i.total_minor - i.paid_minor AS due, e.currency AS book,"
        " (SELECT COUNT(*) FROM payments p WHERE p.invoice_id = i.id AND p.voided_date IS NULL) AS active,"
        " (SELECT COALESCE(SUM(l.debit_minor - l.credit_minor), 0) FROM journal_lines l"
        "   JOIN accounts a ON a.id = l.account_id AND a.role = 'ar' WHERE l.invoice_id = i.id) AS ar"
        f" FROM invoices i JOIN entities e ON e.id = i.entity_id WHERE i.voided_date IS NULL AND {store.mine('invoices', 'i')}"
    ):
        expected = convert(row["due"], row["currency"], row["book"], Decimal(row["exchange_rate"]))
        tolerance = 0 if row["currency"] == row["book"] or row["due"] == 0 else row["active"]
        if abs(row["ar"] - expected) > tolerance:
            problems.append(
                f"invoice {row['id']}: AR balance {row['ar']} != amount due {expected} ({row['book']} minor units)"
            )
    for row in store._rows(
        "SELECT a.entity_id, SUM(l.debit_minor - l.credit_minor) AS control,"
        " SUM(CASE WHEN l.invoice_id IS NULL THEN 0 ELSE l.debit_minor - l.credit_minor END) AS by_invoice"
        f" FROM journal_lines l JOIN accounts a ON a.id = l.account_id AND a.role = 'ar' WHERE {store.mine('accounts', 'a')}"
        " GROUP BY a.entity_id"
    ):
        if row["control"] != row["by_invoice"]:
            problems.append(
                f"entity {row['entity_id']}: AR control {row['control']} != sum of invoice balances {row['by_invoice']}"
            )
    return problems


def reversals(store) -> list[str]:
    """A voided payment has a reversing entry that mirrors its payment entry line by line."""
    lines = (
        "SELECT account_id, {0} AS a, {1} AS b FROM journal_lines WHERE journal_entry_id = ?"
        " ORDER BY account_id, {0}, {1}"
    )
    problems = []
    for row in store._rows(
        "SELECT id, journal_entry_id, voided_journal_entry_id FROM payments WHERE voided_date IS NOT NULL"
        f" AND {store.mine('payments')}"
    ):
        mirrored = store._rows(lines.format("credit_minor", "debit_minor"), [row["journal_entry_id"]])
        reversal = row["voided_journal_entry_id"]
        if reversal is None or store._rows(lines.format("debit_minor", "credit_minor"), [reversal]) != mirrored:
            problems.append(
                f"payment {row['id']}: reversing entry {reversal} does not mirror entry {row['journal_entry_id']}"
            )
    return problems


def refunds(store) -> list[str]:
    """Exactly one refund per voided Stripe payment, and none for anything else."""
    problems = []
    for row in store._rows(
        "SELECT p.id, p.source, p.voided_date, COUNT(r.id) AS count, p.amount_minor, p.currency, SUM(r.amount_minor) AS refunded"
        f" FROM payments p LEFT JOIN stripe_refunds r ON r.payment_id = p.id WHERE {store.mine('payments', 'p')} GROUP BY p.id"
        " HAVING COUNT(r.id) > 0 OR (p.source = 'STRIPE' AND p.voided_date IS NOT NULL)"
    ):
        if row["source"] != "STRIPE" or not row["voided_date"]:
            problems.append(f"payment {row['id']}: refunded but not a voided Stripe payment")
        elif row["count"] != 1 or row["refunded"] != stripe_minor(row["amount_minor"], row["currency"]):
            problems.append(
                f"payment {row['id']}: {row['count']} refund(s) totalling {row['refunded']},"
                f" expected one of {stripe_minor(row['amount_minor'], row['currency'])} (Stripe's minor units)"
            )
    orphans = store._one(
        "SELECT COUNT(*) AS n FROM stripe_refunds WHERE payment_id NOT IN (SELECT id FROM payments)"
        f" AND {store.mine('stripe_refunds')}"
    )["n"]
    if orphans:
        problems.append(f"{orphans} refund(s) for unknown payments")
    return problems


def credit_memo_balances(store) -> list[str]:
    return [
        f"credit memo {row['id']}: applications {row['applied']} exceed its total {row['total_minor']}"
        for row in store._rows(
            "SELECT m.id, COALESCE(SUM(p.amount_minor), 0) AS applied, m.total_minor FROM credit_memos m"
            " LEFT JOIN payments p ON p.credit_memo_id = m.id AND p.voided_date IS NULL"
            f" WHERE {store.mine('credit_memos', 'm')} GROUP BY m.id HAVING COALESCE(SUM(p.amount_minor), 0) > m.total_minor"
        )
    ]


CHECKS = {
    "balanced_entries": unbalanced_entries,
    "invoice_amounts": invoice_amounts,
    "invoice_status": invoice_status,
    "receivables": receivables,
    "reversals": reversals,
    "refunds": refunds,
    "credit_memo_balances": credit_memo_balances,
}


def trial_balance(store) -> list[dict]:
    """Debit and credit totals per entity and account (minor units of the entity's currency)."""
    return store._rows(
        "SELECT a.entity_id, a.number, a.name, a.currency, SUM(l.debit_minor) AS debit_minor,"
        " SUM(l.credit_minor) AS credit_minor FROM journal_lines l JOIN accounts a ON a.id = l.account_id"
        f" WHERE {store.mine('accounts', 'a')} GROUP BY a.id ORDER BY a.entity_id, a.number"
    )


def _run(check, store) -> list[str]:
    """A check's violations; a sum the database cannot compute is itself a violation, never a crash."""
    try:
        return check(store)
    except store.COMPUTATION_ERRORS as exc:
        return [f"could not be checked: {exc}"]


def report(store) -> dict:
    """{"healthy", "violations": [{"invariant", "detail"}], "trial_balance": [...]}"""
    violations = [
        {"invariant": name, "detail": detail} for name, check in CHECKS.items() for detail in _run(check, store)
    ]
    balance = _run(trial_balance, store)
    if balance and isinstance(balance[0], str):
        violations.append({"invariant": "trial_balance", "detail": balance[0]})
        balance = []
    return {"healthy": not violations, "violations": violations, "trial_balance": balance}
