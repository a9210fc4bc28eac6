"""The simulated Stripe API the stand-in refunds through.

It answers like Stripe would: a refund id derived from the idempotency key (the same key gives
the same refund), or the fault it was told to rehearse. A slow answer (a ``timeout``, a latency
setting) is :meth:`wait`, which callers run before their write transaction (domain.refunds);
``crash`` ends the whole process in the middle of the void's transaction, to rehearse a
stand-in killed at the worst moment.
"""

import hashlib
import os
import time


class StripeSimulator:
    def __init__(self, timeout_seconds: float = 0.2):
        self.timeout_seconds = timeout_seconds

    def create_refund(self, idempotency_key: str) -> str:
        return "re_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]

    def fail(self, fault: str) -> None:
        """Behave as Stripe does when `fault` happens; the caller then reports the failure."""
        if fault == "crash":
            os._exit(75)

    @staticmethod
    def wait(seconds: float) -> None:
        """Stripe taking its time to answer (outside every lock: the caller holds none)."""
        if seconds > 0:
            time.sleep(seconds)
