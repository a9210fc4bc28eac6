"""The stand-in's ASGI app: Connexion, as middleware, serving spec/ unmodified around our own
small app that runs each operation's handler.

One request path, outermost first:

    Facts           the request's view, operation, credentials and generation, worked out once (facts.py)
    Journal         what the public API was asked and answered (journal.py)
    FaultInjection  faults and latency a client rehearses against (faults.py)
    ViewRules       Django's and DRF's order: a redirect to the slashed path, the pages, 404;
                    then negotiation, authentication, permissions, the method (view_rules.py)
    Connexion's exception handling: every refusal below in DRF's shapes (errors.py)
    RoutingFromFacts  the operation matched once, where Connexion's validation looks for it
    Connexion's request validation with our validators
                    (bodies.py, parameters.py; built once per operation: connexion_adapter.py)
    Connexion's response validation, when asked for
    Dispatch        the handler, in a thread (dispatch.py)
"""

from connexion import ConnexionMiddleware
from connexion.middleware import MiddlewarePosition
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.resolver import Resolver
from starlette.testclient import TestClient

from mock_server import spec

from . import auth, bodies, documents, errors, faults, health, journal
from .connexion_adapter import RequestValidation, RoutingFromFacts
from .dispatch import Dispatch
from .facts import Facts
from .handlers import admin, admin_faults, admin_journal, admin_sandboxes, invoices, records, void
from .parameters import DrfParameters
from .view_rules import ViewRules

HANDLER_MODULES = (void, invoices, records, admin, admin_faults, admin_journal, admin_sandboxes)


def _handlers() -> dict:
    """operationId -> the handler function of the same name."""
    return {
        name: getattr(module, name)
        for module in HANDLER_MODULES
        for name in dir(module)
        if name.startswith(("coa_", "mock_"))
    }


def _middlewares(validate_responses: bool) -> list:
    """Connexion's middlewares that do a job here. Not its routing: the facts matched the
    operation once, and RoutingFromFacts hands it on; not its security: the view's rules check the
    credentials the facts resolved, in DRF's order; not its Swagger UI: documents.py serves
    ours; not its context: handlers get their Call explicitly; not its lifespan: there is
    nothing to start or stop."""
    return [
        ServerErrorMiddleware,
        ExceptionMiddleware,
        RoutingFromFacts,
        RequestValidation,
        *([ResponseValidationMiddleware] if validate_responses else []),
    ]


class StandInApp:
    """The ASGI app of a stand-in (`create_app`)."""

    def __init__(self, middleware: ConnexionMiddleware):
        self.middleware = middleware

    async def __call__(self, scope, receive, send):
        await self.middleware(scope, receive, send)

    def test_client(self, **kwargs) -> TestClient:
        """A client calling the app in-process, without a socket."""
        return TestClient(self, **kwargs)


def create_app(standin, *, validate_responses: bool = False) -> StandInApp:
    """The app over `standin`; `validate_responses` checks every answer against spec/."""
    tokens = auth.TokenCache(standin.ledger)
    handlers = _handlers()
    app = ConnexionMiddleware(
        Dispatch(standin, handlers), import_name=__name__, middlewares=_middlewares(validate_responses)
    )
    for document in spec.DOCUMENTS:
        app.add_api(
            spec.load(document.path) | {"servers": [{"url": document.prefix or "/"}]},
            resolver=Resolver(function_resolver=handlers.__getitem__),  # Connexion resolves each operationId
            validate_responses=validate_responses,
            validator_map={"body": bodies.VALIDATORS, "parameter": DrfParameters},
        )
    errors.register(app)
    # outermost first, all outside Connexion's exception handling: the journal sees every answer, faults included,
    # and the view's rules add Allow to every answer of a view
    app.add_middleware(Facts, position=MiddlewarePosition.BEFORE_EXCEPTION, tokens=tokens, standin=standin)
    app.add_middleware(journal.JournalMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, standin=standin)
    app.add_middleware(faults.FaultInjection, position=MiddlewarePosition.BEFORE_EXCEPTION, standin=standin)
    app.add_middleware(
        ViewRules, position=MiddlewarePosition.BEFORE_EXCEPTION, pages=documents.pages(health.route(standin))
    )
    return StandInApp(app)
