"""Generations: a restore waits for the handlers running, and refuses the requests that arrived before it."""

import threading
import time

import pytest

from mock_server.web.errors import HttpError
from mock_server.web.in_flight import STALE, Generations


def test_advancing_waits_for_a_running_handler_then_refuses_its_generation():
    generations = Generations()
    arrived = generations.current
    entered, finished = threading.Event(), []

    def handler():
        with generations.running(arrived):
            entered.set()
            time.sleep(0.2)
            finished.append("done")

    thread = threading.Thread(target=handler)
    thread.start()
    assert entered.wait(5)
    generations.advance()
    assert finished == ["done"]  # advance returned only once the running handler had ended
    thread.join(5)
    with pytest.raises(HttpError) as refused, generations.running(arrived):
        pass
    assert (refused.value.status_code, refused.value.body) == (503, STALE)
    with generations.running(generations.current):  # a request of the new generation runs
        pass


def test_a_new_generations_object_never_takes_a_number_a_request_carries():
    first = Generations()
    stamped = first.current
    first.advance()
    assert Generations().current != stamped and first.current != stamped
