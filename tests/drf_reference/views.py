"""The void as an APIView and the reads as DRF generics, each scoped to the token's organization.

The business rules are simpler than the stand-in's ledger (no journal lines, no refund) but
refuse the same requests with the same answers: 404 for another organization's invoice or
payment, then the body, then already voided, before the payment date, books closed, invoice voided.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from rest_framework import exceptions, generics, views
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from . import models, serializers


def organization_of(request) -> int:
    return request.user.member.organization_id


def today() -> date:
    return date.fromisoformat(settings.TODAY) if settings.TODAY else timezone.localdate()


def check_voidable(invoice: models.Invoice, payment: models.Payment, void_date: date) -> None:
    if payment.voided_date:
        raise exceptions.ValidationError({"detail": "This payment has already been voided."})
    if payment.payment_date and void_date < payment.payment_date:
        raise exceptions.ValidationError(
            {"void_date": [f"The void date cannot be before the payment date ({payment.payment_date})."]}
        )
    closed = invoice.entity.books_closed_through
    if closed and void_date <= closed:
        raise exceptions.ValidationError(
            {"void_date": [f"The books of {invoice.entity.name} are closed through {closed}."]}
        )
    if invoice.voided_date:
        raise exceptions.ValidationError({"detail": "The invoice of this payment is voided."})


class InvoicePaymentVoidView(views.APIView):  # DRF names it "Invoice Payment Void", as the stand-in does
    def post(self, request, invoice_id, payment_id):
        invoice = get_object_or_404(
            models.Invoice.objects.select_related("entity").filter(organization_id=organization_of(request)),
            pk=invoice_id,
        )
        payment = get_object_or_404(invoice.payments.all(), pk=payment_id)
        body = serializers.VoidPaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        void_date = body.validated_data.get("void_date") or today()
        check_voidable(invoice, payment, void_date)
        with transaction.atomic():
            entry_id = models.JournalEntry.objects.aggregate(last=Max("id"))["last"] + 1
            payment.voided_journal_entry = models.JournalEntry.objects.create(
                id=entry_id, organization_id=payment.organization_id, number=f"JE-{entry_id:06d}", date=void_date
            )
            payment.voided_date = void_date
            payment.last_modified_at = timezone.now()
            payment.save()
        return Response(serializers.AccountingInvoicePaymentSerializer(payment).data)


class OrganizationScoped:
    """A generic view's queryset, narrowed to the token's organization."""

    model = None
    ordering = "id"

    def get_queryset(self):
        return self.model.objects.filter(organization_id=organization_of(self.request)).order_by(self.ordering)


class InvoiceList(OrganizationScoped, generics.ListCreateAPIView):  # creation is the stand-in's: not sent here
    model = models.Invoice
    ordering = "-id"
    serializer_class = serializers.InvoiceSerializer


class InvoiceDetail(OrganizationScoped, generics.RetrieveAPIView):
    model = models.Invoice
    serializer_class = serializers.InvoiceSerializer


class PaymentList(OrganizationScoped, generics.ListAPIView):
    model = models.Payment
    serializer_class = serializers.InvoicePaymentSyncSerializer
