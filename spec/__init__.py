"""The OpenAPI documents served by the stand-in and checked by the harness, shipped as package
data of `mock_server.spec` (the repository's top-level spec/ folder) and read through
importlib.resources.

The one list of documents, where each is served (``prefix``), and the one way to turn a path
template into a regular expression; the stand-in and the harness both use them.
"""

import functools
import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

HERE = Path(str(resources.files(__name__)))
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
def _pickled(path: Path) -> bytes:
    """The document parsed (C loader) and pickled, kept beside Python's bytecode under a name
    that holds the YAML's hash: a start-up reads it in milliseconds where parsing takes a
    quarter of a second. Where the folder is read-only the document is parsed every time."""
    text = path.read_bytes()
    cached = HERE / "__pycache__" / f"{path.stem}.{hashlib.sha256(text).hexdigest()[:16]}.pickle"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = pickle.dumps(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), protocol=5)
    try:
        cached.parent.mkdir(exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, cached)
    except OSError:
        pass
    return data


@functools.cache
def parsed(path: Path) -> dict:
    """The document, parsed once per process: shared, so never modify it."""
    return pickle.loads(_pickled(path))


def load(path: Path) -> dict:
    """A copy of the document of one's own, to modify."""
    return pickle.loads(_pickled(path))


def path_pattern(prefix: str, template: str, types: dict | None = None) -> re.Pattern:
    """`/invoice/{id}/` -> a regex matching `/invoice/42/` (one path segment per parameter), and
    nothing more: `\\Z`, since `$` would also match before a final newline (`/invoice/42/%0A`).
    A parameter whose `types` entry is "integer" matches digits only, as Django's `<int:...>`
    converter does (no sign, no spaces)."""

    def segment(match: re.Match) -> str:  # a named group: the parameter's value
        return (
            f"(?P<{match.group(1)}>" + ("[0-9]+" if (types or {}).get(match.group(1)) == "integer" else "[^/]+") + ")"
        )

    return re.compile("^" + re.escape(prefix) + re.sub(r"\\\{([^}]+)\\\}", segment, re.escape(template)) + r"\Z")
