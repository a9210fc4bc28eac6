"""The OpenAPI documents served by the mock and checked by the harness, shipped as package data."""
from pathlib import Path

HERE = Path(__file__).parent
VOID = HERE / "void-invoice-payment.yaml"
COMPANION = HERE / "companion.yaml"
ADMIN = HERE / "mock-admin.yaml"
VOID_OPERATION_ID = "coa_api_v1_invoice_payment_void_create"
