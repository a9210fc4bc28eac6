"""The connexion application: serves spec/ unmodified and binds each operationId to a handler
that receives its inputs explicitly (the stand-in, the Call, the parameters)."""
import asyncio
import contextlib
import inspect
import os
from concurrent.futures import ThreadPoolExecutor

import connexion
from connexion.jsonifier import Jsonifier
from connexion.middleware import ConnexionMiddleware, MiddlewarePosition
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.resolver import Resolver
from connexion.spec import OpenAPISpecification

import spec

from . import auth, bodies, connexion_once, direct, documents, errors, faults, health, journal
from .call import Call
from .handlers import admin, admin_faults, admin_journal, admin_sandboxes, invoices, records, void
from .parameters import DrfParameters

HANDLER_MODULES = (void, invoices, records, admin, admin_faults, admin_journal, admin_sandboxes)
DIRECT_OPERATIONS = (spec.VOID_OPERATION_ID, "coa_api_v1_invoice_retrieve")  # served by the direct lane


# Handlers block on SQLite, so they run off the event loop, in threads of their own: a plain
# executor hop costs a fraction of connexion's for sync functions (anyio's worker threads, cancel
# scopes and context copies), and a handler needs no context variable once it has its Call.
# Reads have a pool of their own, one thread per core: they never queue behind writes, and more
# reads at once than cores only fight over the GIL (2 cores, 8 clients reading one invoice: 2,170
# µs of CPU per read at 580 req/s with one pool of 32 threads, 1,080 µs at 1,000 req/s with
# this). Writes keep many threads: most of them wait on the ledger's lock, asleep, and a write
# that takes no lock (an Idempotency-Key retry answered 409, an admin call) must not queue
# behind two slow voids.
_READERS = ThreadPoolExecutor(max_workers=max(2, len(os.sched_getaffinity(0))), thread_name_prefix="campfire-reader")
_WRITERS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="campfire-writer")


def _runner(handler, standin):
    """`handler` run in a handler thread for a Call, on the stand-in the token's scope sees (its
    sandbox, or the server's own)."""
    async def run(call: Call, **parameters):
        return await asyncio.get_running_loop().run_in_executor(
            _READERS if call.method in auth.SAFE_METHODS else _WRITERS,
            lambda: handler(standin.scope(call.sandbox_id), call, **parameters))
    return run


def _bind(handler, standin):
    """The function connexion calls for `handler`: its signature names only the handler's own
    parameters (after the stand-in and the Call), so connexion passes just those and never
    parses the body a second time (the handler reads it, parsed the DRF way, from the Call)."""
    run = _runner(handler, standin)

    async def operation(**parameters):
        return await run(Call.current(), **parameters)
    operation.__name__ = handler.__name__
    operation.__signature__ = inspect.Signature(list(inspect.signature(handler).parameters.values())[2:])
    return operation


def _handlers() -> dict:
    """operationId -> the handler function of the same name."""
    return {name: getattr(module, name)
            for module in HANDLER_MODULES for name in dir(module) if name.startswith(("coa_", "mock_"))}


def _resolver(standin, handlers: dict) -> Resolver:
    """operationId -> the handler function of the same name, bound to the stand-in."""
    table = {name: _bind(handler, standin) for name, handler in handlers.items()}

    def resolve(operation_id: str):
        try:
            return table[operation_id]
        except KeyError:
            raise LookupError(f"no handler for operationId {operation_id}") from None

    return Resolver(function_resolver=resolve)


def _allowed_methods(path: str) -> set[str]:
    """The methods the served documents declare for `path` (the Allow header of a 405)."""
    return {method for method, pattern, _ in spec.operations() if pattern.match(path)}


@contextlib.contextmanager
def _documents_already_validated():
    """Connexion checks each document against the OpenAPI schema at every start (about a second
    for ours). The shipped documents do not change at run time and tests/test_spec.py runs that
    same check on each of them, so it is skipped while this app loads them."""
    check = OpenAPISpecification._validate_spec
    OpenAPISpecification._validate_spec = classmethod(lambda cls, document: None)
    try:
        yield
    finally:
        OpenAPISpecification._validate_spec = check


def _middlewares(validate_responses: bool) -> list:
    """Connexion's middlewares but those that do nothing here: its Swagger UI (documents.py serves
    ours) and, unless asked for, response validation (a pass-through that still routes); its
    request validation builds each operation's validators once (connexion_once)."""
    unused = {SwaggerUIMiddleware} | (set() if validate_responses else {ResponseValidationMiddleware})
    replaced = {RequestValidationMiddleware: connexion_once.RequestValidation}
    return [replaced.get(middleware, middleware) for middleware in ConnexionMiddleware.default_middlewares
            if middleware not in unused]


def create_app(standin, *, validate_responses: bool = False, direct_lane: bool = True) -> connexion.AsyncApp:
    """A connexion AsyncApp over `standin`; `validate_responses` checks every answer against spec/;
    without `direct_lane`, every request takes Connexion's path (the answers are the same)."""
    connexion_once.install()
    tokens = auth.TokenCache(standin.ledger)
    jsonifier = Jsonifier()
    app = connexion.AsyncApp(__name__, specification_dir=str(spec.HERE), swagger_ui_options=None, security_map={
        "apiKey": lambda: auth.TokenSecurity(tokens, standin.admin_token)}, middlewares=_middlewares(validate_responses),
        jsonifier=jsonifier)
    handlers = _handlers()
    resolver = _resolver(standin, handlers)
    with _documents_already_validated():
        for document in spec.DOCUMENTS:
            app.add_api(spec.load(document.path) | {"servers": [{"url": document.prefix or "/"}]}, resolver=resolver,
                        validate_responses=validate_responses,
                        validator_map={"body": bodies.VALIDATORS, "parameter": DrfParameters},
                        swagger_ui_options=connexion.options.SwaggerUIOptions(swagger_ui=False, serve_spec=False))
    for path, endpoint in documents.ROUTES:
        app.add_url_rule(path, endpoint.__name__, endpoint)
    app.add_url_rule(*health.route(standin))
    errors.register(app, _allowed_methods)
    # outermost first, all inside connexion's server-error handler: the journal sees every answer, faults included
    app.add_middleware(errors.UnavailableMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(journal.JournalMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION,
                       standin=standin, tokens=tokens)
    app.add_middleware(faults.FaultInjection, position=MiddlewarePosition.BEFORE_EXCEPTION,
                       standin=standin, tokens=tokens)
    if direct_lane:
        app.add_middleware(direct.DirectLane, position=MiddlewarePosition.BEFORE_ROUTING, tokens=tokens,
                           runners={name: _runner(handlers[name], standin) for name in DIRECT_OPERATIONS},
                           jsonifier=jsonifier)
    return app
