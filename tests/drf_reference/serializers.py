"""The seed's schemas as DRF serializers: VoidPayment (the request) and AccountingInvoicePayment."""

from rest_framework import serializers

from . import models


class VoidPaymentSerializer(serializers.Serializer):
    void_date = serializers.DateField(required=False, allow_null=True)


class AccountingInvoicePaymentSerializer(serializers.ModelSerializer):
    credit_memo = serializers.SerializerMethodField()
    payment_transaction_bank_description = serializers.SerializerMethodField()
    payment_journal_entry_order = serializers.CharField(source="journal_entry.number", read_only=True)
    payment_intercompany_journal = serializers.SerializerMethodField()
    voided_journal_entry_order = serializers.SerializerMethodField()
    amount = serializers.DecimalField(
        max_digits=21, decimal_places=3, read_only=True, coerce_to_string=False, normalize_output=True
    )
    customer = serializers.IntegerField(source="organization_id", read_only=True)  # Campfire's tenant
    invoice = serializers.IntegerField(source="invoice_id", read_only=True)
    payment_journal_entry = serializers.IntegerField(source="journal_entry_id", read_only=True)
    payment_transaction = serializers.IntegerField(source="bank_transaction_id", read_only=True)
    fx_gain_loss_realized_transaction = serializers.IntegerField(source="fx_line_id", read_only=True)
    payment_term_discount_transaction = serializers.IntegerField(source="discount_line_id", read_only=True)
    voided_journal_entry = serializers.IntegerField(source="voided_journal_entry_id", read_only=True)
    payment_transactions = serializers.SerializerMethodField()

    class Meta:
        model = models.Payment
        fields = (
            "id",
            "credit_memo",
            "payment_transaction_bank_description",
            "payment_journal_entry_order",
            "payment_intercompany_journal",
            "voided_journal_entry_order",
            "currency",
            "amount",
            "payment_date",
            "created_at",
            "voided_date",
            "source",
            "payment_type",
            "external_id",
            "last_modified_at",
            "customer",
            "invoice",
            "payment_journal_entry",
            "payment_transaction",
            "fx_gain_loss_realized_transaction",
            "payment_term_discount_transaction",
            "voided_journal_entry",
            "payment_transactions",
        )

    def get_credit_memo(self, payment) -> str:
        return payment.credit_memo.number if payment.credit_memo else ""

    def get_payment_transaction_bank_description(self, payment) -> str:
        return payment.bank_transaction.description if payment.bank_transaction else ""

    def get_payment_intercompany_journal(self, payment) -> str:
        return ""

    def get_voided_journal_entry_order(self, payment) -> str:
        return payment.voided_journal_entry.number if payment.voided_journal_entry else ""

    def get_payment_transactions(self, payment) -> list[int]:
        return [payment.bank_transaction_id] if payment.bank_transaction_id else []


class InvoiceSerializer(serializers.ModelSerializer):
    """The fields of an invoice the comparison looks at (the stand-in serves many more)."""

    class Meta:
        model = models.Invoice
        fields = ("id", "invoice_number", "status", "currency", "invoice_date", "voided_date")


class InvoicePaymentSyncSerializer(serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.invoice_number", read_only=True)
    amount = serializers.DecimalField(
        max_digits=21, decimal_places=3, read_only=True, coerce_to_string=False, normalize_output=True
    )

    class Meta:
        model = models.Payment
        fields = (
            "id",
            "invoice_id",
            "invoice_number",
            "amount",
            "currency",
            "payment_date",
            "payment_type",
            "source",
            "external_id",
            "voided_date",
            "created_at",
            "last_modified_at",
        )
