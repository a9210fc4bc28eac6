"""What a handler may know of its request, handed to it explicitly.

Connexion keeps the authenticated token, the scope and the request in context variables; the
resolver (``web.app``) reads them once per request into a :class:`Call` and passes it to the
handler as an argument, so a handler's inputs are all in its signature.
"""
from dataclasses import dataclass

import connexion.context
from starlette.datastructures import URL, Headers

from . import bodies


@dataclass(frozen=True)
class Call:
    organization_id: int | None
    sandbox_id: str | None  # the scope of the token: a sandbox, or (None) the server's own data
    url: URL
    headers: Headers
    method: str
    scope: dict

    @classmethod
    def current(cls) -> "Call":
        scope = connexion.context.scope._get_current_object()  # the dict: a handler runs off the loop, out of the context
        token = connexion.context.context.get("token_info") or {}
        return cls(organization_id=token.get("organization_id"), sandbox_id=token.get("sandbox_id"),
                   url=URL(scope=scope), headers=Headers(scope=scope), method=scope["method"], scope=scope)

    def body_as_sent(self) -> dict:
        return bodies.as_sent(self.scope)

    def body(self) -> dict:
        """The parsed request body; raises its 400 when it was malformed (ask after the look-ups)."""
        return bodies.parsed(self.scope)
