"""The OpenAPI documents served by the stand-in and checked by the harness, shipped as package data.

The one list of documents, where each is served (``prefix``), and the one way to turn a path
template into a regular expression; the stand-in and the harness both use them.
"""
import copy
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).parent
VOID = HERE / "void-invoice-payment.yaml"
COMPANION = HERE / "companion.yaml"
ADMIN = HERE / "mock-admin.yaml"
VOID_OPERATION_ID = "coa_api_v1_invoice_payment_void_create"
VOID_PATH = "/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/"


def void_path(invoice_id, payment_id) -> str:
    """The contract's path for voiding `payment_id` of `invoice_id`."""
    return VOID_PATH.format(invoice_id=invoice_id, payment_id=payment_id)


@dataclass(frozen=True)
class Document:
    name: str  # its stable name in URLs: /openapi/<name>.yaml
    path: Path
    prefix: str  # where its paths are served on the stand-in


DOCUMENTS = (
    Document("void-invoice-payment", VOID, ""),
    Document("companion", COMPANION, ""),
    Document("mock-admin", ADMIN, "/_mock"),
)


@functools.cache
def parsed(path: Path) -> dict:
    """The document, parsed once per process (C loader): shared, so never modify it."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load(path: Path) -> dict:
    """A copy of the document of one's own, to modify."""
    return copy.deepcopy(parsed(path))


@functools.cache
def operations() -> tuple:
    """(METHOD, path regex, operationId) of every operation of the served documents."""
    return tuple((method.upper(), path_pattern(document.prefix, path), operation["operationId"])
                 for document in DOCUMENTS for path, item in parsed(document.path)["paths"].items()
                 for method, operation in item.items() if isinstance(operation, dict) and "operationId" in operation)


def path_pattern(prefix: str, template: str) -> re.Pattern:
    """`/invoice/{id}/` -> a regex matching `/invoice/42/` (one path segment per parameter)."""
    return re.compile("^" + re.escape(prefix) + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
