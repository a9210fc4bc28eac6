"""Records of the ledger rendered as the JSON objects of the contract (one function per schema).

Renderers take the read models of ``storage.views`` (everything related already joined in) and
never query. Required fields that the stand-in has no data for get the empty value their schema
allows, so every object validates against spec/ while only the fields the ledger owns carry
meaning.
"""

import uuid
from datetime import date

from ..domain.credit_memos import application_status
from ..domain.money import as_number

_UUID_NAMESPACE = uuid.UUID("6f1c9a6e-7a51-4b8e-9a43-3c7d3f9e2b10")


def _stable_uuid(kind: str, row_id: int) -> str:
    return str(uuid.uuid5(_UUID_NAMESPACE, f"{kind}:{row_id}"))


def voided(row: dict) -> dict:
    """The void's answer: the seed's AccountingInvoicePayment, which has no `withheld_amount`
    (the published schema's payment, in an invoice's `payments`, has it)."""
    return {key: value for key, value in payment(row).items() if key != "withheld_amount"}


def payment(row: dict) -> dict:
    """AccountingInvoicePayment of the published schema: the items of an invoice's `payments`."""
    return {
        "id": row["id"],
        "credit_memo": row["credit_memo_number"] or "",
        "payment_transaction_bank_description": row["bank_description"] or "",
        "payment_journal_entry_order": row["journal_entry_number"],
        "payment_intercompany_journal": "",
        "voided_journal_entry_order": row["voided_journal_entry_number"] or "",
        "withheld_amount": None,
        "currency": row["currency"],
        "amount": as_number(row["amount_minor"], row["currency"]),
        "payment_date": row["payment_date"],
        "created_at": row["created_at"],
        "voided_date": row["voided_date"],
        "source": row["source"],
        "payment_type": row["payment_type"],
        "external_id": row["external_id"],
        "last_modified_at": row["last_modified_at"],
        "customer": row["organization_id"],
        "invoice": row["invoice_id"],
        "payment_journal_entry": row["journal_entry_id"],
        "payment_transaction": row["bank_transaction_id"],
        "fx_gain_loss_realized_transaction": row["fx_line_id"],
        "payment_term_discount_transaction": row["discount_line_id"],
        "voided_journal_entry": row["voided_journal_entry_id"],
        "payment_transactions": [row["bank_transaction_id"]] if row["bank_transaction_id"] else [],
    }


def payment_sync(row: dict) -> dict:
    """InvoicePaymentSync: one item of the payments list."""
    return {
        "id": row["id"],
        "invoice_id": row["invoice_id"],
        "invoice_number": row["invoice_number"],
        "amount": as_number(row["amount_minor"], row["currency"]),
        "currency": row["currency"],
        "payment_date": row["payment_date"],
        "payment_type": row["payment_type"],
        "source": row["source"] or None,
        "external_id": row["external_id"],
        "voided_date": row["voided_date"],
        "created_at": row["created_at"],
        "last_modified_at": row["last_modified_at"],
    }


def invoice_line(row: dict, invoice: dict) -> dict:
    currency = invoice["currency"]
    return {
        "id": row["id"],
        "product_name": row["product_name"],
        "product_bundle_name": "",
        "stripe_product_id": "",
        "product_is_taxable": row["tax_minor"] != 0,
        "anrok_item_id": "",
        "sphere_item_id": "",
        "service_date": row["service_date"],
        "tags": [],
        "department_name": "",
        "department_code": "",
        "withholding_tax_rate_name": "",
        "withholding_tax_rate_value": None,
        "quantity": float(row["quantity"]),
        "rate": float(row["rate"]),
        "currency": currency,
        "amount": as_number(row["amount_minor"], currency),
        "tax": as_number(row["tax_minor"], currency),
        "created_at": row["created_at"],
        "last_modified_at": row["created_at"],
        "customer": invoice["organization_id"],
    }


