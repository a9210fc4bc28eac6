"""A running stand-in: its ledger, its simulated Stripe and its admin token.

Everything else a request can change (the pinned clock, queued Stripe faults, idempotency keys)
lives in the ledger, so that several server processes on one ledger agree on it. A sandbox is
the same stand-in seen through :meth:`StandIn.scope`: its ledger yields stores limited to the
sandbox's rows and its clock is the sandbox's own setting.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date

from .domain.clock import Clock
from .storage.common import ScopedLedger
from .storage.sandboxes import setting_key
from .stripe_simulator import StripeSimulator

TODAY_SETTING = "today"


@dataclass
class StandIn:
    ledger: object  # a storage ledger (SqliteLedger or PostgresLedger)
    admin_token: str = field(default_factory=lambda: "admin_" + secrets.token_hex(12))
    stripe: StripeSimulator = field(default_factory=StripeSimulator)
    max_sandboxes: int = 1000
    sandbox_id: str | None = None  # None: the server's own data
    root: "StandIn | None" = field(default=None, repr=False)  # a sandbox's server
    _scopes: dict = field(default_factory=dict, repr=False)

    def scope(self, sandbox_id: str | None) -> "StandIn":
        """The stand-in as one sandbox sees it (itself for None); kept, so its caches live on."""
        if sandbox_id is None:
            return self
        scoped = self._scopes.get(sandbox_id)
        if scoped is None:
            scoped = self._scopes[sandbox_id] = StandIn(
                ledger=ScopedLedger(self.ledger, sandbox_id),
                admin_token="",
                stripe=self.stripe,
                sandbox_id=sandbox_id,
                root=self,
            )
        return scoped

    def forget(self, sandbox_id: str) -> None:
        self._scopes.pop(sandbox_id, None)

    def clock(self, store) -> Clock:
        """The stand-in's clock as the ledger has it pinned (or the real one)."""
        today = store.setting(setting_key(TODAY_SETTING, self.sandbox_id))
        return Clock(today=date.fromisoformat(today) if today else None)

    def pin_today(self, today: date | None) -> None:
        with self.ledger.write() as store:
            store.set_setting(setting_key(TODAY_SETTING, self.sandbox_id), today.isoformat() if today else None)

    def start(self) -> None:
        """Before serving: a queued crash rehearsal is used up by the crash it caused (the
        transaction that would have removed it died with the process)."""
        with self.ledger.write() as store:
            store.drop_stripe_faults_of_kind("crash")

    def today(self) -> date:
        with self.ledger.read() as store:
            return self.clock(store).today()
