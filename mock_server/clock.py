"""An injectable clock: tests and the admin API pin "today" so void_date defaults are predictable."""
from datetime import date, datetime, timezone


class Clock:
    def __init__(self, today: date | None = None, now: datetime | None = None):
        self.pinned_today = today
        self.pinned_now = now

    def now(self) -> datetime:
        return self.pinned_now or datetime.now(timezone.utc)

    def today(self) -> date:
        return self.pinned_today or self.now().date()

    def timestamp(self) -> str:
        """ISO 8601 UTC timestamp as DRF renders it."""
        return self.now().astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
