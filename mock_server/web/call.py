"""What a handler may know of its request, handed to it explicitly: the organization and sandbox
its credentials grant (from the request's facts), its URL, headers and method, and its body as
the validators parsed it."""

from dataclasses import dataclass

from starlette.datastructures import URL, Headers

from . import bodies, facts


@dataclass(frozen=True)
class Call:
    organization_id: int | None
    sandbox_id: str | None  # the scope of the credentials: a sandbox, or (None) the server's own data
    url: URL
    headers: Headers
    method: str
    scope: dict

    @classmethod
    def of(cls, scope) -> "Call":
        request = facts.of(scope)
        return cls(
            organization_id=request.organization_id,
            sandbox_id=request.sandbox_id,
            url=URL(scope=scope),
            headers=Headers(scope=scope),
            method=scope["method"],
            scope=scope,
        )

    def body_as_sent(self) -> dict:
        return bodies.as_sent(self.scope)

    def body(self) -> dict:
        """The parsed request body; raises its 400 when it was malformed (ask after the look-ups)."""
        return bodies.parsed(self.scope)
