"""The served documents as Django REST Framework would route them: one view per path, with the
operation of each of its methods, the header its credentials travel in, and each operation's
parameters.

A request is matched to its view once (``facts.py``); everything after reads the match: the
fault rules and the journal (the operationId), the view's rules (authentication before the
method, ``Allow``), the handler's arguments.
"""

import functools
import re
from dataclasses import dataclass

from mock_server import spec


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str  # "path", "query" or "header"
    type: str | None  # the schema's type
    required: bool


@dataclass(frozen=True)
class Operation:
    id: str
    parameters: tuple[Parameter, ...]


# Django's order of a view's methods (View.http_method_names), which DRF's Allow header follows.
METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
PUBLIC_TOKEN_HEADER = "Authorization"


@dataclass(frozen=True)
class View:
    template: str  # the path as the document's server serves it, e.g. /coa/api/v1/invoice/{id}/
    pattern: re.Pattern
    token_header: str  # where the view's credentials travel (Authorization, or the admin token's header)
    operations: dict[str, Operation]  # METHOD -> operation
    name: str  # what DRF's OPTIONS answer calls the view (from its class name in Campfire's code)
    base_path: str  # where its document is served ("" or "/_mock")
    integers: frozenset  # its path parameters of type integer

    def arguments(self, path: str) -> dict:
        """The path parameters of `path` (a path of this view), as their declared types."""
        found = self.pattern.match(path).groupdict()
        return {name: int(value) if name in self.integers else value for name, value in found.items()}

    def operation(self, method: str) -> Operation | None:
        """The operation serving `method`; Django answers HEAD with a view's GET."""
        return self.operations.get("GET" if method == "HEAD" else method)

    @property
    def allow(self) -> str:
        """The view's `Allow` header as DRF writes it: its methods, HEAD with GET, and OPTIONS."""
        methods = {*self.operations, "OPTIONS", *(("HEAD",) if "GET" in self.operations else ())}
        return ", ".join(method for method in METHOD_ORDER if method in methods)


def _name(template: str, operations: dict) -> str:
    """A view name as DRF derives it from a class name: `coa_api_v1_invoice_list` (a list and a
    create) -> "Invoice List", `..._retrieve` -> "Invoice Detail", the void -> "Invoice Payment Void";
    the admin API's views after their paths ("Mock Stripe Refunds")."""
    if template.startswith("/_mock/"):
        return " ".join(word.capitalize() for word in re.findall(r"[a-z]+", template.replace("-", " ")) if word)
    words = re.sub(r"^coa_api_(v1_)?", "", next(iter(operations.values()))["operationId"]).split("_")
    action = words.pop() if len(words) > 1 else ""
    suffix = {"list": "List", "retrieve": "Detail"}.get(
        action, "List" if "GET" in operations and action == "create" and "POST" in operations else ""
    )
    return " ".join(word.capitalize() for word in [*words, suffix] if word)


def _parameters(operation: dict, item: dict) -> tuple[Parameter, ...]:
    return tuple(
        Parameter(param["name"], param["in"], param.get("schema", {}).get("type"), param.get("required", False))
        for param in [*item.get("parameters", []), *operation.get("parameters", [])]
    )


def _token_header(document: dict, operation: dict) -> str:
    requirements = operation.get("security", document.get("security")) or []
    schemes = document.get("components", {}).get("securitySchemes", {})
    names = [schemes[name]["name"] for requirement in requirements for name in requirement]
    return names[0] if names else PUBLIC_TOKEN_HEADER


@functools.cache
def views() -> tuple[View, ...]:
    """Every path of the served documents, in the documents' order."""
    found = []
    for document in spec.DOCUMENTS:
        parsed = spec.parsed(document.path)
        for template, item in parsed["paths"].items():
            operations = {
                method.upper(): operation
                for method, operation in item.items()
                if isinstance(operation, dict) and "operationId" in operation
            }
            header = _token_header(parsed, next(iter(operations.values())))
            served = {
                method: Operation(operation["operationId"], _parameters(operation, item))
                for method, operation in operations.items()
            }
            types = {
                param.name: param.type
                for operation in served.values()
                for param in operation.parameters
                if param.where == "path"
            }
            found.append(
                View(
                    document.prefix + template,
                    spec.path_pattern(document.prefix, template, types),
                    header,
                    served,
                    _name(document.prefix + template, operations),
                    document.prefix,
                    frozenset(name for name, kind in types.items() if kind == "integer"),
                )
            )
    return tuple(found)


def match(path: str) -> View | None:
    """The view serving `path`, whatever the method."""
    return next((view for view in views() if view.pattern.match(path)), None)
