"""Stand-ins shared by the tests of the HTML report, compare and the CI workflow. Starting one
loads the default dataset (seconds on this machine), so each is started once per test process,
on first use, and stopped when the process exits. Every test provisions its own payments, so
sharing one is safe."""

import atexit
import functools

from conformance.local import LocalStandIn


@functools.cache
def stand_in(name: str) -> LocalStandIn:
    """The running stand-in called `name` ("a", "b", ...)."""
    server = LocalStandIn().__enter__()
    atexit.register(server.__exit__, None, None, None)
    return server
