"""API errors in Django REST Framework's shapes, as Campfire answers them.

Ledger rules raise :class:`ApiError` (a status and a DRF body, nothing tied to a web framework);
``error_handlers`` turns them, and connexion's own problems, into responses.
"""

DATE_MESSAGE = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."


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