def invoice_list_item(row: dict, today) -> dict:
    """AccountingInvoiceList: the fields shared with the full invoice."""
    currency = row["currency"]
    lines = [invoice_line(line, row) for line in row["lines"]]
    past_due = None
    if row["status"] in ("open", "partially_paid") and row["due_date"] < today.isoformat():
        past_due = (today - date.fromisoformat(row["due_date"])).days
    return {
        "id": row["id"],
        "lines": lines,
        "client_name": row["client_name"] or "",
        "client_email": row["client_email"] or "",
        "anrok_customer_id": "",
        "client_invoice_message": "",
        "client_use_stripe_auto_bill": False,
        "status": row["status"],
        "past_due_days": past_due,
        "entity_name": row["entity_name"],
        "entity_currency": row["entity_currency"],
        "entity_invoice_message": None,
        "total_amount": as_number(row["total_minor"], currency),
        "amount_paid": as_number(row["paid_minor"], currency),
        "amount_due": as_number(row["total_minor"] - row["paid_minor"], currency),
        "contract_name": "",
        "contract_custom_fields": [],
        "journal_entry_intercompany": "",
        "invoice_number": row["invoice_number"],
        "stripe_connection_name": "",
        "stripe_connection_entity": row["entity_id"],
        "stripe_connection_billing_portal_enabled": False,
        "avalara_connection_name": "",
        "avalara_connection_company": "",
        "tax_rate_name": "",
        "tax_rate_value": 0,
        "payment_term_name": row["terms"] or "",
        "voided_journal_entry_order": None,
        "last_modified_at": row["last_modified_at"],
        "is_deleted": False,
        "deleted_at": None,
        "search_vector": None,
        "search_text": None,
        "auto_sent_at": None,
        "last_sent_at": None,
        "sent_date": None,
        "terms": row["terms"],
        "invoice_date": row["invoice_date"],
        "due_date": row["due_date"],
        "paid_date": row["paid_date"],
        "voided_date": row["voided_date"],
        "message_on_invoice": row["message_on_invoice"],
        "created_at": row["created_at"],
        "currency": currency,
        "exchange_rate": float(row["exchange_rate"]),
        "customer": row["organization_id"],
        "entity": row["entity_id"],
        "client": row["customer_id"],
    }


def invoice(row: dict, today) -> dict:
    """AccountingInvoice: the full invoice, with its payments and journal entries."""
    body = invoice_list_item(row, today)
    payments = row["payments"]
    body.update(
        {
            "public_invoice_payment_url": None,
            "emails": [],
            "payments": [payment(p) for p in payments],
            "related_journal_entries": [],
            "payment_journal_entries": [p["journal_entry_id"] for p in payments],
            "withholding_info": None,
            "attachments": [],
            "bad_debt_journal_entry": None,
            "journal_entry": row["journal_entry_id"],
            "ar_account": row["ar_account_id"],
            "voided_journal_entry": None,
            "entity_transfer_journal_entry": None,
        }
    )
    return body


