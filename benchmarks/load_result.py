"""What one load run measured, whichever generator sent it."""

from dataclasses import dataclass


@dataclass
class Load:
    """`answered` requests from the request file (`ok` of them 200), and how fast."""

    answered: int
    ok: int
    other: int
    responses: int  # everything the server answered, fillers included (for CPU per request)
    elapsed: float  # seconds from the first request to the last counted answer
    p50_ms: float
    p99_ms: float
    socket_errors: int = 0

    @property
    def rps(self) -> float:
        return self.answered / self.elapsed if self.elapsed else 0.0
