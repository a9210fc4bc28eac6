"""The paths the stand-in serves, as Django routes them (`<int:...>`: digits only)."""

from django.conf import settings
from django.urls import path

from . import errors, views

urlpatterns = [
    path("coa/api/v1/invoice/<int:invoice_id>/payment/<int:payment_id>/void/", views.InvoicePaymentVoidView.as_view()),
    path("coa/api/v1/invoice/", views.InvoiceList.as_view()),
    path("coa/api/v1/invoice/<int:pk>/", views.InvoiceDetail.as_view()),
    path("coa/api/v1/invoice-payments", views.PaymentList.as_view()),
]

if settings.CHOICES["unrouted_404"] == "json":
    handler404 = errors.not_found
