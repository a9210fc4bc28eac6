"""What the fault rules and the request journal know of a request before the app runs.

The operationId comes from spec/ the way connexion routes it (its path templates and methods),
so a fault can be decided before the request reaches connexion; the organization comes from the
token through the token cache. The token itself is never kept: only its SHA-256, which a fault
rule scoped to one token is matched against.
"""
import hashlib
from dataclasses import dataclass

from starlette.datastructures import Headers

import spec

from .auth import token_from_header
from .idempotent import HEADER as IDEMPOTENCY_HEADER

ADMIN_PREFIX = "/_mock/"
SCOPE_KEY = "campfire.facts"
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class RequestFacts:
    method: str
    path: str
    operation: str | None
    organization_id: int | None
    sandbox_id: str | None  # the token's sandbox (None: the server's own data, or no valid token)
    token_sha256: str | None
    idempotency_key: str | None

    @property
    def admin(self) -> bool:
        """A call of the stand-in's own admin API (never faulted, never journaled)."""
        return self.path.startswith(ADMIN_PREFIX)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def operation_id(method: str, path: str) -> str | None:
    return next((operation for op_method, pattern, operation in spec.operations()
                 if op_method == method and pattern.match(path)), None)


async def facts(scope, tokens) -> RequestFacts:
    """The request's facts, worked out once and kept in the scope for the next middleware."""
    known = scope.get(SCOPE_KEY)
    if known is None:
        headers = Headers(scope=scope)
        key = token_from_header(headers.get("authorization")) or None
        owner = await tokens.owner(key) if key else None
        idempotency_key = headers.get(IDEMPOTENCY_HEADER)
        known = scope[SCOPE_KEY] = RequestFacts(
            method=scope["method"], path=scope["path"], operation=operation_id(scope["method"], scope["path"]),
            organization_id=owner and owner["organization_id"], sandbox_id=owner and owner["sandbox_id"], token_sha256=key and token_sha256(key),
            idempotency_key=idempotency_key[:MAX_KEY_LENGTH] if idempotency_key else None)
    return known


class FactsMiddleware:
    """ASGI middleware that acts on an HTTP request's facts (`handle`); anything else passes."""

    def __init__(self, app, standin, tokens):
        self.app, self.standin, self.tokens = app, standin, tokens

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        return await self.handle(await facts(scope, self.tokens), scope, receive, send)

    async def handle(self, request: RequestFacts, scope, receive, send):
        raise NotImplementedError
