"""Sandboxes: isolated copies of the stand-in on one server, one per test run or CI job.

A sandbox has its own organizations (the default dataset copied in SQL with new ids and fresh
random tokens), its own admin token, clock, Stripe faults, API fault rules, idempotency keys,
refund log and request journal. It lives `ttl_seconds` of wall time; expired ones are removed by
the next create or listing, and by a sweeper thread that runs while any sandbox exists.
"""

import secrets
import threading
from datetime import UTC, date, datetime, timedelta

from mock_server.fixtures import DEFAULT

from .domain.errors import InvalidField
from .storage.sandboxes import SANDBOX_ID, setting_key, stamp  # noqa: F401 (the id format, for the web layer)

DEFAULT_TTL = 24 * 3600
MAX_TTL = 30 * 24 * 3600
DATASETS = ("default", "none")
SWEEP_EVERY = 30.0  # seconds between two sweeps while sandboxes exist


class TooManySandboxes(Exception):
    def __init__(self, limit: int):
        super().__init__(f"At most {limit} sandboxes may exist at once; delete one or wait for one to expire.")
        self.limit = limit


def _checked(body: dict) -> tuple[str, date | None, int]:
    fixtures = body.get("fixtures", "default")
    if fixtures not in DATASETS:
        raise InvalidField("fixtures", f"Unknown dataset; choose one of: {', '.join(DATASETS)}.")
    ttl = body.get("ttl_seconds", DEFAULT_TTL)
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 0 < ttl <= MAX_TTL:
        raise InvalidField("ttl_seconds", f"A positive whole number of seconds, at most {MAX_TTL} (30 days).")
    today = body.get("today")
    try:
        today = date.fromisoformat(today) if today is not None else None
    except (TypeError, ValueError):
        raise InvalidField("today", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.") from None
    return fixtures, today, ttl


def describe(standin, store, row: dict) -> dict:
    """A sandbox as the admin API answers it (its organizations with their tokens)."""
    tokens: dict[int, dict] = {}
    for token in store.sandbox_tokens(row["id"]):
        tokens.setdefault(token["organization_id"], {})[token["role"]] = token["key"]
    return {
        "id": row["id"],
        "admin_token": row["admin_token"],
        "organizations": [
            {"id": org["id"], "name": org["name"], "tokens": tokens.get(org["id"], {})}
            for org in store.sandbox_organizations(row["id"])
        ],
        "today": standin.scope(row["id"]).clock(store).today().isoformat(),
        "expires_at": row["expires_at"],
        "created_at": row["created_at"],
    }


def create(standin, body: dict) -> dict:
    """A new sandbox of the server `standin` (raises InvalidField, TooManySandboxes)."""
    fixtures, today, ttl = _checked(body)
    sweep(standin)
    if fixtures == "default":
        standin.ledger.prepare_template(DEFAULT)
    now = datetime.now(UTC)
    row = {
        "id": secrets.token_hex(8),
        "admin_token": "sbx_admin_" + secrets.token_hex(16),
        "expires_at": stamp(now + timedelta(seconds=ttl)),
        "created_at": now.isoformat(),
    }
    scoped = standin.scope(row["id"])
    with scoped.ledger.write_new() as store:
        store.lock_registry()
        if store.count("sandboxes") >= standin.max_sandboxes:
            raise TooManySandboxes(standin.max_sandboxes)
        store.insert("sandboxes", row)
        if today:
            store.set_setting(setting_key("today", row["id"]), today.isoformat())
        if fixtures == "default":
            store.copy_template()
        answer = describe(standin, store, row)
    standin.ledger.generation += 1  # token caches refill
    _sweeper(standin)
    return answer


def listing(standin, sandbox_id: str | None) -> list[dict]:
    """Every sandbox (the server's admin) or the caller's own."""
    sweep(standin)
    scoped = standin.scope(sandbox_id)
    with scoped.ledger.read() as store:
        return [describe(standin, store, row) for row in store.sandboxes(sandbox_id)]


def delete(standin, sandbox_id: str) -> bool:
    """Remove the sandbox and every row it owns; False when there is no such sandbox."""
    # the sandbox's own lock (other tenants write meanwhile); bumps the generation: token caches refill
    with standin.ledger.bulk_write(check=False, tenant=sandbox_id) as store:
        if not store.sandboxes(sandbox_id):
            return False
        store.delete_sandbox(sandbox_id)
    standin.forget(sandbox_id)
    standin.ledger.forget_tenant(sandbox_id)
    return True


def sweep(standin) -> int:
    """Remove the expired sandboxes; returns how many."""
    with standin.ledger.read() as store:
        expired = store.expired_sandboxes(stamp(datetime.now(UTC)))
    return sum(delete(standin, sandbox_id) for sandbox_id in expired)


def _sweeper(standin) -> None:
    """Start the stand-in's sweeper thread unless it runs: it sweeps every SWEEP_EVERY seconds
    and stops by itself once no sandbox is left (the next create starts it again)."""
    if getattr(standin, "_sweeper_thread", None) and standin._sweeper_thread.is_alive():
        return

    def run():
        while True:
            threading.Event().wait(SWEEP_EVERY)
            try:
                sweep(standin)
                with standin.ledger.read() as store:
                    if not store.count("sandboxes"):
                        return
            except Exception:  # the ledger was closed or is unavailable: a later create starts a new sweeper
                return

    standin._sweeper_thread = threading.Thread(target=run, name="campfire-sandbox-sweeper", daemon=True)
    standin._sweeper_thread.start()
