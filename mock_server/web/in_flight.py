"""Tests isolated in time: a request applies to the data it was sent to, or not at all.

Each stand-in (the server's own data, each sandbox) has a generation, advanced by a restore or a
reset. A request of the public API is stamped with the generation it arrived in (one of its facts,
facts.py, worked out before a fault's delay); its handler runs only if the generation is still the
same, else it is refused with 503 and left out of the journal. Advancing waits for the handlers already
running to finish, so a restore never interleaves with a write of the test before. The admin API
is not stamped: a reset runs through it.
"""

import itertools
import threading
from contextlib import contextmanager

from .errors import HttpError

DRAIN_SECONDS = 30.0  # a handler still running by then is a stuck one: the restore goes ahead
_NUMBERS = itertools.count(1)  # never reused: a sandbox deleted and seen again gets a generation no request has
STALE = {"detail": "The stand-in was restored after this request was sent; it was not applied."}


class Generations:
    """The generation of one stand-in and its handlers running now."""

    def __init__(self):
        self.current = next(_NUMBERS)
        self._running = 0
        self._changed = threading.Condition()

    def advance(self, timeout: float = DRAIN_SECONDS) -> None:
        """Refuse every request that arrived before now; wait for the handlers running now."""
        with self._changed:
            self.current = next(_NUMBERS)
            self._changed.wait_for(lambda: self._running == 0, timeout)

    @contextmanager
    def running(self, generation: int):
        """The block runs a handler of a request of `generation`; a 503 when that generation is past."""
        with self._changed:
            if generation != self.current:
                raise HttpError(503, STALE)
            self._running += 1
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()


_CREATING = threading.Lock()


def generations_of(standin) -> Generations:
    """The stand-in's generations (one per stand-in, kept beside it)."""
    kept = getattr(standin, "generations", None)
    if kept is None:
        with _CREATING:
            kept = getattr(standin, "generations", None) or Generations()
            standin.generations = kept
    return kept


def is_current(generation: int | None, standin) -> bool:
    """Whether a request stamped `generation` (None: not stamped, e.g. the admin API) is still current."""
    return generation is None or generation == generations_of(standin).current


@contextmanager
def admitted(generation: int | None, standin):
    """Run a handler of a request stamped `generation` for `standin` (its scope's stand-in), or answer 503."""
    if generation is None:
        yield
        return
    with generations_of(standin).running(generation):
        yield
