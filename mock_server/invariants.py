"""The ledger's invariants, checked from the tables alone (one small function per rule).

Each check returns a list of violations (strings naming the rule and the rows); an empty
report means the ledger is healthy. Used by the admin API, the CLI and the tests.
"""
from decimal import Decimal

from .money import convert


def unbalanced_entries(db) -> list[str]:
    return [f"journal entry {row[0]} does not balance: debits {row[1]} != credits {row[2]}"
            for row in db.execute("SELECT journal_entry_id, SUM(debit_minor), SUM(credit_minor) FROM journal_lines"
                                  " GROUP BY journal_entry_id HAVING SUM(debit_minor) != SUM(credit_minor)")]


def invoice_amounts(db) -> list[str]:
    """amount_due = total - active payments (paid_minor must equal their sum)."""
    return [f"invoice {row[0]}: amount paid {row[1]} != active payments {row[2]}"
            for row in db.execute(
                "SELECT i.id, i.paid_minor, COALESCE(SUM(p.amount_minor + p.discount_minor), 0)"
                " FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id AND p.voided_date IS NULL"
                " GROUP BY i.id HAVING i.paid_minor != COALESCE(SUM(p.amount_minor + p.discount_minor), 0)")]


def invoice_status(db) -> list[str]:
    problems = []
    for invoice_id, total, paid, status, voided in db.execute(
            "SELECT id, total_minor, paid_minor, status, voided_date FROM invoices"):
        expected = "voided" if voided else "paid" if paid >= total else "partially_paid" if paid else "open"
        if status != expected:
            problems.append(f"invoice {invoice_id}: status {status!r}, expected {expected!r}")
    return problems


def receivables(db) -> list[str]:
    """AR of each invoice matches its amount due (exactly in the book currency; within one minor
    unit per payment for a foreign-currency invoice, where each payment rounds once), and the
    AR control account equals the sum of the open invoice balances."""
    problems = []
    for row in db.query(
            "SELECT i.id, i.currency, i.exchange_rate, i.total_minor - i.paid_minor AS due, e.currency AS book,"
            " (SELECT COUNT(*) FROM payments p WHERE p.invoice_id = i.id AND p.voided_date IS NULL) AS active,"
            " (SELECT COALESCE(SUM(l.debit_minor - l.credit_minor), 0) FROM journal_lines l"
            "   JOIN accounts a ON a.id = l.account_id AND a.role = 'ar' WHERE l.invoice_id = i.id) AS ar"
            " FROM invoices i JOIN entities e ON e.id = i.entity_id WHERE i.voided_date IS NULL"):
        expected = convert(row["due"], row["currency"], row["book"], Decimal(row["exchange_rate"]))
        tolerance = 0 if row["currency"] == row["book"] or row["due"] == 0 else row["active"]
        if abs(row["ar"] - expected) > tolerance:
            problems.append(f"invoice {row['id']}: AR balance {row['ar']} != amount due {expected} ({row['book']} minor units)")
    for entity_id, control, by_invoice in db.execute(
            "SELECT a.entity_id, SUM(l.debit_minor - l.credit_minor),"
            " SUM(CASE WHEN l.invoice_id IS NULL THEN 0 ELSE l.debit_minor - l.credit_minor END)"
            " FROM journal_lines l JOIN accounts a ON a.id = l.account_id AND a.role = 'ar' GROUP BY a.entity_id"):
        if control != by_invoice:
            problems.append(f"entity {entity_id}: AR control {control} != sum of invoice balances {by_invoice}")
    return problems


def reversals(db) -> list[str]:
    """A voided payment has a reversing entry that mirrors its payment entry line by line."""
    problems = []
    for payment_id, original, reversal in db.execute(
            "SELECT id, journal_entry_id, voided_journal_entry_id FROM payments WHERE voided_date IS NOT NULL"):
        lines = "SELECT account_id, {0}, {1} FROM journal_lines WHERE journal_entry_id = ? ORDER BY account_id, {0}, {1}"
        mirrored = db.execute(lines.format("credit_minor", "debit_minor"), [original]).fetchall()
        if reversal is None or db.execute(lines.format("debit_minor", "credit_minor"), [reversal]).fetchall() != mirrored:
            problems.append(f"payment {payment_id}: reversing entry {reversal} does not mirror entry {original}")
    return problems


def refunds(db) -> list[str]:
    """Exactly one refund per voided Stripe payment, and none for anything else."""
    problems = []
    for payment_id, source, voided, count, amount, refunded in db.execute(
            "SELECT p.id, p.source, p.voided_date, COUNT(r.id), p.amount_minor, SUM(r.amount_minor)"
            " FROM payments p LEFT JOIN stripe_refunds r ON r.payment_id = p.id GROUP BY p.id"
            " HAVING COUNT(r.id) > 0 OR (p.source = 'STRIPE' AND p.voided_date IS NOT NULL)"):
        if source != "STRIPE" or not voided:
            problems.append(f"payment {payment_id}: refunded but not a voided Stripe payment")
        elif count != 1 or refunded != amount:
            problems.append(f"payment {payment_id}: {count} refund(s) totalling {refunded}, expected one of {amount}")
    orphans = db.execute("SELECT COUNT(*) FROM stripe_refunds WHERE payment_id NOT IN (SELECT id FROM payments)").fetchone()[0]
    if orphans:
        problems.append(f"{orphans} refund(s) for unknown payments")
    return problems


def credit_memo_balances(db) -> list[str]:
    return [f"credit memo {row[0]}: applications {row[1]} exceed its total {row[2]}"
            for row in db.execute(
                "SELECT m.id, COALESCE(SUM(p.amount_minor), 0), m.total_minor FROM credit_memos m"
                " LEFT JOIN payments p ON p.credit_memo_id = m.id AND p.voided_date IS NULL"
                " GROUP BY m.id HAVING COALESCE(SUM(p.amount_minor), 0) > m.total_minor")]


CHECKS = {
    "balanced_entries": unbalanced_entries,
    "invoice_amounts": invoice_amounts,
    "invoice_status": invoice_status,
    "receivables": receivables,
    "reversals": reversals,
    "refunds": refunds,
    "credit_memo_balances": credit_memo_balances,
}


def trial_balance(db) -> list[dict]:
    """Debit and credit totals per entity and account (minor units of the entity's currency)."""
    return [dict(row) for row in db.query(
        "SELECT a.entity_id, a.number, a.name, a.currency, SUM(l.debit_minor) AS debit_minor,"
        " SUM(l.credit_minor) AS credit_minor FROM journal_lines l JOIN accounts a ON a.id = l.account_id"
        " GROUP BY a.id ORDER BY a.entity_id, a.number")]


def report(db) -> dict:
    """{"healthy", "violations": [{"invariant", "detail"}], "trial_balance": [...]}"""
    violations = [{"invariant": name, "detail": detail} for name, check in CHECKS.items() for detail in check(db)]
    return {"healthy": not violations, "violations": violations, "trial_balance": trial_balance(db)}
