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


class PageError(HttpError):
    """An answer Django itself gives before DRF's view sees the request (a form of more than
    1,000 fields): its HTML error page."""

    def __init__(self, status: int, title: str):
        super().__init__(
            status,
            f'\n<!doctype html>\n<html lang="en">\n<head>\n  <title>{title}</title>\n</head>\n'
            f"<body>\n  <h1>{title}</h1><p></p>\n</body>\n</html>\n",
        )


def status_of(error: ledger.LedgerError) -> int:
    return next(STATUS[kind] for kind in type(error).__mro__ if kind in STATUS)


def json_response(status: int, body, headers: dict | None = None) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=json.dumps(body),
        headers=headers or {},
    )


def ledger_error_response(_request, exc: ledger.LedgerError) -> ConnexionResponse:
    return json_response(status_of(exc), exc.problems)


def http_error_response(_request, exc: HttpError) -> ConnexionResponse:
    if isinstance(exc, PageError):
        return ConnexionResponse(
            status_code=exc.status_code, mimetype="text/html", content_type="text/html; charset=utf-8", body=exc.body
        )
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


def problem_response(_request, exc: ProblemException) -> ConnexionResponse:
    """Connexion's own 4xx problems (bad parameter, unsupported media type...) in DRF's words."""
    status = exc.status or 500
    message = {404: "Not found."}.get(status)
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


def http_exception_response(_request, exc: HTTPException) -> ConnexionResponse:
    """Starlette's HTTP errors (the body cap's 413) in DRF's shape."""
    message = {404: "Not found."}.get(exc.status_code, exc.detail)
    return json_response(exc.status_code, {"detail": message}, exc.headers)


def register(app) -> None:
    """Install the DRF-shaped handlers on Connexion's middleware."""
    app.add_error_handler(ledger.LedgerError, ledger_error_response)
    app.add_error_handler(HttpError, http_error_response)
    app.add_error_handler(Unavailable, unavailable_response)
    app.add_error_handler(ProblemException, problem_response)
    app.add_error_handler(HTTPException, http_exception_response)
