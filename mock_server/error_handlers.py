"""Every error a client sees, in DRF's shape: ledger rules' ApiError, connexion's problems
(bad parameters, unsupported media type) and routing errors (404, 405 with its Allow header)."""
import json

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from starlette.exceptions import HTTPException

from .errors import ApiError


def _json_response(status: int, body, headers: dict | None = None) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=json.dumps(body),
        headers=headers or {},
    )


def api_error_response(_request, exc: ApiError) -> ConnexionResponse:
    return _json_response(exc.status_code, exc.body, exc.headers)


def problem_response(_request, exc: ProblemException) -> ConnexionResponse:
    """Connexion's own 4xx problems (bad path parameter, unsupported media type...) as DRF details."""
    status = exc.status or 500
    message = {
        404: "Not found.",
        415: "Unsupported media type in request.",
    }.get(status, exc.detail or exc.title or "Bad request.")
    return _json_response(status, {"detail": message}, getattr(exc, "headers", None))


def _http_exception_handler(allowed_methods):
    def http_exception_response(request, exc: HTTPException) -> ConnexionResponse:
        """Starlette's routing errors: 404 for unknown paths, 405 with every method of the path
        in Allow (the router only knows the methods of the document it matched first)."""
        message = {404: "Not found.", 405: "Method not allowed."}.get(exc.status_code, exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(sorted(allowed_methods(request.url.path)))
        return _json_response(exc.status_code, {"detail": message}, headers)
    return http_exception_response


def register(app, allowed_methods) -> None:
    """Install the DRF-shaped handlers on a connexion app; `allowed_methods(path)` names the
    methods the served documents declare for a path."""
    app.add_error_handler(ApiError, api_error_response)
    app.add_error_handler(ProblemException, problem_response)
    app.add_error_handler(HTTPException, _http_exception_handler(allowed_methods))
