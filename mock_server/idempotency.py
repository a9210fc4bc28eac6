"""The Idempotency-Key header: a retried request gets the first answer instead of a new one."""
import json

from . import errors
from .ledger import insert


def replay(db, organization_id: int, key: str, request: str) -> dict | None:
    """The stored answer for this key, or None; a key reused for another request is refused."""
    row = db.execute("SELECT request, body FROM idempotent_responses WHERE organization_id = ? AND key = ?",
                     [organization_id, key]).fetchone()
    if row is None:
        return None
    if row[0] != request:
        raise errors.detail(400, "This Idempotency-Key was already used for a different request.")
    return json.loads(row[1])


def remember(db, organization_id: int, key: str, request: str, body: dict, created_at: str) -> None:
    insert(db, "idempotent_responses", {"organization_id": organization_id, "key": key, "request": request,
                                       "status": 200, "body": json.dumps(body), "created_at": created_at})
