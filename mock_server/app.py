"""The connexion application: serves spec/ unmodified, resolves operationIds to handlers."""
import functools
import logging

import connexion
from connexion.resolver import Resolver

import spec

from . import auth, errors, request_body
from .handlers import invoices, records, void
from .state import MockState

HANDLER_MODULES = (void, invoices, records)
DOCUMENTS = (spec.VOID, spec.COMPANION)
# connexion warns once per operation that takes several content types: expected here.
logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)


def _resolver(state: MockState, modules) -> Resolver:
    """operationId -> handler function of the same name, with the state bound as first argument."""
    table = {name: functools.partial(getattr(module, name), state)
             for module in modules for name in dir(module) if name.startswith(("coa_", "mock_"))}

    def resolve(operation_id: str):
        try:
            return table[operation_id]
        except KeyError:
            raise LookupError(f"no handler for operationId {operation_id}") from None

    return Resolver(function_resolver=resolve)


def create_app(state: MockState, *, validate_responses: bool = False, extra_documents=(), extra_modules=()):
    """A connexion AsyncApp over `state`; `validate_responses` checks every answer against spec/."""
    app = connexion.AsyncApp(__name__, specification_dir=str(spec.HERE),
                             security_map={"apiKey": functools.partial(auth.TokenSecurity, state.ledger, state.admin_token)})
    resolver = _resolver(state, HANDLER_MODULES + tuple(extra_modules))
    for document in DOCUMENTS + tuple(extra_documents):
        app.add_api(document.name, resolver=resolver, validate_responses=validate_responses,
                    validator_map={"body": request_body.VALIDATORS})
    errors.register(app)
    return app
