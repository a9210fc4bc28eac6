"""API errors in Django REST Framework's shapes, as Campfire answers them.

Ledger rules raise :class:`ApiError`; connexion's own problems (routing, parameters, content
type) are translated here too, so every error body a client sees has the same DRF form.
"""
import json

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from starlette.exceptions import HTTPException


class ApiError(Exception):
    """An answer other than success: an HTTP status and a DRF-style JSON body."""

    def __init__(self, status: int, body, headers: dict | None = None):
        super().__init__(status, body)
        self.status_code = status
        self.body = body
        self.headers = headers or {}


def detail(status: int, message: str) -> ApiError:
    return ApiError(status, {"detail": message})


def not_found() -> ApiError:
    return detail(404, "Not found.")


def field_error(field: str, message: str) -> ApiError:
    return ApiError(400, {field: [message]})


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


def server_error_response(_request, exc: Exception) -> ConnexionResponse:
    return _json_response(500, {"detail": "A server error occurred."})


def register(app, allowed_methods) -> None:
    """Install the DRF-shaped handlers on a connexion app; `allowed_methods(path)` names the
    methods the served documents declare for a path."""
    app.add_error_handler(ApiError, api_error_response)
    app.add_error_handler(ProblemException, problem_response)
    app.add_error_handler(HTTPException, _http_exception_handler(allowed_methods))
