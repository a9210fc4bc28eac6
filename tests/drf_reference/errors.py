"""The answers of the choices in settings.CHOICES: the detail of a 404, an unrouted path."""

from django.conf import settings
from django.http import Http404, JsonResponse
from rest_framework import exceptions, views


def exception_handler(exc, context):
    """DRF's handler; with CHOICES["not_found_detail"] == "generic" a 404 says "Not found."."""
    if isinstance(exc, Http404) and settings.CHOICES["not_found_detail"] == "generic":
        exc = exceptions.NotFound()
    return views.exception_handler(exc, context)


def not_found(request, exception):
    """handler404 when CHOICES["unrouted_404"] == "json"."""
    return JsonResponse({"detail": "Not found."}, status=404)
