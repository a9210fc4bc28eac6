"""A running stand-in: its ledger, its simulated Stripe and its admin token.

Everything else a request can change (the pinned clock, queued Stripe faults, idempotency keys)
lives in the ledger, so that several server processes on one ledger agree on it.
"""
import secrets
from dataclasses import dataclass, field
from datetime import date

from .domain.clock import Clock
from .stripe_simulator import StripeSimulator

TODAY_SETTING = "today"


@dataclass
class StandIn:
    ledger: object  # a storage ledger (SqliteLedger or PostgresLedger)
    admin_token: str = field(default_factory=lambda: "admin_" + secrets.token_hex(12))
    stripe: StripeSimulator = field(default_factory=StripeSimulator)

    @staticmethod
    def clock(store) -> Clock:
        """The stand-in's clock as the ledger has it pinned (or the real one)."""
        today = store.setting(TODAY_SETTING)
        return Clock(today=date.fromisoformat(today) if today else None)

    def pin_today(self, today: date | None) -> None:
        with self.ledger.write() as store:
            store.set_setting(TODAY_SETTING, today.isoformat() if today else None)

    def start(self) -> None:
        """Before serving: a queued crash rehearsal is used up by the crash it caused (the
        transaction that would have removed it died with the process)."""
        with self.ledger.write() as store:
            store.drop_stripe_faults_of_kind("crash")

    def today(self) -> date:
        with self.ledger.read() as store:
            return self.clock(store).today()
