"""Every error a client sees, in Django REST Framework's shapes.

One table maps each refusal of the ledger to its HTTP status; the body is the refusal's own
``problems``. Errors that only exist on the web (authentication, parse errors, limits) are
:class:`HttpError`. Connexion's problems and Starlette's routing errors are answered in the
same shapes (405 with every method of the path in Allow).
"""
import json

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from ..domain import errors as ledger
from ..storage import Unavailable

STATUS = {
    ledger.NotFound: 404,
    ledger.SandboxGone: 401,
    ledger.InvalidRequest: 400,
    ledger.PaymentAlreadyVoided: 400,
    ledger.InvoiceVoided: 400,
    ledger.InvoiceHasPayments: 400,
    ledger.IdempotencyKeyReused: 400,
    ledger.IdempotencyKeyInUse: 409,
    ledger.DatasetConflict: 400,
    ledger.RefundFailed: 502,
}


class HttpError(Exception):
    """An answer decided by the web layer itself: a status, a DRF-style body, headers."""

    def __init__(self, status: int, body, headers: dict | None = None):
        super().__init__(status, body)
        self.status_code = status
        self.body = body
        self.headers = headers or {}


def status_of(error: ledger.LedgerError) -> int:
    return next(STATUS[kind] for kind in type(error).__mro__ if kind in STATUS)


def json_response(status: int, body, headers: dict | None = None) -> ConnexionResponse:
    return ConnexionResponse(status_code=status, mimetype="application/json", content_type="application/json",
                             body=json.dumps(body), headers=headers or {})


def ledger_error_response(_request, exc: ledger.LedgerError) -> ConnexionResponse:
    return json_response(status_of(exc), exc.problems)


def http_error_response(_request, exc: HttpError) -> ConnexionResponse:
    return json_response(exc.status_code, exc.body, exc.headers)


UNAVAILABLE = (503, {"detail": "The ledger's database is unavailable; retry shortly."}, {"Retry-After": "1"})


def unavailable(exc: Unavailable) -> tuple:
    """(status, body, headers) for a ledger that cannot write now; a storage fault names its cause."""
    status, body, headers = UNAVAILABLE
    return getattr(exc, "status", status), {"detail": getattr(exc, "detail", body["detail"])}, headers


def unavailable_response(_request, exc: Unavailable) -> ConnexionResponse:
    """The ledger's database is unreachable (a PostgreSQL server restarting). The request's
    transaction did not complete, so a retry is safe (a void whose COMMIT did land before the
    connection dropped answers 400, or its stored answer under an Idempotency-Key); the ledger
    reconnects by itself."""
    return json_response(*unavailable(exc))


class UnavailableMiddleware:
    """ASGI, outermost: the same 503 when the outage is met before any handler runs (the token
    and fault caches are refilled by middleware outside connexion's exception handling)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        started = False

        async def watch(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Unavailable as exc:
            if scope["type"] != "http" or started:
                raise
            status, body, headers = unavailable(exc)
            await JSONResponse(body, status, headers)(scope, receive, send)


def problem_response(_request, exc: ProblemException) -> ConnexionResponse:
    """Connexion's own 4xx problems (bad parameter, unsupported media type...) in DRF's words."""
    status = exc.status or 500
    message = {404: "Not found.", 415: "Unsupported media type in request."}.get(status)
    if message is None:
        message = _parameter_message(exc.detail or exc.title or "")
    return json_response(status, {"detail": message}, getattr(exc, "headers", None))


def _parameter_message(detail: str) -> str:
    """Connexion's parameter errors quote jsonschema internals; keep only the first sentence,
    which names the parameter and the problem."""
    first = detail.split("\n")[0].strip()
    if "Failed validating" in first:
        first = first.split("Failed validating")[0].strip()
    return first or "Bad request."


def _http_exception_handler(allowed_methods):
    def http_exception_response(request, exc: HTTPException) -> ConnexionResponse:
        """Starlette's routing errors: 404 for unknown paths, 405 with every method of the path
        in Allow (the router only knows the methods of the document it matched first)."""
        message = {404: "Not found.", 405: "Method not allowed."}.get(exc.status_code, exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(sorted(allowed_methods(request.url.path)))
        return json_response(exc.status_code, {"detail": message}, headers)
    return http_exception_response


def register(app, allowed_methods) -> None:
    """Install the DRF-shaped handlers on a connexion app; `allowed_methods(path)` names the
    methods the served documents declare for a path."""
    app.add_error_handler(ledger.LedgerError, ledger_error_response)
    app.add_error_handler(HttpError, http_error_response)
    app.add_error_handler(Unavailable, unavailable_response)
    app.add_error_handler(ProblemException, problem_response)
    app.add_error_handler(HTTPException, _http_exception_handler(allowed_methods))
