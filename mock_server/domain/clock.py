"""The stand-in's clock. Tests and the admin API pin "today" so that void_date defaults (and
idempotency keys' lifetimes) are predictable; time of day keeps running."""

from datetime import date, datetime, timezone


class Clock:
    def __init__(self, today: date | None = None, now: datetime | None = None):
        self.pinned_today = today
        self.pinned_now = now

    def now(self) -> datetime:
        if self.pinned_now:
            return self.pinned_now
        real = datetime.now(timezone.utc)
        return datetime.combine(self.pinned_today, real.timetz()) if self.pinned_today else real

    def today(self) -> date:
        return self.pinned_today or self.now().date()

    def timestamp(self) -> str:
        """ISO 8601 UTC timestamp as DRF renders it."""
        return self.now().astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