def journal_entry(row: dict) -> dict:
    currency = row["currency"]
    reversal_of = row["reversal_of_number"] or ""
    reversals = [{"id": r["id"], "order": r["number"], "date": r["date"]} for r in row["reversals"]]
    invoice_number = row["invoice_number"]
    lines = []
    for line in row["lines"]:
        signed = line["debit_minor"] - line["credit_minor"]
        lines.append(
            {
                "id": line["id"],
                "is_deleted": False,
                "deleted_at": None,
                "entity_name": row["entity_name"],
                "entity_currency": row["entity_currency"],
                "account": line["account_id"],
                "account_name": f"{line['account_number']} - {line['account_name']}",
                "account_number": line["account_number"],
                "account_type": line["account_type"],
                "account_subtype": line["account_subtype"],
                "parent_account_name": "",
                "vendor_name": "",
                "vendor_id": "",
                "department_name": "",
                "department_code": "",
                "parent_department_name": "",
                "parent_department": 0,
                "tags": [],
                "journal": row["id"],
                "journal_order": row["number"],
                "journal_memo": row["memo"],
                "journal_type": row["kind"],
                "journal_type_name": row["kind"],
                "intercompany_journal": 0,
                "created_automatically": True,
                "journal_attachments": [],
                "invoice": invoice_number,
                "invoice_id": line["invoice_id"],
                "invoice_number": invoice_number,
                "bill": None,
                "bill_id": None,
                "bill_number": None,
                "date_month": row["date"][5:7],
                "date_year": row["date"][:4],
                "posted_at": row["date"],
                "balance_after_transaction": 0,
                "balance_before_transaction": None,
                "bank_account": "",
                "bank_account_name": "",
                "last_modified_by_name": "",
                "files": "",
                "file_names": "",
                "has_matches": False,
                "has_ai": False,
                "has_rules": False,
                "has_merges": False,
                "has_fixed_asset_rule_matches": False,
                "primary_action_type": "",
                "suggested_account": None,
                "suggested_account_name": None,
                "suggested_account_number": None,
                "amount": as_number(signed, currency),
                "amount_native": as_number(signed, currency),
                "amount_book": as_number(signed, currency),
                "debit_amount": as_number(line["debit_minor"], currency),
                "credit_amount": as_number(line["credit_minor"], currency),
                "amortization_schedule": [],
                "linked_amortizations": [],
                "created_fixed_assets": [],
                "reconciliation_report": "",
                "opposing_account_name": "",
                "opposing_account_number": "",
                "transaction_id": _stable_uuid("line", line["id"]),
                "currency": currency,
                "note": line["description"],
                "created_at": row["created_at"],
                "last_modified_at": row["last_modified_at"],
                "customer": row["organization_id"],
                "entity": row["entity_id"],
            }
        )
    return {
        "id": row["id"],
        "is_deleted": False,
        "deleted_at": None,
        "transactions": lines,
        "attachments": [],
        "invoice": row["invoice_id"],
        "reversal_of_order": reversal_of,
        "reversals": reversals,
        "entity_name": row["entity_name"],
        "entity_currency": row["entity_currency"],
        "created_by": None,
        "created_by_name": None,
        "created_by_source": "api",
        "order": row["number"],
        "credit_memos": [],
        "debit_memos": [],
        "ramp_use_sandbox": "",
        "navan_region": None,
        "search_vector": None,
        "search_text": None,
        "type": _entry_type(row["kind"]),
        "journal_id": _stable_uuid("entry", row["id"]),
        "memo": row["memo"],
        "currency": currency,
        "created_automatically": True,
        "date": row["date"],
        "created_at": row["created_at"],
        "last_modified_at": row["last_modified_at"],
        "customer": row["organization_id"],
        "entity": row["entity_id"],
        "reversal_of": row["reversal_of_id"],
        "last_draft": None,
    }


def _entry_type(kind: str) -> str:
    return {
        "invoice": "invoice",
        "payment": "invoice_payment",
        "reversal": "void_invoice_payment",
        "credit_memo": "credit_memo",
    }.get(kind, "journal_entry")


