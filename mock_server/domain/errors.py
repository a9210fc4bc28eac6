"""Why the ledger refuses a request: one exception type per reason, in the ledger's words.

Rules raise these; they know nothing of HTTP. The web layer maps each type to a status and a
Django REST Framework body in one table (``mock_server.web.errors``). Every refusal carries
``problems``: the DRF-style description of what is wrong ({"detail": ...} or {field: [...]}),
so a refusal nested inside another (one payment of a mark-paid body) keeps its own words.
"""

DATE_MESSAGE = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
REQUIRED = "This field is required."


class LedgerError(Exception):
    """A request the ledger refuses; nothing it asked for was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def problems(self) -> dict:
        return {"detail": self.message}


class NotFound(LedgerError):
    """Unknown, or owned by another organization: the two are indistinguishable on purpose."""

    def __init__(self, what: str = "Not found."):
        super().__init__(what)

    @property
    def problems(self) -> dict:
        return {"detail": "Not found."}


class SandboxGone(LedgerError):
    """The sandbox of the request's token was deleted (or expired) while the request ran."""

    def __init__(self):
        super().__init__("Invalid token.")


class InvalidRequest(LedgerError):
    """Field-level problems, as DRF's serializers report them: {field: [message, ...]}."""

    def __init__(self, problems: dict):
        super().__init__(str(problems))
        self._problems = problems

    @property
    def problems(self) -> dict:
        return self._problems


class InvalidField(InvalidRequest):
    """One field is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__({field: [message]})
        self.field = field
        self.message = message


class PeriodClosed(InvalidField):
    """The date falls in a period whose books are closed."""


class VoidBeforePayment(InvalidField):
    """A payment cannot be voided before the day it was made."""


class PaymentAlreadyVoided(LedgerError):
    def __init__(self):
        super().__init__("This payment has already been voided.")


class InvoiceVoided(LedgerError):
    """The invoice is voided: its payments can no longer change."""


class RefundFailed(LedgerError):
    """Stripe did not refund; the void that asked for it is rolled back."""

    def __init__(self, payment_id: int, idempotency_key: str, outcome: str, message: str, fault_id: int | None = None):
        super().__init__(message)
        self.fault_id = fault_id  # the queued fault that caused it: used up even though the void rolls back
        self.payment_id = payment_id
        self.idempotency_key = idempotency_key
        self.outcome = outcome


class IdempotencyKeyReused(LedgerError):
    """The Idempotency-Key was first sent with other parameters (Stripe refuses this too)."""

    def __init__(self):
        super().__init__(
            "Keys for idempotent requests can only be used with the same parameters they were "
            "first used with. This Idempotency-Key was already used with other parameters."
        )


class IdempotencyKeyInUse(LedgerError):
    """A request with the same Idempotency-Key is still being processed."""

    def __init__(self):
        super().__init__("A request with this Idempotency-Key is still being processed; retry later.")


class DatasetConflict(LedgerError):
    """A dataset cannot be loaded over rows that are already there."""


class InvoiceHasPayments(LedgerError):
    """An invoice with active payments cannot be voided."""

    def __init__(self):
        super().__init__("Void the payments of this invoice first.")


def found(record, what: str = "Not found."):
    """The record, or NotFound when there is none (unknown and foreign look the same)."""
    if record is None:
        raise NotFound(what)
    return record
