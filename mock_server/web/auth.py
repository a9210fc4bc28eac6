"""Token authentication as Campfire (Knox) answers it: `Authorization: Token <key>`.

A request's credentials are resolved once (``facts.py``, in the header its view names) and
checked by the view's rules before any handler: 401 when they are missing or unknown, 403 when
a view-only token tries to write.
The admin API has its own scheme: the server's admin token, or a sandbox's admin token (which
acts on that sandbox alone); neither scheme accepts the other's tokens. The tokens of an expired
sandbox are refused at once, before a sweep removes it.

Tokens are looked up in a cache that is refilled when the dataset changes or after a short
time, so the check runs on the event loop without touching the database (a refill runs in a
worker thread).
"""
import time
from datetime import datetime, timezone

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


class Credentials:
    """What a request's credentials are worth: absent, invalid, or a grant (the token's role,
    organization and sandbox; the admin API's grant has no organization)."""
    ABSENT = "absent"
    INVALID = "invalid"


async def grant(tokens: TokenCache, admin_token: str, header: str, value: str | None) -> dict | str:
    """The grant of the credentials `value` sent in `header` (the API's Authorization, or the
    admin API's token header), else Credentials.ABSENT or Credentials.INVALID."""
    if header == ADMIN_SCHEME_HEADER:
        if value is None:
            return Credentials.ABSENT
        if value == admin_token:
            return {"role": "server-admin", "organization_id": None, "sandbox_id": None}
        sandbox_id = await tokens.sandbox_of_admin(value) if value else None
        return Credentials.INVALID if sandbox_id is None else {
            "role": "sandbox-admin", "organization_id": None, "sandbox_id": sandbox_id}
    key = token_from_header(value)
    if key is None:
        return Credentials.ABSENT
    owner = await tokens.owner(key) if key else None
    if owner is None:
        return Credentials.INVALID
    return {"role": owner["role"], "organization_id": owner["organization_id"], "sandbox_id": owner["sandbox_id"]}


def authorize(granted: dict | str, method: str) -> None:
    """DRF's authentication and permission checks of a view: 401 without valid credentials,
    403 for a view-only token that would write."""
    if granted == Credentials.ABSENT:
        raise HttpError(401, {"detail": NOT_PROVIDED})
    if granted == Credentials.INVALID:
        raise HttpError(401, {"detail": INVALID})
    if granted["role"] == "view_only" and method not in SAFE_METHODS:
        raise HttpError(403, {"detail": FORBIDDEN})
