"""The few tables of the default dataset the reference serves, with the dataset's own columns."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from mock_server.domain.money import exponent


class Organization(models.Model):
    name = models.CharField(max_length=200)


class Member(models.Model):
    """Who a knox token's user is: an organization and a role (admin, clerk, view_only)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    role = models.CharField(max_length=20)


class Entity(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3)
    books_closed_through = models.DateField(null=True)


class Client(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    name = models.CharField(max_length=200)


class Invoice(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE)
    customer = models.ForeignKey(Client, on_delete=models.CASCADE)
    invoice_number = models.CharField(max_length=40)
    status = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    invoice_date = models.DateField()
    voided_date = models.DateField(null=True)


class JournalEntry(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    number = models.CharField(max_length=20)
    date = models.DateField()


class CreditMemo(models.Model):
    number = models.CharField(max_length=20)


class BankTransaction(models.Model):
    description = models.CharField(max_length=200)


class Payment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    payment_date = models.DateField(null=True)
    voided_date = models.DateField(null=True)
    source = models.CharField(max_length=10, null=True)
    payment_type = models.CharField(max_length=30, null=True)
    external_id = models.CharField(max_length=256, null=True)
    created_at = models.DateTimeField()
    last_modified_at = models.DateTimeField()
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+")
    voided_journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, null=True, related_name="+")
    credit_memo = models.ForeignKey(CreditMemo, on_delete=models.PROTECT, null=True)
    bank_transaction = models.ForeignKey(BankTransaction, on_delete=models.PROTECT, null=True)
    fx_line_id = models.IntegerField(null=True)
    discount_line_id = models.IntegerField(null=True)

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_minor).scaleb(-exponent(self.currency))
