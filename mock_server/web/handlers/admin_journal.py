"""Admin API: the request journal of the public API (/_mock/requests); kept by web/journal.py."""

from datetime import datetime

from ...domain.errors import InvalidField
from ..journal import journal_of


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        since = datetime.fromisoformat(text.replace(" ", "+").replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField("since", "Datetime has wrong format. Use ISO 8601, e.g. 2026-07-15T10:00:00Z.") from None
    if since.tzinfo is None:
        raise InvalidField("since", "Give a time zone, e.g. 2026-07-15T10:00:00Z.")
    return since


def mock_list_requests(standin, call, operation=None, status=None, since=None):
    return journal_of(standin).entries(operation=operation, status=status, since=_since(since))


def mock_clear_requests(standin, call):
    journal = journal_of(standin)
    journal.clear()
    return journal.entries()
