"""The connexion application: serves spec/ unmodified, resolves operationIds to handlers."""
import functools
import logging
import re
from urllib.parse import urlparse

import yaml

import connexion
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver

import spec

from . import auth, error_handlers, request_body
from .handlers import admin, invoices, records, void
from .state import MockState

# document -> its Swagger UI path. The void and companion documents share the root base path,
# where connexion serves only one Swagger UI, the last added: the void's (checked by a test).
DOCUMENTS = {spec.COMPANION: "/ui/companion", spec.VOID: "/ui", spec.ADMIN: "/ui"}
HANDLER_MODULES = (void, invoices, records, admin)

# connexion warns once per operation that takes several content types: expected here.
logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)
# ... and about query parameters a handler swallows with **kwargs (the list filters it ignores).
logging.getLogger("connexion.decorators.parameter").setLevel(logging.CRITICAL)


def _resolver(state: MockState) -> Resolver:
    """operationId -> handler function of the same name, with the state bound as first argument."""
    table = {name: functools.partial(getattr(module, name), state)
             for module in HANDLER_MODULES for name in dir(module) if name.startswith(("coa_", "mock_"))}

    def resolve(operation_id: str):
        try:
            return table[operation_id]
        except KeyError:
            raise LookupError(f"no handler for operationId {operation_id}") from None

    return Resolver(function_resolver=resolve)


def _methods_by_path():
    """path regex -> methods declared for it, over every served document."""
    table = []
    for document in DOCUMENTS:
        loaded = yaml.safe_load(document.read_text())
        prefix = urlparse(loaded["servers"][0]["url"]).path.rstrip("/")
        for path, item in loaded["paths"].items():
            pattern = re.compile("^" + prefix + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
            table.append((pattern, {method.upper() for method in item}))

    def allowed(path: str) -> set[str]:
        return set().union(*[methods for pattern, methods in table if pattern.match(path)])

    return allowed


def create_app(state: MockState, *, validate_responses: bool = False) -> connexion.AsyncApp:
    """A connexion AsyncApp over `state`; `validate_responses` checks every answer against spec/."""
    app = connexion.AsyncApp(__name__, specification_dir=str(spec.HERE), security_map={
        "apiKey": functools.partial(auth.TokenSecurity, state.ledger, state.admin_token)})
    resolver = _resolver(state)
    for document, ui_path in DOCUMENTS.items():
        app.add_api(document.name, resolver=resolver, validate_responses=validate_responses,
                    validator_map={"body": request_body.VALIDATORS},
                    swagger_ui_options=SwaggerUIOptions(swagger_ui_path=ui_path,
                                                        spec_path=f"{ui_path}/openapi.json"))
    error_handlers.register(app, _methods_by_path())
    return app
