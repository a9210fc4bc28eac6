"""Token authentication as Campfire (Knox) answers it: `Authorization: Token <key>`.

Plugged into connexion for every apiKey scheme of the served documents, so it runs before any
handler: 401 when the token is missing or unknown, 403 when a view-only token tries to write.
The admin API has its own scheme and its own single token, and neither accepts the other's.
"""
import connexion.context
from connexion.security import ApiKeySecurityHandler

from . import books, errors

ADMIN_SCHEME_HEADER = "X-Mock-Admin-Token"  # the header of spec/mock-admin.yaml
NOT_PROVIDED = "Authentication credentials were not provided."
INVALID = "Invalid token."
FORBIDDEN = "You do not have permission to perform this action."


def token_from_header(value: str | None) -> str | None:
    """The key of `Token <key>`; None when the header is absent, "" when it is malformed."""
    if value is None or not value.strip():
        return None
    parts = value.split()
    if len(parts) != 2 or parts[0].lower() != "token":
        return ""
    return parts[1]


class TokenSecurity(ApiKeySecurityHandler):
    """Resolves tokens against the ledger (API scheme) or the admin token (admin scheme)."""

    def __init__(self, ledger, admin_token: str):
        super().__init__()
        self.ledger = ledger
        self.admin_token = admin_token

    def get_fn(self, security_scheme, required_scopes):
        header = security_scheme["name"]
        check = self._check_admin if header == ADMIN_SCHEME_HEADER else self._check_user

        def verify(request):
            return check(request, request.headers.get(header))

        return verify

    def _check_user(self, request, header_value):
        key = token_from_header(header_value)
        if key is None:
            raise errors.detail(401, NOT_PROVIDED)
        with self.ledger.reading() as db:
            owner = books.token_owner(db, key) if key else None
        if owner is None:
            raise errors.detail(401, INVALID)
        if owner["role"] == "view_only" and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise errors.detail(403, FORBIDDEN)
        return {"sub": owner["name"], "organization_id": owner["organization_id"], "role": owner["role"]}

    def _check_admin(self, request, header_value):
        if header_value is None:
            raise errors.detail(401, NOT_PROVIDED)
        if header_value != self.admin_token:
            raise errors.detail(401, INVALID)
        return {"sub": "mock-admin"}



def organization_id() -> int:
    """The organization of the token that authenticated the current request."""
    return connexion.context.context["token_info"]["organization_id"]
