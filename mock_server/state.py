"""What a running mock holds: the ledger, the clock, the Stripe gateway and the admin token."""
import secrets
from dataclasses import dataclass, field

from .clock import Clock
from .ledger import Ledger
from .stripe_gateway import LedgerStripeGateway


@dataclass
class MockState:
    ledger: Ledger
    clock: Clock = field(default_factory=Clock)
    gateway: LedgerStripeGateway = field(default_factory=LedgerStripeGateway)
    admin_token: str = field(default_factory=lambda: "admin_" + secrets.token_hex(12))
