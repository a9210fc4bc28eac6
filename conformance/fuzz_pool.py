"""The payments a fuzz run voids: each void case the hooks rewrite is pointed at a payment that is
still voidable, and the pool is refilled through the public API as 200 voids use them up, one for
each void case that finds none (so its refills follow the run's size), for as long as the
request budget, if any, allows. Without it a long run spends its voids on "already voided".
"""

import threading
from collections import deque

from .provisioning import NotProvisionable, Provisioner
from .target import BudgetExhausted


class VoidablePool:
    def __init__(self, pairs, provisioner: Provisioner | None = None):
        self._voidable = deque(tuple(pair) for pair in pairs)
        self._provisioner = provisioner  # None: never refill
        self._lock = threading.Lock()
        self.created = 0
        self.last_voided: tuple[int, int] | None = None  # for the "second void is refused" cases
        self.refill_stopped = ""  # why refilling stopped, if it did
        self.dry = 0  # takes that found no voidable payment: the pool ran out

    def take(self) -> tuple[int, int] | None:
        """A voidable (invoice, payment), made now if none is left; None when none can be made."""
        with self._lock:
            if not self._voidable and self._provisioner and not self.refill_stopped:
                try:
                    self._voidable.append(self._provisioner.payment("manual"))
                    self.created += 1
                except (BudgetExhausted, NotProvisionable) as exc:
                    self.refill_stopped = str(exc)
            if not self._voidable:
                self.dry += 1
                return None
            return self._voidable[0]

    def voided(self, pair) -> None:
        """`pair` was voided (a 200): never hand it out again."""
        with self._lock:
            self.last_voided = tuple(pair)
            if self.last_voided in self._voidable:
                self._voidable.remove(self.last_voided)
