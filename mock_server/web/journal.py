"""The request journal: what clients sent to the public API, for tests that assert on it.

Each entry has the method, path, matched operationId, organization (never the token), the
Idempotency-Key, the status the client received (null when the connection was dropped),
the duration and the fault applied if any (`withheld_status` when the app answered but the
client never got it). The last `size` entries are kept, in this process's memory: with
`serve --workers N` each process journals what it served. The admin API is not journaled.
"""

import threading
import time
from collections import deque
from datetime import datetime, timezone

from . import facts, in_flight
from .faults import APPLIED_KEY, DROPS
from .request_log import recording_status

SIZE = 1000


class Journal:
    def __init__(self, size: int = SIZE):
        self._entries: deque[dict] = deque(maxlen=size)
        self._lock = threading.Lock()
        self._next_id = 1

    def record(self, entry: dict) -> None:
        with self._lock:
            self._entries.append({"id": self._next_id, **entry})
            self._next_id += 1

    def entries(
        self, operation: str | None = None, status: int | None = None, since: datetime | None = None
    ) -> list[dict]:
        """Oldest first; `since` keeps the entries received at or after it."""
        with self._lock:
            entries = list(self._entries)
        return [
            entry
            for entry in entries
            if (operation is None or entry["operation"] == operation)
            and (status is None or entry["status"] == status)
            and (since is None or datetime.fromisoformat(entry["time"]) >= since)
        ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def journal_of(standin) -> Journal:
    """The stand-in's journal (one per stand-in, kept beside it)."""
    journal = getattr(standin, "journal", None)
    if journal is None:
        journal = standin.journal = Journal()
    return journal


class JournalMiddleware:
    """ASGI middleware recording every request to the public API in the journal of its token's
    scope (a sandbox's, or the server's own)."""

    def __init__(self, app, standin):
        self.app, self.standin = app, standin

    async def __call__(self, scope, receive, send):
        request = facts.of(scope) if scope["type"] == "http" else None
        if request is None or request.admin:
            return await self.app(scope, receive, send)
        received = datetime.now(timezone.utc)
        started = time.perf_counter()
        answered = {}
        try:
            await self.app(scope, receive, recording_status(send, answered))
        except Exception:
            answered.setdefault("status", 500)  # what connexion's server-error handler answers
            raise
        finally:
            fault = scope.get(APPLIED_KEY)
            standin = self.standin.scope(request.sandbox_id)
            if in_flight.is_current(request.generation, standin):  # not a request of the test before a restore
                journal_of(standin).record(
                    {
                        "time": received.isoformat(),
                        "method": request.method,
                        "path": request.path,
                        "operation": request.operation_id,
                        "organization_id": request.organization_id,
                        "idempotency_key": request.idempotency_key,
                        "status": None if fault and fault["action"] in DROPS else answered.get("status"),
                        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                        "fault": fault,
                    }
                )
