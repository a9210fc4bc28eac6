"""Assertions and look-ups shared by the test modules."""

import yaml
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30ReadValidator

from mock_server import spec

_seed = yaml.safe_load(spec.VOID.read_text())


def _resolve(node):
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolve(_seed["components"]["schemas"][node["$ref"].split("/")[-1]])
        return {key: _resolve(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item) for item in node]
    return node


def count(state, table: str, where: str = "TRUE", params=()) -> int:
    """Rows of a ledger table (read through the ledger's own read connection)."""
    return state.ledger.query(f"SELECT COUNT(*) AS n FROM {table} WHERE {where}", params)[0]["n"]


def value(state, sql: str, params=()):
    """The first column of the first row of a read-only query."""
    return next(iter(state.ledger.query(sql, params)[0].values()))


SEED_PAYMENT_SCHEMA = _resolve(_seed["components"]["schemas"]["AccountingInvoicePayment"])


def assert_seed_payment(body: dict) -> None:
    """The body is a valid AccountingInvoicePayment of the seed document (formats included)."""
    errors = [
        e.message for e in OAS30ReadValidator(SEED_PAYMENT_SCHEMA, format_checker=FormatChecker()).iter_errors(body)
    ]
    assert not errors, errors


def assert_mirrors(original: dict, reversal: dict) -> None:
    """The reversal has the original's lines with debit and credit swapped, and balances."""

    def lines(entry, swap):
        return sorted(
            (
                t["account"],
                t["credit_amount"] if swap else t["debit_amount"],
                t["debit_amount"] if swap else t["credit_amount"],
            )
            for t in entry["transactions"]
        )

    assert lines(original, swap=True) == lines(reversal, swap=False)
    assert sum(t["debit_amount"] for t in reversal["transactions"]) == sum(
        t["credit_amount"] for t in reversal["transactions"]
    )
    assert reversal["reversal_of"] == original["id"]
