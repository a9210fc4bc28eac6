"""What every layer knows of a request, worked out once, before anything else runs.

The view and operation the path and method match (``views.py``), what the request's
credentials grant (the token cache, ``auth.py``), and the generation of the data it was sent to
(``in_flight.py``). The outermost middleware of the app works
them out and keeps them in the scope; the journal, the fault rules, the view's rules and the
handler read them from there. The token itself is never kept: only its SHA-256, which a fault
rule scoped to one token is matched against.
"""

import hashlib
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.responses import JSONResponse

from ..storage import Unavailable
from . import auth, views
from .errors import unavailable
from .idempotent import HEADER as IDEMPOTENCY_HEADER
from .in_flight import generations_of

ADMIN_PREFIX = "/_mock/"
SCOPE_KEY = "campfire.facts"
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class RequestFacts:
    method: str
    path: str
    view: views.View | None
    operation: views.Operation | None
    grant: dict | str  # auth.grant's answer: a grant, or the 401 detail to answer
    token_sha256: str | None
    idempotency_key: str | None
    generation: int | None  # of the stand-in it arrived for (in_flight.py); None for the admin API

    @property
    def admin(self) -> bool:
        """A call of the stand-in's own admin API (never faulted, never journaled)."""
        return self.path.startswith(ADMIN_PREFIX)

    @property
    def operation_id(self) -> str | None:
        return self.operation.id if self.operation else None

    def _granted(self, key: str):
        return self.grant[key] if isinstance(self.grant, dict) else None

    @property
    def organization_id(self) -> int | None:
        return self._granted("organization_id")

    @property
    def sandbox_id(self) -> str | None:
        """The credentials' sandbox (None: the server's own data, or no valid credentials)."""
        return self._granted("sandbox_id")


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def resolve(scope, tokens, standin) -> RequestFacts:
    """The request's facts (resolving its credentials through the token cache)."""
    headers = Headers(scope=scope)
    method, path = scope["method"], scope["path"]
    view = views.match(path)
    header = view.token_header if view else views.PUBLIC_TOKEN_HEADER
    credentials = headers.get(header)
    key = auth.token_from_header(credentials)[0] if header == views.PUBLIC_TOKEN_HEADER else credentials
    idempotency_key = headers.get(IDEMPOTENCY_HEADER)
    granted = await auth.grant(tokens, standin.admin_token, header, credentials)
    sandbox_id = granted.get("sandbox_id") if isinstance(granted, dict) else None
    return RequestFacts(
        method=method,
        path=path,
        view=view,
        operation=view.operation(method) if view else None,
        grant=granted,
        token_sha256=key and token_sha256(key),
        idempotency_key=idempotency_key[:MAX_KEY_LENGTH] if idempotency_key else None,
        generation=None if path.startswith(ADMIN_PREFIX) else generations_of(standin.scope(sandbox_id)).current,
    )


def of(scope) -> RequestFacts:
    """The facts the outermost middleware left in the scope."""
    return scope[SCOPE_KEY]


class Facts:
    """ASGI, outermost in the app: resolves each HTTP request's facts into its scope. When the
    ledger's database is unreachable before any answer has started (the token and fault caches
    are refilled out here, outside Connexion's exception handling), answers 503 as a handler would."""

    def __init__(self, app, tokens, standin):
        self.app, self.tokens, self.standin = app, tokens, standin

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def watch(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            scope[SCOPE_KEY] = await resolve(scope, self.tokens, self.standin)
            await self.app(scope, receive, watch)
        except Unavailable as exc:
            if started:
                raise
            status, body, headers = unavailable(exc)
            await JSONResponse(body, status, headers)(scope, receive, send)