def credit_memo(row: dict) -> dict:
    currency = row["currency"]
    remaining_minor = row["remaining_minor"]
    payments = []
    for p in row["payments"]:
        payments.append(
            {
                "id": p["id"],
                "payment_journal_entry_order": p["journal_entry_number"],
                "voided_journal_entry_order": p["voided_journal_entry_number"],
                "invoice": str(p["invoice_id"]),
                "currency": p["currency"],
                "amount": as_number(p["amount_minor"], currency),
                "payment_date": p["payment_date"],
                "created_at": p["created_at"],
                "last_modified_at": p["last_modified_at"],
                "voided_date": p["voided_date"],
                "customer": p["organization_id"],
                "credit_memo": row["id"],
                "payment_journal_entry": p["journal_entry_id"],
                "voided_journal_entry": p["voided_journal_entry_id"],
            }
        )
    status = application_status(row["total_minor"], remaining_minor)
    return {
        "id": row["id"],
        "lines": [],
        "payments": payments,
        "amount_remaining": as_number(remaining_minor, currency),
        "total_amount": as_number(row["total_minor"], currency),
        "entity_name": row["entity_name"],
        "entity_currency": row["entity_currency"],
        "client_name": row["client_name"],
        "client_email": row["client_email"] or "",
        "contract_name": "",
        "credit_account_number": row["credit_account_number"],
        "credit_account_name": row["credit_account_name"],
        "attachments": [],
        "credit_memo_number": row["number"],
        "voided_date": None,
        "voided_journal_entry_order": None,
        "last_modified_at": row["last_modified_at"],
        "is_deleted": False,
        "deleted_at": None,
        "search_vector": None,
        "search_text": None,
        "credit_memo_type": "credit_memo",
        "credit_memo_date": row["date"],
        "application_status": status,
        "currency": currency,
        "created_at": row["created_at"],
        "customer": row["organization_id"],
        "entity": row["entity_id"],
        "client": row["customer_id"],
    }


def entity(row: dict) -> dict:
    return {
        "id": row["id"],
        "customer": row["organization_id"],
        "parent": None,
        "parent_name": "",
        "primary_entity": None,
        "primary_entity_name": "",
        "is_adjusting": False,
        "is_elimination_entity": False,
        "is_deleted": False,
        "deleted_at": None,
        "last_modified_at": row["last_modified_at"],
        "name": row["name"],
        "currency": row["currency"],
        "active": True,
        "created_at": row["created_at"],
        "allow_payments_in_closed_periods": False,
        "invoice_name": None,
        "invoice_email": None,
        "invoice_message": None,
        "invoice_email_subject": None,
        "invoice_email_body": None,
        "invoice_prefix": None,
        "invoice_address": None,
        "invoice_cc_emails": None,
        "invoice_display_settings": None,
        "invoice_email_attachments": None,
        "withholding_scheme_name": "",
        "withholding_certificate_number": "",
    }


def vendor(row: dict) -> dict:
    return {
        "id": row["id"],
        "contacts": [],
        "parent_name": "",
        "stripe_connection_name": None,
        "stripe_connection_entity": None,
        "stripe_connection_portal_url": None,
        "stripe_connection_portal_enabled": None,
        "stripe_connection_invoicing_enabled": None,
        "vendor_custom_field_1_name": "",
        "payment_term_name_display": "",
        "last_modified_at": row["last_modified_at"],
        "is_deleted": False,
        "deleted_at": None,
        "search_vector": None,
        "search_text": None,
        "vendor_type": "customer",
        "name": row["name"],
        "company_name": row["company_name"],
        "email": row["email"],
        "city": row["city"],
        "country": row["country"],
        "status": "ACTIVE",
        "created_at": row["created_at"],
        "customer": row["organization_id"],
    }


def account(row: dict) -> dict:
    return {
        "id": row["id"],
        "is_deleted": False,
        "deleted_at": None,
        "reconciliation_ending_date": None,
        "reconciliation_ending_balance": 0,
        "balance_ytd": 0,
        "name_and_number": f"{row['number']} - {row['name']}",
        "parent_name_and_number": None,
        "sort_key": row["number"],
        "has_associated_data": True,
        "last_modified_at": row["last_modified_at"],
        "account_id": _stable_uuid("account", row["id"]),
        "number": row["number"],
        "currency": row["currency"],
        "name": row["name"],
        "status": "ACTIVE",
        "account_type": row["account_type"],
        "account_subtype": row["account_subtype"],
        "external_id": None,
        "created_at": row["created_at"],
        "customer": row["organization_id"],
    }
