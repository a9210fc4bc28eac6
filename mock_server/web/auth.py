"""Token authentication as Campfire (Knox) answers it: `Authorization: Token <key>`.

Plugged into connexion for every apiKey scheme of the served documents, so it runs before any
handler: 401 when the token is missing or unknown, 403 when a view-only token tries to write.
The admin API has its own scheme: the server's admin token, or a sandbox's admin token (which
acts on that sandbox alone); neither scheme accepts the other's tokens. The tokens of an expired
sandbox are refused at once, before a sweep removes it.

Tokens are looked up in a cache that is refilled when the dataset changes or after a short
time, so the check runs on the event loop without touching the database (a refill runs in a
worker thread).
"""
import time
from datetime import datetime, timezone

from connexion.security import ApiKeySecurityHandler
from starlette.concurrency import run_in_threadpool

from .errors import HttpError

ADMIN_SCHEME_HEADER = "X-Mock-Admin-Token"  # the header of spec/mock-admin.yaml
NOT_PROVIDED = "Authentication credentials were not provided."
INVALID = "Invalid token."
FORBIDDEN = "You do not have permission to perform this action."
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def token_from_header(value: str | None) -> str | None:
    """The key of `Token <key>`; None when the header is absent, "" when it is malformed."""
    if value is None or not value.strip():
        return None
    parts = value.split()
    if len(parts) != 2 or parts[0].lower() != "token":
        return ""
    return parts[1]


class TokenCache:
    """Every API token of the ledger, in memory; stale after `ttl` seconds (another process may
    have loaded a dataset) or as soon as this process replaces the dataset."""

    def __init__(self, ledger, ttl: float = 2.0, miss_ttl: float = 0.1):
        self.ledger = ledger
        self.ttl = ttl
        self.miss_ttl = miss_ttl  # an unknown key refills a cache older than this (a sandbox made through another process)
        self._owners: dict = {}
        self._sandbox_admins: dict = {}
        self._expiry: dict = {}  # sandbox id -> expires_at
        self._stamp = (None, 0.0)

    def _fresh(self) -> bool:
        generation, loaded_at = self._stamp
        return generation == self.ledger.generation and time.monotonic() - loaded_at < self.ttl

    def _refill(self) -> None:
        generation = self.ledger.generation
        with self.ledger.read() as store:
            self._owners = store.token_owners()
            self._sandbox_admins = store.sandbox_admins()
        self._expiry = {row["id"]: row["expires_at"] for row in self._sandbox_admins.values()}
        self._stamp = (generation, time.monotonic())

    async def _current(self, known: dict | None = None, key: str | None = None) -> None:
        """Refill when stale, or when `key` is not in `known` and the cache is older than miss_ttl."""
        missing = known is not None and key not in known and time.monotonic() - self._stamp[1] >= self.miss_ttl
        if missing or not self._fresh():
            await run_in_threadpool(self._refill)

    def _live(self, sandbox_id: str | None) -> bool:
        if sandbox_id is None:
            return True
        expires_at = self._expiry.get(sandbox_id)
        return expires_at is not None and expires_at > datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    async def owner(self, key: str) -> dict | None:
        """The API token's owner (with its sandbox_id), or None for an unknown or expired one."""
        await self._current(self._owners, key)
        owner = self._owners.get(key)
        return owner if owner and self._live(owner["sandbox_id"]) else None

    async def sandbox_of_admin(self, key: str) -> str | None:
        """The live sandbox whose admin token `key` is, else None."""
        await self._current(self._sandbox_admins, key)
        sandbox = self._sandbox_admins.get(key)
        return sandbox["id"] if sandbox and self._live(sandbox["id"]) else None


async def user_token_info(tokens: TokenCache, method: str, header_value: str | None) -> dict:
    """What an API token grants a request of `method`; raises the 401 or 403 otherwise."""
    key = token_from_header(header_value)
    if key is None:
        raise HttpError(401, {"detail": NOT_PROVIDED})
    owner = await tokens.owner(key) if key else None
    if owner is None:
        raise HttpError(401, {"detail": INVALID})
    if owner["role"] == "view_only" and method not in SAFE_METHODS:
        raise HttpError(403, {"detail": FORBIDDEN})
    return {"sub": owner["name"], "organization_id": owner["organization_id"], "role": owner["role"],
            "sandbox_id": owner["sandbox_id"]}


class TokenSecurity(ApiKeySecurityHandler):
    """Resolves tokens against the ledger (API scheme) or the admin token (admin scheme)."""

    def __init__(self, tokens: TokenCache, admin_token: str):
        super().__init__()
        self.tokens = tokens
        self.admin_token = admin_token

    def get_fn(self, security_scheme, required_scopes):
        header = security_scheme["name"]
        check = self._check_admin if header == ADMIN_SCHEME_HEADER else self._check_user

        async def verify(request):
            return await check(request, request.headers.get(header))

        return verify

    async def _check_user(self, request, header_value):
        return await user_token_info(self.tokens, request.method, header_value)

    async def _check_admin(self, request, header_value):
        if header_value is None:
            raise HttpError(401, {"detail": NOT_PROVIDED})
        if header_value == self.admin_token:
            return {"sub": "mock-admin", "sandbox_id": None}
        sandbox_id = await self.tokens.sandbox_of_admin(header_value) if header_value else None
        if sandbox_id is None:
            raise HttpError(401, {"detail": INVALID})
        return {"sub": "mock-admin", "sandbox_id": sandbox_id}
