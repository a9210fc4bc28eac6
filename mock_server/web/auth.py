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

import re
import time
from datetime import datetime, timezone

from starlette.concurrency import run_in_threadpool

ADMIN_SCHEME_HEADER = "X-Mock-Admin-Token"  # the header of spec/mock-admin.yaml
NOT_PROVIDED = "Authentication credentials were not provided."
INVALID = "Invalid token."
FORBIDDEN = "You do not have permission to perform this action."
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


_ASCII_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c]+")  # what bytes.split() splits on, as knox splits the header
NO_CREDENTIALS = "Invalid token header. No credentials provided."
SPACES = "Invalid token header. Token string should not contain spaces."


def token_from_header(value: str | None) -> tuple[str | None, str | None]:
    """(key, None) for `Token <key>`, else (None, the 401 detail knox answers): a missing header,
    or one of another scheme (`Bearer ...`: another authentication's), is "not provided"; the
    scheme alone or a key with spaces is an invalid header."""
    parts = _ASCII_WHITESPACE.split(value.strip(" \t\n\r\x0b\x0c")) if value else []
    if not parts or not parts[0] or parts[0].lower() != "token":
        return None, NOT_PROVIDED
    if len(parts) == 1:
        return None, NO_CREDENTIALS
    if len(parts) > 2:
        return None, SPACES
    return parts[1], None


class TokenCache:
    """Every API token of the ledger, in memory; stale after `ttl` seconds (another process may
    have loaded a dataset) or as soon as this process replaces the dataset."""

    def __init__(self, ledger, ttl: float = 2.0, miss_ttl: float = 0.1):
        self.ledger = ledger
        self.ttl = ttl
        self.miss_ttl = (
            miss_ttl  # an unknown key refills a cache older than this (a sandbox made through another process)
        )
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


async def grant(tokens: TokenCache, admin_token: str, header: str, value: str | None) -> dict | str:
    """The grant of the credentials `value` sent in `header` (the API's Authorization, or the
    admin API's token header): the role, organization and sandbox; else the 401 detail to answer."""
    if header == ADMIN_SCHEME_HEADER:
        if value is None:
            return NOT_PROVIDED
        if value == admin_token:
            return {"role": "server-admin", "organization_id": None, "sandbox_id": None}
        sandbox_id = await tokens.sandbox_of_admin(value) if value else None
        return (
            INVALID
            if sandbox_id is None
            else {"role": "sandbox-admin", "organization_id": None, "sandbox_id": sandbox_id}
        )
    key, problem = token_from_header(value)
    if problem:
        return problem
    owner = await tokens.owner(key)
    if owner is None:
        return INVALID
    return {"role": owner["role"], "organization_id": owner["organization_id"], "sandbox_id": owner["sandbox_id"]}


def refusal(granted: dict | str, method: str) -> tuple[int, str] | None:
    """DRF's authentication and permission checks of a view: (401, detail) without valid
    credentials, (403, detail) for a view-only token that would write; None when allowed."""
    if isinstance(granted, str):
        return 401, granted
    if granted["role"] == "view_only" and method not in SAFE_METHODS:
        return 403, FORBIDDEN
    return None
